package reports

import (
	"sort"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/score"
)

// MatrixLimit is the most services the dependency matrix shows; the others
// are counted, and every one is in the JSON graph.
const MatrixLimit = 60

// Card is what the scorecard formats (html, markdown, dot, mermaid) show,
// derived from a report's findings, score and baseline by Prepare, so that
// the renderers only render.
type Card struct {
	// Contributions are the index's components that add points, most first.
	Contributions []score.Dimension
	// Findings holds, per finding of the report (same index), its dimension
	// ("" when it is not scored) and whether the baseline lacks it.
	Findings []CardFinding
	// FixFirst are indexes into Report.Findings, most important first.
	FixFirst []int
	// Rules are the enabled rules and the rules with findings, by ID, with
	// their documentation split into why and how to fix.
	Rules  []CardRule
	Matrix Matrix
	Layout Layout
	// Trend is the comparison with the baseline, or nil.
	Trend *Trend
	// Kinds are the edge kinds in legend order, with the dimension each
	// feeds.
	Kinds []KindInfo
}

// CardFinding is the scorecard's view of one finding.
type CardFinding struct {
	Dimension string
	Kind      string
	New       bool
}

// CardRule is a rule as the scorecard explains it.
type CardRule struct {
	RuleMeta
	Why, Fix string
	Findings int
}

// KindInfo names an edge kind and its dimension.
type KindInfo struct {
	Kind, Dimension string
}

// Matrix is the service × service dependency matrix: cell [i][j] holds the
// kinds of the counted findings naming both Services[i] and Services[j].
type Matrix struct {
	Services []string
	Cells    [][]MatrixCell
	// Omitted counts the coupled services left out beyond MatrixLimit;
	// Uncoupled counts the services no counted finding ties to another.
	Omitted, Uncoupled int
}

// MatrixCell is one pair of services.
type MatrixCell struct {
	Kinds    []string
	Findings int
}

// Trend is a run compared with its baseline.
type Trend struct {
	HasScore             bool
	Index, Previous      int
	Delta                int
	Grade, PreviousGrade string
	Dimensions           []DimensionDelta
	// New are indexes into Report.Findings of the findings whose
	// fingerprint the baseline lacks; Fixed are the baseline's findings
	// this run no longer reports.
	New   []int
	Fixed []BaselineFinding
}

// DimensionDelta is one dimension then and now.
type DimensionDelta struct {
	Name                   string
	Score, Previous, Delta int
}

// Prepare derives the Card from the report's findings, rules, score and
// baseline. New calls it; a report assembled by hand calls it once before
// rendering.
func (r *Report) Prepare() {
	c := &Card{}
	for _, w := range score.Weights() {
		if w.Kind != "" {
			c.Kinds = append(c.Kinds, KindInfo{Kind: w.Kind, Dimension: w.Name})
		}
	}
	for _, d := range append(append([]score.Dimension(nil), r.Score.Dimensions...), r.Score.MonolithInside) {
		if d.Points > 0 {
			c.Contributions = append(c.Contributions, d)
		}
	}
	sort.SliceStable(c.Contributions, func(i, j int) bool { return c.Contributions[i].Points > c.Contributions[j].Points })

	byPrint := map[string]int{}
	for i, f := range r.Findings {
		cf := CardFinding{}
		if f.Severity >= analyzer.Warning {
			cf.Dimension = score.DimensionOf(f)
			cf.Kind = kindOfDimension(cf.Dimension)
		}
		c.Findings = append(c.Findings, cf)
		if _, ok := byPrint[f.Fingerprint]; !ok {
			byPrint[f.Fingerprint] = i
		}
	}
	for _, fp := range r.Score.FixFirst {
		if i, ok := byPrint[fp]; ok {
			c.FixFirst = append(c.FixFirst, i)
		}
	}
	c.Rules = cardRules(r)
	c.Matrix = matrix(r, c)
	c.Layout = layout(r.Score)
	if r.Baseline != nil {
		c.Trend = trend(r, c)
	}
	r.Card = c
}

func kindOfDimension(dim string) string {
	for _, w := range score.Weights() {
		if w.Name == dim {
			return w.Kind
		}
	}
	return ""
}

