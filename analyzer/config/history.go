package config

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/load"
)

// History is the history: section: the git window the loader reads and the
// co-change rule's thresholds.
type History struct {
	// Enabled false turns history reading off.
	Enabled       *bool   `yaml:"enabled"`
	Months        int     `yaml:"months"`
	MaxCommits    int     `yaml:"max_commits"`
	RepoWideShare float64 `yaml:"repo_wide_share"`
	RepoWideMax   int     `yaml:"repo_wide_max"`
	// Logical is commit, pull-request or author-day.
	Logical    string `yaml:"logical"`
	MinShared  int    `yaml:"min_shared"`
	MinChanges int    `yaml:"min_changes"`
	MinDegree  int    `yaml:"min_degree"`
}

// Deploy is the deploy: section.
type Deploy struct {
	SharedVersionShare float64 `yaml:"shared_version_share"`
}

func (f *File) validateDeploy(top *yaml.Node) error {
	line := func(sec, key string) int {
		if n := get(get(top, sec), key); n != nil {
			return n.Line
		}
		return 0
	}
	h := f.History
	switch h.Logical {
	case "", load.LogicalCommit, load.LogicalPullRequest, load.LogicalAuthorDay:
	default:
		return &Error{File: f.Path, Line: line("history", "logical"),
			Msg: fmt.Sprintf("history.logical: unknown mode %q (want commit, pull-request or author-day)", h.Logical)}
	}
	for _, c := range []struct {
		key string
		bad bool
	}{
		{"months", h.Months < 0}, {"max_commits", h.MaxCommits < 0}, {"repo_wide_max", h.RepoWideMax < 0},
		{"repo_wide_share", h.RepoWideShare < 0 || h.RepoWideShare > 1},
		{"min_shared", h.MinShared < 0}, {"min_changes", h.MinChanges < 0},
		{"min_degree", h.MinDegree < 0 || h.MinDegree > 100},
	} {
		if c.bad {
			return &Error{File: f.Path, Line: line("history", c.key), Msg: "history." + c.key + " is out of range"}
		}
	}
	if s := f.Deploy.SharedVersionShare; s < 0 || s > 1 {
		return &Error{File: f.Path, Line: line("deploy", "shared_version_share"),
			Msg: "deploy.shared_version_share must be between 0 and 1"}
	}
	return nil
}

// applyDeploySettings copies the rule thresholds into the settings.
func (f *File) applyDeploySettings(s *analyzer.Settings) {
	s.History = analyzer.HistorySettings{MinShared: f.History.MinShared, MinChanges: f.History.MinChanges,
		MinDegree: f.History.MinDegree}
	s.Deploy = analyzer.DeploySettings{SharedVersionShare: f.Deploy.SharedVersionShare}
}

// applyHistory copies the history window into the loader options.
func (f *File) applyHistory(opts *load.Options) {
	h := f.History
	o := &opts.History
	if h.Enabled != nil && !*h.Enabled {
		o.Disabled = true
	}
	if h.Months > 0 {
		o.Months = h.Months
	}
	if h.MaxCommits > 0 {
		o.MaxCommits = h.MaxCommits
	}
	if h.RepoWideShare > 0 {
		o.RepoWideShare = h.RepoWideShare
	}
	if h.RepoWideMax > 0 {
		o.RepoWideMax = h.RepoWideMax
	}
	if h.Logical != "" {
		o.Logical = strings.TrimSpace(h.Logical)
	}
}
