package reports

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// ringOrderByPairs is the definition ringOrder keeps: every pair of users
// of a datastore linked, then depth first from the most coupled service
// (ties in the order given), neighbours by name.
func ringOrderByPairs(services []string, edges [][2]string, storeUsers map[string][]string) []string {
	adj := map[string]map[string]bool{}
	link := func(a, b string) {
		if adj[a] == nil {
			adj[a] = map[string]bool{}
		}
		adj[a][b] = true
	}
	for _, e := range edges {
		link(e[0], e[1])
		link(e[1], e[0])
	}
	for _, users := range storeUsers {
		for _, a := range users {
			for _, b := range users {
				if a != b {
					link(a, b)
				}
			}
		}
	}
	in := map[string]bool{}
	for _, s := range services {
		in[s] = true
	}
	starts := slices.Clone(services)
	sort.SliceStable(starts, func(i, j int) bool { return len(adj[starts[i]]) > len(adj[starts[j]]) })
	seen := map[string]bool{}
	var order []string
	var visit func(string)
	visit = func(s string) {
		seen[s] = true
		order = append(order, s)
		var next []string
		for t := range adj[s] {
			if in[t] {
				next = append(next, t)
			}
		}
		sort.Strings(next)
		for _, t := range next {
			if !seen[t] {
				visit(t)
			}
		}
	}
	for _, s := range starts {
		if !seen[s] {
			visit(s)
		}
	}
	return order
}

func TestRingOrderMatchesPairs(t *testing.T) {
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 7))
		n := 2 + r.IntN(30)
		var services []string
		for i := range n {
			services = append(services, fmt.Sprintf("s%02d", i))
		}
		rel := newCoupling()
		var edges [][2]string
		for range r.IntN(2 * n) {
			a, b := services[r.IntN(n)], services[r.IntN(n)] // self-loops and repeats included
			edges = append(edges, [2]string{a, b})
			rel.link(a, b)
		}
		storeUsers := map[string][]string{}
		for d := range r.IntN(4) {
			store := fmt.Sprintf("postgres://db/%d", d)
			for range r.IntN(n + 1) {
				u := services[r.IntN(n)]
				storeUsers[store] = append(storeUsers[store], u)
				rel.uses(u, store)
			}
		}
		cluster := services[:1+r.IntN(n)]
		want := ringOrderByPairs(cluster, edges, storeUsers)
		if got := rel.ringOrder(cluster); !slices.Equal(got, want) {
			t.Fatalf("seed %d: ring %v, want %v", seed, got, want)
		}
	}
}

// BenchmarkRingOrderSharedStore: one database used by 2,000 services is one
// list of users, not two million pairs.
func BenchmarkRingOrderSharedStore(b *testing.B) {
	var services []string
	for i := range 2000 {
		services = append(services, fmt.Sprintf("svc%04d", i))
	}
	for b.Loop() {
		rel := newCoupling()
		for _, s := range services {
			rel.uses(s, "postgres://db/shared")
		}
		if got := rel.ringOrder(services); len(got) != len(services) {
			b.Fatalf("%d services placed", len(got))
		}
	}
}
