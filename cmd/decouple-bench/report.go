package main

import (
	"fmt"
	"io"
	"runtime"
	"strings"
)

// The decouple phases compared with a floor: the phase names --stats
// prints.
const (
	phaseRead = "walk+read"
	phaseGo   = "parse:go"
	// phaseGoPackages builds the packages and resolves the imports parse:go
	// read; the Go import facts are the two together.
	phaseGoPackages = "parse:go-packages"
	phaseHistory    = "parse:history"
	phaseTotal      = "total"
)

// peerPhase is the decouple phase that does the part of the work a peer
// does.
var peerPhase = map[string]string{peerGolangci: phaseGo, peerBuf: "parse:proto", peerVacuum: "parse:openapi"}

// report renders the results as Markdown.
type report struct {
	cfg     *config
	corpora []*corpus
	notes   []string
}

func (r *report) write(w io.Writer) {
	fmt.Fprintf(w, "# decouple-bench\n\n%s/%s, GOMAXPROCS %d, %s; medians of %d runs after one warm-up, interleaved.\n",
		runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), runtime.Version(), r.cfg.runs)
	for _, cp := range r.corpora {
		r.corpusTables(w, cp)
	}
	r.scaling(w)
	r.targets(w)
	if len(r.notes) > 0 {
		fmt.Fprintln(w, "\nNotes:")
		for _, n := range r.notes {
			fmt.Fprintln(w, "- "+n)
		}
	}
}

func secs(v float64) string { return fmt.Sprintf("%.3f s", v) }

