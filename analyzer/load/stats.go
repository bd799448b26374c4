package load

import (
	"sync"
	"time"
)

// Stats says how long each phase of one load took (wall clock) and how much
// it read. RepoStats returns it; nothing else keeps it.
type Stats struct {
	// Phases are in the order they ran.
	Phases []Phase
	// Parsers are the per-kind parsers, in the order they ended; the time
	// of each is part of the phase it ran in (In: PhaseSources or
	// PhaseParse), except the history's: git log runs in the background
	// from the sources phase on, and its time, counted from then, is
	// listed in PhaseParse where it ends.
	Parsers []Phase
	mu      sync.Mutex
	current string // the phase running
	// Files and Bytes count the inputs read.
	Files int
	Bytes int64
}

// Phase is one timed step of a load.
type Phase struct {
	Name     string
	Duration time.Duration
	In       string // for a parser, the phase it ran in
}

// The phases of a load. Parsers run inside PhaseSources (those of Go and
// proto sources, which run before anything else is decoded) and
// PhaseParse.
const (
	PhaseRead     = "walk+read"
	PhaseSources  = "sources"
	PhaseClassify = "classify"
	PhaseDiscover = "discover"
	PhaseParse    = "parse"
	PhaseFinish   = "finish"
)

// time runs fn and records its duration as the phase name.
func (s *Stats) time(name string, fn func()) {
	start := time.Now()
	s.mu.Lock()
	s.current = name
	s.mu.Unlock()
	fn()
	s.add(name, start)
}

// add records a phase that started at start and ends now.
func (s *Stats) add(name string, start time.Time) {
	s.Phases = append(s.Phases, Phase{Name: name, Duration: time.Since(start)})
}

// parser records the time of one parser of the parse phase; call it as
// defer l.stats.parser("proto", time.Now()).
func (s *Stats) parser(name string, start time.Time) {
	if s == nil {
		return
	}
	d := time.Since(start)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Parsers = append(s.Parsers, Phase{Name: PhaseParse + ":" + name, Duration: d, In: s.current})
}

// count records the inputs read.
func (s *Stats) count(inputs []*input) {
	for _, in := range inputs {
		s.Files++
		s.Bytes += int64(len(in.data))
	}
}

// Total is the sum of the phases.
func (s *Stats) Total() time.Duration {
	var d time.Duration
	for _, p := range s.Phases {
		d += p.Duration
	}
	return d
}
