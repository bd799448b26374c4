package load

import (
	"strings"
	"testing"
	"time"

	"github.com/decouplehq/decouple/analyzer/facts"
)

func TestWithinAbandonsSlowParsers(t *testing.T) {
	l := &loader{opts: &Options{FileTimeout: 20 * time.Millisecond}, repo: &facts.Repo{}}
	release := make(chan struct{})
	defer close(release)
	start := time.Now()
	v, ok := within(l, "slow.yaml", func() int { <-release; return 1 })
	if ok || v != 0 || time.Since(start) > 2*time.Second {
		t.Fatalf("within returned %d, %v after %s", v, ok, time.Since(start))
	}
	if len(l.repo.Problems) != 1 || l.repo.Problems[0].Pos.File != "slow.yaml" ||
		!strings.Contains(l.repo.Problems[0].Message, "longer than 20ms") || len(l.repo.Incomplete) != 1 {
		t.Errorf("problems %+v, incomplete %v", l.repo.Problems, l.repo.Incomplete)
	}
	if _, ok = within(l, "boom.yaml", func() int { panic("bad input") }); ok || !strings.Contains(l.repo.Problems[1].Message, "parser crashed on this file: bad input") {
		t.Errorf("panic: %v %+v", ok, l.repo.Problems)
	}
	if v, ok = within(l, "fine.yaml", func() int { return 7 }); !ok || v != 7 {
		t.Errorf("fine: %d %v", v, ok)
	}
}
