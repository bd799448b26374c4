package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/config"
	"github.com/decouplehq/decouple/analyzer/load"
	"github.com/decouplehq/decouple/analyzer/score"
	"github.com/decouplehq/decouple/reports"
	"github.com/decouplehq/decouple/rules"
)

// The exit codes.
const (
	exitClean    = 0
	exitFindings = 1
	exitUsage    = 2
	exitFailure  = 3
)

// exitError carries an exit code up to run.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// env gives the program its environment and streams; tests pass their own.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	// rules returns the rule catalogue (rules.All, or a test's own).
	rules func() []*analyzer.Rule
	// noHistory turns git history reading off (--no-history).
	noHistory bool
	// goLoader picks the Go import loader (--go-loader).
	goLoader string
}

// run executes one invocation and returns the exit code.
func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	return runWith(&env{stdout: stdout, stderr: stderr, getenv: getenv, rules: rules.All}, args)
}

// runWith executes one invocation in the given environment.
func runWith(e *env, args []string) int {
	stderr := e.stderr
	root := e.rootCommand()
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitClean
	}
	var xe *exitError
	if errors.As(err, &xe) {
		if xe.err != nil && xe.err.Error() != "" {
			fmt.Fprintln(stderr, "decouple: "+xe.err.Error())
		}
		return xe.code
	}
	fmt.Fprintln(stderr, "decouple: "+err.Error())
	return exitUsage
}

const rootLong = `decouple reads a multi-service repository (OpenAPI and protobuf specs, Go packages,
compose / Kubernetes / Helm / CI files, git history) and reports how close it is to a
distributed monolith: unversioned APIs, shared databases, cross-service imports and
lockstep deploys.

Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage or config error
  3  analysis failure (a rule broke, a deadline hit)`

func (e *env) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "decouple",
		Short:         "find the distributed monolith in a multi-service repository",
		Long:          rootLong,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &exitError{code: exitUsage, err: err} })
	root.AddCommand(e.analyzeCommand("check", "check [path]", "lint a repository and fail on findings (the CI gate)", "error"))
	root.AddCommand(e.analyzeCommand("report", "report [path]", "write the coupling report of a repository", "none"))
	root.AddCommand(e.servicesCommand(), e.rulesCommand(), e.explainCommand(), e.versionCommand())
	root.AddCommand(e.baselineCommand(), e.configCommand())
	return root
}

// analysisFlags are the flags of check and report.
type analysisFlags struct {
	formats  []string
	output   string
	config   string
	noConfig bool
	failOn   string
	color    string
	timeout  time.Duration
	compare  string  // --compare: a previous JSON report (baseline.go)
	ci       ciFlags // --baseline, --new-from-rev, --new-from-merge-base (ci.go)
	noHist   bool
	goLoader string
	stats    bool // --stats: phase timings on stderr (stats.go)
	profile  profileFlags
}

func (f *analysisFlags) register(cmd *cobra.Command, defaultFailOn string) {
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.formats, "format", "f", nil, "output format NAME[=PATH], repeatable: "+strings.Join(reports.Formats(), ", ")+" (default text)")
	fl.StringVarP(&f.output, "output", "o", "", "write the output to FILE instead of stdout")
	fl.StringVarP(&f.config, "config", "c", "", "config file (default: .decouple.yaml in the path or its parents up to the repository root)")
	fl.BoolVar(&f.noConfig, "no-config", false, "ignore any config file")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 on findings at or above: error, warning, info or none (default "+defaultFailOn+")")
	fl.StringVar(&f.color, "color", "auto", "colour text output: auto, always or never")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Minute, "stop after this long and write a partial report (exit 3)")
	fl.StringVar(&f.compare, "compare", "", "a previous JSON report to compare with: score delta, new and fixed findings")
	f.ci.register(cmd)
	fl.BoolVar(&f.noHist, "no-history", false, "do not read git history (co-change coupling is not checked)")
	fl.StringVar(&f.goLoader, "go-loader", load.GoLoaderParser, "how Go imports are read: parser (go/parser, runs nothing) or packages (go/packages, runs the go command offline)")
	fl.BoolVar(&f.stats, "stats", false, "print the time of each phase (walk+read, sources, classify, discover, parse and its parsers, rules, render) to stderr")
	fl.StringVar(&f.profile.cpu, "cpu-profile", "", "write a pprof CPU profile of the run to FILE")
	fl.StringVar(&f.profile.mem, "mem-profile", "", "write a pprof heap profile, taken at the end of the run, to FILE")
}

func (e *env) analyzeCommand(name, use, short, defaultFailOn string) *cobra.Command {
	var f analysisFlags
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  maxPathArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			e.noHistory = f.noHist
			if err := load.CheckGoLoader(f.goLoader); err != nil {
				return usageErr("--go-loader: %v", err)
			}
			e.goLoader = f.goLoader
			return e.analyze(cmd.Context(), name, pathArg(args), &f, defaultFailOn)
		},
	}
	f.register(cmd, defaultFailOn)
	return cmd
}

func maxPathArgs(_ *cobra.Command, args []string) error {
	if len(args) > 1 {
		return usageErr("want at most one path, got %d", len(args))
	}
	return nil
}