func ratio(a, b float64) string {
	if b <= 0 || a <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// floorSum is the sum of the medians of the floors measured.
func floorSum(cp *corpus) float64 {
	sum := 0.0
	for _, name := range []string{floorRead, floorImports, floorGitLog} {
		sum += cp.results[name].wall
	}
	return sum
}

func (r *report) corpusTables(w io.Writer, cp *corpus) {
	what := "no git history"
	if cp.git {
		what = fmt.Sprintf("git history (window %d commits)", r.cfg.window)
	}
	svcs := ""
	if cp.services > 0 {
		svcs = fmt.Sprintf("%d services, ", cp.services)
	}
	fmt.Fprintf(w, "\n## %s: %s%d input files, %.1f MB, %s\n\n", cp.name, svcs, cp.files, float64(cp.bytes)/1e6, what)
	if cp.verified != nil {
		fmt.Fprintf(w, "Findings against the generator's expected.json: %s.\n\n", cp.verified)
	}
	fmt.Fprintln(w, "| program | median | min–max | CPU | peak RSS | ratio |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---|")
	floors := floorSum(cp)
	dec, hasDec := cp.results[decoupleTask]
	row := func(name string, s summary, note string) {
		fmt.Fprintf(w, "| %s | %s | %.3f–%.3f s | %.2f s | %.0f MB | %s |\n", name, secs(s.wall), s.wmin, s.wmax, s.cpu, s.rssMB, note)
	}
	for _, t := range cp.tasks {
		s, ok := cp.results[t.name]
		if !ok {
			fmt.Fprintf(w, "| %s | failed | | | | |\n", t.name)
			continue
		}
		switch t.kind {
		case "floor":
			row(t.name, s, "")
		case "decouple":
			fmt.Fprintf(w, "| **sum of the floors** | **%s** | | | | 1.00× |\n", secs(floors))
			row("**decouple check**", s, "**"+ratio(s.wall, floors)+" the floors**")
		case "decouple-history":
			note := "history facts alone (" + phaseHistory + " " + secs(s.phases[phaseHistory]/1000) + "): " +
				ratio(s.phases[phaseHistory]/1000, cp.results[floorGitLog].wall) + " " + floorGitLog
			row(t.name, s, note)
		case "reference":
			note := "not a floor, not in the sum"
			if hasDec {
				note = fmt.Sprintf("%.0f%% of decouple check; not a floor, not in the sum", 100*s.wall/dec.wall)
			}
			row(t.name, s, note)
		case "peer":
			note := ""
			if hasDec {
				note = ratio(s.wall, dec.wall) + " decouple check"
				if ph := peerPhase[t.name]; dec.phases[ph] > 0 {
					note += "; " + ratio(s.wall, dec.phases[ph]/1000) + " decouple's " + ph
				}
			}
			row(t.name, s, note)
		}
	}
	if !hasDec {
		return
	}
	fmt.Fprintln(w, "\n| decouple phase (--stats) | median | min | ratio |")
	fmt.Fprintln(w, "|---|---:|---:|---|")
	for _, name := range dec.order {
		ms := dec.phases[name]
		note := ""
		switch name {
		case phaseRead:
			note = ratio(ms/1000, cp.results[floorRead].wall) + " " + floorRead
		case phaseGo:
			note = ratio(ms/1000, cp.results[floorImports].wall) + " " + floorImports
		case phaseHistory:
			note = "in the background from the sources phase on, beside the parsers"
		case phaseTotal:
			note = fmt.Sprintf("%.0f µs per input file", ms*1000/float64(max(cp.files, 1)))
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", name, secs(ms/1000), secs(dec.phaseMins[name]/1000), note)
	}
}

func (r *report) scaling(w io.Writer) {
	fmt.Fprintln(w, "\n## Scaling")
	fmt.Fprintln(w, "\n| corpus | input files | MB | decouple check | µs per file | peak RSS | sum of the floors | ratio | golangci-lint | peer ratio |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, cp := range r.corpora {
		d, ok := cp.results[decoupleTask]
		if !ok {
			continue
		}
		g, gok := cp.results[peerGolangci]
		gs, gr := "–", "–"
		if gok {
			gs, gr = secs(g.wall), ratio(g.wall, d.wall)
		}
		fmt.Fprintf(w, "| %s | %d | %.1f | %s | %.0f | %.0f MB | %s | %s | %s | %s |\n", cp.name, cp.files, float64(cp.bytes)/1e6,
			secs(d.wall), d.wall*1e6/float64(max(cp.files, 1)), d.rssMB, secs(floorSum(cp)), ratio(d.wall, floorSum(cp)), gs, gr)
	}
}

// targets checks the figures of the performance issue.
func (r *report) targets(w io.Writer) {
	fmt.Fprintln(w, "\n## Targets")
	fmt.Fprintln(w)
	line := func(ok bool, format string, args ...any) {
		mark := "FAIL"
		if ok {
			mark = "ok  "
		}
		fmt.Fprintf(w, "- %s %s\n", mark, fmt.Sprintf(format, args...))
	}
	for _, cp := range r.corpora {
		d, ok := cp.results[decoupleTask]
		if !ok {
			continue
		}
		fs := floorSum(cp)
		line(d.wall <= 2*fs, "%s: decouple check %s ≤ 2× the floors (%s): %s", cp.name, secs(d.wall), secs(fs), ratio(d.wall, fs))
		if y, ok := cp.results[refYAML]; ok {
			fmt.Fprintf(w, "- info %s: the floors plus the YAML decode reference (%s) come to %s; decouple check is %s that\n",
				cp.name, secs(y.wall), secs(fs+y.wall), ratio(d.wall, fs+y.wall))
		}
		if cp.services >= 2000 {
			line(d.rssMaxMB < 500, "%s: peak RSS %.0f MB (max of runs) < 500 MB", cp.name, d.rssMaxMB)
		}
		if g := (d.phases[phaseGo] + d.phases[phaseGoPackages]) / 1000; g > 0 {
			fl := cp.results[floorImports].wall
			line(g <= 1.5*fl, "%s: Go import facts (%s + %s) %s ≤ 1.5× the imports floor (%s): %s", cp.name, phaseGo, phaseGoPackages, secs(g), secs(fl), ratio(g, fl))
			if p, ok := cp.results[peerGolangci]; ok {
				line(p.wall >= 10*g, "%s: golangci-lint (depguard) %s ≥ 10× decouple's Go facts: %s", cp.name, secs(p.wall), ratio(p.wall, g))
			}
		} else {
			fmt.Fprintf(w, "- n/a  %s: decouple reports no %s phase\n", cp.name, phaseGo)
		}
		if h := cp.results[historyTask].phases[phaseHistory] / 1000; h > 0 && cp.git {
			fl := cp.results[floorGitLog].wall
			line(h <= 1.5*fl, "%s: history facts %s (alone) ≤ 1.5× git log (%s): %s", cp.name, secs(h), secs(fl), ratio(h, fl))
		} else if cp.git {
			fmt.Fprintf(w, "- n/a  %s: %s reports no %s phase\n", cp.name, historyTask, phaseHistory)
		}
	}
	var per []string
	for _, cp := range r.corpora {
		if d, ok := cp.results[decoupleTask]; ok && cp.services > 0 {
			per = append(per, fmt.Sprintf("%s %.0f µs", cp.name, d.wall*1e6/float64(max(cp.files, 1))))
		}
	}
	if len(per) > 1 {
		fmt.Fprintf(w, "- time per input file (should stay about constant): %s\n", strings.Join(per, ", "))
	}
}
