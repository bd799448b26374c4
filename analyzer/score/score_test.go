package score_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/analyzer/score"
	"github.com/decouplehq/decouple/analyzer/score/scoretest"
)

func TestCalibration(t *testing.T) {
	for _, tc := range []struct {
		name     string
		build    func() (*analyzer.Result, *facts.Repo)
		min, max int
	}{
		{"textbook monolith of 6", func() (*analyzer.Result, *facts.Repo) { return scoretest.Monolith(6) }, 70, 100},
		{"textbook monolith of 40", func() (*analyzer.Result, *facts.Repo) { return scoretest.Monolith(40) }, 70, 100},
		{"clean system of 6", func() (*analyzer.Result, *facts.Repo) { return scoretest.Clean(6) }, 0, 15},
		{"clean system of 40", func() (*analyzer.Result, *facts.Repo) { return scoretest.Clean(40) }, 0, 15},
		{"demo shop", scoretest.Demo, 16, 70},
	} {
		s := score.Compute(tc.build())
		if s.Index < tc.min || s.Index > tc.max {
			t.Errorf("%s: index %d (%s), want %d..%d; breakdown %+v inside %+v", tc.name, s.Index, s.Grade, tc.min, tc.max, s.Dimensions, s.MonolithInside)
		}
	}
}

// TestDemoBreakdown pins the arithmetic of the demo-shaped fixture, term by
// term, against the formula in the doc comment.
func TestDemoBreakdown(t *testing.T) {
	s := score.Compute(scoretest.Demo())
	got := map[string]int{}
	for _, d := range append(s.Dimensions, s.MonolithInside) {
		got[d.Name] = d.Score
	}
	want := map[string]int{"contracts": 80, "data": 40, "code": 25, "deploy": 100, "change": 0, "monolith inside": 100}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dimensions %v, want %v", got, want)
	}
	// 10·0.8 + 20·0.4 + 15·0.25 + 15·1 + 10·0 + 30·1 = 64.75
	if s.Index != 65 || s.Grade != "D" {
		t.Errorf("index %d %s, want 65 D", s.Index, s.Grade)
	}
	if len(s.Clusters) != 1 || len(s.Clusters[0].Services) != 5 {
		t.Errorf("clusters %+v, want one of 5 services", s.Clusters)
	}
	var ds []string
	for _, n := range s.Graph.Nodes {
		if n.Kind == score.NodeDatastore {
			ds = append(ds, n.Label)
		}
	}
	if !reflect.DeepEqual(ds, []string{"postgres://orders-db:5432/orders"}) {
		t.Errorf("datastores %q", ds)
	}
	if len(s.FixFirst) == 0 {
		t.Error("no finding to fix first")
	}
}

func TestWeightsAddUpTo100(t *testing.T) {
	sum := 0
	for _, w := range score.Weights() {
		sum += w.Weight
	}
	if sum != 100 {
		t.Errorf("weights add up to %d", sum)
	}
}

func TestNoFindingsScoresZero(t *testing.T) {
	for _, mk := range []func() (*analyzer.Result, *facts.Repo){scoretest.Demo, func() (*analyzer.Result, *facts.Repo) { return scoretest.Monolith(9) }} {
		res, repo := mk()
		res.Findings = nil
		s := score.Compute(res, repo)
		if s.Index != 0 || s.Grade != "A" || len(s.Clusters) != 0 || len(s.Graph.Edges) != 0 {
			t.Errorf("no findings: %+v", s)
		}
		for _, d := range append(s.Dimensions, s.MonolithInside) {
			if d.Score != 0 || d.Points != 0 {
				t.Errorf("no findings: dimension %+v", d)
			}
		}
	}
	if s := score.Compute(nil, nil); s.Index != 0 || len(s.Notes) == 0 {
		t.Errorf("nothing at all: %+v", s)
	}
}

