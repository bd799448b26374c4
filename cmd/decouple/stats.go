package main

import (
	"fmt"
	"io"
	"time"

	"github.com/decouplehq/decouple/analyzer/load"
)

// runStats are the phase timings of one check or report (--stats).
type runStats struct {
	load   *load.Stats
	rules  time.Duration
	report time.Duration // the score and the report model
	render time.Duration
}

// writeStats prints one line per phase, "name  milliseconds ms", the
// parsers indented below the phase they ran in (their times are part of
// it; some run side by side, so they may add up to more), then the total;
// decouple-bench reads these lines.
func writeStats(w io.Writer, s *runStats) {
	fmt.Fprintf(w, "decouple: phase timings (wall clock; %d files, %.1f MB read)\n", s.load.Files, float64(s.load.Bytes)/1e6)
	total := s.load.Total() + s.rules + s.report + s.render
	line := func(name string, d time.Duration) {
		fmt.Fprintf(w, "  %-22s %10.1f ms\n", name, float64(d.Microseconds())/1000)
	}
	for _, p := range s.load.Phases {
		line(p.Name, p.Duration)
		for _, q := range s.load.Parsers {
			if q.In == p.Name {
				line("  "+q.Name, q.Duration)
			}
		}
	}
	line("rules", s.rules)
	line("score+report", s.report)
	line("render", s.render)
	line("total", total)
}
