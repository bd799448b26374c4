package config_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/config"
	"github.com/decouplehq/decouple/rules"
)

// known is the selector check of the real rule set.
func known(sel string) bool {
	pol := analyzer.Policy{Presets: rules.Presets()}
	for _, r := range rules.All() {
		if pol.Matches(sel, r) {
			return true
		}
	}
	_, ok := rules.Presets()[strings.ToLower(sel)]
	return ok
}

var wantLine = regexp.MustCompile(`^# want (\d+) "(.*)"$`)

// TestVerifyBroken runs Verify on every testdata/broken/*.yaml: each
// "# want LINE "regexp"" header must match exactly one problem on that
// line, and every problem must be wanted.
func TestVerifyBroken(t *testing.T) {
	files, err := filepath.Glob("testdata/broken/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no broken fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			type want struct {
				line int
				re   *regexp.Regexp
			}
			var wants []want
			for _, l := range strings.Split(string(data), "\n") {
				if m := wantLine.FindStringSubmatch(l); m != nil {
					n, _ := strconv.Atoi(m[1])
					wants = append(wants, want{n, regexp.MustCompile(m[2])})
				}
			}
			if len(wants) == 0 {
				t.Fatal("fixture wants nothing")
			}
			problems := config.Verify(file, data, known)
			used := make([]bool, len(wants))
		next:
			for _, p := range problems {
				if p.File != file {
					t.Errorf("problem names file %q", p.File)
				}
				for i, w := range wants {
					if !used[i] && w.line == p.Line && w.re.MatchString(p.Msg) {
						used[i] = true
						continue next
					}
				}
				t.Errorf("unexpected problem %v", p)
			}
			for i, w := range wants {
				if !used[i] {
					t.Errorf("no problem at line %d matching %q (got %v)", w.line, w.re, problems)
				}
			}
			if _, err := config.Parse(file, data); err == nil && !strings.Contains(file, "unknown-rules") {
				t.Errorf("Parse accepts what Verify rejects")
			}
		})
	}
}

// TestVerifyAcceptsValid: every valid fixture verifies clean and parses.
func TestVerifyAcceptsValid(t *testing.T) {
	for _, file := range validConfigs(t) {
		if problems := config.Verify(file.name, file.data, known); len(problems) > 0 {
			t.Errorf("%s: %v", file.name, problems)
		}
		if _, err := config.Parse(file.name, file.data); err != nil {
			t.Errorf("%s: %v", file.name, err)
		}
	}
}

func TestExclusionsReachThePolicy(t *testing.T) {
	cfg, err := config.Parse("c.yaml", []byte(`version: 1
exclusions:
  - rule: DATA101
    services: [invoicing, billing]
    reason: "invoicing reads billing's ledger until Q3"
`))
	if err != nil {
		t.Fatal(err)
	}
	pol, err := cfg.Policy(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(pol.Exclusions) != 1 || pol.Exclusions[0].Rule != "DATA101" || strings.Join(pol.Exclusions[0].Services, ",") != "invoicing,billing" ||
		pol.Exclusions[0].Reason == "" {
		t.Errorf("exclusions %+v", pol.Exclusions)
	}
	_, err = config.Parse("c.yaml", []byte("version: 1\nexclusions:\n  - rule: DATA101\n    services: [a]\n"))
	if err == nil || !strings.Contains(err.Error(), "c.yaml:3: exclusion of DATA101 gives no reason") {
		t.Errorf("an exclusion without a reason: %v", err)
	}
}

// TestVerifyRejectsFixtureErrors: a config in a fixture that expects a
// config error (exit 2) has at least one problem.
func TestVerifyRejectsFixtureErrors(t *testing.T) {
	_, broken := fixtureConfigs(t)
	for _, file := range broken {
		if problems := config.Verify(file.name, file.data, known); len(problems) == 0 {
			t.Errorf("%s: expected to be broken, verifies clean", file.name)
		}
	}
}

// FuzzVerify checks that no config, however broken, panics Verify, that
// every problem names the file, and that Verify finds a problem in whatever
// Parse rejects.
func FuzzVerify(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.yaml")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(string(data))
		}
	}
	f.Add("version: 1\nexclusions:\n  - rule: API102\n    services: [a]\n    reason: r\n")
	f.Add("a: &a [*a]\n")
	f.Add("version: 1\nrules: &r\n  use: [all]\n  ignore_only: {API102: *r}\n")
	f.Add("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nversion: 1\nexclude: *g\n") // an alias bomb: checked once per anchor
	f.Fuzz(func(t *testing.T, src string) {
		problems := config.Verify("c.yaml", []byte(src), known)
		for _, p := range problems {
			if p.File != "c.yaml" || p.Line < 0 {
				t.Fatalf("problem %+v", p)
			}
		}
		if _, err := config.Parse("c.yaml", []byte(src)); err != nil && len(problems) == 0 {
			t.Fatalf("Parse rejects (%v) what Verify accepts", err)
		}
	})
}
