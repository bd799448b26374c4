package rules_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/rules"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md")

func TestCatalogue(t *testing.T) {
	all := rules.All()
	if err := analyzer.Validate(all); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].ID >= all[i].ID {
			t.Errorf("All() is not sorted by ID at %s", all[i].ID)
		}
	}
	presets := rules.Presets()
	for _, id := range presets[rules.PresetMinimal] {
		if !contains(presets[rules.PresetStandard], id) {
			t.Errorf("minimal rule %s is not in standard", id)
		}
	}
	for _, id := range presets[rules.PresetStandard] {
		if !contains(presets[rules.PresetAll], id) {
			t.Errorf("standard rule %s is not in all", id)
		}
	}
}

var wantRe = regexp.MustCompile(`(?m)(//|#|--)\s*want\s+"|^want\s`)

// TestEveryRuleHasPositiveAndNegativeCases checks that each rule with a Run
// function has a testdata directory with a case that expects findings and a
// case that expects none.
func TestEveryRuleHasPositiveAndNegativeCases(t *testing.T) {
	for _, r := range rules.All() {
		if r.Run == nil {
			continue // the driver's own rules are tested in package analyzer
		}
		area := strings.ToLower(r.Area())
		cases, _ := filepath.Glob(filepath.Join(area, "testdata", r.Name, "*.txtar"))
		pos, neg := 0, 0
		for _, c := range cases {
			ar, err := txtar.ParseFile(c)
			if err != nil {
				t.Fatal(err)
			}
			has := wantRe.Match(ar.Comment)
			for _, f := range ar.Files {
				has = has || wantRe.Match(f.Data)
			}
			if has {
				pos++
			} else {
				neg++
			}
		}
		if pos == 0 || neg == 0 {
			t.Errorf("%s %s: %d positive and %d negative cases in %s/testdata/%s", r.ID, r.Name, pos, neg, area, r.Name)
		}
	}
}

// TestRulesDoc keeps docs/rules.md in step with the rule metadata.
func TestRulesDoc(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("# decouple rules\n\nGenerated from the rule metadata by `go test ./rules -update`; do not edit.\n\n")
	b.WriteString("| ID | name | default severity | presets | title |\n|---|---|---|---|---|\n")
	for _, r := range rules.All() {
		fmt.Fprintf(&b, "| [%s](#%s) | `%s` | %s | %s | %s |\n", r.ID, strings.ToLower(r.ID), r.Name, r.Severity,
			strings.Join(rules.PresetsOf(r.ID), ", "), r.Title)
	}
	for _, r := range rules.All() {
		fmt.Fprintf(&b, "\n## %s\n\n`%s` — %s\n\n%s\n", r.ID, r.Name, r.Title, strings.TrimSpace(r.Doc))
	}
	p := filepath.Join("..", "docs", "rules.md")
	if *update {
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(p)
	if err != nil || !bytes.Equal(got, b.Bytes()) {
		t.Errorf("docs/rules.md is out of date: run go test ./rules -update (%v)", err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
