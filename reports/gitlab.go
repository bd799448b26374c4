package reports

import (
	"encoding/json"
	"io"

	"github.com/decouplehq/decouple/analyzer"
)

// GitLab Code Quality: a JSON array of Code Climate issues, the subset the
// merge-request widget reads.
type gitlabIssue struct {
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
}

// writeGitLab writes the Code Quality report, one issue per finding with a
// unique fingerprint.
func writeGitLab(w io.Writer, r *Report, _ Options) error {
	out := []gitlabIssue{}
	fps := uniqueFingerprints(r.Findings)
	for i, f := range r.Findings {
		out = append(out, gitlabIssue{
			Description: withRelated(f), CheckName: f.RuleID + " " + f.RuleName, Fingerprint: fps[i],
			Severity: gitlabSeverity(f.Severity),
			Location: gitlabLocation{Path: scrub(f.Pos.File), Lines: gitlabLines{Begin: lineOrOne(f.Pos.Line)}},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func gitlabSeverity(s analyzer.Severity) string {
	switch s {
	case analyzer.Error:
		return "critical"
	case analyzer.Warning:
		return "major"
	}
	return "info"
}
