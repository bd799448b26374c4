package reports_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/analyzer/score"
	"github.com/decouplehq/decouple/reports"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// handBuilt is a report built by hand, with the awkward characters every
// format must survive.
func handBuilt() *reports.Report {
	r := &reports.Report{
		Tool: reports.Tool{Name: "decouple", Version: "v0.0.0-test"},
		Root: "shop",
		Rules: []reports.RuleMeta{
			{ID: "API102", Name: "unversioned-proto-package", Title: "proto package of an API has no major-version suffix",
				Doc: "why and how", Severity: analyzer.Error, Default: true, Presets: []string{"minimal", "standard", "all"}, Enabled: true},
			{ID: "DATA101", Name: "shared-database", Title: "services share a database", Doc: "why",
				Severity: analyzer.Error, Default: true, Presets: []string{"standard", "all"}, Enabled: true},
		},
		Services: []reports.Service{
			{Name: "orders", Root: "services/orders", Dirs: []string{"services/orders"}, DiscoveredBy: []string{"go.mod services/orders/go.mod"}, Files: 4},
			{Name: "payments", Root: "services/payments", Dirs: []string{"services/payments", "internal/payments"}, DiscoveredBy: []string{"folder services/payments/"}, Files: 2},
		},
		Findings: []analyzer.Finding{
			{RuleID: "API102", RuleName: "unversioned-proto-package", Severity: analyzer.Error,
				Message: `proto package "shop.orders" of service orders is an API without a major version; rename it to "shop.orders.v1"`,
				Service: "orders", Services: []string{"orders"}, Pos: facts.Position{File: "services/orders/orders.proto", Line: 3, Col: 1},
				Fingerprint: "0123456789abcdef"},
			{RuleID: "DATA101", RuleName: "shared-database", Severity: analyzer.Warning,
				Message: "100% of <orders> & payments: share db \"shop\", see:\nline two \u202etxet\x1b[31m ünïcode",
				Service: "orders", Services: []string{"orders", "payments"},
				Pos:         facts.Position{File: "deploy/compose,a:b%.yaml", Line: 12, Col: 5},
				Related:     []analyzer.Related{{Pos: facts.Position{File: "services/payments/main.go", Line: 7}, Service: "payments", Message: "payments connects here"}},
				Fingerprint: "fedcba9876543210"},
		},
		Failures: []analyzer.Failure{{RuleID: "CODE101", Message: "panic: boom\nstack"}},
		Stats: reports.Stats{FilesSeen: 9, FilesAnalyzed: 6, Suppressed: 1,
			FilesSkipped: []facts.Skipped{{File: "README.md", Reason: "not an input decouple reads"}, {File: "bad\rname.proto", Reason: "binary content"}, {File: "vendor/", Reason: "skipped directory (vendor)"}}},
		Shared: []string{"deploy", "libs/log"},
	}
	// The score is computed on the same findings; the shared database's
	// entity becomes a datastore node with a hostile name.
	r.Findings[1].Entity = `postgres://db:5432/shop"</script><script>alert(1)</script>`
	repo := &facts.Repo{}
	for _, s := range r.Services {
		repo.Services = append(repo.Services, &facts.Service{Name: s.Name})
	}
	r.Score = score.Compute(&analyzer.Result{Findings: r.Findings}, repo)
	r.Baseline = &reports.Baseline{HasScore: true, Index: 70, Grade: "D",
		Dimensions: []reports.BaselineDimension{{Name: "contracts", Score: 50}, {Name: "data", Score: 100}, {Name: "code", Score: 100}},
		Findings: []reports.BaselineFinding{
			{Rule: "API102", Name: "unversioned-proto-package", Severity: "error", Message: "kept", File: "services/orders/orders.proto", Line: 3, Fingerprint: "0123456789abcdef"},
			{Rule: "CODE101", Name: "cross-service-import", Severity: "error", Message: "payments imports <orders>/internal", File: "services/payments/x.go", Line: 9, Fingerprint: "00000000000000ff"},
		}}
	r.Prepare()
	return r
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs; run go test ./reports -update and review the diff\n--- got ---\n%s", p, got)
	}
}

func TestFormats(t *testing.T) {
	for _, tc := range []struct {
		format, golden string
		opts           reports.Options
	}{
		{"text", "report.golden.txt", reports.Options{}},
		{"text", "report-summary.golden.txt", reports.Options{Summary: true}},
		{"json", "report.golden.json", reports.Options{Color: true}},
		{"html", "report.golden.html", reports.Options{Color: true}},
		{"markdown", "report.golden.md", reports.Options{}},
		{"dot", "report.golden.dot", reports.Options{}},
		{"mermaid", "report.golden.mmd", reports.Options{}},
	} {
		var buf bytes.Buffer
		if err := reports.Write(&buf, tc.format, handBuilt(), tc.opts); err != nil {
			t.Fatal(err)
		}
		golden(t, tc.golden, buf.Bytes())
	}
}

func TestCatalogue(t *testing.T) {
	var buf bytes.Buffer
	r := handBuilt()
	if err := reports.WriteRules(&buf, r); err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteExplain(&buf, r.Rules[0]); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"text", "json"} {
		if err := reports.WriteServices(&buf, f, r); err != nil {
			t.Fatal(err)
		}
	}
	golden(t, "catalogue.golden.txt", buf.Bytes())
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain":              "plain",
		"a\r\n::error::x":    `a\r\n::error::x`,
		"\x1b[31mred":        `\x1b[31mred`,
		"rtl\u202eevil":      `rtl\u202eevil`,
		"bad\xffutf8":        "bad\uFFFDutf8",
		"tab\tand ünïcode ✓": `tab\tand ünïcode ✓`,
	} {
		if got := reports.Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := reports.Write(&bytes.Buffer{}, "yaml", handBuilt(), reports.Options{}); err == nil {
		t.Error("unknown format accepted")
	}
}
