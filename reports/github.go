package reports

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
)

// githubPerLevel is how many annotations of one level GitHub shows for a
// step; it drops the rest silently.
const githubPerLevel = 10

// writeGitHub writes GitHub Actions workflow commands, one annotation per
// finding (::error, ::warning, ::notice), at most ten per level, then one
// notice counting what was left out. Rule failures come first: an
// incomplete analysis matters more than any one finding.
func writeGitHub(w io.Writer, r *Report, _ Options) error {
	bw := bufio.NewWriter(w)
	type annotation struct {
		level string
		props [][2]string
		msg   string
	}
	var all []annotation
	for _, fl := range r.Failures {
		all = append(all, annotation{"error", [][2]string{{"title", "decouple: rule " + fl.RuleID + " failed"}},
			"rule " + fl.RuleID + " failed, the analysis is incomplete: " + firstLine(fl.Message)})
	}
	for _, msg := range r.Incomplete {
		all = append(all, annotation{"error", [][2]string{{"title", "decouple: analysis incomplete"}}, "analysis incomplete: " + msg})
	}
	for _, f := range r.Findings {
		props := [][2]string{{"file", f.Pos.File}}
		if f.Pos.Line > 0 {
			props = append(props, [2]string{"line", strconv.Itoa(f.Pos.Line)})
			if f.Pos.Col > 0 {
				props = append(props, [2]string{"col", strconv.Itoa(f.Pos.Col)})
			}
		}
		props = append(props, [2]string{"title", ruleLabel(f)})
		all = append(all, annotation{githubLevel(f.Severity), props, withRelated(f)})
	}

	// Leave room for the closing notice among the ten notices when
	// anything is cut.
	count := map[string]int{}
	for _, a := range all {
		count[a.level]++
	}
	limit := map[string]int{"error": githubPerLevel, "warning": githubPerLevel, "notice": githubPerLevel}
	if count["error"] > githubPerLevel || count["warning"] > githubPerLevel || count["notice"] > githubPerLevel {
		limit["notice"] = githubPerLevel - 1
	}
	shown := map[string]int{}
	left := 0
	for _, a := range all {
		if shown[a.level] == limit[a.level] {
			left++
			continue
		}
		shown[a.level]++
		fmt.Fprintf(bw, "::%s %s::%s\n", a.level, githubProps(a.props), githubData(a.msg))
	}
	if left > 0 {
		fmt.Fprintf(bw, "::notice title=%s::%s\n", githubProperty("decouple: more findings"),
			githubData(fmt.Sprintf("%d more %s not shown as annotations (GitHub shows %d per level); see the job log or the code scanning alerts",
				left, pluralWord(left, "finding"), githubPerLevel)))
	}
	return bw.Flush()
}

func githubLevel(s analyzer.Severity) string {
	switch s {
	case analyzer.Error:
		return "error"
	case analyzer.Warning:
		return "warning"
	}
	return "notice"
}

func githubProps(props [][2]string) string {
	parts := make([]string, len(props))
	for i, p := range props {
		parts[i] = p[0] + "=" + githubProperty(p[1])
	}
	return strings.Join(parts, ",")
}

// githubData escapes the message of a workflow command: '%' first, then CR
// and LF, so that no text can end the command or start another.
func githubData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(scrub(s))
}

// githubProperty escapes a property value: as data, plus ':' and ',', which
// would end the value.
func githubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(scrub(s))
}

func pluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
