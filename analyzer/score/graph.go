package score

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// buildGraph builds the service graph from the counted findings: a node per
// service, and per finding naming k ≥ 2 services k - 1 edges of its kind
// (API, CODE, DEPLOY, co-change): from the service owning its position to
// each other one, or, when none of them owns it (a shared CI or compose
// file), a chain through them by name. A DATA finding instead joins each of
// its services to a datastore node.
//
// It is the one place that turns evidence into edges: when the loader gains
// datastore facts, add their nodes and service → datastore edges here.
func buildGraph(services []string, counted []analyzer.Finding) *graphBuilder {
	g := &graphBuilder{nodes: map[string]Node{}, edges: map[edgeKey]*edgeAcc{}}
	for _, s := range services {
		g.nodes[s] = Node{ID: s, Kind: NodeService, Label: s}
	}
	for _, f := range counted {
		if len(f.Services) < 2 {
			continue
		}
		ev := newEvidence(f)
		if kind := kindOf(f); kind == KindData {
			ds := datastoreNode(f)
			g.nodes[ds.ID] = ds
			for _, s := range f.Services {
				g.add(s, ds.ID, KindData, f, ev.of(s))
			}
		} else if owned(f) {
			for _, s := range f.Services {
				if s != f.Service {
					g.add(f.Service, s, kind, f, ev.of(f.Service, s))
				}
			}
		} else {
			for i := 1; i < len(f.Services); i++ {
				a, b := f.Services[i-1], f.Services[i]
				g.add(a, b, kind, f, ev.of(a, b))
			}
		}
	}
	return g
}

// kindOf maps a finding's dimension to the kind of edge it draws.
func kindOf(f analyzer.Finding) string {
	for _, w := range Weights() {
		if w.Name == DimensionOf(f) {
			return w.Kind
		}
	}
	return ""
}

// owned reports whether one of the services a finding names owns its
// position.
func owned(f analyzer.Finding) bool {
	for _, s := range f.Services {
		if s == f.Service {
			return true
		}
	}
	return false
}

// datastoreNode names the datastore a DATA finding is about after its
// entity, so that the findings about one database (shared database, shared
// tables, shared server) meet at one node: "database:ID" and "server:ID"
// name it, "tables:ID:t1,t2" and "ddl:ID:t1" name its tables. Other entities (a migrations
// folder) are nodes of their own; a finding with no entity is named after
// its position.
func datastoreNode(f analyzer.Finding) Node {
	entity := strings.TrimSpace(strings.ReplaceAll(f.Entity, "\x00", " "))
	label := entity
	switch {
	case strings.HasPrefix(entity, "database:"):
		label = strings.TrimPrefix(entity, "database:")
	case strings.HasPrefix(entity, "server:"):
		label = strings.TrimPrefix(entity, "server:")
	case strings.HasPrefix(entity, "tables:"), strings.HasPrefix(entity, "ddl:"):
		_, rest, _ := strings.Cut(entity, ":")
		if i := strings.LastIndex(rest, ":"); i > 0 {
			label = rest[:i]
		}
	case entity == "":
		label = "data shared at " + f.Pos.File
	}
	return Node{ID: "datastore:" + label, Kind: NodeDatastore, Label: label}
}

// evidence indexes a finding's related positions by the service owning
// them ("" for none), so that the evidence of each of its edges is found
// without reading them all again.
type evidence struct {
	f         analyzer.Finding
	byService map[string][]facts.Position
}

func newEvidence(f analyzer.Finding) *evidence {
	e := &evidence{f: f, byService: map[string][]facts.Position{}}
	for _, r := range f.Related {
		e.byService[r.Service] = append(e.byService[r.Service], r.Pos)
	}
	return e
}

// of returns the positions of the finding that belong to the given
// services: its own position when one of them owns it, and its related
// positions owned by one of them or by none. When nothing matches, its own
// position. The order is not kept: the graph gathers evidence in a set.
func (e *evidence) of(services ...string) []facts.Position {
	var out []facts.Position
	if e.f.Service == "" || slices.Contains(services, e.f.Service) {
		out = append(out, e.f.Pos)
	}
	for i, s := range services {
		if s != "" && !slices.Contains(services[:i], s) {
			out = append(out, e.byService[s]...)
		}
	}
	out = append(out, e.byService[""]...)
	if len(out) == 0 {
		out = append(out, e.f.Pos)
	}
	return out
}

type edgeKey struct{ from, to, kind string }

type edgeAcc struct {
	evidence map[facts.Position]bool
	findings map[string]bool
}

type graphBuilder struct {
	nodes map[string]Node
	edges map[edgeKey]*edgeAcc
}

