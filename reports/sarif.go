package reports

import (
	"encoding/json"
	"io"
	"net/url"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
)

// SARIF 2.1.0, the subset GitHub code scanning reads. The structs are the
// format: every field here is one GitHub or the schema asks for.
const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// sarifFingerprint names our content fingerprint in partialFingerprints;
	// the version changes only if the fingerprint recipe does.
	sarifFingerprint = "decouple/v1"
	// sarifSrcRoot is the uriBaseId of every location: the repository root.
	sarifSrcRoot = "%SRCROOT%"
	// toolURI is the home of the tool; rule help lives under it.
	toolURI = "https://github.com/decouplehq/decouple"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool         `json:"tool"`
	AutomationDetails sarifAutomation   `json:"automationDetails"`
	Invocations       []sarifInvocation `json:"invocations"`
	Results           []sarifResult     `json:"results"` // never omitted: GitHub wants [] when empty
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name,omitempty"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      sarifText          `json:"fullDescription"`
	Help                 sarifHelp          `json:"help"`
	HelpURI              string             `json:"helpUri"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifConfiguration struct {
	Enabled bool   `json:"enabled"`
	Level   string `json:"level"`
}

type sarifRuleProps struct {
	Tags            []string `json:"tags"`
	Precision       string   `json:"precision"`
	ProblemSeverity string   `json:"problem.severity"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level      string             `json:"level"`
	Message    sarifText          `json:"message"`
	Descriptor *sarifDescriptorID `json:"associatedRule,omitempty"`
}

type sarifDescriptorID struct {
	ID string `json:"id"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          *sarifResultProps `json:"properties,omitempty"`
}

type sarifResultProps struct {
	Services []string `json:"services"`
}

type sarifLocation struct {
	ID               *int             `json:"id,omitempty"`
	PhysicalLocation sarifPhysical    `json:"physicalLocation"`
	Message          *sarifText       `json:"message,omitempty"`
	Properties       *sarifResultProp `json:"properties,omitempty"`
}

type sarifResultProp struct {
	Service string `json:"service"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

// sarifRegion holds lines only: decouple's columns count bytes, which SARIF
// cannot express (it counts UTF-16 code units or code points), so columns
// are left out rather than reported wrong.
type sarifRegion struct {
	StartLine int `json:"startLine"`
}

func writeSARIF(w io.Writer, r *Report, _ Options) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: r.Tool.Name, Version: r.Tool.Version, SemanticVersion: semver(r.Tool.Version),
			InformationURI: toolURI, Rules: []sarifRule{},
		}},
		AutomationDetails: sarifAutomation{ID: "decouple/"},
		Results:           []sarifResult{},
	}
	if run.Tool.Driver.Name == "" {
		run.Tool.Driver.Name = "decouple"
	}
	index := map[string]int{}
	for i, m := range r.Rules {
		index[m.ID] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(m))
	}
	fps := uniqueFingerprints(r.Findings)
	for i, f := range r.Findings {
		run.Results = append(run.Results, sarifResultOf(f, fps[i], index))
	}
	inv := sarifInvocation{ExecutionSuccessful: len(r.Failures) == 0 && len(r.Incomplete) == 0}
	for _, fl := range r.Failures {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level: "error", Message: sarifText{Text: scrub("rule " + fl.RuleID + " failed: " + fl.Message)},
			Descriptor: &sarifDescriptorID{ID: fl.RuleID},
		})
	}
	for _, msg := range r.Incomplete {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level: "error", Message: sarifText{Text: scrub("analysis incomplete: " + msg)},
		})
	}
	run.Invocations = []sarifInvocation{inv}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

func sarifRuleOf(m RuleMeta) sarifRule {
	doc := strings.TrimSpace(m.Doc)
	full := firstParagraph(doc)
	if full == "" {
		full = m.Title
	}
	tags := []string{"architecture", "coupling"}
	if area := strings.ToLower(strings.TrimRight(m.ID, "0123456789")); area != "" {
		tags = append(tags, area)
	}
	rule := sarifRule{
		ID: m.ID, ShortDescription: sarifText{Text: m.Title}, FullDescription: sarifText{Text: full},
		Help:                 sarifHelp{Text: doc, Markdown: "**" + m.ID + " " + m.Name + "**: " + m.Title + "\n\n" + doc},
		HelpURI:              RuleHelpURI(m.ID),
		DefaultConfiguration: sarifConfiguration{Enabled: m.Enabled, Level: sarifLevel(m.Severity)},
		Properties:           sarifRuleProps{Tags: tags, Precision: "high", ProblemSeverity: problemSeverity(m.Severity)},
	}
	if m.Name != m.ID {
		rule.Name = m.Name
	}
	return rule
}

// RuleHelpURI is the documentation of a rule on the web.
func RuleHelpURI(id string) string {
	return toolURI + "/blob/main/docs/rules.md#" + strings.ToLower(id)
}

func sarifResultOf(f analyzer.Finding, fingerprint string, index map[string]int) sarifResult {
	idx, ok := index[f.RuleID]
	if !ok {
		idx = -1 // a rule missing from the catalogue; the schema allows -1
	}
	res := sarifResult{
		RuleID: f.RuleID, RuleIndex: idx, Level: sarifLevel(f.Severity),
		Message:             sarifText{Text: withRelated(f)},
		Locations:           []sarifLocation{sarifLoc(f.Pos.File, f.Pos.Line)},
		PartialFingerprints: map[string]string{sarifFingerprint: fingerprint},
	}
	if len(f.Services) > 0 {
		res.Properties = &sarifResultProps{Services: scrubAll(f.Services)}
	}
	for i, rel := range f.Related {
		loc := sarifLoc(rel.Pos.File, rel.Pos.Line)
		id := i + 1
		loc.ID = &id
		if rel.Message != "" {
			loc.Message = &sarifText{Text: scrub(rel.Message)}
		}
		if rel.Service != "" {
			loc.Properties = &sarifResultProp{Service: scrub(rel.Service)}
		}
		res.RelatedLocations = append(res.RelatedLocations, loc)
	}
	return res
}

func sarifLoc(file string, line int) sarifLocation {
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: sarifURI(file), URIBaseID: sarifSrcRoot}}}
	if line > 0 {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: line}
	}
	return loc
}

// sarifURI turns a repo-relative slash path into a relative URI reference:
// each segment percent-encoded, ':' too, so that no segment reads as a
// scheme.
func sarifURI(file string) string {
	if file == "" {
		return "."
	}
	segs := strings.Split(strings.ToValidUTF8(file, "\uFFFD"), "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	return strings.Join(segs, "/")
}

func sarifLevel(s analyzer.Severity) string {
	switch s {
	case analyzer.Error:
		return "error"
	case analyzer.Warning:
		return "warning"
	}
	return "note"
}

// problemSeverity is GitHub's problem.severity rule property.
func problemSeverity(s analyzer.Severity) string {
	switch s {
	case analyzer.Error:
		return "error"
	case analyzer.Warning:
		return "warning"
	}
	return "recommendation"
}

// semver returns the version without its "v" when it is a semantic version.
func semver(v string) string {
	v = strings.TrimPrefix(v, "v")
	if v == "" || v[0] < '0' || v[0] > '9' || strings.Count(strings.SplitN(strings.SplitN(v, "-", 2)[0], "+", 2)[0], ".") != 2 {
		return ""
	}
	return v
}

func firstParagraph(doc string) string {
	p, _, _ := strings.Cut(doc, "\n\n")
	return strings.Join(strings.Fields(p), " ")
}

func scrubAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = scrub(s)
	}
	return out
}
