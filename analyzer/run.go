package analyzer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// Result is the outcome of one run.
type Result struct {
	// Rules are the rules that ran, in ID order.
	Rules []*Rule
	// Findings are sorted by file, line, column, rule and message.
	Findings []Finding
	// Failures are rules that returned an error or panicked.
	Failures []Failure
	// Suppressed counts findings hidden by decouple:ignore directives;
	// Ignored counts findings dropped by ignore globs.
	Suppressed, Ignored int
	// Excluded counts findings dropped by config exclusions.
	Excluded int
}

// Failure is a rule that broke.
type Failure struct {
	RuleID  string
	Message string
}

// Run runs the rules the policy selects over repo and applies the policy to
// what they report. The error is for an invalid policy; a broken rule is a
// Failure in the result and the other rules still run.
func Run(repo *facts.Repo, rules []*Rule, pol Policy) (*Result, error) {
	selected, err := pol.Select(rules)
	if err != nil {
		return nil, err
	}
	settings := pol.Settings
	if settings == nil {
		settings = DefaultSettings()
	}
	res := &Result{Rules: selected}

	perRule := make([][]Finding, len(selected))
	failures := make([]*Failure, len(selected))
	var wg sync.WaitGroup
	for i, r := range selected {
		if r.Run == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			perRule[i], failures[i] = runOne(r, repo, settings)
		}()
	}
	wg.Wait()

	var all []Finding
	for i, r := range selected {
		if failures[i] != nil {
			res.Failures = append(res.Failures, *failures[i])
		}
		for _, f := range perRule[i] {
			all = append(all, stamp(f, r, pol.severityFor(r)))
		}
	}

	all = res.applyIgnores(all, &pol)
	all = res.applyExclusions(all, rules, &pol)
	all = res.applySuppressions(all, repo, rules, selected, &pol)
	res.Findings = dedupSorted(all)
	return res, nil
}

func runOne(r *Rule, repo *facts.Repo, settings *Settings) (found []Finding, fail *Failure) {
	defer func() {
		if p := recover(); p != nil {
			fail = &Failure{RuleID: r.ID, Message: fmt.Sprintf("panic: %v\n%s", p, firstFrames(debug.Stack()))}
		}
	}()
	pass := &Pass{Rule: r, Repo: repo, Settings: settings, report: func(f Finding) { found = append(found, f) }}
	if err := r.Run(pass); err != nil {
		return found, &Failure{RuleID: r.ID, Message: err.Error()}
	}
	return found, nil
}

// firstFrames keeps the part of a stack that names the panicking code.
func firstFrames(stack []byte) string {
	lines := strings.Split(strings.TrimSpace(string(stack)), "\n")
	if len(lines) > 12 {
		lines = lines[:12]
	}
	return strings.Join(lines, "\n")
}

func stamp(f Finding, r *Rule, sev Severity) Finding {
	f.RuleID, f.RuleName, f.Severity = r.ID, r.Name, sev
	if len(f.Services) == 0 {
		set := map[string]bool{}
		if f.Service != "" {
			set[f.Service] = true
		}
		for _, rel := range f.Related {
			if rel.Service != "" {
				set[rel.Service] = true
			}
		}
		for s := range set {
			f.Services = append(f.Services, s)
		}
	}
	f.Services = sortedUnique(f.Services)
	entity := f.Entity
	if entity == "" {
		entity = f.Pos.File + "\x00" + f.Message
	}
	sum := sha256.Sum256([]byte(f.RuleID + "\x00" + strings.Join(f.Services, ",") + "\x00" + entity))
	f.Fingerprint = hex.EncodeToString(sum[:8])
	return f
}

func sortedUnique(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := append([]string(nil), in...)
	sort.Strings(out)
	j := 0
	for i := range out {
		if i == 0 || out[i] != out[j-1] {
			out[j] = out[i]
			j++
		}
	}
	return out[:j]
}

func (res *Result) applyIgnores(in []Finding, pol *Policy) []Finding {
	if len(pol.Ignore) == 0 && len(pol.IgnoreOnly) == 0 {
		return in
	}
	out := in[:0]
	for _, f := range in {
		if ignored(f, pol) {
			res.Ignored++
			continue
		}
		out = append(out, f)
	}
	return out
}

func ignored(f Finding, pol *Policy) bool {
	if matchAny(pol.Ignore, f.Pos.File) {
		return true
	}
	for sel, globs := range pol.IgnoreOnly {
		if strings.EqualFold(sel, f.RuleID) || strings.EqualFold(sel, f.RuleName) ||
			strings.EqualFold(sel, strings.TrimRight(f.RuleID, "0123456789")) || pol.presetHas(sel, f.RuleID) {
			if matchAny(globs, f.Pos.File) {
				return true
			}
		}
	}
	return false
}

