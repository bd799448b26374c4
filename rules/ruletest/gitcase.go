package ruletest

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/load/gittest"
)

// RunGit is Run for rules that read git history: a case whose archive holds
// gittest directives (@commit, @merge, @shallow, ...) is built as a git
// repository by gittest.Build; any other case is extracted as usual. In a
// script, files may be written by several commits, so expectations belong
// in the header ("want path:LINE ...").
func RunGit(t *testing.T, rule *analyzer.Rule) {
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
			RunGitCase(t, rule, c)
		})
	}
}

// RunGitCase checks rule against one case, building it as a git repository
// when it is a script.
func RunGitCase(t *testing.T, rule *analyzer.Rule, file string) {
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
