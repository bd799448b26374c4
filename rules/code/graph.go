package code

import (
	"slices"
	"sort"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// serviceGraph is the service dependency graph of the code edges, without
// test-only edges; evidence keeps the first edge of each service pair.
type serviceGraph struct {
	nodes    []string
	next     map[string][]string
	evidence map[[2]string]facts.CodeEdge
}

func graphOf(edges []facts.CodeEdge) *serviceGraph {
	g := &serviceGraph{next: map[string][]string{}, evidence: map[[2]string]facts.CodeEdge{}}
	seen := map[string]bool{}
	for _, e := range edges { // sorted by evidence position
		k := [2]string{e.From, e.To}
		if _, ok := g.evidence[k]; e.Test || ok {
			continue
		}
		g.evidence[k] = e
		g.next[e.From] = append(g.next[e.From], e.To)
		for _, n := range k {
			if !seen[n] {
				seen[n] = true
				g.nodes = append(g.nodes, n)
			}
		}
	}
	sort.Strings(g.nodes)
	for _, n := range g.nodes {
		sort.Strings(g.next[n])
	}
	return g
}

// components returns the strongly connected components with two or more
// services (Tarjan), each sorted, in order of their first service.
func (g *serviceGraph) components() [][]string {
	index, low, on := map[string]int{}, map[string]int{}, map[string]bool{}
	var stack []string
	var out [][]string
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = len(index), len(index)
		stack, on[v] = append(stack, v), true
		for _, w := range g.next[v] {
			if _, ok := index[w]; !ok {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if on[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var comp []string
			for {
				w := stack[len(stack)-1]
				stack, on[w] = stack[:len(stack)-1], false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			if len(comp) > 1 {
				sort.Strings(comp)
				out = append(out, comp)
			}
		}
	}
	for _, n := range g.nodes {
		if _, ok := index[n]; !ok {
			visit(n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// shortestCycle returns the shortest cycle inside a component, found by a
// breadth-first search from each of its services in order; ties go to the
// first service and the first neighbours.
func (g *serviceGraph) shortestCycle(comp []string) []string {
	in := map[string]bool{}
	for _, n := range comp {
		in[n] = true
	}
	var best []string
	for _, start := range comp {
		prev := map[string]string{start: ""}
		queue := []string{start}
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			found := false
			for _, w := range g.next[v] {
				if w == start {
					path := []string{}
					for x := v; x != ""; x = prev[x] {
						path = append([]string{x}, path...)
					}
					if best == nil || len(path) < len(best) {
						best = path
					}
					found = true
					break
				}
				if _, seen := prev[w]; !seen && in[w] {
					prev[w] = v
					queue = append(queue, w)
				}
			}
			if found {
				break
			}
		}
	}
	return best
}

// offCycle returns, for each service of a component that is not on the
// cycle, its first edge (by target name) to another service of the
// component, in the component's order.
func (g *serviceGraph) offCycle(comp, cycle []string) []facts.CodeEdge {
	var out []facts.CodeEdge
	for _, n := range comp {
		if slices.Contains(cycle, n) {
			continue
		}
		for _, to := range g.next[n] {
			if slices.Contains(comp, to) {
				out = append(out, g.evidence[[2]string{n, to}])
				break
			}
		}
	}
	return out
}
