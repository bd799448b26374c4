package load

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/decouplehq/decouple/analyzer/facts"
)

func TestEachWithinAbandonsSlowParsers(t *testing.T) {
	for _, workers := range []int{1, 2, 4} {
		l := &loader{opts: &Options{FileTimeout: 200 * time.Millisecond, Workers: workers}, repo: &facts.Repo{}}
		release := make(chan struct{})
		var late atomic.Int32
		file := func(i int) string { return fmt.Sprintf("f%d.yaml", i) }
		start := time.Now()
		got := eachWithin(context.Background(), l, 40, file, func(i int) int {
			switch i {
			case 3, 17: // never end within the budget
				<-release
				late.Add(1)
				return -1
			case 9:
				panic("bad input")
			}
			return i * 10
		})
		if took := time.Since(start); took > 5*time.Second {
			t.Fatalf("%d workers: eachWithin returned after %s", workers, took)
		}
		close(release) // the abandoned parses end now; their results must not land
		for i, v := range got {
			want := i * 10
			if i == 3 || i == 17 || i == 9 {
				want = 0
			}
			if v != want {
				t.Errorf("%d workers: result %d = %d, want %d", workers, i, v, want)
			}
		}
		var slow, crashed int
		for _, p := range l.repo.Problems {
			switch {
			case (p.Pos.File == "f3.yaml" || p.Pos.File == "f17.yaml") && strings.Contains(p.Message, "longer than 200ms"):
				slow++
			case p.Pos.File == "f9.yaml" && strings.Contains(p.Message, "parser crashed on this file: bad input"):
				crashed++
			default:
				t.Errorf("%d workers: unexpected problem %+v", workers, p)
			}
		}
		if slow != 2 || crashed != 1 || len(l.repo.Incomplete) != 2 {
			t.Errorf("%d workers: problems %+v, incomplete %v", workers, l.repo.Problems, l.repo.Incomplete)
		}
		for deadline := time.Now().Add(2 * time.Second); late.Load() < 2 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		if got[3] != 0 || got[17] != 0 {
			t.Errorf("%d workers: an abandoned parse wrote its result", workers)
		}
	}
}

func TestEachWithinStopsOnCancel(t *testing.T) {
	const workers = 2
	l := &loader{opts: &Options{Workers: workers}, repo: &facts.Repo{}}
	ctx, cancel := context.WithCancel(context.Background())
	// Count the items that start once cancel has returned: a worker checks
	// for the cancel before each item, so each may have one in hand then.
	// (Counting from the 10th item instead would also count what the other
	// worker runs while this one is descheduled before it calls cancel.)
	var ran, afterCancel atomic.Int32
	var cancelled atomic.Bool
	eachWithin(ctx, l, 1000, func(int) string { return "x" }, func(i int) int {
		if cancelled.Load() {
			afterCancel.Add(1)
		}
		if ran.Add(1) == 10 {
			cancel()
			cancelled.Store(true)
		}
		return i
	})
	if n := afterCancel.Load(); n > workers {
		t.Errorf("%d items started after the cancel, want at most one per worker (%d)", n, workers)
	}
	if n := ran.Load(); n < 10 || n == 1000 {
		t.Errorf("%d items ran, want the run to stop after the cancel at the 10th", n)
	}
}
