package reports_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/analyzer/score"
	"github.com/decouplehq/decouple/analyzer/score/scoretest"
	"github.com/decouplehq/decouple/reports"
)

func render(t testing.TB, format string, r *reports.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := reports.Write(&buf, format, r, reports.Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestHTMLSelfContained checks the page loads nothing, runs only its own
// script, whose hash the CSP pins, and escapes the hostile datastore name.
func TestHTMLSelfContained(t *testing.T) {
	page := string(render(t, "html", handBuilt()))
	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]+)">`).FindStringSubmatch(page)
	if csp == nil {
		t.Fatal("no CSP")
	}
	csp[1] = html.UnescapeString(csp[1])
	if !strings.HasPrefix(csp[1], "default-src 'none';") {
		t.Fatalf("the CSP does not start with default-src 'none': %s", csp[1])
	}
	scripts := regexp.MustCompile(`(?s)<script([^>]*)>(.*?)</script>`).FindAllStringSubmatch(page, -1)
	if len(scripts) != 2 || scripts[0][1] != ` type="application/json" id="decouple-data"` || scripts[1][1] != "" {
		t.Fatalf("want the JSON island and one script, got %d script elements", len(scripts))
	}
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(page)
	for what, body := range map[string]string{"script": scripts[1][2], "style": style[1]} {
		sum := sha256.Sum256([]byte(body))
		if h := "sha256-" + base64.StdEncoding.EncodeToString(sum[:]); !strings.Contains(csp[1], h) {
			t.Errorf("the CSP does not pin the inline %s (%s)", what, h)
		}
	}
	if strings.Contains(page, "<script>alert(1)") || strings.Contains(page, `"</script>`) {
		t.Error("a hostile name reached the page unescaped")
	}
	if !strings.Contains(page, "db:5432/shop&#34;&lt;/script&gt;") {
		t.Error("the datastore label is missing from the graph")
	}
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:)?//`).FindString(page); m != "" {
		t.Errorf("the page refers to the network: %s", m)
	}
	if strings.Contains(page, "\u202e") {
		t.Error("a bidi override reached the page")
	}
}

func TestHTMLShowsTheExplanation(t *testing.T) {
	res, repo := scoretest.Demo()
	r := reports.New(reports.Input{Tool: reports.Tool{Name: "decouple", Version: "test"}, Root: "shop", Repo: repo, Result: res,
		Rules: ruleCatalogue(res), Score: score.Compute(res, repo)})
	page := string(render(t, "html", r))
	for _, want := range []string{
		"Distributed-monolith index <b>65</b>", "grade D", "+30.0</b> <span class=\"dimname\">monolith inside",
		"Biggest coupled cluster", "5 of 5 services", "What to fix first", `id="rule-DATA101"`,
		`<td class="hit k-data`, `data-a="orders" data-b="payments"`, "how to fix",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the scorecard lacks %q", want)
		}
	}
}

