package load

import (
	"bytes"
	"context"
	"strings"

	"github.com/decouplehq/decouple/analyzer/facts"
)

var ignoreDirective = []byte("decouple:ignore")

// scanSuppressions finds every decouple:ignore directive written in a
// comment (//, #, -- or /*) of an input file. A directive covers its own
// line and the next one, and may name several rules separated by commas.
func (l *loader) scanSuppressions(ctx context.Context) {
	found := make([][]facts.Suppression, len(l.inputs))
	l.each(ctx, len(l.inputs), func(i int) {
		if bytes.Contains(l.inputs[i].data, ignoreDirective) {
			l.guard(l.inputs[i].path, func() { found[i] = parseSuppressions(l.inputs[i]) })
		}
	})
	for _, s := range found {
		l.repo.Suppressions = append(l.repo.Suppressions, s...)
	}
}

func parseSuppressions(in *input) []facts.Suppression {
	var out []facts.Suppression
	for n, line := range bytes.Split(in.data, []byte("\n")) {
		i := bytes.Index(line, ignoreDirective)
		if i < 0 || !commentBefore(string(line[:i])) {
			continue
		}
		rest := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(string(line[i+len(ignoreDirective):])), "*/"))
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			fields = []string{""}
		}
		reason := strings.TrimSpace(strings.TrimPrefix(rest, fields[0]))
		reason = strings.TrimSpace(strings.TrimPrefix(reason, "--"))
		for _, rule := range strings.Split(fields[0], ",") {
			out = append(out, facts.Suppression{
				Pos:    facts.Position{File: in.path, Line: n + 1, Col: i + 1},
				Rule:   rule,
				Reason: reason,
				Lines:  [2]int{n + 1, n + 2},
			})
		}
	}
	return out
}

// commentBefore reports whether the text before a directive opens a comment.
func commentBefore(prefix string) bool {
	p := strings.TrimSpace(prefix)
	for _, marker := range []string{"//", "#", "--", "/*"} {
		if strings.HasSuffix(p, marker) {
			return true
		}
	}
	return false
}
