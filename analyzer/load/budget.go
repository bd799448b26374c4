package load

import (
	"fmt"
	"time"
)

// DefaultFileTimeout is how long one file may take to parse.
const DefaultFileTimeout = 10 * time.Second

// within runs parse for one file under the per-file time budget, recovering
// a panic. A parser that overruns is abandoned (Go cannot stop it; some
// parsers never look at a context): its result is dropped, the file is
// recorded as a problem, and the load goes on. The abandoned goroutine
// holds only its own result, so nothing it does later can race.
func within[T any](l *loader, file string, parse func() T) (result T, ok bool) {
	type outcome struct {
		v     T
		panic any
	}
	done := make(chan outcome, 1)
	go func() {
		var o outcome
		defer func() {
			if p := recover(); p != nil {
				o.panic = p
			}
			done <- o
		}()
		o.v = parse()
	}()
	budget := l.opts.FileTimeout
	if budget <= 0 {
		budget = DefaultFileTimeout
	}
	timer := time.NewTimer(budget)
	defer timer.Stop()
	select {
	case o := <-done:
		if o.panic != nil {
			l.problem(file, 0, 0, "parser crashed on this file: %v", o.panic)
			return result, false
		}
		return o.v, true
	case <-timer.C:
		l.problem(file, 0, 0, "parsing took longer than %s; file skipped", budget)
		l.incomplete(fmt.Sprintf("%s: parse abandoned after %s", file, budget))
		return result, false
	}
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
