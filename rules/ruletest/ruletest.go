// Package ruletest runs a rule over txtar mini-repositories and checks its
// findings against the expectations written in them, in the manner of
// golang.org/x/tools/go/analysis/analysistest.
//
// Each case is rules/<area>/testdata/<rule-name>/<case>.txtar. Expectations
// sit on the offending line in the host file's comment syntax:
//
//	package shop; // want "proto package \"shop\""
//	image: x      # want "regexp" "another regexp"
//
// or, for files without comments (JSON) and repo-wide findings, in the
// archive's header, one per line:
//
//	want services/a/openapi.json:3 "regexp"
//
// Every finding must match a want on its file and line, and every want must
// be matched by a finding. A .decouple.yaml in the archive is honoured.
package ruletest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/config"
	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/analyzer/load"
	"github.com/decouplehq/decouple/analyzer/load/gittest"
)

// Run checks rule against every case in testdata/<rule.Name>/.
func Run(t *testing.T, rule *analyzer.Rule) {
	t.Helper()
	cases, err := filepath.Glob(filepath.Join("testdata", rule.Name, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatalf("no test cases in testdata/%s", rule.Name)
	}
	for _, c := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(c), ".txtar"), func(t *testing.T) {
			RunCase(t, rule, c)
		})
	}
}

// RunCase checks rule against one txtar case. A case whose archive holds
// gittest directives (@commit, @merge, @shallow, ...) is built as a git
// repository by gittest.Build, for the rules that read history; in such a
// script files may be written by several commits, so expectations belong in
// the header ("want path:LINE ..."). Any other case is extracted as is.
func RunCase(t *testing.T, rule *analyzer.Rule, file string) {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "repo")
	if gittest.IsScript(ar) {
		err = gittest.Build(ar, dir)
	} else {
		err = Extract(ar, dir)
	}
	if err != nil {
		t.Fatal(err)
	}
	Check(t, Analyze(t, dir, rule), collectWants(t, ar))
}

// Extract writes the archive's files below dir.
func Extract(ar *txtar.Archive, dir string) error {
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Analyze loads the repository at dir and runs only rule over it, under the
// config found in dir, if any.
func Analyze(t *testing.T, dir string, rule *analyzer.Rule) []analyzer.Finding {
	t.Helper()
	repo, pol := LoadDir(t, dir)
	pol.Use, pol.Except = []string{rule.ID}, nil
	res, err := analyzer.Run(repo, []*analyzer.Rule{rule}, pol)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Failures {
		t.Errorf("rule %s failed: %s", f.RuleID, f.Message)
	}
	return res.Findings
}

// LoadDir loads dir with the config it holds (or the defaults).
func LoadDir(t *testing.T, dir string) (*facts.Repo, analyzer.Policy) {
	t.Helper()
	opts := load.DefaultOptions()
	pol := analyzer.Policy{Settings: analyzer.DefaultSettings()}
	if p, _ := config.Find(dir); p != "" {
		cfg, err := config.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		if pol, err = cfg.Policy(nil); err != nil {
			t.Fatal(err)
		}
		if err := cfg.ApplyLoad(&opts, dir); err != nil {
			t.Fatal(err)
		}
	}
	repo, err := load.Repo(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return repo, pol
}

// Want is one expectation: a finding on File:Line whose message matches Re.
type Want struct {
	File string
	Line int
	Re   *regexp.Regexp
}

var (
	wantInline = regexp.MustCompile(`(?://|#|--)\s*want\s+((?:"(?:[^"\\]|\\.)*"\s*)+)`)
	wantHeader = regexp.MustCompile(`^want\s+(\S+):(\d+)\s+((?:"(?:[^"\\]|\\.)*"\s*)+)$`)
	quoted     = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
)

func collectWants(t *testing.T, ar *txtar.Archive) []*Want {
	t.Helper()
	var wants []*Want
	add := func(file string, line int, res string) {
		for _, q := range quoted.FindAllString(res, -1) {
			s, err := strconv.Unquote(q)
			if err != nil {
				t.Fatalf("%s:%d: bad want %s: %v", file, line, q, err)
			}
			re, err := regexp.Compile(s)
			if err != nil {
				t.Fatalf("%s:%d: bad want %s: %v", file, line, q, err)
			}
			wants = append(wants, &Want{File: file, Line: line, Re: re})
		}
	}
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "want ") {
			continue
		}
		m := wantHeader.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("bad header want: %s", line)
		}
		n, _ := strconv.Atoi(m[2])
		add(m[1], n, m[3])
	}
	for _, f := range ar.Files {
		for i, line := range strings.Split(string(f.Data), "\n") {
			if m := wantInline.FindStringSubmatch(line); m != nil {
				add(f.Name, i+1, m[1])
			}
		}
	}
	return wants
}

// Check matches findings against wants: each finding must consume a want on
// its line, and no want may be left.
func Check(t *testing.T, findings []analyzer.Finding, wants []*Want) {
	t.Helper()
	used := make([]bool, len(wants))
	for _, f := range findings {
		ok := false
		for i, w := range wants {
			if !used[i] && w.File == f.Pos.File && w.Line == f.Pos.Line && w.Re.MatchString(f.Message) {
				used[i], ok = true, true
				break
			}
		}
		if !ok {
			t.Errorf("unexpected finding %s:%d: %s (%s)", f.Pos.File, f.Pos.Line, f.Message, f.RuleID)
		}
	}
	for i, w := range wants {
		if !used[i] {
			t.Errorf("%s:%d: no finding matched want %q", w.File, w.Line, w.Re)
		}
	}
}

// String renders findings one per line, for failure messages.
func String(findings []analyzer.Finding) string {
	var b strings.Builder
	for _, f := range findings {
		fmt.Fprintf(&b, "%s:%d: %s %s\n", f.Pos.File, f.Pos.Line, f.RuleID, f.Message)
	}
	return b.String()
}

// PlantedPasswords returns the secrets a fixture plants, listed in its
// header as "passwords: p1 p2 ...", for the tests that assert none of them
// reaches any output.
func PlantedPasswords(t *testing.T, ar *txtar.Archive) []string {
	t.Helper()
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if rest, ok := strings.CutPrefix(line, "passwords:"); ok {
			return strings.Fields(rest)
		}
	}
	t.Fatal("the fixture lists no passwords")
	return nil
}
