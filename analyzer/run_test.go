package analyzer_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// rule builds a test rule reporting the given findings.
func rule(id, name string, sev analyzer.Severity, def bool, found ...analyzer.Finding) *analyzer.Rule {
	return &analyzer.Rule{ID: id, Name: name, Title: "test rule " + name, Doc: "doc", Severity: sev, Default: def,
		Run: func(p *analyzer.Pass) error {
			for _, f := range found {
				p.Report(f)
			}
			return nil
		}}
}

func at(file string, line int) facts.Position { return facts.Position{File: file, Line: line, Col: 1} }

func ids(res *analyzer.Result) string {
	var s []string
	for _, f := range res.Findings {
		s = append(s, f.RuleID+"@"+f.Pos.File)
	}
	return strings.Join(s, " ")
}

func TestValidate(t *testing.T) {
	good := rule("API101", "good-rule", analyzer.Error, true)
	if err := analyzer.Validate([]*analyzer.Rule{good}); err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*analyzer.Rule{
		"bad id":       rule("XYZ101", "x", analyzer.Error, true),
		"short id":     rule("API1", "x", analyzer.Error, true),
		"bad name":     rule("API103", "Not_Kebab", analyzer.Error, true),
		"dup id":       rule("API101", "other", analyzer.Error, true),
		"dup name":     rule("API104", "good-rule", analyzer.Error, true),
		"no doc":       {ID: "API105", Name: "no-doc", Title: "t", Severity: analyzer.Error, Run: good.Run},
		"title period": {ID: "API106", Name: "p", Title: "ends.", Doc: "d", Severity: analyzer.Error, Run: good.Run},
		"no run":       {ID: "API107", Name: "no-run", Title: "t", Doc: "d", Severity: analyzer.Error},
		"no severity":  {ID: "API108", Name: "no-sev", Title: "t", Doc: "d", Run: good.Run},
	} {
		if err := analyzer.Validate([]*analyzer.Rule{good, r}); err == nil {
			t.Errorf("%s: Validate accepted it", name)
		}
	}
	if err := analyzer.Validate(analyzer.DriverRules()); err != nil {
		t.Errorf("driver rules: %v", err)
	}
}

func TestSelect(t *testing.T) {
	all := []*analyzer.Rule{
		rule("API101", "a-one", analyzer.Error, true),
		rule("API102", "a-two", analyzer.Error, false),
		rule("DATA101", "d-one", analyzer.Error, true),
	}
	presets := map[string][]string{"minimal": {"API101"}}
	for _, tc := range []struct {
		use, except []string
		want        string
	}{
		{nil, nil, "API101 DATA101"},
		{[]string{"all"}, nil, "API101 API102 DATA101"},
		{[]string{"api"}, nil, "API101 API102"},
		{[]string{"a-two"}, nil, "API102"},
		{[]string{"MINIMAL"}, nil, "API101"},
		{[]string{"all"}, []string{"API"}, "DATA101"},
		{nil, []string{"d-one"}, "API101"},
	} {
		pol := analyzer.Policy{Use: tc.use, Except: tc.except, Presets: presets}
		got, err := pol.Select(all)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, r := range got {
			s = append(s, r.ID)
		}
		if strings.Join(s, " ") != tc.want {
			t.Errorf("use %v except %v: got %v, want %s", tc.use, tc.except, s, tc.want)
		}
	}
	if _, err := (&analyzer.Policy{Use: []string{"NOPE"}}).Select(all); err == nil {
		t.Error("unknown selector accepted")
	}
}

