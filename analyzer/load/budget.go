package load

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultFileTimeout is how long one file may take to parse.
const DefaultFileTimeout = 10 * time.Second

// eachWithin runs parse(i) for every i in 0..n-1 on the worker pool (as
// each does), each under the per-file time budget, and returns the results
// by index. A panic becomes a problem naming file(i), and that result is
// left zero. A parse that overruns the budget is abandoned (Go cannot stop
// it; some parsers never look at a context): a watchdog records the file as
// a problem and the load as incomplete, and a new worker takes the place of
// the one left running, which drops its result whenever it ends, so nothing
// it does later can race. Items run on the workers themselves, with no
// goroutine, channel or timer of their own.
func eachWithin[T any](ctx context.Context, l *loader, n int, file func(int) string, parse func(int) T) []T {
	out := make([]T, n)
	if n == 0 {
		return out
	}
	budget := l.opts.FileTimeout
	if budget <= 0 {
		budget = DefaultFileTimeout
	}
	workers := min(l.workers(), n)

	// A worker's slot says which item it runs and since when; the watchdog
	// reads it to find overruns.
	type slot struct {
		mu        sync.Mutex
		item      int
		since     time.Time
		busy      bool
		abandoned bool
	}
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		slotsMu sync.Mutex
		slots   []*slot
	)
	done := ctx.Done()
	run := func(s *slot) {
		for {
			i := int(next.Add(1) - 1)
			stop := i >= n
			if !stop {
				select {
				case <-done:
					stop = true
				default:
				}
			}
			if stop {
				wg.Done()
				return
			}
			s.mu.Lock()
			s.item, s.since, s.busy = i, time.Now(), true
			s.mu.Unlock()
			v, crash := guarded(parse, i)
			s.mu.Lock()
			if s.abandoned {
				s.mu.Unlock()
				return // the watchdog has counted this worker out
			}
			s.busy = false
			s.mu.Unlock()
			if crash != nil {
				l.problem(file(i), 0, 0, "parser crashed on this file: %v", crash)
				continue
			}
			out[i] = v
		}
	}
	start := func() {
		s := &slot{}
		slotsMu.Lock()
		slots = append(slots, s)
		slotsMu.Unlock()
		wg.Add(1)
		go run(s)
	}
	for range workers {
		start()
	}

	stopWatch := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		tick := time.NewTicker(min(max(budget/20, time.Millisecond), 50*time.Millisecond))
		defer tick.Stop()
		for {
			select {
			case <-stopWatch:
				return
			case now := <-tick.C:
				slotsMu.Lock()
				current := slices.Clone(slots)
				slotsMu.Unlock()
				for _, s := range current {
					s.mu.Lock()
					overrun := s.busy && !s.abandoned && now.Sub(s.since) >= budget
					s.abandoned = s.abandoned || overrun
					item := s.item
					s.mu.Unlock()
					if overrun {
						l.problem(file(item), 0, 0, "parsing took longer than %s; file skipped", budget)
						l.incomplete(fmt.Sprintf("%s: parse abandoned after %s", file(item), budget))
						start()   // a worker in its place
						wg.Done() // the abandoned one, counted out
					}
				}
			}
		}
	}()
	wg.Wait()
	close(stopWatch)
	<-watched
	return out
}

// guarded runs parse(i), returning what a panic carried instead of
// unwinding.
func guarded[T any](parse func(int) T, i int) (v T, crash any) {
	defer func() {
		if p := recover(); p != nil {
			crash = p
		}
	}()
	return parse(i), nil
}

// incomplete records that the load did not read everything it should have.
func (l *loader) incomplete(reason string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.finished {
		return
	}
	l.repo.Incomplete = append(l.repo.Incomplete, reason)
}
