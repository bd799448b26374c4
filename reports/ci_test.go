package reports_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/analyzer/schematest"
	"github.com/decouplehq/decouple/reports"
)

var ciFormats = []string{"sarif", "github", "gitlab", "checkstyle", "junit"}

// ciReport is the hand-built report plus what only the CI formats treat
// specially: an info finding, a second finding with the same fingerprint, a
// finding outside every service without a line, and a service named only by
// a finding.
func ciReport() *reports.Report {
	r := handBuilt()
	r.Rules = append(r.Rules, reports.RuleMeta{ID: "LOAD002", Name: "unused-suppression", Title: "decouple:ignore directive that suppresses nothing",
		Doc: "A stale directive.\n\nFix: delete it.", Severity: analyzer.Info, Default: true, Presets: []string{"standard", "all"}, Enabled: true},
		reports.RuleMeta{ID: "DEPLOY101", Name: "co-change-coupling", Title: "services change together", Doc: "disabled here",
			Severity: analyzer.Warning, Presets: []string{"all"}})
	r.Findings = append(r.Findings,
		analyzer.Finding{RuleID: "API102", RuleName: "unversioned-proto-package", Severity: analyzer.Error,
			Message: `proto package "shop.orders" of service orders is an API without a major version; rename it to "shop.orders.v1"`,
			Service: "orders", Services: []string{"orders"}, Pos: facts.Position{File: "services/orders/orders_admin.proto", Line: 2, Col: 1},
			Fingerprint: "0123456789abcdef"},
		analyzer.Finding{RuleID: "LOAD002", RuleName: "unused-suppression", Severity: analyzer.Info,
			Message: "decouple:ignore API102 suppresses nothing here; remove it", Pos: facts.Position{File: "protos/legacy.proto"},
			Fingerprint: "1111111111111111"},
		analyzer.Finding{RuleID: "DATA101", RuleName: "shared-database", Severity: analyzer.Warning,
			Message: "services payments and reporting share database \"ledger\"", Service: "reporting", Services: []string{"payments", "reporting"},
			Pos:         facts.Position{File: "services/reporting/config.yaml", Line: 4},
			Related:     []analyzer.Related{{Pos: facts.Position{File: "services/payments/config.yaml", Line: 9}, Service: "payments"}},
			Fingerprint: "2222222222222222"},
	)
	return r
}

func renderColored(t *testing.T, format string, r *reports.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	// Color is on: no machine format may honour it.
	if err := reports.Write(&buf, format, r, reports.Options{Color: true, Summary: true}); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

func TestCIFormatGoldens(t *testing.T) {
	for _, format := range ciFormats {
		t.Run(format, func(t *testing.T) {
			out := renderColored(t, format, ciReport())
			golden(t, "ci."+format+".golden", out)
			if bytes.IndexByte(out, 0x1b) >= 0 {
				t.Errorf("%s output holds an ESC byte", format)
			}
			empty := renderColored(t, format, &reports.Report{Tool: reports.Tool{Name: "decouple", Version: "v0.0.0-test"}})
			golden(t, "ci-empty."+format+".golden", empty)
		})
	}
}

func TestCIFormatsAreListed(t *testing.T) {
	have := strings.Join(reports.Formats(), " ")
	for _, f := range ciFormats {
		if !strings.Contains(have, f) {
			t.Errorf("format %s is not registered (have %s)", f, have)
		}
	}
}

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	return schematest.Compile(t, "testdata/sarif-schema-2.1.0.json")
}

