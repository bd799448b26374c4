// Package score computes decouple's distributed-monolith index (DMI): one
// number from 0 (services that change, ship and run independently) to 100
// (a distributed monolith), its breakdown into five dimensions, the coupling
// clusters, and the service graph every number is traced to.
//
// The score is arithmetic over findings and the services of the repository,
// in one function, Compute. The formula is written out in Compute's doc
// comment and in docs/score.md; the weights are the table returned by
// Weights.
package score

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// Dimension names, in the order they are reported.
const (
	Contracts = "contracts"
	Data      = "data"
	Code      = "code"
	Deploy    = "deploy"
	Change    = "change"
	// Monolith is the "monolith inside" component: the largest coupling
	// cluster as a share of all services.
	Monolith = "monolith inside"
)

// Edge kinds: the area of the rule that found the coupling; co-change has a
// kind of its own.
const (
	KindAPI    = "api"
	KindData   = "data"
	KindCode   = "code"
	KindDeploy = "deploy"
	KindChange = "change"
)

// Node kinds of the service graph.
const (
	NodeService   = "service"
	NodeDatastore = "datastore"
)

// Weight is one row of the weights table: the most points a component can
// add to the index.
type Weight struct {
	Name   string
	Weight int
	// Kind is the kind of the graph edges the component's findings draw
	// ("" for the monolith inside).
	Kind string
}

// Weights returns the weights table. The weights add up to 100, so a
// component's weight is the number of points it adds at its full score:
//
//	component        weight  measured as
//	contracts          10    services with an unversioned API / services
//	data               20    services sharing data with another / services
//	code               15    code edges / (services - 1), at most 1
//	deploy             15    lockstep deploy edges / (services - 1), at most 1
//	change             10    co-change edges / (services - 1), at most 1
//	monolith inside    30    largest cluster / services (0 below two services)
func Weights() []Weight {
	return []Weight{
		{Name: Contracts, Weight: 10, Kind: KindAPI},
		{Name: Data, Weight: 20, Kind: KindData},
		{Name: Code, Weight: 15, Kind: KindCode},
		{Name: Deploy, Weight: 15, Kind: KindDeploy},
		{Name: Change, Weight: 10, Kind: KindChange},
		{Name: Monolith, Weight: 30},
	}
}

// coChangeRules are the rules whose findings measure the change dimension
// rather than deploy.
var coChangeRules = []string{"co-change-coupling"}

// Score is the distributed-monolith index of one repository and its
// explanation.
type Score struct {
	// Index is 0 (independent services) to 100 (a distributed monolith).
	Index int
	// Grade is A (≤ 15), B (≤ 30), C (≤ 50), D (≤ 70) or E.
	Grade string
	// Services counts the services scored.
	Services int
	// Dimensions are contracts, data, code, deploy and change, in that order.
	Dimensions []Dimension
	// MonolithInside is the largest cluster as a component of the index.
	MonolithInside Dimension
	// Clusters are the connected groups of two or more services, largest
	// first.
	Clusters []Cluster
	// Graph is the service graph the dimensions and clusters are computed on.
	Graph Graph
	// FixFirst lists the fingerprints of the findings to fix first, most
	// important first (at most ten).
	FixFirst []string
	// Notes explain what the score could not see.
	Notes []string
}

// Dimension is one component of the index.
type Dimension struct {
	Name string
	// Score is 0–100, rounded; Value is the exact share (0–1) behind it.
	Score int
	Value float64
	// Weight is the most points the component adds; Points is what it adds:
	// Weight × Value.
	Weight int
	Points float64
	// Findings counts the findings that fed the component.
	Findings int
	// Measure says in words what was counted, e.g. "2 of 5 services share
	// data with another service".
	Measure string
}

// Cluster is a connected group of services.
type Cluster struct {
	Services []string
	// Edges counts the graph edges inside the cluster, datastore edges
	// included.
	Edges int
}

