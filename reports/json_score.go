package reports

import (
	"math"

	"github.com/decouplehq/decouple/analyzer/score"
)

// The score, graph and baseline fields of the JSON protocol (docs/json.md).

type jsonScore struct {
	Index          int             `json:"index"`
	Grade          string          `json:"grade"`
	Services       int             `json:"services"`
	Dimensions     []jsonDimension `json:"dimensions"`
	MonolithInside jsonDimension   `json:"monolith_inside"`
	Clusters       []jsonCluster   `json:"clusters"`
	FixFirst       []string        `json:"fix_first"`
	Notes          []string        `json:"notes"`
}

type jsonDimension struct {
	Name     string  `json:"name"`
	Score    int     `json:"score"`
	Weight   int     `json:"weight"`
	Points   float64 `json:"points"`
	Findings int     `json:"findings"`
	Measure  string  `json:"measure"`
}

type jsonCluster struct {
	Services []string `json:"services"`
	Edges    int      `json:"edges"`
}

type jsonGraph struct {
	Nodes []jsonNode `json:"nodes"`
	Edges []jsonEdge `json:"edges"`
}

type jsonNode struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Label string `json:"label"`
}

type jsonEdge struct {
	From     string         `json:"from"`
	To       string         `json:"to"`
	Kind     string         `json:"kind"`
	Evidence []jsonPosition `json:"evidence"`
	Findings []string       `json:"findings"`
}

type jsonPosition struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

type jsonBaseline struct {
	Index      *int                 `json:"index"`
	Grade      string               `json:"grade"`
	Delta      *int                 `json:"delta"`
	Dimensions []jsonDimensionDelta `json:"dimensions"`
	New        []string             `json:"new"`
	Fixed      []jsonFixed          `json:"fixed"`
}

type jsonDimensionDelta struct {
	Name     string `json:"name"`
	Score    int    `json:"score"`
	Previous int    `json:"previous"`
	Delta    int    `json:"delta"`
}

type jsonFixed struct {
	Rule        string `json:"rule"`
	Name        string `json:"name"`
	Message     string `json:"message"`
	File        string `json:"file"`
	Line        int    `json:"line"`
	Fingerprint string `json:"fingerprint"`
}

func dimensionJSON(d score.Dimension) jsonDimension {
	return jsonDimension{Name: d.Name, Score: d.Score, Weight: d.Weight, Points: math.Round(d.Points*100) / 100,
		Findings: d.Findings, Measure: d.Measure}
}

func scoreJSON(s score.Score) jsonScore {
	out := jsonScore{Index: s.Index, Grade: s.Grade, Services: s.Services, Dimensions: []jsonDimension{},
		MonolithInside: dimensionJSON(s.MonolithInside), Clusters: []jsonCluster{}, FixFirst: []string{}, Notes: []string{}}
	for _, d := range s.Dimensions {
		out.Dimensions = append(out.Dimensions, dimensionJSON(d))
	}
	for _, c := range s.Clusters {
		jc := jsonCluster{Services: []string{}, Edges: c.Edges}
		for _, name := range c.Services {
			jc.Services = append(jc.Services, valid(name))
		}
		out.Clusters = append(out.Clusters, jc)
	}
	out.FixFirst = append(out.FixFirst, s.FixFirst...)
	for _, n := range s.Notes {
		out.Notes = append(out.Notes, valid(n))
	}
	return out
}

func graphJSON(g score.Graph) jsonGraph {
	out := jsonGraph{Nodes: []jsonNode{}, Edges: []jsonEdge{}}
	for _, n := range g.Nodes {
		out.Nodes = append(out.Nodes, jsonNode{ID: valid(n.ID), Kind: n.Kind, Label: valid(n.Label)})
	}
	for _, e := range g.Edges {
		je := jsonEdge{From: valid(e.From), To: valid(e.To), Kind: e.Kind, Evidence: []jsonPosition{}, Findings: []string{}}
		for _, p := range e.Evidence {
			je.Evidence = append(je.Evidence, jsonPosition{File: valid(p.File), Line: p.Line})
		}
		je.Findings = append(je.Findings, e.Findings...)
		out.Edges = append(out.Edges, je)
	}
	return out
}

func baselineJSON(r *Report, t *Trend) *jsonBaseline {
	out := &jsonBaseline{Dimensions: []jsonDimensionDelta{}, New: []string{}, Fixed: []jsonFixed{}}
	if t.HasScore {
		prev, delta := t.Previous, t.Delta
		out.Index, out.Grade, out.Delta = &prev, t.PreviousGrade, &delta
	}
	for _, d := range t.Dimensions {
		// A literal, not a conversion: the protocol types never follow internal ones.
		out.Dimensions = append(out.Dimensions, jsonDimensionDelta{Name: d.Name, Score: d.Score, Previous: d.Previous, Delta: d.Delta}) //nolint:staticcheck // S1016: see above
	}
	for _, i := range t.New {
		out.New = append(out.New, r.Findings[i].Fingerprint)
	}
	for _, f := range t.Fixed {
		out.Fixed = append(out.Fixed, jsonFixed{Rule: valid(f.Rule), Name: valid(f.Name), Message: valid(f.Message),
			File: valid(f.File), Line: f.Line, Fingerprint: valid(f.Fingerprint)})
	}
	return out
}