func TestOneServiceScoresZeroWithNote(t *testing.T) {
	repo := scoretest.Repo("orders")
	res := scoretest.Result(
		scoretest.F("API102", "unversioned-proto-package", analyzer.Error, facts.Position{File: "orders/a.proto", Line: 2}, "orders", "p", "unversioned"),
		scoretest.F("CODE101", "cross-service-import", analyzer.Error, facts.Position{File: "orders/a.go", Line: 2}, "orders", "x", "self"),
	)
	s := score.Compute(res, repo)
	if s.Index != 0 || s.Services != 1 {
		t.Errorf("one service: index %d services %d", s.Index, s.Services)
	}
	if len(s.Notes) == 0 || !strings.Contains(s.Notes[0], "nothing to couple") {
		t.Errorf("one service: notes %q", s.Notes)
	}
}

func TestInfoAndLoadAreNotScored(t *testing.T) {
	repo := scoretest.Repo("a", "b")
	res := scoretest.Result(
		scoretest.F("CODE101", "cross-service-import", analyzer.Info, facts.Position{File: "a/x_test.go", Line: 1}, "a", "b/internal", "test import", "b"),
		scoretest.F("LOAD001", "unreadable-input", analyzer.Error, facts.Position{File: "a/bad.proto", Line: 1}, "a", "bad", "malformed"),
	)
	s := score.Compute(res, repo)
	if s.Index != 0 || len(s.Notes) != 2 {
		t.Errorf("info and LOAD: index %d notes %q", s.Index, s.Notes)
	}
}

// randomSystem makes a random repository and result from a seed.
func randomSystem(seed uint64) (*facts.Repo, []analyzer.Finding) {
	rng := rand.New(rand.NewPCG(seed, 7))
	n := 2 + rng.IntN(12)
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("s%d", i)
	}
	var fs []analyzer.Finding
	for range rng.IntN(25) {
		fs = append(fs, randomFinding(rng, names))
	}
	return scoretest.Repo(names...), fs
}

var randomRules = [][2]string{
	{"API101", "unversioned-openapi"}, {"DATA101", "shared-database"}, {"DATA102", "shared-table"},
	{"CODE101", "cross-service-import"}, {"DEPLOY101", "co-change-coupling"}, {"DEPLOY102", "joint-deploy"},
	{"DEPLOY103", "startup-dependency"}, {"LOAD001", "unreadable-input"},
}

func randomFinding(rng *rand.Rand, names []string) analyzer.Finding {
	r := randomRules[rng.IntN(len(randomRules))]
	owner := names[rng.IntN(len(names))]
	if rng.IntN(5) == 0 {
		owner = ""
	}
	var others []string
	for range rng.IntN(4) {
		others = append(others, names[rng.IntN(len(names))])
	}
	if owner == "" && len(others) == 0 {
		others = append(others, names[0])
	}
	sev := []analyzer.Severity{analyzer.Info, analyzer.Warning, analyzer.Error}[rng.IntN(3)]
	pos := facts.Position{File: fmt.Sprintf("f%d.go", rng.IntN(30)), Line: 1 + rng.IntN(50)}
	return scoretest.F(r[0], r[1], sev, pos, owner, fmt.Sprintf("e%d", rng.IntN(1000)), fmt.Sprintf("m%d", rng.IntN(1000)), others...)
}

func TestPropertyBounds(t *testing.T) {
	for seed := range uint64(300) {
		repo, fs := randomSystem(seed)
		s := score.Compute(scoretest.Result(fs...), repo)
		if s.Index < 0 || s.Index > 100 || s.Grade != score.Grade(s.Index) {
			t.Fatalf("seed %d: index %d grade %s", seed, s.Index, s.Grade)
		}
		sum := 0.0
		for _, d := range append(s.Dimensions, s.MonolithInside) {
			if d.Score < 0 || d.Score > 100 || d.Value < 0 || d.Value > 1 || d.Points > float64(d.Weight)+1e-9 {
				t.Fatalf("seed %d: dimension out of bounds %+v", seed, d)
			}
			sum += d.Points
		}
		if diff := sum - float64(s.Index); diff < -0.5 || diff > 0.5 {
			t.Fatalf("seed %d: points add up to %.2f, index %d", seed, sum, s.Index)
		}
	}
}