func (g *graphBuilder) add(from, to, kind string, f analyzer.Finding, ev []facts.Position) {
	k := edgeKey{from, to, kind}
	e := g.edges[k]
	if e == nil {
		e = &edgeAcc{evidence: map[facts.Position]bool{}, findings: map[string]bool{}}
		g.edges[k] = e
	}
	for _, p := range ev {
		e.evidence[p] = true
	}
	e.findings[f.Fingerprint] = true
}

// serviceEdges counts the service pairs joined by an edge of the kind, in
// either direction.
func (g *graphBuilder) serviceEdges(kind string) int {
	pairs := map[[2]string]bool{}
	for k := range g.edges {
		if k.kind != kind {
			continue
		}
		a, b := k.from, k.to
		if b < a {
			a, b = b, a
		}
		pairs[[2]string{a, b}] = true
	}
	return len(pairs)
}

// graph returns the graph in its final order: services then datastores, each
// by ID; edges by from, to and kind.
func (g *graphBuilder) graph() Graph {
	var out Graph
	for _, n := range g.nodes {
		out.Nodes = append(out.Nodes, n)
	}
	sort.Slice(out.Nodes, func(i, j int) bool {
		a, b := out.Nodes[i], out.Nodes[j]
		if a.Kind != b.Kind {
			return a.Kind == NodeService
		}
		return a.ID < b.ID
	})
	for k, acc := range g.edges {
		e := Edge{From: k.from, To: k.to, Kind: k.kind}
		for p := range acc.evidence {
			e.Evidence = append(e.Evidence, p)
		}
		sort.Slice(e.Evidence, func(i, j int) bool { return e.Evidence[i].Less(e.Evidence[j]) })
		e.Findings = slices.Sorted(maps.Keys(acc.findings))
		out.Edges = append(out.Edges, e)
	}
	sort.Slice(out.Edges, func(i, j int) bool {
		a, b := out.Edges[i], out.Edges[j]
		if a.From != b.From {
			return a.From < b.From
		}
		if a.To != b.To {
			return a.To < b.To
		}
		return a.Kind < b.Kind
	})
	return out
}

// clusters returns the connected groups of two or more services joined by
// counted findings, largest first, then by first service.
func clusters(services []string, counted []analyzer.Finding, g Graph) []Cluster {
	parent := map[string]string{}
	for _, s := range services {
		parent[s] = s
	}
	find := func(s string) string {
		for parent[s] != s {
			parent[s] = parent[parent[s]]
			s = parent[s]
		}
		return s
	}
	for _, f := range counted {
		for _, s := range f.Services[min(1, len(f.Services)):] {
			a, b := find(f.Services[0]), find(s)
			if a != b {
				if b < a {
					a, b = b, a
				}
				parent[b] = a
			}
		}
	}
	groups := map[string][]string{}
	for _, s := range services {
		r := find(s)
		groups[r] = append(groups[r], s)
	}
	var out []Cluster
	index := map[string]int{}
	for _, r := range slices.Sorted(maps.Keys(mapKeys(groups))) {
		if len(groups[r]) < 2 {
			continue
		}
		out = append(out, Cluster{Services: groups[r]})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i].Services) != len(out[j].Services) {
			return len(out[i].Services) > len(out[j].Services)
		}
		return out[i].Services[0] < out[j].Services[0]
	})
	for i, c := range out {
		for _, s := range c.Services {
			index[s] = i + 1
		}
	}
	for _, e := range g.Edges {
		if i := index[e.From]; i > 0 {
			out[i-1].Edges++
		}
	}
	return out
}

func mapKeys[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// fixFirst ranks the counted findings: errors first, then those in the
// largest cluster, then by the weight of their dimension, then by how many
// services they tie, then by position. It returns at most ten fingerprints.
func fixFirst(counted []analyzer.Finding, cl []Cluster) []string {
	largest := map[string]bool{}
	if len(cl) > 0 {
		for _, s := range cl[0].Services {
			largest[s] = true
		}
	}
	weight := map[string]int{}
	for _, w := range Weights() {
		weight[w.Name] = w.Weight
	}
	inLargest := func(f analyzer.Finding) bool {
		for _, s := range f.Services {
			if largest[s] {
				return true
			}
		}
		return false
	}
	fs := append([]analyzer.Finding(nil), counted...)
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if x, y := inLargest(a), inLargest(b); x != y {
			return x
		}
		if x, y := weight[DimensionOf(a)], weight[DimensionOf(b)]; x != y {
			return x > y
		}
		if len(a.Services) != len(b.Services) {
			return len(a.Services) > len(b.Services)
		}
		return analyzer.LessFinding(a, b)
	})
	var out []string
	seen := map[string]bool{}
	for _, f := range fs {
		if len(out) == 10 {
			break
		}
		if !seen[f.Fingerprint] {
			seen[f.Fingerprint] = true
			out = append(out, f.Fingerprint)
		}
	}
	return out
}