// cardRules returns the enabled rules and those with findings, by ID.
func cardRules(r *Report) []CardRule {
	count := map[string]int{}
	for _, f := range r.Findings {
		count[f.RuleID]++
	}
	var out []CardRule
	for _, m := range r.Rules {
		if !m.Enabled && count[m.ID] == 0 {
			continue
		}
		why, fix := splitDoc(m.Doc)
		out = append(out, CardRule{RuleMeta: m, Why: why, Fix: fix, Findings: count[m.ID]})
	}
	return out
}

// splitDoc splits a rule's documentation at its "Fix:" paragraph.
func splitDoc(doc string) (why, fix string) {
	doc = strings.TrimSpace(doc)
	if strings.HasPrefix(doc, "Fix:") {
		return "", strings.TrimSpace(strings.TrimPrefix(doc, "Fix:"))
	}
	if i := strings.Index(doc, "\n\nFix:"); i >= 0 {
		return strings.TrimSpace(doc[:i]), strings.TrimSpace(doc[i+len("\n\nFix:"):])
	}
	return doc, ""
}

// matrix lays out the dependency matrix: the coupled services, clusters
// first (largest first, so each cluster is a block on the diagonal), at most
// MatrixLimit of them.
func matrix(r *Report, c *Card) Matrix {
	var m Matrix
	order := map[string]int{}
	for _, cl := range r.Score.Clusters {
		for _, s := range cl.Services {
			if len(m.Services) == MatrixLimit {
				m.Omitted++
				continue
			}
			order[s] = len(m.Services)
			m.Services = append(m.Services, s)
		}
	}
	m.Uncoupled = r.Score.Services - len(m.Services) - m.Omitted
	m.Cells = make([][]MatrixCell, len(m.Services))
	for i := range m.Cells {
		m.Cells[i] = make([]MatrixCell, len(m.Services))
	}
	for i, f := range r.Findings {
		kind := c.Findings[i].Kind
		if kind == "" || len(f.Services) < 2 {
			continue
		}
		// The finding's services that are in the matrix.
		var in []int
		for _, s := range f.Services {
			if i, ok := order[s]; ok {
				in = append(in, i)
			}
		}
		for _, ia := range in {
			for _, ib := range in {
				if ia == ib {
					continue
				}
				cell := &m.Cells[ia][ib]
				cell.Findings++
				if !contains(cell.Kinds, kind) {
					cell.Kinds = append(cell.Kinds, kind)
				}
			}
		}
	}
	rank := map[string]int{}
	for i, k := range c.Kinds {
		rank[k.Kind] = i
	}
	for _, row := range m.Cells {
		for _, cell := range row {
			if len(cell.Kinds) < 2 {
				continue
			}
			sort.Slice(cell.Kinds, func(i, j int) bool { return rank[cell.Kinds[i]] < rank[cell.Kinds[j]] })
		}
	}
	return m
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// trend compares the report with its baseline by fingerprint.
func trend(r *Report, c *Card) *Trend {
	b := r.Baseline
	t := &Trend{HasScore: b.HasScore, Index: r.Score.Index, Grade: r.Score.Grade}
	if b.HasScore {
		t.Previous, t.PreviousGrade, t.Delta = b.Index, b.Grade, r.Score.Index-b.Index
		prev := map[string]int{}
		for _, d := range b.Dimensions {
			prev[d.Name] = d.Score
		}
		for _, d := range r.Score.Dimensions {
			t.Dimensions = append(t.Dimensions, DimensionDelta{Name: d.Name, Score: d.Score, Previous: prev[d.Name], Delta: d.Score - prev[d.Name]})
		}
	}
	old := map[string]bool{}
	for _, f := range b.Findings {
		old[f.Fingerprint] = true
	}
	now := map[string]bool{}
	for i, f := range r.Findings {
		now[f.Fingerprint] = true
		if !old[f.Fingerprint] {
			t.New = append(t.New, i)
			c.Findings[i].New = true
		}
	}
	seen := map[string]bool{}
	for _, f := range b.Findings {
		if !now[f.Fingerprint] && !seen[f.Fingerprint] {
			seen[f.Fingerprint] = true
			t.Fixed = append(t.Fixed, f)
		}
	}
	sort.SliceStable(t.Fixed, func(i, j int) bool {
		a, b := t.Fixed[i], t.Fixed[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Rule < b.Rule
	})
	return t
}
