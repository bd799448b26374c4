package deploy_test

import (
	"testing"

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
