package deploy

import (
	"sort"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// strongestRef returns the first step that ships svc with the job's
// strongest verb for it, and the reference.
func strongestRef(j *facts.CIJob, svc string) (best facts.CIStep, ref facts.ServiceRef, ok bool) {
	for _, st := range j.Steps {
		if st.Verb == "" || (ok && facts.VerbRank(st.Verb) <= facts.VerbRank(best.Verb)) {
			continue
		}
		for _, r := range st.Refs {
			if r.Service == svc {
				best, ref, ok = st, r, true
				break
			}
		}
	}
	return best, ref, ok
}

// union returns every service of every leg, sorted.
func union(legs map[string][]string) []string {
	set := map[string]bool{}
	for _, l := range legs {
		for _, s := range l {
			set[s] = true
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if contains(b, x) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sorted returns the two names in order.
func sorted(a, b string) []string {
	if b < a {
		return []string{b, a}
	}
	return []string{a, b}
}
