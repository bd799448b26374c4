package reports

import (
	"bufio"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/score"
)

//go:embed html/scorecard.html.tmpl html/scorecard.css html/scorecard.js
var htmlAssets embed.FS

// htmlPage is what the scorecard template reads.
type htmlPage struct {
	R    *Report
	C    *Card
	CSP  string
	CSS  template.CSS
	JS   template.JS
	Data htmlData
	// Gauge is the SVG path of the index arc, whose length is 100.
	Gauge   string
	Largest *score.Cluster
	Counts  map[string]int
}

// htmlData is the JSON island the script reads: one entry per finding row,
// in the order of the table.
type htmlData struct {
	Findings []htmlDataFinding `json:"findings"`
}

type htmlDataFinding struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	Dim      string   `json:"dim"`
	Services []string `json:"services"`
	New      bool     `json:"new"`
}

// writeHTML writes the scorecard: one self-contained page with its CSS, its
// script and its data inline, and a Content-Security-Policy that lets it load
// nothing else.
func writeHTML(w io.Writer, r *Report, _ Options) error {
	tmplText, err := htmlAssets.ReadFile("html/scorecard.html.tmpl")
	if err != nil {
		return err
	}
	css, err := htmlAssets.ReadFile("html/scorecard.css")
	if err != nil {
		return err
	}
	js, err := htmlAssets.ReadFile("html/scorecard.js")
	if err != nil {
		return err
	}
	t, err := template.New("scorecard").Funcs(htmlFuncs).Parse(string(tmplText))
	if err != nil {
		return fmt.Errorf("parse scorecard template: %w", err)
	}
	c := r.Card
	if c == nil {
		c = &Card{}
	}
	p := htmlPage{R: r, C: c, CSS: template.CSS(css), JS: template.JS(js), Gauge: gaugeArc(), Counts: map[string]int{}}
	p.CSP = fmt.Sprintf("default-src 'none'; script-src '%s'; style-src '%s'; img-src data:; base-uri 'none'; form-action 'none'",
		sriHash(js), sriHash(css))
	if len(r.Score.Clusters) > 0 {
		p.Largest = &r.Score.Clusters[0]
	}
	p.Data.Findings = []htmlDataFinding{}
	for i, f := range r.Findings {
		d := htmlDataFinding{Rule: f.RuleID, Severity: f.Severity.String(), Services: append([]string{}, f.Services...)}
		if i < len(c.Findings) {
			d.Dim, d.New = c.Findings[i].Dimension, c.Findings[i].New
		}
		p.Data.Findings = append(p.Data.Findings, d)
		p.Counts[f.Severity.String()]++
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := t.Execute(bw, p); err != nil {
		return fmt.Errorf("render scorecard: %w", err)
	}
	return bw.Flush()
}

func sriHash(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// gaugeArc is the upper half circle the index is drawn on.
func gaugeArc() string { return "M 10 60 A 50 50 0 0 1 110 60" }

var htmlFuncs = template.FuncMap{
	"clean": Clean,
	"loc": func(file string, line int) string {
		return location(file, line, 0)
	},
	"points": func(p float64) string { return fmt.Sprintf("%.1f", p) },
	"signed": func(n int) string {
		if n > 0 {
			return fmt.Sprintf("+%d", n)
		}
		return fmt.Sprint(n)
	},
	"trendClass": func(n int) string {
		switch {
		case n > 0:
			return "worse"
		case n < 0:
			return "better"
		}
		return "same"
	},
	"sev":    func(s analyzer.Severity) string { return s.String() },
	"plural": plural,
	"inc":    func(i int) int { return i + 1 },
	"finding": func(r *Report, i int) analyzer.Finding {
		return r.Findings[i]
	},
	"join": func(list []string, sep string) string {
		out := make([]string, len(list))
		for i, s := range list {
			out[i] = Clean(s)
		}
		return strings.Join(out, sep)
	},
	"gradeClass": func(g string) string { return "g-" + strings.ToLower(g) },
	"half":       func(n int) int { return n / 2 },
	"nodeY":      func(y int) int { return y + nodeRadius + 14 },
	"nodeR":      func() int { return nodeRadius },
	"dimKind":    kindOfDimension,
	"needle": func(index int) string {
		a := math.Pi * (1 - float64(index)/100)
		return fmt.Sprintf("%.1f %.1f", 60+50*math.Cos(a), 60-50*math.Sin(a))
	},
}
