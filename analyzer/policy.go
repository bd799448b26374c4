package analyzer

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Policy is everything the driver decides on the rules' behalf.
type Policy struct {
	// Use selects the rules to run: IDs, names, areas (API, DATA, CODE,
	// DEPLOY, LOAD), preset names or "all". Empty means the rules marked
	// Default.
	Use []string
	// Except removes rules from the selection, with the same selectors.
	Except []string
	// Presets maps a preset name to the IDs of its rules.
	Presets map[string][]string
	// Severity overrides the default severity, keyed by selector.
	Severity map[string]Severity
	// Ignore holds path globs (doublestar syntax, repo-relative) whose
	// findings no rule reports.
	Ignore []string
	// IgnoreOnly holds path globs per selector.
	IgnoreOnly map[string][]string
	// Exclusions drop findings by rule and services (exclusions.go).
	Exclusions []Exclusion
	// Settings tune individual rules; nil means DefaultSettings.
	Settings *Settings
}

// Matches reports whether selector names the rule: its ID, its name, its
// area, a preset holding it, or "all". Matching ignores case.
func (p *Policy) Matches(selector string, r *Rule) bool {
	s := strings.ToLower(strings.TrimSpace(selector))
	switch s {
	case "all", strings.ToLower(r.ID), r.Name, strings.ToLower(r.Area()):
		return true
	}
	for name, ids := range p.presetTable() {
		if strings.ToLower(name) != s {
			continue
		}
		for _, id := range ids {
			if id == r.ID {
				return true
			}
		}
	}
	return false
}

func (p *Policy) presetTable() map[string][]string {
	if p == nil {
		return nil
	}
	return p.Presets
}

// knows reports whether the selector names at least one of the rules.
func (p *Policy) knows(selector string, rules []*Rule) bool {
	for _, r := range rules {
		if p.Matches(selector, r) {
			return true
		}
	}
	_, isPreset := p.presetTable()[strings.ToLower(selector)]
	return isPreset
}

// Select returns the rules the policy enables, in ID order. An unknown
// selector is an error.
func (p *Policy) Select(rules []*Rule) ([]*Rule, error) {
	if err := p.CheckSelectors(rules); err != nil {
		return nil, err
	}
	var out []*Rule
	for _, r := range rules {
		on := len(p.Use) == 0 && r.Default
		for _, s := range p.Use {
			if p.Matches(s, r) {
				on = true
			}
		}
		for _, s := range p.Except {
			if p.Matches(s, r) {
				on = false
			}
		}
		if on {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// CheckSelectors reports the first selector in the policy that names no rule.
func (p *Policy) CheckSelectors(rules []*Rule) error {
	check := func(where string, sels []string) error {
		for _, s := range sels {
			if !p.knows(s, rules) {
				return fmt.Errorf("%s: unknown rule, area or preset %q", where, s)
			}
		}
		return nil
	}
	if err := check("rules.use", p.Use); err != nil {
		return err
	}
	if err := check("rules.except", p.Except); err != nil {
		return err
	}
	for _, s := range slices.Sorted(maps.Keys(p.Severity)) {
		if err := check("rules.severity", []string{s}); err != nil {
			return err
		}
	}
	for _, s := range slices.Sorted(maps.Keys(p.IgnoreOnly)) {
		if err := check("rules.ignore_only", []string{s}); err != nil {
			return err
		}
	}
	for _, x := range p.Exclusions {
		if err := check("exclusions", []string{x.Rule}); err != nil {
			return err
		}
	}
	return nil
}

// severityFor returns the severity of r under the policy. A selector naming
// the rule exactly beats an area or preset selector.
func (p *Policy) severityFor(r *Rule) Severity {
	sev, rank := r.Severity, 0
	for _, s := range slices.Sorted(maps.Keys(p.Severity)) {
		if !p.Matches(s, r) {
			continue
		}
		k := strings.ToLower(s)
		n := 1
		if k == strings.ToLower(r.ID) || k == r.Name {
			n = 2
		}
		if n >= rank {
			sev, rank = p.Severity[s], n
		}
	}
	return sev
}