func TestPropertyMonotonic(t *testing.T) {
	for seed := range uint64(300) {
		repo, fs := randomSystem(seed)
		before := score.Compute(scoretest.Result(fs...), repo)
		rng := rand.New(rand.NewPCG(seed, 99))
		fs = append(fs, randomFinding(rng, repo.SortedServiceNames()))
		after := score.Compute(scoretest.Result(fs...), repo)
		if after.Index < before.Index {
			t.Fatalf("seed %d: adding %+v lowered the index %d → %d", seed, fs[len(fs)-1], before.Index, after.Index)
		}
		for i, d := range after.Dimensions {
			if d.Value < before.Dimensions[i].Value {
				t.Fatalf("seed %d: adding a finding lowered %s %.3f → %.3f", seed, d.Name, before.Dimensions[i].Value, d.Value)
			}
		}
		if after.MonolithInside.Value < before.MonolithInside.Value {
			t.Fatalf("seed %d: adding a finding shrank the largest cluster", seed)
		}
	}
}

func TestPropertyOrderIndependent(t *testing.T) {
	for seed := range uint64(200) {
		repo, fs := randomSystem(seed)
		want := score.Compute(&analyzer.Result{Findings: fs}, repo)
		rng := rand.New(rand.NewPCG(seed, 3))
		shuffled := append([]analyzer.Finding(nil), fs...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		repo2 := &facts.Repo{Services: append([]*facts.Service(nil), repo.Services...)}
		rng.Shuffle(len(repo2.Services), func(i, j int) { repo2.Services[i], repo2.Services[j] = repo2.Services[j], repo2.Services[i] })
		got := score.Compute(&analyzer.Result{Findings: shuffled}, repo2)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: the score depends on order\n got %+v\nwant %+v", seed, got, want)
		}
	}
}

func TestGraphEvidence(t *testing.T) {
	repo := scoretest.Repo("orders", "payments")
	f := scoretest.F("CODE101", "cross-service-import", analyzer.Error, facts.Position{File: "payments/billing.go", Line: 6}, "payments",
		"orders/internal/store", "payments imports orders internals", "orders")
	s := score.Compute(scoretest.Result(f), repo)
	if len(s.Graph.Edges) != 1 {
		t.Fatalf("edges %+v", s.Graph.Edges)
	}
	e := s.Graph.Edges[0]
	if e.From != "payments" || e.To != "orders" || e.Kind != score.KindCode || len(e.Evidence) != 2 ||
		e.Evidence[0].File != "orders/go.mod" || e.Evidence[1] != f.Pos || e.Findings[0] != f.Fingerprint {
		t.Errorf("edge %+v", e)
	}
}

func TestSyntheticIsDeterministic(t *testing.T) {
	a, r1 := scoretest.Synthetic(200, 1)
	b, r2 := scoretest.Synthetic(200, 1)
	if !reflect.DeepEqual(score.Compute(a, r1), score.Compute(b, r2)) {
		t.Error("the synthetic system differs between two builds")
	}
}

func TestUnresolvedRoutesNote(t *testing.T) {
	repo := scoretest.Repo("a", "b")
	repo.GoRoutes = []*facts.GoRoute{{Resolved: true}, {}, {}}
	repo.UnresolvedGoRoutes = 2
	s := score.Compute(nil, repo)
	want := "2 of the 3 HTTP routes registered in Go code could not be worked out statically (a path built at run time, or beyond what decouple follows); the API checks do not see them"
	if !slices.Contains(s.Notes, want) {
		t.Errorf("notes %q, want %q among them", s.Notes, want)
	}
	repo.UnresolvedGoRoutes = 0
	for _, n := range score.Compute(nil, repo).Notes {
		if strings.Contains(n, "HTTP route") {
			t.Errorf("a note on routes when every route resolved: %q", n)
		}
	}
}
