package api_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/rules/api"
	"github.com/decouplehq/decouple/rules/load"
	"github.com/decouplehq/decouple/rules/ruletest"
)

// TestTwins runs every API rule over an unversioned service and its
// versioned twin: the first fails an error gate with one finding per
// unversioned contract, the second passes with none. Expectations name the
// rule ID before the message ("API101 ...").
func TestTwins(t *testing.T) {
	rules := []*analyzer.Rule{api.UnversionedOpenAPI, api.UnversionedProtoPackage, api.InconsistentVersioning,
		api.UnversionedHTTPMapping, api.UnversionedGoRoute, load.UnreadableInput}
	for name, fails := range map[string]bool{"unversioned": true, "versioned": false} {
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(filepath.Join("testdata", "twin", name+".txtar"))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := ruletest.Extract(ar, dir); err != nil {
				t.Fatal(err)
			}
			findings := analyze(t, dir, rules...)
			for i := range findings {
				findings[i].Message = findings[i].RuleID + " " + findings[i].Message
			}
			ruletest.Check(t, findings, wants(t, ar))
			res := analyzer.Result{Findings: findings}
			if got := res.Failed(analyzer.Error); got != fails {
				t.Errorf("fails the error gate: %v, want %v", got, fails)
			}
		})
	}
}