func TestMarkdownStaysUnderOneMiB(t *testing.T) {
	res, repo := scoretest.Synthetic(200, 2)
	long := strings.Repeat("a long message naming services and evidence ", 8)
	for i := range 6000 {
		res.Findings = append(res.Findings, scoretest.F("API101", "unversioned-openapi", analyzer.Error,
			facts.Position{File: fmt.Sprintf("svc-%03d/api/openapi.yaml", i%200), Line: i + 1}, fmt.Sprintf("svc-%03d", i%200),
			fmt.Sprint(i), long))
	}
	r := reports.New(reports.Input{Root: "big", Repo: repo, Result: res, Rules: ruleCatalogue(res), Score: score.Compute(res, repo)})
	md := render(t, "markdown", r)
	if len(md) >= 1<<20 {
		t.Fatalf("markdown is %d bytes", len(md))
	}
	if !bytes.Contains(md, []byte("more findings are not shown here")) {
		t.Error("the cut is not said")
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	res, repo := scoretest.Demo()
	old := reports.New(reports.Input{Root: "shop", Repo: repo, Result: res, Score: score.Compute(res, repo)})
	b, err := reports.ReadBaseline(bytes.NewReader(render(t, "json", old)))
	if err != nil {
		t.Fatal(err)
	}
	if !b.HasScore || b.Index != old.Score.Index || len(b.Dimensions) != 5 || len(b.Findings) != len(res.Findings) {
		t.Fatalf("baseline read back wrong: %+v", b)
	}
	// Fix the code coupling; a new co-change appears.
	var now []analyzer.Finding
	for _, f := range res.Findings {
		if !strings.HasPrefix(f.RuleID, "CODE") {
			now = append(now, f)
		}
	}
	added := scoretest.F("DEPLOY101", "co-change-coupling", analyzer.Warning, facts.Position{File: "users/go.mod", Line: 1}, "users", "users+catalog",
		"services users and catalog changed together in 9 of 20 commits", "catalog")
	now = append(now, added)
	res2 := scoretest.Result(now...)
	r := reports.New(reports.Input{Root: "shop", Repo: repo, Result: res2, Score: score.Compute(res2, repo), Baseline: b})
	tr := r.Card.Trend
	if tr == nil || len(tr.New) != 1 || r.Findings[tr.New[0]].Fingerprint != added.Fingerprint {
		t.Fatalf("new findings: %+v", tr)
	}
	if len(tr.Fixed) != 2 || tr.Fixed[0].Rule != "CODE102" || tr.Fixed[1].Rule != "CODE101" {
		t.Errorf("fixed findings: %+v", tr.Fixed)
	}
	deltas := map[string]int{}
	for _, d := range tr.Dimensions {
		deltas[d.Name] = d.Delta
	}
	if deltas["code"] >= 0 || deltas["change"] <= 0 || tr.Delta != r.Score.Index-old.Score.Index {
		t.Errorf("deltas %v, index delta %d", deltas, tr.Delta)
	}
	js := string(render(t, "json", r))
	for _, want := range []string{`"baseline": {`, `"new": [` + "\n" + `      "` + added.Fingerprint, `"rule": "CODE101"`} {
		if !strings.Contains(js, want) {
			t.Errorf("JSON baseline lacks %q", want)
		}
	}
}

func TestReadBaselineRejects(t *testing.T) {
	for in, want := range map[string]string{
		"not json":                      "not a decouple JSON report",
		`{"findings": []}`:              "no version",
		`{"version": 9, "findings":[]}`: "protocol version 9",
		`{"version": 1, "findings":[{"rule":"API101","file":"a","line":1}]}`: "no fingerprint",
	} {
		_, err := reports.ReadBaseline(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadBaseline(%q) = %v, want %q", in, err, want)
		}
	}
}

// ruleCatalogue makes a rule, with a documentation of realistic length, for
// every rule the findings name.
func ruleCatalogue(res *analyzer.Result) []*analyzer.Rule {
	seen := map[string]bool{}
	var out []*analyzer.Rule
	for _, f := range res.Findings {
		if seen[f.RuleID] {
			continue
		}
		seen[f.RuleID] = true
		out = append(out, &analyzer.Rule{ID: f.RuleID, Name: f.RuleName, Title: "the " + f.RuleName + " rule", Severity: f.Severity, Default: true,
			Doc: strings.Repeat("Why this couples services, with an example. ", 12) + "\n\nFix: " + strings.Repeat("what to change. ", 6)})
	}
	return out
}

// big200 is the report of a synthetic system of 200 services.
func big200() *reports.Report {
	res, repo := scoretest.Synthetic(200, 1)
	return reports.New(reports.Input{Tool: reports.Tool{Name: "decouple", Version: "bench"}, Root: "synthetic", Repo: repo, Result: res,
		Rules: ruleCatalogue(res), Score: score.Compute(res, repo)})
}

// TestScorecard200 holds the scorecard of a 200-service report to its
// size budget: a page under 2 MB. BenchmarkScorecard200 measures the
// rendering time (its budget is a second).
func TestScorecard200(t *testing.T) {
	r := big200()
	start := time.Now()
	page := render(t, "html", r)
	took := time.Since(start)
	if len(page) >= 2<<20 {
		t.Errorf("the page is %d bytes, over 2 MiB", len(page))
	}
	t.Logf("200 services, %d findings: %d bytes in %v", len(r.Findings), len(page), took)
}

// BenchmarkScorecard200 measures the whole scorecard path for 200
// services: score, report construction (matrix, layout) and HTML.
func BenchmarkScorecard200(b *testing.B) {
	res, repo := scoretest.Synthetic(200, 1)
	rules := ruleCatalogue(res)
	var size int
	for b.Loop() {
		r := reports.New(reports.Input{Root: "synthetic", Repo: repo, Result: res, Rules: rules, Score: score.Compute(res, repo)})
		var buf bytes.Buffer
		if err := reports.Write(&buf, "html", r, reports.Options{}); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "page-bytes")
}
