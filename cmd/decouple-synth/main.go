// Command decouple-synth generates a deterministic synthetic monorepo of N
// services, with a controlled amount of every coupling kind decouple finds
// and a git history with planted co-change pairs, and writes the findings it
// planted to expected.json beside the repository.
//
// Usage:
//
//	decouple-synth -n 500 -out /tmp/synth500            # writes /tmp/synth500 and /tmp/synth500.expected.json
//	decouple-synth -n 12 -seed 7 -layout modules -commits 0 -out /tmp/s
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/decouplehq/decouple/cmd/decouple-synth/synth"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("decouple-synth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o synth.Options
	out := fs.String("out", "", "directory to create (must not exist or be empty)")
	expected := fs.String("expected", "", "where to write the expected findings (default OUT.expected.json)")
	commits := fs.Int("commits", -1, "commits after the initial one (default 20×N; 0: no git repository)")
	fs.IntVar(&o.Services, "n", 100, "number of services")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed: the same seed gives the same bytes")
	fs.StringVar(&o.Layout, "layout", synth.LayoutPackages, "Go layout: packages (one module) or modules (a go.mod per service and a go.work)")
	fs.IntVar(&o.GoFiles, "go-files", 8, "padding Go files per service")
	fs.IntVar(&o.Window, "window", 2000, "commits decouple reads for co-change (its history max_commits)")
	fs.IntVar(&o.CrossImports, "cross-imports", 0, "services importing another service's domain package (default N/10; -1: none)")
	fs.IntVar(&o.SharedDatabases, "shared-dbs", 0, "services using another service's database (default N/20; -1: none)")
	fs.IntVar(&o.SharedTables, "shared-tables", 0, "services using another service's database and table (default N/40; -1: none)")
	fs.IntVar(&o.DependsOn, "depends-on", 0, "compose depends_on edges between services (default N/10; -1: none)")
	fs.IntVar(&o.CoChange, "co-change", 0, "co-changing service pairs (default N/20; -1: none)")
	fs.IntVar(&o.JointDeploys, "joint-deploys", 0, "CI jobs shipping three services (default max(1, N/200); -1: none)")
	fs.Float64Var(&o.SharedTag, "shared-tag", 0, "share of services on the one release tag (default 0.85; -1: none)")
	fs.Float64Var(&o.UnversionedOpenAPI, "unversioned-openapi", 0, "share of unversioned OpenAPI specs (default 0.3; -1: none)")
	fs.Float64Var(&o.UnversionedProto, "unversioned-proto", 0, "share of unversioned proto packages (default 0.3; -1: none)")
	fs.Float64Var(&o.UnversionedRoutes, "unversioned-routes", 0, "share of services with unversioned Go routes (default 0.3; -1: none)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "decouple-synth: -out DIR is required and takes no arguments")
		return 2
	}
	o.Commits = *commits
	if o.Commits < 0 {
		o.Commits = 20 * o.Services
	}
	exp, err := synth.Generate(*out, o)
	if err != nil {
		fmt.Fprintln(stderr, "decouple-synth:", err)
		return 1
	}
	path := *expected
	if path == "" {
		path = strings.TrimRight(*out, "/") + ".expected.json"
	}
	if err := synth.WriteExpected(path, exp); err != nil {
		fmt.Fprintln(stderr, "decouple-synth:", err)
		return 1
	}
	summarize(stdout, *out, path, exp)
	return 0
}

func summarize(w io.Writer, dir, expPath string, e *synth.Expected) {
	fmt.Fprintf(w, "%s: %d services, %d files, %d commits after the initial one (layout %s, seed %d)\n",
		dir, e.Services, e.TotalFiles(), e.Commits, e.Layout, e.Seed)
	kinds := make([]string, 0, len(e.Files))
	for k := range e.Files {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, "  %-10s %6d files %10d bytes\n", k, e.Files[k], e.Bytes[k])
	}
	per := map[string]int{}
	for _, f := range e.Findings {
		per[f.Rule]++
	}
	fmt.Fprintf(w, "planted findings (%s):\n", expPath)
	for _, id := range e.Rules {
		fmt.Fprintf(w, "  %-10s %5d\n", id, per[id])
	}
}
