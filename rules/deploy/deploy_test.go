package deploy_test

import (
	"fmt"
	"slices"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/rules/deploy"
	"github.com/decouplehq/decouple/rules/ruletest"
)

func TestHistoryUnavailable(t *testing.T) { ruletest.Run(t, deploy.HistoryUnavailable) }

func TestCoChangeCoupling(t *testing.T) { ruletest.Run(t, deploy.CoChangeCoupling) }

func TestDegree(t *testing.T) {
	for _, c := range []struct {
		cc   facts.CoChange
		want int
	}{
		{facts.CoChange{Shared: 6, ChangesA: 7, ChangesB: 7}, 85},
		{facts.CoChange{Shared: 5, ChangesA: 20, ChangesB: 20}, 25},
		{facts.CoChange{Shared: 3, ChangesA: 3, ChangesB: 9}, 50},
		{facts.CoChange{}, 0},
	} {
		if got := deploy.Degree(c.cc); got != c.want {
			t.Errorf("Degree(%+v) = %d, want %d", c.cc, got, c.want)
		}
	}
}

func TestJointDeploy(t *testing.T)          { ruletest.Run(t, deploy.JointDeploy) }
func TestStartupDependency(t *testing.T)    { ruletest.Run(t, deploy.StartupDependency) }
func TestSharedReleaseVersion(t *testing.T) { ruletest.Run(t, deploy.SharedReleaseVersion) }
func TestSingleDeployable(t *testing.T)     { ruletest.Run(t, deploy.SingleDeployable) }
func TestSharedGoModule(t *testing.T)       { ruletest.Run(t, deploy.SharedGoModule) }

// TestStartupDependencyRelated: the related places of a wait found in two
// compose files are the waited-for service in the first file and the wait
// in the second.
func TestStartupDependencyRelated(t *testing.T) {
	dir := t.TempDir()
	ar, err := txtar.ParseFile("testdata/startup-dependency/one-per-pair.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if err := ruletest.Extract(ar, dir); err != nil {
		t.Fatal(err)
	}
	fs := ruletest.Analyze(t, dir, deploy.StartupDependency)
	if len(fs) != 1 {
		t.Fatalf("findings: %s", ruletest.String(fs))
	}
	var got []string
	for _, r := range fs[0].Related {
		got = append(got, fmt.Sprintf("%s:%d %s", r.Pos.File, r.Pos.Line, r.Message))
	}
	want := []string{"compose.yaml:6 orders waits for it", "releases/v1/compose.yaml:5 orders waits for payments here too"}
	if !slices.Equal(got, want) {
		t.Errorf("related = %q, want %q", got, want)
	}
}
