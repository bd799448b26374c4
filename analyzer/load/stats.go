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
	// Parsers are the per-kind parsers that ran inside PhaseParse, in the
	// order they ran; their times are part of PhaseParse's.
	Parsers []Phase
	mu      sync.Mutex
	// Files and Bytes count the inputs read.
	Files int
	Bytes int64
}

// Phase is one timed step of a load.
type Phase struct {
	Name     string
	Duration time.Duration
}

// The phases of a load. Parsers run inside PhaseParse.
const (
	PhaseRead     = "walk+read"
	PhaseClassify = "classify"
	PhaseDiscover = "discover"
	PhaseParse    = "parse"
	PhaseFinish   = "finish"
)

// time runs fn and records its duration as the phase name.
func (s *Stats) time(name string, fn func()) {
	start := time.Now()
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
	s.Parsers = append(s.Parsers, Phase{Name: PhaseParse + ":" + name, Duration: d})
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
