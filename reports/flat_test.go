package reports

import (
	"fmt"
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// TestWithRelatedCap: the one-line formats name the first related
// locations of a finding that spans many services and count the rest.
func TestWithRelatedCap(t *testing.T) {
	f := analyzer.Finding{Message: "one database"}
	for i := range 25 {
		f.Related = append(f.Related, analyzer.Related{Pos: facts.Position{File: fmt.Sprintf("s%02d/.env", i), Line: 1}, Service: fmt.Sprintf("s%02d", i)})
	}
	got := withRelated(f)
	if n := strings.Count(got, "; see also "); n != maxFlatRelated {
		t.Errorf("%d related locations written, want %d: %s", n, maxFlatRelated, got)
	}
	if !strings.Contains(got, "see also s19/.env:1 (service s19); and 5 more related locations") || strings.Contains(got, "s20/") {
		t.Errorf("withRelated = %s", got)
	}
	f.Related = f.Related[:2]
	if got, want := withRelated(f), "one database; see also s00/.env:1 (service s00); see also s01/.env:1 (service s01)"; got != want {
		t.Errorf("withRelated = %q, want %q", got, want)
	}
}
