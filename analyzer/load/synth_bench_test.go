package load

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/cmd/decouple-synth/synth"
)

// The loader benchmarks run on a generated 500-service monorepo
// (decouple-synth, seed 1, 20 commits per service), written into the
// benchmark's temporary directory once per benchmark:
//
//	go test ./analyzer/load -run '^$' -bench Synth -benchtime 3x
//
// To profile without regenerating, point DECOUPLE_SYNTH_DIR at a repository
// decouple-synth wrote (decouple-synth -n 500 -out DIR).

const synthBenchServices = 500

func synthRepo(b *testing.B) string {
	b.Helper()
	if dir := os.Getenv("DECOUPLE_SYNTH_DIR"); dir != "" {
		return dir
	}
	dir := filepath.Join(b.TempDir(), "repo")
	if _, err := synth.Generate(dir, synth.Options{Services: synthBenchServices, Seed: 1, Commits: 20 * synthBenchServices}); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkLoadSynth500 is the whole load, as decouple check runs it.
func BenchmarkLoadSynth500(b *testing.B) {
	dir := synthRepo(b)
	ctx := context.Background()
	var files int
	for b.Loop() {
		_, st, err := RepoStats(ctx, dir, DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		files = st.Files
	}
	b.ReportMetric(float64(files), "files")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(files), "µs/file")
}

// prepared returns a loader of dir that has walked, read, classified and
// discovered: the state every parser starts from.
func prepared(b testing.TB, dir string) *loader {
	b.Helper()
	l, w := newBenchLoader(b, dir)
	ctx := context.Background()
	if err := l.walkAndRead(ctx, w); err != nil {
		b.Fatal(err)
	}
	l.classify(ctx)
	l.discover()
	l.owner = l.repo.NewServiceIndex()
	return l
}

func newBenchLoader(b testing.TB, dir string) (*loader, *walker) {
	b.Helper()
	opts := DefaultOptions()
	r, err := os.OpenRoot(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Close() })
	l := &loader{root: r, opts: &opts, repo: &facts.Repo{Root: dir}, stats: &Stats{}}
	return l, &walker{root: r, opts: &opts}
}

// BenchmarkPhasesSynth500 times each phase of the load on its own, from
// the state the phase starts from.
func BenchmarkPhasesSynth500(b *testing.B) {
	dir := synthRepo(b)
	ctx := context.Background()
	b.Run("walk+read", func(b *testing.B) {
		start := cpuTimeAll()
		for b.Loop() {
			l, w := newBenchLoader(b, dir)
			if err := l.walkAndRead(ctx, w); err != nil {
				b.Fatal(err)
			}
		}
		reportCPUms(b, start)
	})
	l := prepared(b, dir)
	b.Run("classify", func(b *testing.B) {
		start := cpuTimeAll()
		for b.Loop() {
			l.docs, l.specs = nil, nil
			l.classify(ctx)
		}
		reportCPUms(b, start)
	})
	b.Run("discover", func(b *testing.B) {
		for b.Loop() {
			l.discover()
		}
	})
	for _, p := range benchParsers(l) {
		b.Run(p.name, func(b *testing.B) {
			start := cpuTimeAll()
			for b.Loop() {
				p.reset()
				p.run(ctx)
			}
			reportCPUms(b, start)
		})
	}
	b.Run("finish", func(b *testing.B) {
		for b.Loop() {
			l.repo.Files = nil
			l.finished = false
			l.finish()
		}
	})
}

// benchParser is one parser of the parse phase and how to undo its output.
type benchParser struct {
	name  string
	run   func(context.Context)
	reset func()
}

func benchParsers(l *loader) []benchParser {
	specs := l.specs // parseOpenAPI consumes them
	return []benchParser{
		{"parse:proto", l.parseProtos, func() { l.repo.Protos = nil }},
		{"parse:openapi", l.parseOpenAPI, func() { l.repo.OpenAPI, l.repo.Suppressions, l.specs, l.late = nil, nil, specs, nil }},
		{"parse:go-routes", l.parseGoRoutes, func() { l.repo.GoRoutes, l.repo.UnresolvedGoRoutes = nil, 0 }},
		{"parse:suppressions", l.scanSuppressions, func() { l.repo.Suppressions = nil }},
		{"parse:go", l.parseGo, func() {
			r := l.repo
			r.GoModules, r.GoWorks, r.GoPackages, r.CompositionRoots, r.CodeEdges = nil, nil, nil, nil, nil
		}},
		{"parse:workloads", l.parseWorkloads, func() { l.work, l.repo.Workloads, l.repo.KubeServices = nil, nil, nil }},
		{"parse:deploy", l.parseDeploy, func() { l.repo.History, l.repo.Deploy = facts.History{}, facts.Deploy{} }},
		{"parse:go-data", l.scanGoData, func() { l.goScans = nil }},
		{"parse:datastores", l.parseDatastores, func() {
			r := l.repo
			r.DatastoreRefs, r.Datastores, r.DatastoreEdges, r.Tables, r.Migrations = nil, nil, nil, nil, nil
		}},
	}
}
