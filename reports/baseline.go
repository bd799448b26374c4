package reports

import (
	"encoding/json"
	"fmt"
	"io"
)

// Baseline is a previous JSON report (the output of --format json) that a
// run is compared with: its score and its findings, keyed by fingerprint.
type Baseline struct {
	// HasScore is false for a report written before the score joined the
	// protocol: then only findings are compared.
	HasScore   bool
	Index      int
	Grade      string
	Dimensions []BaselineDimension
	Findings   []BaselineFinding
}

// BaselineDimension is one dimension score of the previous report.
type BaselineDimension struct {
	Name  string
	Score int
}

// BaselineFinding is one finding of the previous report.
type BaselineFinding struct {
	Rule, Name, Severity, Message string
	File                          string
	Line                          int
	Services                      []string
	Fingerprint                   string
}

// ReadBaseline decodes a previous JSON report. Unknown fields are allowed
// (a newer report); a report of another protocol version is an error.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	var in struct {
		Version  *int `json:"version"`
		Findings []struct {
			Rule        string   `json:"rule"`
			Name        string   `json:"name"`
			Severity    string   `json:"severity"`
			Message     string   `json:"message"`
			File        string   `json:"file"`
			Line        int      `json:"line"`
			Services    []string `json:"services"`
			Fingerprint string   `json:"fingerprint"`
		} `json:"findings"`
		Score *struct {
			Index      int    `json:"index"`
			Grade      string `json:"grade"`
			Dimensions []struct {
				Name  string `json:"name"`
				Score int    `json:"score"`
			} `json:"dimensions"`
		} `json:"score"`
	}
	if err := json.NewDecoder(r).Decode(&in); err != nil {
		return nil, fmt.Errorf("read baseline: not a decouple JSON report: %w", err)
	}
	if in.Version == nil {
		return nil, fmt.Errorf("read baseline: not a decouple JSON report (no version)")
	}
	if *in.Version != ProtocolVersion {
		return nil, fmt.Errorf("read baseline: protocol version %d, want %d", *in.Version, ProtocolVersion)
	}
	b := &Baseline{}
	for _, f := range in.Findings {
		if f.Fingerprint == "" {
			return nil, fmt.Errorf("read baseline: finding %s at %s:%d has no fingerprint", f.Rule, f.File, f.Line)
		}
		b.Findings = append(b.Findings, BaselineFinding{Rule: f.Rule, Name: f.Name, Severity: f.Severity, Message: f.Message,
			File: f.File, Line: f.Line, Services: f.Services, Fingerprint: f.Fingerprint})
	}
	if in.Score != nil {
		b.HasScore, b.Index, b.Grade = true, in.Score.Index, in.Score.Grade
		for _, d := range in.Score.Dimensions {
			b.Dimensions = append(b.Dimensions, BaselineDimension{Name: d.Name, Score: d.Score})
		}
	}
	return b, nil
}