// TestSARIFSchema validates the SARIF output against the official OASIS
// SARIF 2.1.0 schema (errata 01), and checks what GitHub needs beyond it.
func TestSARIFSchema(t *testing.T) {
	schema := sarifSchema(t)
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[{"message":{}}]}]}`))
	if schema.Validate(bad) == nil {
		t.Fatal("the schema accepts a run without a driver name: it validates nothing")
	}
	for name, r := range map[string]*reports.Report{"full": ciReport(), "empty": {}} {
		out := renderColored(t, "sarif", r)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s: SARIF does not match the schema: %v", name, err)
		}
		var log struct {
			Runs []struct {
				Tool struct {
					Driver struct {
						Name  string
						Rules []struct{ ID, Name, HelpURI string }
					}
				}
				Results           *[]json.RawMessage
				AutomationDetails struct{ ID string }
			}
		}
		if err := json.Unmarshal(out, &log); err != nil || len(log.Runs) != 1 {
			t.Fatalf("%s: %v", name, err)
		}
		run := log.Runs[0]
		if run.Results == nil {
			t.Errorf("%s: results is missing; GitHub wants [] when empty", name)
		}
		if run.AutomationDetails.ID != "decouple/" || run.Tool.Driver.Name != "decouple" {
			t.Errorf("%s: automationDetails %q, driver %q", name, run.AutomationDetails.ID, run.Tool.Driver.Name)
		}
		for _, rule := range run.Tool.Driver.Rules {
			if rule.Name == rule.ID || rule.HelpURI == "" {
				t.Errorf("%s: rule %s: name %q must differ from the ID, helpUri %q", name, rule.ID, rule.Name, rule.HelpURI)
			}
		}
	}
}

func TestSARIFResults(t *testing.T) {
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID              string
				RuleIndex           int
				Level               string
				Message             struct{ Text string }
				Locations           []sarifLoc
				RelatedLocations    []sarifLoc
				PartialFingerprints map[string]string
			}
		}
	}
	r := ciReport()
	if err := json.Unmarshal(renderColored(t, "sarif", r), &log); err != nil {
		t.Fatal(err)
	}
	res := log.Runs[0].Results
	if len(res) != len(r.Findings) {
		t.Fatalf("%d results for %d findings", len(res), len(r.Findings))
	}
	seen := map[string]bool{}
	for i, f := range r.Findings {
		got := res[i]
		if fp := got.PartialFingerprints["decouple/v1"]; seen[fp] {
			t.Errorf("result %d: fingerprint %s repeats; GitHub would merge the alerts", i, fp)
		} else {
			seen[fp] = true
		}
		if got.RuleID != f.RuleID || r.Rules[got.RuleIndex].ID != f.RuleID {
			t.Errorf("result %d: rule %s index %d, want %s", i, got.RuleID, got.RuleIndex, f.RuleID)
		}
		if !strings.HasPrefix(got.PartialFingerprints["decouple/v1"], f.Fingerprint) {
			t.Errorf("result %d: fingerprints %v", i, got.PartialFingerprints)
		}
		loc := got.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || strings.HasPrefix(loc.ArtifactLocation.URI, "/") {
			t.Errorf("result %d: location %+v", i, loc)
		}
		if len(got.RelatedLocations) != len(f.Related) {
			t.Errorf("result %d: %d related locations, want %d", i, len(got.RelatedLocations), len(f.Related))
		}
		for _, rel := range f.Related {
			if !strings.Contains(got.Message.Text, rel.Pos.File) {
				t.Errorf("result %d: the message %q does not name the other side %s", i, got.Message.Text, rel.Pos.File)
			}
		}
	}
	if uri := res[1].Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "deploy/compose%2Ca%3Ab%25.yaml" {
		t.Errorf("awkward file name encoded as %q", uri)
	}
}

type sarifLoc struct {
	PhysicalLocation struct {
		ArtifactLocation struct{ URI, URIBaseID string }
		Region           *struct{ StartLine int }
	}
}

var (
	workflowCommand = regexp.MustCompile(`^::(error|warning|notice)( [a-zA-Z]+=[^:,\r\n]*(,[a-zA-Z]+=[^:,\r\n]*)*)?::[^\r\n]*$`)
	escapeSeq       = regexp.MustCompile(`%(25|0D|0A|3A|2C)`)
)

// TestGitHubEscaping checks that no message or file name can end a
// workflow command or start another, and that escaping round-trips.
func TestGitHubEscaping(t *testing.T) {
	r := &reports.Report{Findings: []analyzer.Finding{{RuleID: "API102", RuleName: "x", Severity: analyzer.Error,
		Message: "50% done,\r\n::error file=x::forged\n::stop-commands::t",
		Pos:     facts.Position{File: "a,b:c%d\n::warning::e.proto", Line: 3, Col: 2}}}}
	out := string(renderColored(t, "github", r))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("one finding made %d lines:\n%s", len(lines), out)
	}
	if !workflowCommand.MatchString(lines[0]) {
		t.Fatalf("not one well-formed workflow command: %q", lines[0])
	}
	props, msg, _ := strings.Cut(strings.TrimPrefix(lines[0], "::error "), "::")
	unescape := func(s string) string {
		return escapeSeq.ReplaceAllStringFunc(s, func(m string) string {
			return map[string]string{"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}[m]
		})
	}
	if got := unescape(msg); got != r.Findings[0].Message {
		t.Errorf("message round trip: %q", got)
	}
	file, _, _ := strings.Cut(strings.TrimPrefix(props, "file="), ",line=")
	if got := unescape(file); got != r.Findings[0].Pos.File {
		t.Errorf("file round trip: %q", got)
	}
}

// TestGitHubLimit: at most ten annotations per level, then one notice with
// the count of the rest, which itself stays within the ten notices.
func TestGitHubLimit(t *testing.T) {
	r := &reports.Report{}
	add := func(n int, sev analyzer.Severity) {
		for i := range n {
			r.Findings = append(r.Findings, analyzer.Finding{RuleID: "API102", RuleName: "x", Severity: sev,
				Message: fmt.Sprintf("%s %d", sev, i), Pos: facts.Position{File: "f.proto", Line: i + 1}})
		}
	}
	add(25, analyzer.Error)
	add(3, analyzer.Warning)
	add(12, analyzer.Info)
	out := string(renderColored(t, "github", r))
	count := map[string]int{}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !workflowCommand.MatchString(l) {
			t.Errorf("malformed command %q", l)
		}
		level, _, _ := strings.Cut(strings.TrimPrefix(l, "::"), " ")
		count[level]++
	}
	if count["error"] != 10 || count["warning"] != 3 || count["notice"] != 10 {
		t.Errorf("annotations per level %v, want 10 errors, 3 warnings, 10 notices", count)
	}
	if !strings.Contains(out, "::18 more findings not shown") {
		t.Errorf("no closing notice counting the 18 left out:\n%s", out)
	}
	r.Findings = r.Findings[:10]
	if out := string(renderColored(t, "github", r)); strings.Contains(out, "more finding") {
		t.Errorf("a closing notice though nothing was cut:\n%s", out)
	}
}

func TestGitLabFingerprintsUnique(t *testing.T) {
	var issues []struct {
		Fingerprint, Severity string
		CheckName             string `json:"check_name"`
		Location              struct {
			Path  string
			Lines struct{ Begin int }
		}
	}
	if err := json.Unmarshal(renderColored(t, "gitlab", ciReport()), &issues); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, is := range issues {
		if seen[is.Fingerprint] || is.Fingerprint == "" {
			t.Errorf("fingerprint %q repeats or is empty", is.Fingerprint)
		}
		seen[is.Fingerprint] = true
		if is.Location.Path == "" || is.Location.Lines.Begin < 1 {
			t.Errorf("location %+v", is.Location)
		}
	}
	if len(issues) != len(ciReport().Findings) {
		t.Errorf("%d issues for %d findings", len(issues), len(ciReport().Findings))
	}
}

// TestXMLWellFormed parses the XML formats back and checks the message
// survives escaping.
func TestXMLWellFormed(t *testing.T) {
	for _, format := range []string{"checkstyle", "junit"} {
		out := renderColored(t, format, ciReport())
		dec := xml.NewDecoder(bytes.NewReader(out))
		var text strings.Builder
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: not well-formed: %v\n%s", format, err, out)
			}
			switch x := tok.(type) {
			case xml.StartElement:
				for _, a := range x.Attr {
					text.WriteString(a.Value + "\n")
				}
			case xml.CharData:
				text.Write(x)
			}
		}
		if !strings.Contains(text.String(), "100% of <orders> & payments: share db \"shop\", see:\nline two") {
			t.Errorf("%s: the message did not survive escaping:\n%s", format, text.String())
		}
	}
}

// TestJUnitMatrix: one suite per enabled rule, one case per rule and
// service, failing where the rule found something in the service.
func TestJUnitMatrix(t *testing.T) {
	var doc struct {
		Suites []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
				Error   *struct{} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(renderColored(t, "junit", ciReport()), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			state := "pass"
			if c.Failure != nil {
				state = "fail"
			}
			if c.Error != nil {
				state = "error"
			}
			got[s.Name+" / "+c.Name] = state
		}
	}
	want := map[string]string{
		"API102 unversioned-proto-package / orders":   "fail",
		"API102 unversioned-proto-package / payments": "pass",
		"DATA101 shared-database / orders":            "fail",
		"DATA101 shared-database / payments":          "fail",
		"DATA101 shared-database / reporting":         "fail",
		"LOAD002 unused-suppression / orders":         "pass",
		"LOAD002 unused-suppression / payments":       "pass",
		"LOAD002 unused-suppression / (no service)":   "pass",
		"CODE101 / orders":                            "error",
		"CODE101 / payments":                          "error",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d test cases, want %d: %v", len(got), len(want), got)
	}
}
