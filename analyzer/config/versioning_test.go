package config

import (
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer"
)

func TestVersioningConfig(t *testing.T) {
	f, err := Parse("c.yaml", []byte("version: 1\nversioning:\n  strategy: header\n  allow_unversioned: [/internal/**]\n"))
	if err != nil {
		t.Fatal(err)
	}
	pol, err := f.Policy(nil)
	if err != nil {
		t.Fatal(err)
	}
	v := pol.Settings.Versioning
	if v.EffectiveStrategy() != analyzer.StrategyHeader || !v.Pinned() {
		t.Errorf("strategy %q", v.Strategy)
	}
	if a := v.Allowed(); a[len(a)-1] != "/internal/**" || len(a) != len(analyzer.DefaultAllowUnversioned())+1 {
		t.Errorf("allowed %v", a)
	}

	f, err = Parse("c.yaml", []byte("version: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if pol, _ := f.Policy(nil); pol.Settings.Versioning.EffectiveStrategy() != analyzer.StrategyAny || pol.Settings.Versioning.Pinned() {
		t.Errorf("default strategy %q", pol.Settings.Versioning.Strategy)
	}
}

func TestVersioningConfigErrors(t *testing.T) {
	for src, want := range map[string]string{
		"version: 1\nversioning:\n  strategy: url\n":             "c.yaml:3: versioning.strategy: unknown strategy \"url\" (want any, path, header, media-type, query)",
		"version: 1\nversioning:\n  allow_unversioned: [\"\"]\n": "c.yaml:3: versioning.allow_unversioned: empty glob",
		"version: 1\nversioning:\n  strategies: path\n":          "c.yaml:3: field strategies is not a key of versioning",
	} {
		_, err := Parse("c.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want %q", src, err, want)
		}
	}
}
