// Package load is the only place in decouple that reads files and runs
// parsers. It walks a repository once, reads every input file once through a
// reader confined to the repository root, parses each in parallel, discovers
// the services and attributes every file to one of them, and returns the
// observations as a *facts.Repo. It never decides findings: an input it
// cannot read becomes a facts.Problem.
package load

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// Options steer the loader. The zero value is not useful; start from
// DefaultOptions.
type Options struct {
	// SkipDirs are directory names skipped wherever they occur.
	SkipDirs []string
	// Exclude holds repo-relative doublestar globs of files and directories
	// not to read.
	Exclude []string
	// Include holds repo-relative doublestar globs of directories read
	// although SkipDirs names them (examples, test/fixtures); the
	// directories above one are walked to reach it.
	Include []string
	// MaxFileSize is the largest file read, in bytes, whatever its kind;
	// 0 means each kind's own cap (SizeLimit).
	MaxFileSize int64
	// Services, when not empty, are declared by the config and take
	// precedence over discovery.
	Services []ServiceDecl
	// Workers bounds the parallel parsers (0 means GOMAXPROCS).
	Workers int
	// FileTimeout bounds the time one file may take to parse (0 means
	// DefaultFileTimeout).
	FileTimeout time.Duration
	// GoLoader picks how Go packages are read: GoLoaderParser ("" too) or
	// GoLoaderPackages (see gocode.go).
	GoLoader string
	// History steers the reading of git history (history.go).
	History HistoryOptions

	// openAPIAsWritten sends every spec down the usual path, kin-openapi
	// reading each document as written: the tests compare the fast paths
	// with it.
	openAPIAsWritten bool
}

// ServiceDecl is a service declared in the config.
type ServiceDecl struct {
	Name  string
	Paths []string // repo-relative directories, the first is the root
	Line  int      // where the config declares it
	File  string   // the config file, repo-relative
}

// DefaultOptions returns the loader defaults.
func DefaultOptions() Options {
	return Options{
		// testdata holds test inputs, often malformed on purpose, and no Go
		// package the go tool builds: not the repository's own contracts.
		// Examples and test suites are not the system either: their mock
		// servers, demo protos and demo compose files describe no service
		// that ships (golangci-lint skips examples by default too). docs/
		// is read: it often holds a service's generated OpenAPI spec.
		SkipDirs: []string{"vendor", "node_modules", "third_party", "third-party", "testdata", "examples", "example", "test", "tests", "e2e",
			"e2e-test", "e2e-tests", "e2e_test", "e2e_tests", "integration-test", "integration-tests", "integration_test", "integration_tests", "_testdata"},
	}
}

// Repo reads the repository at root. The error is only for a root that
// cannot be read at all; every problem with a single file is recorded in the
// result and the load goes on.
func Repo(ctx context.Context, root string, opts Options) (*facts.Repo, error) {
	repo, _, err := RepoStats(ctx, root, opts)
	return repo, err
}

// RepoStats is Repo that also returns how long each phase of the load took.
func RepoStats(ctx context.Context, root string, opts Options) (*facts.Repo, *Stats, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", root, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", root, err)
	}
	if !fi.IsDir() {
		return nil, nil, fmt.Errorf("load %s: not a directory", root)
	}
	r, err := os.OpenRoot(abs)
	if err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", root, err)
	}
	defer r.Close()

	l := &loader{root: r, opts: &opts, repo: &facts.Repo{Root: abs}, stats: &Stats{}}
	w := &walker{root: r, opts: &opts, abs: abs}
	start := time.Now()
	if err := l.walkAndRead(ctx, w); err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", root, err)
	}
	for _, s := range w.skipped {
		l.repo.Skipped = append(l.repo.Skipped, facts.Skipped{File: s.file, Reason: s.reason})
	}
	l.stats.add(PhaseRead, start)
	// git log runs beside the parsers from here; parseDeploy waits for it.
	// (Started before the walk, it slowed the walk as much as it gained.)
	hctx, cancel := context.WithCancel(ctx)
	l.history = l.startHistory(hctx)
	defer func() {
		cancel()
		<-l.history.done
	}()
	l.stats.count(l.inputs)
	l.stats.time(PhaseSources, func() { l.parseSources(ctx) })
	l.stats.time(PhaseClassify, func() { l.classify(ctx) })
	l.stats.time(PhaseDiscover, func() {
		l.discover()
		l.owner = l.repo.NewServiceIndex()
	})
	l.stats.time(PhaseParse, func() { l.parse(ctx) })
	if err := ctx.Err(); err != nil {
		l.incomplete("deadline reached before every file was parsed: " + err.Error())
	}
	l.stats.time(PhaseFinish, l.finish)
	return l.repo, l.stats, nil
}

