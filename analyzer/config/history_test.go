package config

import (
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer/load"
)

func TestHistorySection(t *testing.T) {
	f, err := Parse(".decouple.yaml", []byte(`version: 1
history:
  enabled: false
  months: 6
  max_commits: 500
  logical: pull-request
  min_degree: 50
deploy:
  shared_version_share: 0.9
`))
	if err != nil {
		t.Fatal(err)
	}
	opts := load.DefaultOptions()
	if err := f.ApplyLoad(&opts, "."); err != nil {
		t.Fatal(err)
	}
	h := opts.History
	if !h.Disabled || h.Months != 6 || h.MaxCommits != 500 || h.Logical != load.LogicalPullRequest {
		t.Errorf("load options = %+v", h)
	}
	pol, err := f.Policy(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := pol.Settings.History.WithDefaults()
	if s.MinDegree != 50 || s.MinShared != 5 || pol.Settings.Deploy.WithDefaults().SharedVersionShare != 0.9 {
		t.Errorf("settings = %+v %+v", s, pol.Settings.Deploy)
	}
}

func TestHistorySectionErrors(t *testing.T) {
	for in, want := range map[string]string{
		"version: 1\nhistory:\n  logical: weekly\n":        `.decouple.yaml:3: history.logical: unknown mode "weekly"`,
		"version: 1\nhistory:\n  min_degree: 130\n":        ".decouple.yaml:3: history.min_degree is out of range",
		"version: 1\nhistory:\n  window: 3\n":              ".decouple.yaml:3: field window is not a key of history",
		"version: 1\ndeploy:\n  shared_version_share: 2\n": ".decouple.yaml:3: deploy.shared_version_share must be between 0 and 1",
	} {
		_, err := Parse(".decouple.yaml", []byte(in))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want %q", in, err, want)
		}
	}
}
