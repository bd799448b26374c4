package analyzer

import "strings"

// Exclusion accepts a known coupling in the config: it drops the findings
// of one rule about one set of services (and, optionally, one fingerprint),
// wherever they are reported. It is keyed on content, never on a path or a
// line, so it survives refactoring, as architecture findings span files.
type Exclusion struct {
	// Rule selects the rule: an ID, a name, an area or a preset.
	Rule string
	// Services are the services the finding involves, exactly (order and
	// case of the list do not matter to the match of the set; names do).
	// Empty matches any set, and then Fingerprint is required.
	Services []string
	// Fingerprint, when set, narrows the exclusion to one finding identity.
	Fingerprint string
	// Reason says why the coupling is accepted; the config requires it.
	Reason string
}

// matches reports whether the exclusion covers f, reported by r.
func (x *Exclusion) matches(f *Finding, r *Rule, pol *Policy) bool {
	if !pol.Matches(x.Rule, r) {
		return false
	}
	if x.Fingerprint != "" && !strings.EqualFold(x.Fingerprint, f.Fingerprint) {
		return false
	}
	if len(x.Services) == 0 {
		return x.Fingerprint != ""
	}
	want := sortedUnique(x.Services)
	if len(want) != len(f.Services) {
		return false
	}
	for i := range want {
		if want[i] != f.Services[i] {
			return false
		}
	}
	return true
}

// applyExclusions drops the findings a config exclusion covers and counts
// them in Excluded.
func (res *Result) applyExclusions(in []Finding, rules []*Rule, pol *Policy) []Finding {
	if len(pol.Exclusions) == 0 {
		return in
	}
	byID := map[string]*Rule{}
	for _, r := range rules {
		byID[r.ID] = r
	}
	out := in[:0]
	for _, f := range in {
		r := byID[f.RuleID]
		hit := false
		for i := range pol.Exclusions {
			if r != nil && pol.Exclusions[i].matches(&f, r, pol) {
				hit = true
				break
			}
		}
		if hit {
			res.Excluded++
			continue
		}
		out = append(out, f)
	}
	return out
}
