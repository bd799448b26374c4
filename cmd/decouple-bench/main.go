// Command decouple-bench measures decouple against the floor (the cheapest
// programs that read the same inputs) and against peer tools, on synthetic
// monorepos of 100, 500 and 2,000 services (decouple-synth) or on any
// repository given with -repo.
//
// In one run it measures, interleaved and repeated (one warm-up run is not
// counted): the floors (read every input file; parse only the import blocks
// of the Go files, in parallel; git log --name-only over decouple's history
// window), decouple check as a whole (a child process of a built binary:
// wall clock, CPU and peak RSS from rusage) and per phase (--stats), and,
// when installed, golangci-lint with depguard only, buf lint and vacuum
// lint. It prints Markdown tables of medians, min–max, ratios to the floor
// and to each peer, and peak RSS, and writes a scaling plot (time and memory
// against input files) as a PNG.
//
// Usage:
//
//	go run ./cmd/decouple-bench                          # 100, 500 and 2,000 services, 5 runs
//	go run ./cmd/decouple-bench -sizes 500 -runs 3
//	go run ./cmd/decouple-bench -sizes '' -repo ~/src/some-monorepo
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/decouplehq/decouple/cmd/decouple-synth/synth"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "floor" {
		if err := floorMain(os.Args[2:], os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "decouple-bench floor:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "decouple-bench:", err)
		os.Exit(1)
	}
}

// repoFlags collects repeated -repo flags.
type repoFlags []string

func (r *repoFlags) String() string     { return strings.Join(*r, ",") }
func (r *repoFlags) Set(v string) error { *r = append(*r, v); return nil }

