package reports

import (
	"encoding/json"
	"io"
	"strings"
)

// The JSON output protocol, version 1 (docs/json.md). These types are the
// protocol: internal types are never encoded directly, so refactoring the
// analyzer cannot change the output.
type jsonReport struct {
	Version  int           `json:"version"`
	Tool     jsonTool      `json:"tool"`
	Root     string        `json:"root"`
	Services []jsonService `json:"services"`
	Findings []jsonFinding `json:"findings"`
	Errors   []jsonError   `json:"errors"`
	Stats    jsonStats     `json:"stats"`
	Score    jsonScore     `json:"score"`
	Graph    jsonGraph     `json:"graph"`
	Baseline *jsonBaseline `json:"baseline,omitempty"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonService struct {
	Name         string   `json:"name"`
	Root         string   `json:"root"`
	DiscoveredBy []string `json:"discovered_by"`
}

type jsonFinding struct {
	Rule        string        `json:"rule"`
	Name        string        `json:"name"`
	Severity    string        `json:"severity"`
	Message     string        `json:"message"`
	Service     string        `json:"service"`
	Services    []string      `json:"services"`
	File        string        `json:"file"`
	Line        int           `json:"line"`
	Column      int           `json:"column"`
	Related     []jsonRelated `json:"related"`
	Fingerprint string        `json:"fingerprint"`
}

type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Service string `json:"service"`
	Message string `json:"message"`
}

type jsonError struct {
	Rule    string `json:"rule"` // "" for an incomplete load
	Message string `json:"message"`
}

type jsonStats struct {
	FilesSeen     int           `json:"files_seen"`
	FilesAnalyzed int           `json:"files_analyzed"`
	FilesSkipped  []jsonSkipped `json:"files_skipped"`
	Suppressed    int           `json:"suppressed"`
}

type jsonSkipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

func writeJSON(w io.Writer, r *Report, _ Options) error {
	out := jsonReport{
		Version:  ProtocolVersion,
		Tool:     jsonTool{Name: r.Tool.Name, Version: r.Tool.Version},
		Root:     valid(r.Root),
		Services: []jsonService{},
		Findings: []jsonFinding{},
		Errors:   []jsonError{},
		Stats: jsonStats{FilesSeen: r.Stats.FilesSeen, FilesAnalyzed: r.Stats.FilesAnalyzed,
			FilesSkipped: []jsonSkipped{}, Suppressed: r.Stats.Suppressed},
	}
	for _, s := range r.Services {
		by := append([]string{}, s.DiscoveredBy...)
		for i := range by {
			by[i] = valid(by[i])
		}
		out.Services = append(out.Services, jsonService{Name: valid(s.Name), Root: valid(s.Root), DiscoveredBy: by})
	}
	for _, f := range r.Findings {
		jf := jsonFinding{Rule: f.RuleID, Name: f.RuleName, Severity: f.Severity.String(), Message: valid(f.Message),
			Service: valid(f.Service), Services: []string{}, File: valid(f.Pos.File), Line: f.Pos.Line, Column: f.Pos.Col,
			Related: []jsonRelated{}, Fingerprint: f.Fingerprint}
		for _, s := range f.Services {
			jf.Services = append(jf.Services, valid(s))
		}
		for _, rel := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{File: valid(rel.Pos.File), Line: rel.Pos.Line,
				Service: valid(rel.Service), Message: valid(rel.Message)})
		}
		out.Findings = append(out.Findings, jf)
	}
	for _, fl := range r.Failures {
		out.Errors = append(out.Errors, jsonError{Rule: fl.RuleID, Message: valid(fl.Message)})
	}
	for _, msg := range r.Incomplete {
		out.Errors = append(out.Errors, jsonError{Message: valid(msg)})
	}
	for _, s := range r.Stats.FilesSkipped {
		out.Stats.FilesSkipped = append(out.Stats.FilesSkipped, jsonSkipped{File: valid(s.File), Reason: valid(s.Reason)})
	}
	out.Score, out.Graph = scoreJSON(r.Score), graphJSON(r.Score.Graph)
	if r.Card != nil && r.Card.Trend != nil {
		out.Baseline = baselineJSON(r, r.Card.Trend)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// valid makes a string valid UTF-8 for JSON.
func valid(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
