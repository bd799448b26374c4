package reports

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// markdownLimit keeps the Markdown summary under GitHub's 1 MiB cap for a
// step summary, with room to spare.
const markdownLimit = 900 << 10

// markdownGraphNodes is the largest graph drawn as a Mermaid block; bigger
// ones are left to the HTML scorecard.
const markdownGraphNodes = 40

// writeMarkdown writes the scorecard summary for a pull-request comment or
// $GITHUB_STEP_SUMMARY: index, grade, breakdown, biggest cluster, what to fix
// first, the trend against a baseline, the graph and the findings (cut when
// the page would pass markdownLimit).
func writeMarkdown(w io.Writer, r *Report, _ Options) error {
	var b bytes.Buffer
	bw := bufio.NewWriter(&b)
	s, c := r.Score, r.Card
	if c == nil {
		c = &Card{}
	}
	fmt.Fprintf(bw, "## decouple scorecard: %s\n\n", mdText(r.Root))
	fmt.Fprintf(bw, "**Distributed-monolith index: %d / 100 — grade %s**", s.Index, s.Grade)
	if t := c.Trend; t != nil && t.HasScore {
		fmt.Fprintf(bw, " (%s since the baseline: %d → %d)", signedInt(t.Delta), t.Previous, t.Index)
	}
	fmt.Fprintf(bw, "\n\n0 means services that change, ship and run on their own; 100 a distributed monolith. %s, %s.\n\n",
		plural(s.Services, "service"), plural(len(r.Findings), "finding"))
	for _, n := range s.Notes {
		fmt.Fprintf(bw, "> %s\n\n", mdText(n))
	}

	fmt.Fprintln(bw, "| component | score | weight | points | findings | what was counted |")
	fmt.Fprintln(bw, "|---|--:|--:|--:|--:|---|")
	for _, d := range s.Dimensions {
		fmt.Fprintf(bw, "| %s | %d | %d | %.1f | %d | %s |\n", d.Name, d.Score, d.Weight, d.Points, d.Findings, mdText(d.Measure))
	}
	m := s.MonolithInside
	fmt.Fprintf(bw, "| %s | %d | %d | %.1f | – | %s |\n", m.Name, m.Score, m.Weight, m.Points, mdText(m.Measure))
	fmt.Fprintf(bw, "| **index** | | 100 | **%d** | | the sum of the points, rounded |\n\n", s.Index)

	if len(s.Clusters) > 0 {
		cl := s.Clusters[0]
		fmt.Fprintf(bw, "**Biggest coupled cluster** (the monolith inside): %d of %d services — %s.\n\n",
			len(cl.Services), s.Services, mdList(cl.Services))
	}

	if t := c.Trend; t != nil {
		fmt.Fprintln(bw, "### Against the baseline")
		fmt.Fprintln(bw)
		if t.HasScore {
			fmt.Fprintln(bw, "| dimension | before | now | change |")
			fmt.Fprintln(bw, "|---|--:|--:|--:|")
			for _, d := range t.Dimensions {
				fmt.Fprintf(bw, "| %s | %d | %d | %s |\n", d.Name, d.Previous, d.Score, signedInt(d.Delta))
			}
			fmt.Fprintln(bw)
		}
		fmt.Fprintf(bw, "%s, %d fixed.\n\n", plural(len(t.New), "new finding"), len(t.Fixed))
		for _, i := range t.New[:min(len(t.New), 20)] {
			f := r.Findings[i]
			fmt.Fprintf(bw, "- new: `%s` %s %s\n", mdCode(location(f.Pos.File, f.Pos.Line, 0)), f.RuleID, mdText(f.Message))
		}
		for _, f := range t.Fixed[:min(len(t.Fixed), 20)] {
			fmt.Fprintf(bw, "- fixed: `%s` %s %s\n", mdCode(location(f.File, f.Line, 0)), mdText(f.Rule), mdText(f.Message))
		}
		if len(t.New) > 20 || len(t.Fixed) > 20 {
			fmt.Fprintln(bw, "- … the JSON report lists them all")
		}
		fmt.Fprintln(bw)
	}

	if len(c.FixFirst) > 0 {
		fmt.Fprintln(bw, "### Fix first")
		fmt.Fprintln(bw)
		for n, i := range c.FixFirst {
			f := r.Findings[i]
			fmt.Fprintf(bw, "%d. **%s** %s `%s` — %s\n", n+1, f.Severity, f.RuleID, mdCode(location(f.Pos.File, f.Pos.Line, 0)), mdText(f.Message))
		}
		fmt.Fprintln(bw)
	}

	if n := len(s.Graph.Nodes); n > 0 && n <= markdownGraphNodes && len(s.Graph.Edges) > 0 {
		fmt.Fprintln(bw, "<details><summary>Service graph</summary>")
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "```mermaid")
		writeMermaidGraph(bw, r)
		fmt.Fprintln(bw, "```")
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "</details>")
		fmt.Fprintln(bw)
	}

	if len(r.Findings) > 0 {
		fmt.Fprintf(bw, "<details><summary>All %s</summary>\n\n", plural(len(r.Findings), "finding"))
		fmt.Fprintln(bw, "| severity | rule | where | finding |")
		fmt.Fprintln(bw, "|---|---|---|---|")
		for i, f := range r.Findings {
			if bw.Flush(); b.Len() > markdownLimit {
				fmt.Fprintf(bw, "\n… %d more findings are not shown here; the JSON or HTML report has them all.\n", len(r.Findings)-i)
				break
			}
			fmt.Fprintf(bw, "| %s | %s | `%s` | %s |\n", f.Severity, f.RuleID, mdCode(location(f.Pos.File, f.Pos.Line, 0)), mdText(f.Message))
		}
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "</details>")
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// mdText escapes untrusted text for Markdown (tables included): control
// characters become escapes, and every character Markdown or HTML reads is
// backslash-escaped or written as an entity.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range Clean(s) {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '|', '\\', '`', '*', '_', '[', ']', '#', '~', '!', '$':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode makes text safe inside a single-backtick code span in a table.
func mdCode(s string) string {
	s = strings.ReplaceAll(s, "`", "'")
	return strings.ReplaceAll(s, "|", `\|`)
}

func mdList(list []string) string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = mdText(s)
	}
	return strings.Join(out, ", ")
}

func signedInt(n int) string {
	if n > 0 {
		return fmt.Sprintf("+%d", n)
	}
	return fmt.Sprint(n)
}