// Graph is the service graph: services and datastores joined by coupling
// edges that carry their evidence.
type Graph struct {
	Nodes []Node
	Edges []Edge
}

// Node is a service or a datastore.
type Node struct {
	ID   string
	Kind string // NodeService or NodeDatastore
	// Label is the name to show; for a service it is its name.
	Label string
}

// Edge is a coupling between two nodes, of one kind. Several findings may
// support one edge.
type Edge struct {
	From, To string
	Kind     string
	// Evidence are the positions of the findings and of their related sides,
	// sorted.
	Evidence []facts.Position
	// Findings are the fingerprints of the findings behind the edge, sorted.
	Findings []string
}

// Grade returns the letter for an index.
func Grade(index int) string {
	switch {
	case index <= 15:
		return "A"
	case index <= 30:
		return "B"
	case index <= 50:
		return "C"
	case index <= 70:
		return "D"
	}
	return "E"
}

// DimensionOf returns the dimension a finding counts toward, or "" when it
// counts toward none (LOAD findings and other areas).
func DimensionOf(f analyzer.Finding) string {
	switch strings.TrimRight(f.RuleID, "0123456789") {
	case "API":
		return Contracts
	case "DATA":
		return Data
	case "CODE":
		return Code
	case "DEPLOY":
		for _, n := range coChangeRules {
			if f.RuleName == n {
				return Change
			}
		}
		return Deploy
	}
	return ""
}

// Compute returns the distributed-monolith index of a repository from the
// findings of one run. It is a pure function of the findings and the service
// names: the order of either does not matter.
//
// Counted findings are those at warning or error severity whose rule area is
// API, DATA, CODE or DEPLOY; info findings and LOAD findings are shown but not
// scored. Let n be the number of services (those of repo and any named by a
// counted finding). With fewer than two services there is nothing to couple:
// the index is 0 and a note says so. Otherwise:
//
//	contracts = services named by an API finding / n
//	data      = services named by a DATA finding naming two or more services / n
//	code      = min(1, code edges / (n - 1))
//	deploy    = min(1, deploy edges / (n - 1))
//	change    = min(1, co-change edges / (n - 1))
//	inside    = largest cluster / n, or 0 when no two services are coupled
//	index     = round(10·contracts + 20·data + 15·code + 15·deploy + 10·change + 30·inside)
//
// Edges are those of the service graph: a finding naming k ≥ 2 services adds
// k - 1 edges of its kind, from the service owning its position to each other
// service, or, when none of them owns it (a shared CI or compose file), a
// chain through them by name; a pair joined by several findings of one kind
// is one edge, whatever their direction. n - 1 edges are enough to tie n services together, so a
// dimension is full when its edges could tie every service to the others.
// DATA findings join their services through a datastore node instead (one per
// finding entity), and co-change (DEPLOY co-change-coupling) is the change
// dimension, not deploy. A cluster is a connected group of services joined by
// counted findings of any kind; the largest is the "monolith inside".
//
// Every term only grows when a finding is added between known services, so
// adding a coupling never lowers the index; with no findings every term is 0.
func Compute(result *analyzer.Result, repo *facts.Repo) Score {
	var findings []analyzer.Finding
	if result != nil {
		findings = result.Findings
	}
	counted := countedFindings(findings)
	services := serviceUniverse(repo, counted)
	n := len(services)

	g := buildGraph(services, counted)
	s := Score{Services: n, Graph: g.graph()}
	s.Clusters = clusters(services, counted, s.Graph)
	s.Notes = notes(findings, n, repo)

	byDim := map[string][]analyzer.Finding{}
	for _, f := range counted {
		byDim[DimensionOf(f)] = append(byDim[DimensionOf(f)], f)
	}
	total := 0.0
	for _, w := range Weights() {
		d := Dimension{Name: w.Name, Weight: w.Weight, Findings: len(byDim[w.Name])}
		if n >= 2 {
			d.Value, d.Measure = measure(w, n, byDim[w.Name], g, s.Clusters)
		} else {
			d.Measure = "nothing to couple"
		}
		d.Score = int(math.Round(100 * d.Value))
		d.Points = float64(w.Weight) * d.Value
		total += d.Points
		if w.Name == Monolith {
			s.MonolithInside = d
		} else {
			s.Dimensions = append(s.Dimensions, d)
		}
	}
	s.Index = int(math.Round(math.Min(100, math.Max(0, total))))
	s.Grade = Grade(s.Index)
	if n >= 2 {
		s.FixFirst = fixFirst(counted, s.Clusters)
	}
	return s
}

