package baseline_test

import (
	"strings"
	"testing"
	"time"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/baseline"
	"github.com/decouplehq/decouple/analyzer/facts"
)

func finding(fp, rule, file string, line int, svcs ...string) analyzer.Finding {
	return analyzer.Finding{RuleID: rule, Fingerprint: fp, Services: svcs, Pos: facts.Position{File: file, Line: line},
		Message: "m " + fp, Entity: "pkg:" + fp + "\x00" + file}
}

func TestRoundTripKeepsReasons(t *testing.T) {
	found := []analyzer.Finding{
		finding("bb", "DATA101", "b.yaml", 3, "billing", "invoicing"),
		finding("aa", "API102", "a.proto", 1, "orders"),
		finding("aa", "API102", "a2.proto", 9, "orders"), // same identity, second place
	}
	b := baseline.FromFindings(found, nil)
	if len(b.Entries) != 2 || b.Entries[0].Rule != "API102" || b.Entries[0].Entity != "pkg:aa a.proto" {
		t.Fatalf("entries %+v", b.Entries)
	}
	b.Entries[1].Reason, b.Entries[1].Expires = "split in Q3", "2030-01-31"
	again, err := baseline.Parse("b.json", b.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	rewritten := baseline.FromFindings(found, again)
	if string(rewritten.Marshal()) != string(b.Marshal()) {
		t.Errorf("rewrite lost the reason or the order:\n%s\nvs\n%s", rewritten.Marshal(), b.Marshal())
	}
	if !strings.HasSuffix(string(b.Marshal()), "}\n") || strings.Contains(string(b.Marshal()), `"line"`) {
		t.Errorf("format:\n%s", b.Marshal())
	}
}

func TestApply(t *testing.T) {
	b := &baseline.File{Version: 1, Entries: []baseline.Entry{
		{Fingerprint: "aa", Rule: "API102"},
		{Fingerprint: "bb", Rule: "DATA101", Expires: "2026-03-01"},
		{Fingerprint: "cc", Rule: "API102"},
		{Fingerprint: "dd", Rule: "API102", Expires: "2020-01-01"},
	}}
	found := []analyzer.Finding{finding("aa", "API102", "a", 1), finding("bb", "DATA101", "b", 1), finding("ee", "API102", "e", 1)}
	day := func(s string) time.Time { d, _ := time.Parse(baseline.DateLayout, s); return d }

	out := b.Apply(found, day("2026-03-01")) // the last day bb suppresses
	if got := fps(out.New); got != "ee" || out.Suppressed != 2 {
		t.Errorf("on the expiry day: new %q, suppressed %d", got, out.Suppressed)
	}
	if got := entries(out.Stale); got != "cc dd" || len(out.Expired) != 0 {
		t.Errorf("stale %q, expired %v", got, out.Expired)
	}

	out = b.Apply(found, day("2026-03-02")) // bb has expired
	if got := fps(out.New); got != "bb ee" || out.Suppressed != 1 {
		t.Errorf("after expiry: new %q, suppressed %d", got, out.Suppressed)
	}
	if got := entries(out.Expired); got != "bb" {
		t.Errorf("expired %q", got)
	}

	pruned, removed := b.Prune(found)
	if entries(pruned.Entries) != "aa bb" || entries(removed) != "cc dd" {
		t.Errorf("prune kept %v, removed %v", pruned.Entries, removed)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{`{"version":2,"entries":[]}`, "version must be 1"},
		{`{"version":1,"entries":[{"rule":"API102"}]}`, "entry 1 has no fingerprint"},
		{`{"version":1,"entries":[{"fingerprint":"a"},{"fingerprint":"a"}]}`, "entry 2 repeats fingerprint a"},
		{`{"version":1,"entries":[{"fingerprint":"a","expires":"31/12/2026"}]}`, "is not a date"},
		{`{"version":1,"entries":[{"fingerprint":"a","line":3}]}`, "unknown field"},
		{`{"version":1,"entries":[]} {}`, "trailing data"},
		{`not json`, "baseline b.json"},
	} {
		if _, err := baseline.Parse("b.json", []byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.data, err, tc.want)
		}
	}
}

func fps(fs []analyzer.Finding) string {
	var s []string
	for _, f := range fs {
		s = append(s, f.Fingerprint)
	}
	return strings.Join(s, " ")
}

func entries(es []baseline.Entry) string {
	var s []string
	for _, e := range es {
		s = append(s, e.Fingerprint)
	}
	return strings.Join(s, " ")
}
