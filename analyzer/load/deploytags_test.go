package load

import (
	"slices"
	"strings"
	"testing"
)

// TestChartTemplates checks the one-pass index against its definition: the
// YAML and .tpl inputs whose path starts with "<chart dir>/templates/".
func TestChartTemplates(t *testing.T) {
	paths := []string{
		"templates/a.yaml", "templates/_helpers.tpl", "templates/notes.txt",
		"charts/shop/templates/d.yaml", "charts/shop/templates/sub/e.yml",
		"charts/shop/charts/orders/templates/d.yaml", "charts/shop/charts/orders/mytemplates/x.yaml",
		"charts/shop/templates/charts/inner/templates/f.yaml", "xcharts/shop/templates/g.yaml",
		"charts/shoptemplates/h.yaml", "services/orders/templates/i.yaml",
	}
	l := &loader{}
	for _, p := range paths {
		l.inputs = append(l.inputs, &input{path: p, kind: kindOf(p)})
	}
	ix := &deployIndex{l: l, charts: map[string]*chart{}}
	for _, dir := range []string{"", "charts/shop", "charts/shop/charts/orders", "charts/shop/templates/charts/inner", "services/payments"} {
		ix.charts[dir] = &chart{dir: dir}
	}
	got := ix.chartTemplates()
	for dir := range ix.charts {
		var want []string
		for _, in := range l.inputs {
			if strings.HasPrefix(in.path, joinRel(dir, "templates/")) && (in.kind == kindYAML || strings.HasSuffix(in.path, ".tpl")) {
				want = append(want, in.path)
			}
		}
		var have []string
		for _, in := range got[dir] {
			have = append(have, in.path)
		}
		if !slices.Equal(have, want) {
			t.Errorf("chart %q: templates %q, want %q", dir, have, want)
		}
	}
	if n := len(got["charts/shop"]); n != 3 {
		t.Errorf("charts/shop has %d templates, want 3 (its own two and the nested chart's file under its folder)", n)
	}
}