func TestRunPolicy(t *testing.T) {
	repo := &facts.Repo{}
	r1 := rule("API101", "a-one", analyzer.Error, true,
		analyzer.Finding{Pos: at("b.yaml", 3), Message: "second", Service: "orders"},
		analyzer.Finding{Pos: at("a.yaml", 9), Message: "first", Service: "orders",
			Related: []analyzer.Related{{Pos: at("c.yaml", 1), Service: "billing"}}},
		analyzer.Finding{Pos: at("a.yaml", 9), Message: "first", Service: "orders", // duplicate
			Related: []analyzer.Related{{Pos: at("c.yaml", 1), Service: "billing"}}},
		analyzer.Finding{Pos: at("legacy/x.yaml", 1), Message: "ignored"},
	)
	pol := analyzer.Policy{Severity: map[string]analyzer.Severity{"API": analyzer.Info, "a-one": analyzer.Warning},
		Ignore: []string{"legacy/"}}
	res, err := analyzer.Run(repo, []*analyzer.Rule{r1}, pol)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); got != "API101@a.yaml API101@b.yaml" {
		t.Fatalf("findings %q", got)
	}
	f := res.Findings[0]
	if f.Severity != analyzer.Warning {
		t.Errorf("severity %v: the rule's own selector must beat its area", f.Severity)
	}
	if strings.Join(f.Services, ",") != "billing,orders" || f.RuleName != "a-one" || len(f.Fingerprint) != 16 {
		t.Errorf("stamp: %+v", f)
	}
	if res.Ignored != 1 {
		t.Errorf("ignored %d", res.Ignored)
	}
}

func TestFingerprintIgnoresLines(t *testing.T) {
	run := func(line int) string {
		r := rule("API101", "a-one", analyzer.Error, true,
			analyzer.Finding{Pos: at("a.yaml", line), Message: "m", Service: "orders", Entity: "pkg"})
		res, _ := analyzer.Run(&facts.Repo{}, []*analyzer.Rule{r}, analyzer.Policy{})
		return res.Findings[0].Fingerprint
	}
	if run(3) != run(300) {
		t.Error("the fingerprint depends on the line")
	}
}

func TestRuleFailuresAreIsolated(t *testing.T) {
	panics := &analyzer.Rule{ID: "API101", Name: "panics", Title: "t", Doc: "d", Severity: analyzer.Error, Default: true,
		Run: func(p *analyzer.Pass) error { _ = p.Repo.Services[3]; return nil }}
	fails := &analyzer.Rule{ID: "API102", Name: "fails", Title: "t", Doc: "d", Severity: analyzer.Error, Default: true,
		Run: func(*analyzer.Pass) error { return errors.New("no luck") }}
	ok := rule("API103", "works", analyzer.Error, true, analyzer.Finding{Pos: at("a", 1), Message: "fine"})
	res, err := analyzer.Run(&facts.Repo{}, []*analyzer.Rule{panics, fails, ok}, analyzer.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 2 || res.Failures[0].RuleID != "API101" || !strings.Contains(res.Failures[0].Message, "panic") ||
		res.Failures[1].Message != "no luck" {
		t.Errorf("failures %+v", res.Failures)
	}
	if ids(res) != "API103@a" {
		t.Errorf("the working rule's findings are missing: %s", ids(res))
	}
}

func TestSuppressions(t *testing.T) {
	repo := &facts.Repo{Suppressions: []facts.Suppression{
		{Pos: at("a.proto", 1), Rule: "API101", Reason: "legacy", Lines: [2]int{1, 2}},
		{Pos: at("b.proto", 1), Rule: "a-one", Reason: "", Lines: [2]int{1, 2}},
		{Pos: at("c.proto", 5), Rule: "api", Reason: "nothing here", Lines: [2]int{5, 6}},
		{Pos: at("d.proto", 1), Rule: "NOPE", Reason: "typo", Lines: [2]int{1, 2}},
		{Pos: at("e.proto", 1), Rule: "DATA101", Reason: "rule not enabled", Lines: [2]int{1, 2}},
	}}
	r := rule("API101", "a-one", analyzer.Error, true,
		analyzer.Finding{Pos: at("a.proto", 2), Message: "hidden"},
		analyzer.Finding{Pos: at("b.proto", 2), Message: "no reason, so still reported"},
	)
	data := rule("DATA101", "d-one", analyzer.Error, false)
	all := append([]*analyzer.Rule{r, data}, analyzer.DriverRules()...)
	res, err := analyzer.Run(repo, all, analyzer.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); got != "LOAD003@b.proto API101@b.proto LOAD002@c.proto LOAD003@d.proto" {
		t.Errorf("findings: %s", got)
	}
	if res.Suppressed != 1 {
		t.Errorf("suppressed %d", res.Suppressed)
	}
}