type config struct {
	sizes    []int
	repos    []string
	runs     int
	work     string
	decouple string
	plot     string
	seed     uint64
	window   int
	peers    bool
	log      io.Writer
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("decouple-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	var repos repoFlags
	sizes := fs.String("sizes", "100,500,2000", "comma-separated numbers of services of the synthetic repositories ('' for none)")
	fs.Var(&repos, "repo", "an existing repository to measure as well (repeatable)")
	fs.IntVar(&c.runs, "runs", 5, "measured runs of every program (after one warm-up run)")
	fs.StringVar(&c.work, "work", filepath.Join(os.TempDir(), "decouple-bench"), "where synthetic repositories are generated and kept between runs")
	fs.StringVar(&c.decouple, "decouple", "", "the decouple binary to measure (default: go build ./cmd/decouple into -work)")
	fs.StringVar(&c.plot, "plot", "decouple-scaling.png", "the scaling plot to write ('' for none)")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the synthetic repositories")
	fs.IntVar(&c.window, "window", 2000, "history window in commits (decouple's history max_commits)")
	fs.BoolVar(&c.peers, "peers", true, "measure golangci-lint, buf and vacuum when installed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %v", fs.Args())
	}
	for _, s := range strings.Split(*sizes, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 3 {
			return fmt.Errorf("-sizes: %q is not a number of services (at least 3)", s)
		}
		c.sizes = append(c.sizes, n)
	}
	c.repos = repos
	c.log = stderr
	if len(c.sizes)+len(c.repos) == 0 {
		return fmt.Errorf("nothing to measure: give -sizes or -repo")
	}
	if c.runs < 1 {
		return fmt.Errorf("-runs must be at least 1")
	}
	if err := os.MkdirAll(c.work, 0o755); err != nil {
		return err
	}
	if c.decouple == "" {
		c.decouple = filepath.Join(c.work, "bin", "decouple")
		fmt.Fprintln(stderr, "building decouple...")
		cmd := exec.Command("go", "build", "-o", c.decouple, "github.com/decouplehq/decouple/cmd/decouple")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build ./cmd/decouple (run decouple-bench inside the decouple module, or give -decouple): %w: %s", err, out)
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var corpora []*corpus
	for _, n := range c.sizes {
		cp, err := c.synthetic(n)
		if err != nil {
			return err
		}
		corpora = append(corpora, cp)
	}
	for _, r := range c.repos {
		cp, err := existing(r)
		if err != nil {
			return err
		}
		corpora = append(corpora, cp)
	}
	var notes []string
	for _, cp := range corpora {
		notes = append(notes, c.plan(cp, self)...)
	}
	c.measure(corpora)
	for _, cp := range corpora {
		cp.verified = c.verify(cp)
	}
	rep := &report{cfg: &c, corpora: corpora, notes: dedupe(notes)}
	rep.write(stdout)
	if c.plot != "" {
		if err := writePlot(c.plot, corpora); err != nil {
			return fmt.Errorf("plot: %w", err)
		}
		fmt.Fprintf(stdout, "\nscaling plot: %s\n", c.plot)
	}
	return nil
}

// corpus is one repository measured.
type corpus struct {
	name     string
	dir      string
	services int // 0 when unknown (an existing repository)
	files    int // input files decouple reads
	bytes    int64
	git      bool
	module   string // the root go.mod's module path, "" when none
	expected *synth.Expected
	tasks    []*task
	samples  map[string][]sample
	results  map[string]summary
	verified *verification // findings against expected.json (synthetic corpora)
}

// synthetic returns the corpus of n services, generating it unless an
// identical one is already in the work directory.
func (c *config) synthetic(n int) (*corpus, error) {
	dir := filepath.Join(c.work, fmt.Sprintf("synth-%d-seed%d", n, c.seed))
	expPath := dir + ".expected.json"
	opts := synth.Options{Services: n, Seed: c.seed, Commits: 20 * n, Window: c.window}
	exp, err := synth.ReadExpected(expPath)
	if err != nil || exp.Services != n || exp.Seed != c.seed || exp.Commits != opts.Commits || exp.Window != c.window {
		fmt.Fprintf(c.log, "generating %d services into %s...\n", n, dir)
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
		os.Remove(expPath)
		if exp, err = synth.Generate(dir, opts); err != nil {
			return nil, err
		}
		if err := synth.WriteExpected(expPath, exp); err != nil {
			return nil, err
		}
	}
	cp, err := existing(dir)
	if err != nil {
		return nil, err
	}
	cp.name, cp.services, cp.expected = fmt.Sprintf("synth-%d", n), n, exp
	return cp, nil
}

// existing describes a repository on disk.
func existing(dir string) (*corpus, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	files, err := inputs(abs, inputFile)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	cp := &corpus{name: filepath.Base(abs), dir: abs, files: len(files),
		samples: map[string][]sample{}, results: map[string]summary{}}
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			cp.bytes += fi.Size()
		}
	}
	if fi, err := os.Stat(filepath.Join(abs, ".git")); err == nil && fi.IsDir() {
		cp.git = true
	}
	if data, err := os.ReadFile(filepath.Join(abs, "go.mod")); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if f := strings.Fields(line); len(f) == 2 && f[0] == "module" {
				cp.module = strings.Trim(f[1], `"`)
			}
		}
	}
	return cp, nil
}

// The task names.
const (
	floorRead    = "floor: read every input file"
	floorImports = "floor: Go import blocks, parallel"
	floorGitLog  = "floor: git log --name-only (window)"
	refYAML      = "reference: YAML/JSON inputs to go-yaml nodes, parallel"
	decoupleTask = "decouple check"
	// historyTask is decouple check with every file excluded: the history
	// alone. In a whole check git log runs beside the parsers, so the time
	// of its history facts there is not comparable with the floor.
	historyTask  = "decouple check, history alone"
	peerGolangci = "golangci-lint (depguard only)"
	peerBuf      = "buf lint"
	peerVacuum   = "vacuum lint"
)

