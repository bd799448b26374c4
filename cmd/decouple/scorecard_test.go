package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestSeveralOutputs writes every scorecard format in one run, beside text
// on stdout.
func TestSeveralOutputs(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	code, out, errs := decouple(t, "report", "--format", "text", "--format", "html="+p("scorecard.html"), "--format", "json="+p("report.json"),
		"--format", "markdown="+p("summary.md"), "--format", "dot="+p("graph.dot"), "--format", "mermaid="+p("graph.mmd"), demo)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "decouple report") {
		t.Errorf("stdout lacks the text report:\n%s", out)
	}
	for name, prefix := range map[string]string{"scorecard.html": "<!DOCTYPE html>", "report.json": "{\n  \"version\": 1,",
		"summary.md": "## decouple scorecard", "graph.dot": "// decouple service graph", "graph.mmd": "flowchart LR"} {
		data, err := os.ReadFile(p(name))
		if err != nil || !strings.HasPrefix(string(data), prefix) {
			t.Errorf("%s: %v %.60q", name, err, data)
		}
	}
}

func TestBaselineFlag(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.json")
	if code, _, errs := decouple(t, "report", "--format", "json="+old, demo); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// Pretend the baseline had one more finding and lacked one.
	var rep map[string]any
	data, _ := os.ReadFile(old)
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	findings := rep["findings"].([]any)
	gone := findings[0].(map[string]any)["fingerprint"].(string)
	rep["findings"] = append(findings[1:], map[string]any{"rule": "CODE101", "name": "cross-service-import", "severity": "error",
		"message": "payments imports orders internals", "file": "payments/main.go", "line": 3, "fingerprint": "00000000000000aa"})
	rep["score"].(map[string]any)["index"] = 40
	edited, _ := json.Marshal(rep)
	if err := os.WriteFile(old, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := decouple(t, "report", "--format", "json", "--compare", old, demo)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Score    struct{ Index int }
		Baseline struct {
			Index, Delta *int
			New          []string
			Fixed        []struct{ Rule, Fingerprint string }
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	b := got.Baseline
	if b.Index == nil || *b.Index != 40 || b.Delta == nil || *b.Delta != got.Score.Index-40 {
		t.Errorf("baseline index/delta: %+v", b)
	}
	if len(b.New) != 1 || b.New[0] != gone || len(b.Fixed) != 1 || b.Fixed[0].Fingerprint != "00000000000000aa" {
		t.Errorf("new %v fixed %+v", b.New, b.Fixed)
	}
	_, md, _ := decouple(t, "report", "--format", "markdown", "--compare", old, demo)
	if !strings.Contains(md, "since the baseline: 40 →") || !strings.Contains(md, "- fixed: `payments/main.go:3` CODE101") {
		t.Errorf("markdown lacks the trend:\n%s", md)
	}
	write(t, dir, "bad.json", `{"findings": []}`)
	if code, _, errs := decouple(t, "report", "--compare", filepath.Join(dir, "bad.json"), demo); code != exitUsage || !strings.Contains(errs, "no version") {
		t.Errorf("bad baseline: exit %d, %s", code, errs)
	}
	if code, _, _ := decouple(t, "report", "--compare", filepath.Join(dir, "missing.json"), demo); code != exitUsage {
		t.Errorf("missing baseline: exit %d", code)
	}
}

// TestScorecardDeterminism renders the scorecard formats under GOMAXPROCS 1
// and 8 and compares the bytes.
func TestScorecardDeterminism(t *testing.T) {
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	for _, format := range []string{"html", "markdown", "dot", "mermaid"} {
		var outs []string
		for _, procs := range []int{1, 8, 1} {
			runtime.GOMAXPROCS(procs)
			_, out, _ := decouple(t, "report", "--format", format, demo)
			outs = append(outs, out)
		}
		if outs[0] == "" || outs[1] != outs[0] || outs[2] != outs[0] {
			t.Errorf("%s output differs between runs", format)
		}
	}
}
