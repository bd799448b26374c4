package load

import (
	"context"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// The generated monorepo: benchServices services of benchPackages packages
// of benchFiles files each, in one module (100 × 30 × 3 = 9,000 .go files).
const (
	benchServices = 100
	benchPackages = 30
	benchFiles    = 3
)

// genMonorepo writes the benchmark repository below dir. Each file imports
// standard packages, a sibling package of its service, sometimes another
// service's package and an external module, and carries a body of ordinary
// code after its imports.
func genMonorepo(tb testing.TB, dir string) int {
	tb.Helper()
	write := func(rel, body string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	write("go.mod", "module example.com/mono\n\ngo 1.22\n\nrequire github.com/acme/kit v1.0.0\n")
	var body strings.Builder
	for i := range 40 {
		fmt.Fprintf(&body, "\n// F%d does ordinary work.\nfunc F%d(in []string) (int, error) {\n\tn := 0\n\tfor _, s := range in {\n\t\tif strings.HasPrefix(s, %q) {\n\t\t\tn += len(s)\n\t\t}\n\t}\n\treturn n, fmt.Errorf(\"f%d: %%d\", n)\n}\n", i, i, "x", i)
	}
	files := 0
	for s := range benchServices {
		for p := range benchPackages {
			pkg := fmt.Sprintf("p%02d", p)
			dir := fmt.Sprintf("services/s%03d/%s", s, pkg)
			if p == 0 {
				pkg, dir = "main", fmt.Sprintf("services/s%03d", s)
			}
			for f := range benchFiles {
				var imps strings.Builder
				imps.WriteString("\t\"fmt\"\n\t\"strings\"\n\t\"context\"\n")
				if p+1 < benchPackages {
					fmt.Fprintf(&imps, "\t_ \"example.com/mono/services/s%03d/p%02d\"\n", s, p+1)
				}
				if f == 0 && p%5 == 1 {
					fmt.Fprintf(&imps, "\t_ \"example.com/mono/services/s%03d/p%02d\"\n", (s+1)%benchServices, p)
				}
				if f == 1 {
					imps.WriteString("\t_ \"github.com/acme/kit/log\"\n")
				}
				write(fmt.Sprintf("%s/f%d.go", dir, f), fmt.Sprintf("// Package %s is generated for a benchmark.\npackage %s\n\nimport (\n%s)\n\nvar _ = context.Background\n%s",
					pkg, pkg, imps.String(), body.String()))
				files++
			}
		}
	}
	return files
}

// importsFloor is the floor the default loader is measured against: walk
// the tree, read every .go file and parse only its import block, in
// parallel.
func importsFloor(tb testing.TB, dir string) int {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".go") {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	counts := make([]int, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				data, err := os.ReadFile(paths[i])
				if err != nil {
					continue
				}
				f, err := parser.ParseFile(token.NewFileSet(), paths[i], data, parser.ImportsOnly|parser.SkipObjectResolution)
				if err == nil {
					counts[i] = len(f.Imports)
				}
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// reportCPUms adds the CPU milliseconds per operation, measured from start.
func reportCPUms(b *testing.B, start time.Duration) {
	if d := cpuTimeAll() - start; d > 0 && b.N > 0 {
		b.ReportMetric(float64(d.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

func benchLoad(b *testing.B, loader string) {
	dir := b.TempDir()
	files := genMonorepo(b, dir)
	opts := DefaultOptions()
	opts.GoLoader = loader
	b.ResetTimer()
	start := cpuTimeAll()
	defer reportCPUms(b, start)
	for b.Loop() {
		r, err := Repo(context.Background(), dir, opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.GoPackages) != benchServices*benchPackages || len(r.Services) != benchServices {
			b.Fatalf("%d packages in %d services from %d files", len(r.GoPackages), len(r.Services), files)
		}
		for _, p := range r.GoPackages {
			if p.Service == "" {
				b.Fatalf("package %s is attributed to no service", p.Dir)
			}
		}
		if len(r.CodeEdges) == 0 {
			b.Fatal("no cross-service edge found")
		}
	}
}

// BenchmarkGoImportsFloor is the floor: walk, read every .go file and
// parse only its import block, in parallel.
func BenchmarkGoImportsFloor(b *testing.B) {
	dir := b.TempDir()
	genMonorepo(b, dir)
	b.ResetTimer()
	start := cpuTimeAll()
	defer reportCPUms(b, start)
	for b.Loop() {
		if importsFloor(b, dir) == 0 {
			b.Fatal("no imports")
		}
	}
}

// BenchmarkLoadGoParser is the whole load (walk, confined read, discovery,
// every parser, attribution) with the default Go loader.
func BenchmarkLoadGoParser(b *testing.B) { benchLoad(b, GoLoaderParser) }

// BenchmarkLoadGoPackages is the whole load with --go-loader=packages.
func BenchmarkLoadGoPackages(b *testing.B) { benchLoad(b, GoLoaderPackages) }

// readBench walks and reads the generated repository once, as load.Repo
// does, and discovers its services.
func readBench(b *testing.B) *loader {
	dir := b.TempDir()
	genMonorepo(b, dir)
	r, err := os.OpenRoot(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Close() })
	opts := DefaultOptions()
	w := &walker{root: r, opts: &opts}
	l := &loader{root: r, opts: &opts, repo: &facts.Repo{Root: dir}}
	if err := l.walkAndRead(context.Background(), w); err != nil {
		b.Fatal(err)
	}
	l.discover()
	return l
}

// BenchmarkGoParseFloor parses the import block of every .go input already
// in memory, in parallel: the floor of the Go stage alone.
func BenchmarkGoParseFloor(b *testing.B) {
	l := readBench(b)
	b.ResetTimer()
	start := cpuTimeAll()
	defer reportCPUms(b, start)
	for b.Loop() {
		l.each(context.Background(), len(l.inputs), func(i int) {
			if in := l.inputs[i]; in.kind == kindGo {
				if _, err := parser.ParseFile(token.NewFileSet(), in.path, in.data, parser.ImportsOnly|parser.SkipObjectResolution); err != nil {
					b.Error(err)
				}
			}
		})
	}
}

// BenchmarkGoFacts is the default Go stage alone on inputs already in
// memory: modules, per-file parse (header, constraints, imports, model
// scan), packages, import resolution, composition roots and code edges.
func BenchmarkGoFacts(b *testing.B) {
	l := readBench(b)
	svcs := l.repo.Services
	b.ResetTimer()
	start := cpuTimeAll()
	defer reportCPUms(b, start)
	for b.Loop() {
		l.repo = &facts.Repo{Root: l.repo.Root, Services: svcs}
		l.parseGo(context.Background())
		l.codeEdges()
		if len(l.repo.GoPackages) != benchServices*benchPackages {
			b.Fatalf("%d packages", len(l.repo.GoPackages))
		}
	}
}