// plan sets the tasks of a corpus and returns notes on what is skipped.
func (c *config) plan(cp *corpus, self string) []string {
	var notes []string
	add := func(name, kind, dir string, ok []int, argv ...string) {
		cp.tasks = append(cp.tasks, &task{name: name, kind: kind, argv: argv, dir: dir, okCodes: ok})
	}
	add(floorRead, "floor", cp.dir, nil, self, "floor", "read", cp.dir)
	add(floorImports, "floor", cp.dir, nil, self, "floor", "imports", cp.dir)
	if cp.git {
		add(floorGitLog, "floor", cp.dir, nil, "git", "-C", cp.dir, "log", "--no-merges", "--name-only", "--no-renames",
			"--format=%H", "-n", strconv.Itoa(c.window), "HEAD")
	} else {
		notes = append(notes, cp.name+": not a git repository, no history floor")
	}
	add(decoupleTask, "decouple", cp.dir, []int{0, 1}, c.decouple, "check", "--stats", "--no-config", "--fail-on", "none",
		"--format", "json", cp.dir)
	add(refYAML, "reference", cp.dir, nil, self, "floor", "yaml", cp.dir)
	if cp.git {
		cfg := filepath.Join(c.work, cp.name+"-history-only.yaml")
		if err := os.WriteFile(cfg, []byte("version: 1\nexclude: [\"**\"]\n"), 0o644); err != nil {
			notes = append(notes, "history-alone config: "+err.Error())
		} else {
			add(historyTask, "decouple-history", cp.dir, []int{0, 1}, c.decouple, "check", "--stats", "--config", cfg,
				"--fail-on", "none", "--format", "json", cp.dir)
		}
	}
	if !c.peers {
		return append(notes, "peers not measured (-peers=false)")
	}
	if bin := lookTool("golangci-lint"); bin == "" {
		notes = append(notes, "golangci-lint is not installed: skipped")
	} else if cp.module == "" {
		notes = append(notes, cp.name+": no go.mod at the root, golangci-lint skipped")
	} else {
		cfg := filepath.Join(c.work, cp.name+"-golangci.yml")
		if err := os.WriteFile(cfg, []byte(golangciConfig(cp.module)), 0o644); err != nil {
			notes = append(notes, "golangci-lint config: "+err.Error())
		} else {
			add(peerGolangci, "peer", cp.dir, []int{0, 1}, bin, "run", "--config", cfg, "--allow-parallel-runners", "--max-issues-per-linter", "0",
				"--max-same-issues", "0", "./...")
		}
	}
	if bin := lookTool("buf"); bin == "" {
		notes = append(notes, "buf is not installed: buf lint skipped")
	} else {
		add(peerBuf, "peer", cp.dir, []int{0, 100}, bin, "lint")
	}
	if bin := lookTool("vacuum"); bin == "" {
		notes = append(notes, "vacuum is not installed: vacuum lint skipped")
	} else {
		add(peerVacuum, "peer", cp.dir, []int{0, 1}, bin, "lint", "-x", "-b", "-q", "--globbed-files", "**/openapi.yaml")
	}
	return notes
}

// golangciConfig runs depguard alone, denying imports of other services'
// packages: the Go part of what decouple checks.
func golangciConfig(module string) string {
	return fmt.Sprintf(`version: "2"
linters:
  default: none
  enable:
    - depguard
  settings:
    depguard:
      rules:
        services:
          files:
            - "$all"
          deny:
            - pkg: %q
              desc: services must not import each other's packages
`, module+"/services/")
}

// measure runs every task of every corpus runs+1 times, interleaved: in
// each round every corpus runs each of its tasks once, starting from a
// different task each round. The first round is a warm-up and not kept.
func (c *config) measure(corpora []*corpus) {
	for round := 0; round <= c.runs; round++ {
		for _, cp := range corpora {
			n := len(cp.tasks)
			for k := range n {
				t := cp.tasks[(k+round)%n]
				s, err := t.run()
				if err != nil {
					fmt.Fprintf(c.log, "  %s / %s: %v\n", cp.name, t.name, err)
					continue
				}
				if round > 0 {
					cp.samples[t.name] = append(cp.samples[t.name], s)
				}
			}
			what := "warm-up"
			if round > 0 {
				what = fmt.Sprintf("run %d/%d", round, c.runs)
			}
			fmt.Fprintf(c.log, "%s: %s done (%d CPUs)\n", cp.name, what, runtime.GOMAXPROCS(0))
		}
	}
	for _, cp := range corpora {
		for _, t := range cp.tasks {
			if s := cp.samples[t.name]; len(s) > 0 {
				cp.results[t.name] = summarize(s)
			}
		}
	}
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
