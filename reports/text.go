package reports

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/score"
)

// writeText writes one gcc-style line per finding,
// path:line:col: severity: message (ID name), its related positions
// indented below it, and a closing count.
func writeText(w io.Writer, r *Report, opts Options) error {
	bw := bufio.NewWriter(w)
	paint := newPalette(opts.Color)
	if opts.Summary {
		writeServices(bw, r, paint)
	}
	for _, f := range r.Findings {
		fmt.Fprintf(bw, "%s: %s: %s %s\n", paint.pos(location(f.Pos.File, f.Pos.Line, f.Pos.Col)),
			paint.severity(f.Severity), Clean(f.Message), paint.dim("("+f.RuleID+" "+f.RuleName+")"))
		for _, rel := range f.Related {
			msg := rel.Message
			if msg == "" && rel.Service != "" {
				msg = "service " + rel.Service
			}
			fmt.Fprintf(bw, "    %s: %s\n", paint.pos(location(rel.Pos.File, rel.Pos.Line, rel.Pos.Col)), Clean(msg))
		}
	}
	for _, fl := range r.Failures {
		fmt.Fprintf(bw, "%s: rule %s failed: %s\n", paint.severity(analyzer.Error), fl.RuleID, Clean(firstLine(fl.Message)))
	}
	for _, msg := range r.Incomplete {
		fmt.Fprintf(bw, "%s: analysis incomplete: %s\n", paint.severity(analyzer.Error), Clean(msg))
	}
	fmt.Fprintln(bw, paint.dim(summaryLine(r)))
	return bw.Flush()
}

func writeServices(w io.Writer, r *Report, paint palette) {
	fmt.Fprintf(w, "%s %s: %d services, %d files analysed\n\n", paint.bold("decouple report"), Clean(r.Root), len(r.Services), r.Stats.FilesAnalyzed)
	sc := r.Score
	if len(sc.Dimensions) > 0 {
		fmt.Fprintf(w, "distributed-monolith index: %s (grade %s; 0 = independent services, 100 = a distributed monolith)\n",
			paint.bold(fmt.Sprintf("%d/100", sc.Index)), sc.Grade)
		for _, d := range append(append([]score.Dimension(nil), sc.Dimensions...), sc.MonolithInside) {
			fmt.Fprintf(w, "  %-16s %3d/100  weight %2d  +%4.1f  %s\n", d.Name, d.Score, d.Weight, d.Points, Clean(d.Measure))
		}
		for _, c := range sc.Clusters[:min(1, len(sc.Clusters))] {
			fmt.Fprintf(w, "  largest coupled cluster: %s\n", Clean(strings.Join(c.Services, ", ")))
		}
		for _, n := range sc.Notes {
			fmt.Fprintf(w, "  note: %s\n", Clean(n))
		}
		fmt.Fprintln(w)
	}
	perService := map[string]int{}
	for _, f := range r.Findings {
		for _, s := range f.Services {
			perService[s]++
		}
	}
	for _, s := range r.Services {
		root := s.Root
		if root == "" {
			root = "(no directory)"
		}
		fmt.Fprintf(w, "  %-20s %-32s %3d files  %3d findings\n", Clean(s.Name), Clean(root), s.Files, perService[s.Name])
	}
	fmt.Fprintln(w)
}

func summaryLine(r *Report) string {
	counts := map[analyzer.Severity]int{}
	for _, f := range r.Findings {
		counts[f.Severity]++
	}
	parts := []string{
		plural(counts[analyzer.Error], "error"),
		plural(counts[analyzer.Warning], "warning"),
		plural(counts[analyzer.Info], "info"),
	}
	s := fmt.Sprintf("%s (%s) in %s", plural(len(r.Findings), "finding"), strings.Join(parts, ", "), plural(len(r.Services), "service"))
	if r.Stats.Suppressed > 0 {
		s += fmt.Sprintf("; %d suppressed", r.Stats.Suppressed)
	}
	if len(r.Failures) > 0 {
		s += fmt.Sprintf("; %s failed", plural(len(r.Failures), "rule"))
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 || word == "info" {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func location(file string, line, col int) string {
	s := Clean(file)
	if line > 0 {
		s += fmt.Sprintf(":%d", line)
		if col > 0 {
			s += fmt.Sprintf(":%d", col)
		}
	}
	return s
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// palette colours text when enabled; it never touches fatih/color's
// package-level switch.
type palette struct{ on bool }

func newPalette(on bool) palette { return palette{on: on} }

func (p palette) paint(s string, attrs ...color.Attribute) string {
	if !p.on {
		return s
	}
	c := color.New(attrs...)
	c.EnableColor()
	return c.Sprint(s)
}

func (p palette) pos(s string) string  { return p.paint(s, color.Bold) }
func (p palette) dim(s string) string  { return p.paint(s, color.Faint) }
func (p palette) bold(s string) string { return p.paint(s, color.Bold) }

func (p palette) severity(s analyzer.Severity) string {
	switch s {
	case analyzer.Error:
		return p.paint(s.String(), color.FgRed, color.Bold)
	case analyzer.Warning:
		return p.paint(s.String(), color.FgYellow)
	}
	return p.paint(s.String(), color.FgCyan)
}