// loader holds the state of one load.
type loader struct {
	root  *os.Root
	opts  *Options
	repo  *facts.Repo
	stats *Stats              // the phase timings
	owner *facts.ServiceIndex // attributes paths to services, once discovered
	// images maps the image repositories the repository builds to their
	// Dockerfiles (builtImages), from discovery on.
	images map[string]string
	// mainDirs are the folders holding a main package, from discovery on;
	// mainByName indexes those outside tooling folders by their name, and
	// programs memoises dockerfileProgram, once asked.
	mainDirs   []mainDir
	mainByName map[string][]string
	programs   map[string]string

	inputs []*input // read, text, in path order
	byPath map[string]*input
	byDir  map[string][]*input // inputs directly in each directory
	docs   []*yamlDoc
	specs  []*input   // inputs that are one OpenAPI document, decoded by parseOpenAPI
	late   []*yamlDoc // documents of specs that were not OpenAPI, for mergeLateDocs
	// codeFiles and goPkgs are what parseGoFiles read of the Go files, for
	// parseGo and discovery (package main).
	codeFiles []*codeFile
	goPkgs    map[*input]string
	// goScans are what scanGoData read in the Go sources, for parseDatastores.
	goScans []goScan
	work    []*workload // compose and Kubernetes workloads, with env in clear
	history *historyRun // the history, read in the background from the start

	mu       sync.Mutex // guards repo.Problems and repo.Incomplete while parsers run
	finished bool       // set once finish starts: late reports of abandoned parsers are dropped
}

// walkAndRead walks the tree and reads the files it accepts while it walks:
// the walker hands each run of a directory's files to the readers as soon
// as it has listed them. Unreadable and binary files move to the skipped
// list.
func (l *loader) walkAndRead(ctx context.Context, w *walker) (err error) {
	l.readRuns(ctx, func(emit func(fileRun)) {
		w.emit = emit
		err = w.walk()
	})
	l.collect(w.accepted)
	return err
}

// readRuns reads, in parallel, the runs of files produce emits, each run
// the files of one directory, read through that directory as the walker
// opened it.
func (l *loader) readRuns(ctx context.Context, produce func(emit func(fileRun))) {
	workers := l.workers()
	runs := make(chan fileRun, 256)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for run := range runs {
				if ctx.Err() == nil {
					l.readRun(run)
				}
				run.dir.release()
			}
		})
	}
	produce(func(run fileRun) { runs <- run })
	close(runs)
	wg.Wait()
}

func (l *loader) readRun(run fileRun) {
	for _, in := range run.files {
		data, err := readConfined(run.dir.root, path.Base(in.path), l.limitFor(in.kind))
		switch {
		case err != nil:
			in.unread = "unreadable: " + errText(err)
		case isBinary(data):
			in.unread = "binary content"
		default:
			in.data = data
		}
	}
}

// collect keeps the files read as inputs, in walk order, and moves the
// others to the skipped list.
func (l *loader) collect(files []*input) {
	for _, f := range files {
		if f.unread != "" {
			l.repo.Skipped = append(l.repo.Skipped, facts.Skipped{File: f.path, Reason: f.unread})
			continue
		}
		l.inputs = append(l.inputs, f)
	}
	l.byPath = make(map[string]*input, len(l.inputs))
	l.byDir = map[string][]*input{}
	for _, in := range l.inputs {
		l.byPath[in.path] = in
		d := path.Dir(in.path)
		l.byDir[d] = append(l.byDir[d], in)
	}
}

func (l *loader) maxSize() int64 { return l.limitFor("") }

func (l *loader) limitFor(kind string) int64 {
	if l.opts.MaxFileSize > 0 {
		return l.opts.MaxFileSize
	}
	return SizeLimit(kind)
}

// SizeLimit is the default size cap of each kind of input: large enough for
// generated Go code and the biggest public API specs, small enough that one
// file cannot exhaust memory or its parse budget.
func SizeLimit(kind string) int64 {
	switch kind {
	case kindGo, kindYAML, kindJSON:
		return 32 << 20
	case kindSQL:
		return 16 << 20
	case kindProto:
		return 8 << 20
	}
	return 4 << 20
}

