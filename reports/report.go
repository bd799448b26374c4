// Package reports renders decouple's results. A *Report is the one input of
// every renderer; renderers are pure functions of it: they never sort,
// filter, score or load anything.
package reports

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/analyzer/score"
)

// ProtocolVersion is the version of the JSON output protocol (docs/json.md).
const ProtocolVersion = 1

// Report is everything a renderer may show.
type Report struct {
	Tool     Tool
	Root     string // the analysed path as the user gave it, never absolute
	Rules    []RuleMeta
	Services []Service
	Findings []analyzer.Finding
	Failures []analyzer.Failure
	Stats    Stats
	// Shared lists the directories holding files that belong to no service.
	Shared []string
	// Incomplete says why the analysis stopped short; empty when complete.
	Incomplete []string

	// Score is the distributed-monolith index, its breakdown, clusters and
	// service graph (score.Compute).
	Score score.Score
	// Baseline is a previous report to compare with (--baseline), or nil.
	Baseline *Baseline
	// Card is what the scorecard formats show, derived from the above by
	// Prepare; nil until then.
	Card *Card
}

// Tool names the program that made the report.
type Tool struct {
	Name    string
	Version string
}

// RuleMeta is the catalogue entry of a rule.
type RuleMeta struct {
	ID, Name, Title, Doc string
	Severity             analyzer.Severity
	Default              bool
	Presets              []string
	Enabled              bool
}

// Service is one discovered service.
type Service struct {
	Name         string
	Root         string
	Dirs         []string
	Decl         facts.Position
	DiscoveredBy []string
	Files        int
}

// Stats are the loader's accounting.
type Stats struct {
	FilesSeen     int
	FilesAnalyzed int
	FilesSkipped  []facts.Skipped
	Suppressed    int
	Ignored       int
}

// Input gathers what New needs.
type Input struct {
	Tool    Tool
	Root    string
	Repo    *facts.Repo
	Result  *analyzer.Result
	Rules   []*analyzer.Rule // the whole catalogue
	Presets func(id string) []string
	// Score is score.Compute of Result and Repo.
	Score score.Score
	// Baseline is a previous JSON report (ReadBaseline), or nil.
	Baseline *Baseline
}

// New builds the report of one run. Everything in it is already in its
// final order.
func New(in Input) *Report {
	r := newReport(in)
	r.Score, r.Baseline = in.Score, in.Baseline
	r.Prepare()
	return r
}

func newReport(in Input) *Report {
	r := &Report{Tool: in.Tool, Root: DisplayRoot(in.Root)}
	enabled := map[string]bool{}
	if in.Result != nil {
		for _, x := range in.Result.Rules {
			enabled[x.ID] = true
		}
		r.Findings = in.Result.Findings
		r.Failures = in.Result.Failures
		r.Stats.Suppressed, r.Stats.Ignored = in.Result.Suppressed, in.Result.Ignored
	}
	for _, x := range in.Rules {
		m := RuleMeta{ID: x.ID, Name: x.Name, Title: x.Title, Doc: x.Doc, Severity: x.Severity, Default: x.Default, Enabled: enabled[x.ID]}
		if in.Presets != nil {
			m.Presets = in.Presets(x.ID)
		}
		r.Rules = append(r.Rules, m)
	}
	if in.Repo == nil {
		return r
	}
	counts := map[string]int{}
	shared := map[string]bool{}
	for _, f := range in.Repo.Files {
		if f.Service != "" {
			counts[f.Service]++
		} else {
			shared[path.Dir(f.Path)] = true
		}
	}
	for _, s := range in.Repo.Services {
		r.Services = append(r.Services, Service{Name: s.Name, Root: s.Root, Dirs: s.Dirs, Decl: s.Decl,
			DiscoveredBy: s.DiscoveredBy, Files: counts[s.Name]})
	}
	for d := range shared {
		r.Shared = append(r.Shared, d)
	}
	sortStrings(r.Shared)
	r.Incomplete = in.Repo.Incomplete
	r.Stats.FilesSeen = in.Repo.FilesSeen
	r.Stats.FilesAnalyzed = len(in.Repo.Files)
	r.Stats.FilesSkipped = in.Repo.Skipped
	return r
}

// DisplayRoot is the analysed path as shown in reports: slash-separated and
// relative; an absolute path shows as its last element.
func DisplayRoot(p string) string {
	if p == "" {
		return "."
	}
	if filepath.IsAbs(p) {
		return filepath.Base(p)
	}
	return strings.TrimSuffix(filepath.ToSlash(filepath.Clean(p)), "/")
}
