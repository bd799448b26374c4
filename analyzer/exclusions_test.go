package analyzer_test

import (
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

func TestExclusions(t *testing.T) {
	shared := func(file string, svcs ...string) analyzer.Finding {
		return analyzer.Finding{Pos: at(file, 3), Services: svcs, Service: svcs[0], Message: "share db", Entity: "db:" + file}
	}
	db := rule("DATA101", "shared-database", analyzer.Error, true,
		shared("a.yaml", "billing", "invoicing"),
		shared("b.yaml", "billing", "invoicing", "orders"),
		shared("c.yaml", "orders", "payments"))
	api := rule("API102", "unversioned-proto-package", analyzer.Error, true,
		analyzer.Finding{Pos: at("d.proto", 1), Service: "billing", Message: "unversioned", Entity: "pkg:d"})
	all := []*analyzer.Rule{api, db}
	base, err := analyzer.Run(&facts.Repo{}, all, analyzer.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	fpOf := map[string]string{}
	for _, f := range base.Findings {
		fpOf[f.Pos.File] = f.Fingerprint
	}
	for _, tc := range []struct {
		name string
		x    analyzer.Exclusion
		want string
	}{
		{"exact service set, any order", analyzer.Exclusion{Rule: "DATA101", Services: []string{"invoicing", "billing"}, Reason: "r"},
			"DATA101@b.yaml DATA101@c.yaml API102@d.proto"},
		{"by name", analyzer.Exclusion{Rule: "shared-database", Services: []string{"orders", "payments"}, Reason: "r"},
			"DATA101@a.yaml DATA101@b.yaml API102@d.proto"},
		{"by area", analyzer.Exclusion{Rule: "data", Services: []string{"billing", "invoicing", "orders"}, Reason: "r"},
			"DATA101@a.yaml DATA101@c.yaml API102@d.proto"},
		{"another rule's services", analyzer.Exclusion{Rule: "DATA101", Services: []string{"billing"}, Reason: "r"},
			"DATA101@a.yaml DATA101@b.yaml DATA101@c.yaml API102@d.proto"},
		{"fingerprint only", analyzer.Exclusion{Rule: "all", Fingerprint: fpOf["c.yaml"], Reason: "r"},
			"DATA101@a.yaml DATA101@b.yaml API102@d.proto"},
		{"services and a wrong fingerprint", analyzer.Exclusion{Rule: "DATA101", Services: []string{"orders", "payments"}, Fingerprint: "00", Reason: "r"},
			"DATA101@a.yaml DATA101@b.yaml DATA101@c.yaml API102@d.proto"},
		{"neither services nor fingerprint excludes nothing", analyzer.Exclusion{Rule: "DATA101", Reason: "r"},
			"DATA101@a.yaml DATA101@b.yaml DATA101@c.yaml API102@d.proto"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := analyzer.Run(&facts.Repo{}, all, analyzer.Policy{Exclusions: []analyzer.Exclusion{tc.x}})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(res); got != tc.want {
				t.Errorf("findings %q, want %q", got, tc.want)
			}
			if res.Excluded != len(base.Findings)-len(res.Findings) {
				t.Errorf("Excluded %d, dropped %d", res.Excluded, len(base.Findings)-len(res.Findings))
			}
		})
	}
	_, err = analyzer.Run(&facts.Repo{}, all, analyzer.Policy{Exclusions: []analyzer.Exclusion{{Rule: "NOPE101", Services: []string{"a"}}}})
	if err == nil || !strings.Contains(err.Error(), `exclusions: unknown rule, area or preset "NOPE101"`) {
		t.Errorf("unknown exclusion rule: %v", err)
	}
}
