package reports

import (
	"fmt"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
)

// scrub prepares untrusted text (messages, file names) for the CI formats:
// invalid UTF-8 becomes U+FFFD, and control and bidi characters other than
// tab, CR and LF are written as visible escapes, so no terminal escape
// sequence or reordering character reaches a log, an annotation or an XML
// file. Tab, CR and LF are kept: each format escapes them its own way.
func scrub(s string) string {
	return escapeControls(s, func(r rune) bool { return r == '\t' || r == '\n' || r == '\r' })
}

// withRelated is a finding's message with the other side of the coupling
// appended, for the formats that show a single location (GitHub renders
// neither SARIF related locations nor several annotation positions). A
// finding that spans many services (one database shared by hundreds) names
// its first maxFlatRelated locations and counts the others: the JSON and
// SARIF reports list them all.
func withRelated(f analyzer.Finding) string {
	var b strings.Builder
	b.WriteString(f.Message)
	for i, rel := range f.Related {
		if i == maxFlatRelated {
			fmt.Fprintf(&b, "; and %d more related locations (the JSON and SARIF reports list them all)", len(f.Related)-i)
			break
		}
		what := rel.Message
		if what == "" && rel.Service != "" {
			what = "service " + rel.Service
		}
		b.WriteString("; see also ")
		b.WriteString(location(rel.Pos.File, rel.Pos.Line, 0))
		if what != "" {
			b.WriteString(" (" + what + ")")
		}
	}
	return scrub(b.String())
}

// maxFlatRelated is how many related locations withRelated writes out.
const maxFlatRelated = 20

// ruleLabel is "ID name", the title of an annotation or a test class.
func ruleLabel(f analyzer.Finding) string {
	if f.RuleName == "" {
		return f.RuleID
	}
	return f.RuleID + " " + f.RuleName
}

// lineOrOne is a 1-based line for formats that require one.
func lineOrOne(line int) int { return max(line, 1) }

// uniqueFingerprints returns the findings' fingerprints with an occurrence
// suffix on repeats ("…-2", "…-3"): one entity reported at several places
// must still make distinct alerts (GitLab hides repeated fingerprints, GitHub
// merges them). Stable across runs as long as the findings' order is.
func uniqueFingerprints(findings []analyzer.Finding) []string {
	out := make([]string, len(findings))
	seen := map[string]int{}
	for i, f := range findings {
		seen[f.Fingerprint]++
		out[i] = f.Fingerprint
		if n := seen[f.Fingerprint]; n > 1 {
			out[i] = fmt.Sprintf("%s-%d", f.Fingerprint, n)
		}
	}
	return out
}