// countedFindings keeps the findings that feed the score.
func countedFindings(all []analyzer.Finding) []analyzer.Finding {
	var out []analyzer.Finding
	for _, f := range all {
		if f.Severity >= analyzer.Warning && DimensionOf(f) != "" {
			out = append(out, f)
		}
	}
	return out
}

// serviceUniverse returns the sorted names of every service: the
// repository's and any a counted finding names.
func serviceUniverse(repo *facts.Repo, counted []analyzer.Finding) []string {
	set := map[string]bool{}
	if repo != nil {
		for _, s := range repo.Services {
			set[s.Name] = true
		}
	}
	for _, f := range counted {
		for _, s := range f.Services {
			set[s] = true
		}
	}
	return sortedKeys(set)
}

// measure computes one component's share (0–1) and says what was counted.
func measure(w Weight, n int, fs []analyzer.Finding, g *graphBuilder, cl []Cluster) (float64, string) {
	switch w.Name {
	case Contracts:
		k := len(named(fs, 1))
		return float64(k) / float64(n), fmt.Sprintf("%d of %d services expose an unversioned API", k, n)
	case Data:
		k := len(named(fs, 2))
		return float64(k) / float64(n), fmt.Sprintf("%d of %d services share data with another service", k, n)
	case Monolith:
		if len(cl) == 0 {
			return 0, fmt.Sprintf("no two of the %d services are coupled", n)
		}
		k := len(cl[0].Services)
		return float64(k) / float64(n), fmt.Sprintf("the largest coupled cluster holds %d of %d services", k, n)
	}
	e := g.serviceEdges(w.Kind)
	v := math.Min(1, float64(e)/float64(n-1))
	what := map[string]string{KindCode: "code", KindDeploy: "lockstep deploy", KindChange: "co-change"}[w.Kind]
	return v, fmt.Sprintf("%s; %d would tie all %d services", plural(e, what+" edge"), n-1, n)
}

// named returns the services named by findings that name at least min
// services.
func named(fs []analyzer.Finding, minServices int) map[string]bool {
	set := map[string]bool{}
	for _, f := range fs {
		if len(f.Services) >= minServices {
			for _, s := range f.Services {
				set[s] = true
			}
		}
	}
	return set
}

func notes(all []analyzer.Finding, n int, repo *facts.Repo) []string {
	var out []string
	switch n {
	case 0:
		out = append(out, "no services were found: there is nothing to couple")
	case 1:
		out = append(out, "only one service was found: there is nothing to couple")
	}
	load, info := 0, 0
	for _, f := range all {
		switch {
		case strings.HasPrefix(f.RuleID, "LOAD"):
			load++
		case f.Severity < analyzer.Warning && DimensionOf(f) != "":
			info++
		}
	}
	if load > 0 {
		out = append(out, fmt.Sprintf("%s about unreadable input or suppressions (LOAD) %s not scored; the index may understate the coupling", plural(load, "finding"), isAre(load)))
	}
	if info > 0 {
		out = append(out, fmt.Sprintf("%s at info severity %s shown but not scored", plural(info, "finding"), isAre(info)))
	}
	if repo != nil && repo.UnresolvedGoRoutes > 0 {
		out = append(out, fmt.Sprintf("%d of the %s registered in Go code could not be worked out statically (a path built at run time, or beyond what decouple follows); the API checks do not see them",
			repo.UnresolvedGoRoutes, plural(len(repo.GoRoutes), "HTTP route")))
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