// workers is the size of a worker pool: Options.Workers, else GOMAXPROCS.
func (l *loader) workers() int {
	if l.opts.Workers > 0 {
		return l.opts.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// each runs fn(0..n-1) on a bounded pool of goroutines. Each worker takes
// the next index from a shared counter, so handing out an item costs no
// channel operation or goroutine switch (an item is often one file of a few
// microseconds' work). Once ctx is done no further item starts.
func (l *loader) each(ctx context.Context, n int, fn func(i int)) {
	workers := min(l.workers(), n)
	var next atomic.Int64
	done := ctx.Done()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				select {
				case <-done:
					return
				default:
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}

// problem records an input that could not be read.
func (l *loader) problem(file string, line, col int, format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.finished {
		return
	}
	l.repo.Problems = append(l.repo.Problems, facts.Problem{
		Pos:     facts.Position{File: file, Line: line, Col: col},
		Message: fmt.Sprintf(format, args...),
	})
}

// guard runs fn for one file and turns a panic into a problem naming it.
func (l *loader) guard(file string, fn func()) {
	defer func() {
		if p := recover(); p != nil {
			l.problem(file, 0, 0, "parser crashed on this file: %v", p)
		}
	}()
	fn()
}

// parse runs every per-kind parser over the inputs.
func (l *loader) parse(ctx context.Context) {
	// The Go facts come first, on their own: a main package that wires
	// several services together stops being a service there
	// (compositionRoots), and every later parser must see the final list
	// of services and an index built from it.
	l.parseGo(ctx)
	l.owner = l.repo.NewServiceIndex()
	// Then two chains run side by side, so that the serial part of the
	// deploy side (one compose file) overlaps the parallel parts of the
	// other. The deploy side reads the workloads first; the datastores and
	// the deploy facts wait for the specs. The deploy facts end with the
	// history, whose git log has run beside everything since the sources.
	ready := make(chan struct{})
	var deploySide sync.WaitGroup
	deploySide.Go(func() {
		l.parseWorkloads(ctx)
		<-ready
		l.dropTrees(docOpenAPI)
		l.mergeLateDocs()
		l.parseDatastores(ctx)
		l.parseDeploy(ctx)
	})
	l.parseOpenAPI(ctx)
	close(ready)
	deploySide.Wait()
}

// parseSources runs every reader of Go and proto sources, and the scan for
// suppressions, before anything else is decoded, then lets go of the text
// of the Go and proto files: nothing later reads it, and it is most of a
// repository's bytes. None of them needs the services.
func (l *loader) parseSources(ctx context.Context) {
	l.parseGoFiles(ctx)
	l.scanGoData(ctx)
	l.scanSuppressions(ctx)
	l.parseProtos(ctx)
	// The route reader parses some files in full and holds their trees:
	// the others go first.
	l.dropSources(func(in *input) bool { return in.kind == kindProto || in.kind == kindGo && !routeCandidate(in) })
	l.parseGoRoutes(ctx)
	l.dropSources(func(in *input) bool { return in.kind == kindGo })
}

// dropSources lets go of the text of the inputs drop picks once nothing
// reads it any more. It keeps it when a parser was abandoned over its time
// budget: that parser may still be reading.
func (l *loader) dropSources(drop func(*input) bool) {
	l.mu.Lock()
	abandoned := len(l.repo.Incomplete) > 0
	l.mu.Unlock()
	if abandoned {
		return
	}
	for _, in := range l.inputs {
		if drop(in) {
			in.data = nil
		}
	}
}

// finish attributes files to services and puts every list in its stable order.
func (l *loader) finish() {
	l.mu.Lock()
	l.finished = true
	l.mu.Unlock()
	repo := l.repo
	for _, in := range l.inputs {
		if in.unread != "" { // read, then found not to be what its name says (a template)
			repo.Skipped = append(repo.Skipped, facts.Skipped{File: in.path, Reason: in.unread})
			continue
		}
		repo.Files = append(repo.Files, &facts.File{Path: in.path, Service: l.serviceOf(in.path), Kind: in.kind})
	}
	sort.Slice(repo.Files, func(i, j int) bool { return repo.Files[i].Path < repo.Files[j].Path })
	sort.Slice(repo.Skipped, func(i, j int) bool { return repo.Skipped[i].File < repo.Skipped[j].File })
	sort.Slice(repo.Problems, func(i, j int) bool {
		a, b := repo.Problems[i], repo.Problems[j]
		if a.Pos != b.Pos {
			return a.Pos.Less(b.Pos)
		}
		return a.Message < b.Message
	})
	sort.Strings(repo.Incomplete)
	sort.Slice(repo.Suppressions, func(i, j int) bool {
		a, b := repo.Suppressions[i], repo.Suppressions[j]
		if a.Pos != b.Pos {
			return a.Pos.Less(b.Pos)
		}
		return a.Rule < b.Rule
	})
	sort.Slice(repo.Protos, func(i, j int) bool { return repo.Protos[i].Path < repo.Protos[j].Path })
	sortAPIs(repo)
	for _, spec := range repo.OpenAPI {
		spec.Service = l.contractOwner(spec.Path, true)
	}
	for _, p := range repo.Protos {
		p.Service = l.contractOwner(p.Path, len(p.Services) > 0)
	}
	contracts := map[string]string{}
	for _, spec := range repo.OpenAPI {
		contracts[spec.Path] = spec.Service
	}
	for _, p := range repo.Protos {
		contracts[p.Path] = p.Service
	}
	for _, f := range repo.Files {
		if svc, ok := contracts[f.Path]; ok {
			f.Service = svc
		}
	}
	sortWorkloadFacts(repo)
	sortDataFacts(repo)
	servedShared(repo)
	l.codeEdges()
	serveSharedRoutes(repo)
	repo.FilesSeen = len(repo.Files) + len(repo.Skipped)
	l.finishDeploy()
}

// serviceOf is repo.ServiceOf through the index built after discovery.
func (l *loader) serviceOf(p string) string {
	if l.owner == nil {
		return l.repo.ServiceOf(p)
	}
	return l.owner.ServiceOf(p)
}

// serviceByName returns the named service, or nil, through the index once
// there is one.
func (l *loader) serviceByName(name string) *facts.Service {
	if l.owner == nil {
		return l.repo.ServiceByName(name)
	}
	return l.owner.ServiceByName(name)
}

// contractOwner attributes a contract (an OpenAPI spec, a proto) to the
// service owning its directory or, when it lies in a shared folder, to the
// service its file name names (api/openapi/trainer.yml,
// pkg/tempopb/tempo.proto). Below a contract folder (api/, proto/), the
// nearest folder naming a service also does (api/openapi/orderservice/
// swagger.yaml). Outside contract folders the name counts for APIs only
// (isAPI: a spec, a proto defining a service): a messages-only proto in a
// library (pkg/apisix/apisix.proto) stays shared.
func (l *loader) contractOwner(p string, isAPI bool) string {
	if s := l.serviceOf(p); s != "" {
		return s
	}
	dirs := strings.Split(path.Dir(p), "/")
	top := slices.IndexFunc(dirs, func(d string) bool { return contractFolders[strings.ToLower(d)] })
	if top < 0 && !isAPI {
		return ""
	}
	if top < 0 {
		top = len(dirs) - 1 // the file name alone
	}
	stem := strings.ToLower(strings.TrimSuffix(path.Base(p), path.Ext(p)))
	for _, suffix := range []string{".openapi", ".swagger", "-openapi", "_openapi", "-api", "_api", ".api"} {
		stem = strings.TrimSuffix(stem, suffix)
	}
	names := []string{stem}
	for i := len(dirs) - 1; i > top; i-- {
		names = append(names, strings.ToLower(dirs[i]))
	}
	for _, name := range names {
		for _, s := range l.repo.Services {
			if slices.Contains(nameForms(strings.ToLower(s.Name)), name) {
				return s.Name
			}
		}
	}
	return ""
}

// contractFolders are the folders that hold the contracts of several
// services.
var contractFolders = map[string]bool{
	"api": true, "apis": true, "proto": true, "protos": true, "protobuf": true, "openapi": true, "swagger": true,
	"spec": true, "specs": true, "contracts": true, "schemas": true, "idl": true, "docs": true,
}

func matchGlobs(globs []string, p string) bool {
	for _, g := range globs {
		g = strings.TrimPrefix(strings.TrimSpace(g), "./")
		if g == "" {
			continue
		}
		if ok, _ := doublestar.Match(strings.TrimSuffix(g, "/"), strings.TrimSuffix(p, "/")); ok {
			return true
		}
	}
	return false
}

func sortEntries(entries []fs.DirEntry) {
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
}
