package config

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer"
)

// Exclusion accepts a known coupling: the findings of one rule about one set
// of services, e.g.
//
//	exclusions:
//	  - rule: DATA101
//	    services: [billing, invoicing]
//	    reason: "invoicing reads billing's ledger until the split in Q3"
//
// It is keyed on content (rule, services, optionally the fingerprint),
// never on a path or a line.
type Exclusion struct {
	Rule        string   `yaml:"rule"`
	Services    []string `yaml:"services"`
	Fingerprint string   `yaml:"fingerprint"`
	Reason      string   `yaml:"reason"`
}

func (f *File) policyExclusions() []analyzer.Exclusion {
	var out []analyzer.Exclusion
	for _, x := range f.Exclusions {
		out = append(out, analyzer.Exclusion{Rule: x.Rule, Services: x.Services, Fingerprint: x.Fingerprint, Reason: x.Reason})
	}
	return out
}

// exclusionProblems checks each exclusion names a rule, says what it
// covers and why.
func (f *File) exclusionProblems(top *yaml.Node) []*Error {
	var items []*yaml.Node
	if n := get(top, "exclusions"); n != nil && n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []*Error
	for i, x := range f.Exclusions {
		l := 0
		if i < len(items) {
			l = items[i].Line
		}
		add := func(msg string) {
			out = append(out, &Error{File: f.Path, Line: l, Msg: msg})
		}
		if strings.TrimSpace(x.Rule) == "" {
			add("exclusion without a rule")
		}
		if len(x.Services) == 0 && x.Fingerprint == "" {
			add("exclusion of " + x.Rule + " names no services and no fingerprint: it would disable the rule (use rules.except for that)")
		}
		for _, s := range x.Services {
			if strings.TrimSpace(s) == "" {
				add("exclusion of " + x.Rule + ": empty service name")
			}
		}
		if strings.TrimSpace(x.Reason) == "" {
			add("exclusion of " + x.Rule + " gives no reason")
		}
	}
	return out
}