func (p *Policy) presetHas(sel, id string) bool {
	for name, ids := range p.Presets {
		if strings.EqualFold(name, sel) {
			for _, x := range ids {
				if x == id {
					return true
				}
			}
		}
	}
	return false
}

// matchAny matches a repo-relative path against globs; a glob naming a
// directory ("legacy/" or "legacy") covers everything below it.
func matchAny(globs []string, file string) bool {
	for _, g := range globs {
		g = strings.TrimPrefix(strings.TrimSpace(g), "./")
		if g == "" {
			continue
		}
		dir := strings.TrimSuffix(g, "/")
		if file == dir || strings.HasPrefix(file, dir+"/") {
			return true
		}
		if ok, _ := doublestar.Match(g, file); ok {
			return true
		}
		if ok, _ := doublestar.Match(dir+"/**", file); ok {
			return true
		}
	}
	return false
}

func (res *Result) applySuppressions(in []Finding, repo *facts.Repo, all, selected []*Rule, pol *Policy) []Finding {
	if len(repo.Suppressions) == 0 {
		return in
	}
	enabled := func(r *Rule) bool {
		for _, s := range selected {
			if s == r {
				return true
			}
		}
		return false
	}
	used := make([]bool, len(repo.Suppressions))
	valid := make([]bool, len(repo.Suppressions))
	var extra []Finding
	for i, s := range repo.Suppressions {
		known := pol.knows(s.Rule, all)
		valid[i] = known && strings.TrimSpace(s.Reason) != ""
		if valid[i] || !enabled(InvalidSuppression) {
			continue
		}
		why := "gives no reason"
		if !known {
			why = fmt.Sprintf("names no known rule %q", s.Rule)
		}
		extra = append(extra, stamp(Finding{
			Pos: s.Pos, Service: repo.ServiceOf(s.Pos.File), Entity: s.Pos.File + "\x00" + s.Rule,
			Message: fmt.Sprintf("decouple:ignore directive %s and suppresses nothing", why),
		}, InvalidSuppression, pol.severityFor(InvalidSuppression)))
	}
	out := in[:0]
	for _, f := range in {
		hit := false
		for i, s := range repo.Suppressions {
			if valid[i] && s.Pos.File == f.Pos.File && f.Pos.Line >= s.Lines[0] && f.Pos.Line <= s.Lines[1] &&
				(strings.EqualFold(s.Rule, f.RuleID) || strings.EqualFold(s.Rule, f.RuleName) ||
					strings.EqualFold(s.Rule, strings.TrimRight(f.RuleID, "0123456789"))) {
				used[i], hit = true, true
			}
		}
		if hit {
			res.Suppressed++
			continue
		}
		out = append(out, f)
	}
	if enabled(UnusedSuppression) {
		for i, s := range repo.Suppressions {
			if !valid[i] || used[i] || !suppressesEnabledRule(s.Rule, selected, pol) {
				continue
			}
			out = append(out, stamp(Finding{
				Pos: s.Pos, Service: repo.ServiceOf(s.Pos.File), Entity: s.Pos.File + "\x00" + s.Rule + "\x00" + s.Reason,
				Message: fmt.Sprintf("decouple:ignore %s suppresses nothing here; remove it", s.Rule),
			}, UnusedSuppression, pol.severityFor(UnusedSuppression)))
		}
	}
	return append(out, extra...)
}

func suppressesEnabledRule(sel string, selected []*Rule, pol *Policy) bool {
	for _, r := range selected {
		if r.Run != nil && pol.Matches(sel, r) {
			return true
		}
	}
	return false
}

// dedupSorted sorts findings and drops exact repeats of (rule, position,
// message).
func dedupSorted(in []Finding) []Finding {
	sort.SliceStable(in, func(i, j int) bool { return LessFinding(in[i], in[j]) })
	out := in[:0]
	for i, f := range in {
		if i > 0 {
			p := out[len(out)-1]
			if p.RuleID == f.RuleID && p.Pos == f.Pos && p.Message == f.Message {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

// LessFinding is the one order of findings: by position, rule, message and
// fingerprint.
func LessFinding(a, b Finding) bool {
	if a.Pos != b.Pos {
		return a.Pos.Less(b.Pos)
	}
	if a.RuleID != b.RuleID {
		return a.RuleID < b.RuleID
	}
	if a.Message != b.Message {
		return a.Message < b.Message
	}
	return a.Fingerprint < b.Fingerprint
}

// Counts returns how many findings there are at each severity.
func (res *Result) Counts() map[Severity]int {
	c := map[Severity]int{}
	for _, f := range res.Findings {
		c[f.Severity]++
	}
	return c
}

// Failed reports whether any finding is at or above threshold. A zero
// threshold never fails.
func (res *Result) Failed(threshold Severity) bool {
	if threshold == 0 {
		return false
	}
	for _, f := range res.Findings {
		if f.Severity >= threshold {
			return true
		}
	}
	return false
}
