package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/analyzer/load"
	"github.com/decouplehq/decouple/cmd/decouple-synth/synth"
	"github.com/decouplehq/decouple/rules"
)

// The rule benchmarks run on the model of a generated 500-service monorepo
// (decouple-synth, seed 1, 20 commits per service), generated into the
// benchmark's temporary directory and loaded once per benchmark:
//
//	go test ./cmd/decouple-bench -run '^$' -bench Rules

func synthModel(b *testing.B) *facts.Repo {
	b.Helper()
	dir := os.Getenv("DECOUPLE_SYNTH_DIR") // a repository decouple-synth wrote, to profile without regenerating
	if dir == "" {
		dir = filepath.Join(b.TempDir(), "repo")
		if _, err := synth.Generate(dir, synth.Options{Services: 500, Seed: 1, Commits: 10000}); err != nil {
			b.Fatal(err)
		}
	}
	repo, err := load.Repo(context.Background(), dir, load.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	return repo
}

func allRules() analyzer.Policy {
	return analyzer.Policy{Use: []string{"all"}, Presets: rules.Presets()}
}

// BenchmarkRulesSynth500 runs every rule through the driver (policy,
// suppressions, de-duplication and sorting included), then each rule alone.
func BenchmarkRulesSynth500(b *testing.B) {
	repo := synthModel(b)
	all := rules.All()
	b.Run("all", func(b *testing.B) {
		var findings int
		for b.Loop() {
			res, err := analyzer.Run(repo, all, allRules())
			if err != nil {
				b.Fatal(err)
			}
			findings = len(res.Findings)
		}
		b.ReportMetric(float64(findings), "findings")
	})
	for _, r := range all {
		if r.Run == nil {
			continue
		}
		b.Run(r.ID, func(b *testing.B) {
			pol := analyzer.Policy{Use: []string{r.ID}, Presets: rules.Presets()}
			for b.Loop() {
				if _, err := analyzer.Run(repo, all, pol); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