func pathArg(args []string) string {
	if len(args) == 0 {
		return "."
	}
	return args[0]
}

// session is a loaded, analysed repository.
type session struct {
	report *reports.Report
	result *analyzer.Result
	cfg    *config.File
	stats  runStats
}

// analyze is the pipeline: config → load → analyze → report → write → exit code.
func (e *env) analyze(ctx context.Context, name, path string, f *analysisFlags, defaultFailOn string) error {
	outs, err := parseOutputs(f.formats, f.output)
	if err != nil {
		return err
	}
	colorOn, err := e.colorEnabled(f.color, outs)
	if err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	stopProfile, err := f.profile.start()
	if err != nil {
		return err
	}
	s, err := e.loadAndRun(ctx, path, f.config, f.noConfig)
	if perr := stopProfile(); perr != nil && err == nil {
		err = perr
	}
	if err != nil {
		return err
	}
	if err := compareBaseline(s, f.compare); err != nil {
		return err
	}
	if err := e.narrow(ctx, path, s, f); err != nil {
		return err
	}
	failOnText := f.failOn
	if failOnText == "" && s.cfg != nil && s.cfg.FailOn != "" {
		failOnText = s.cfg.FailOn
	}
	if failOnText == "" {
		failOnText = defaultFailOn
	}
	threshold, err := config.ParseFailOn(failOnText)
	if err != nil {
		return usageErr("--fail-on: %v", err)
	}
	opts := reports.Options{Color: colorOn, Summary: name == "report"}
	start := time.Now()
	if err := writeOutputs(outs, e.stdout, s.report, opts); err != nil {
		return &exitError{code: exitFailure, err: err}
	}
	s.stats.render = time.Since(start)
	if f.stats {
		writeStats(e.stderr, &s.stats)
	}
	switch {
	case len(s.report.Incomplete) > 0:
		return &exitError{code: exitFailure, err: fmt.Errorf("the analysis is incomplete: %s", s.report.Incomplete[0])}
	case len(s.result.Failures) > 0:
		return &exitError{code: exitFailure, err: fmt.Errorf("%d rules failed; the analysis is incomplete", len(s.result.Failures))}
	case s.result.Failed(threshold):
		return &exitError{code: exitFindings}
	}
	return nil
}

// loadAndRun reads the config, loads the repository and runs the rules.
func (e *env) loadAndRun(ctx context.Context, path, cfgPath string, noConfig bool) (*session, error) {
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		return nil, usageErr("%s is not a directory", path)
	}
	cfg, err := findConfig(path, cfgPath, noConfig)
	if err != nil {
		return nil, err
	}
	return e.runConfigured(ctx, path, cfg)
}

// runConfigured loads the repository at path and runs the rules under cfg.
func (e *env) runConfigured(ctx context.Context, path string, cfg *config.File) (*session, error) {
	all := e.rules()
	if err := analyzer.Validate(all); err != nil {
		return nil, &exitError{code: exitFailure, err: err}
	}
	pol, err := cfg.Policy(rules.Presets())
	if err != nil {
		return nil, usageErr("%s: %v", cfg.Path, err)
	}
	if err := pol.CheckSelectors(all); err != nil {
		return nil, usageErr("%s: %v", cfgName(cfg), err)
	}
	opts := load.DefaultOptions()
	if err := cfg.ApplyLoad(&opts, path); err != nil {
		return nil, usageErr("%v", err)
	}
	opts.History.Disabled = opts.History.Disabled || e.noHistory
	opts.GoLoader = e.goLoader
	if ctx == nil {
		ctx = context.Background()
	}
	repo, ls, err := load.RepoStats(ctx, path, opts)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	start := time.Now()
	res, err := analyzer.Run(repo, all, pol)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	ran, start := time.Since(start), time.Now()
	rep := reports.New(reports.Input{
		Tool: reports.Tool{Name: "decouple", Version: version()}, Root: path,
		Repo: repo, Result: res, Rules: all, Presets: rules.PresetsOf, Score: score.Compute(res, repo),
	})
	return &session{report: rep, result: res, cfg: cfg, stats: runStats{load: ls, rules: ran, report: time.Since(start)}}, nil
}

func cfgName(cfg *config.File) string {
	if cfg.Path == "" {
		return "config"
	}
	return cfg.Path
}

// findConfig returns the config to use: the one named, the one found, or
// the defaults.
func findConfig(path, named string, noConfig bool) (*config.File, error) {
	if noConfig {
		return &config.File{Version: 1}, nil
	}
	p := named
	if p == "" {
		found, err := config.Find(path)
		if err != nil {
			return nil, usageErr("find config: %v", err)
		}
		p = found
	}
	if p == "" {
		return &config.File{Version: 1}, nil
	}
	cfg, err := config.Load(p)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return cfg, nil
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

func (e *env) colorEnabled(mode string, outs []output) (bool, error) {
	switch strings.ToLower(mode) {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
	default:
		return false, usageErr("--color: want auto, always or never, got %q", mode)
	}
	if e.getenv("NO_COLOR") != "" || e.getenv("TERM") == "dumb" {
		return false, nil
	}
	for _, o := range outs {
		if o.path == "" && o.format == "text" {
			return isTerminal(e.stdout), nil
		}
	}
	return false, nil
}
