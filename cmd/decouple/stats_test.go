package main

import (
	"strconv"
	"strings"
	"testing"
)

// TestStats checks that --stats prints every phase to stderr, leaves stdout
// as it is without the flag, and that the phases add up to the total.
func TestStats(t *testing.T) {
	code, out, errs := decouple(t, "check", "--stats", "--fail-on", "none", "--format", "json", demo)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, plain, _ := decouple(t, "check", "--fail-on", "none", "--format", "json", demo)
	if out != plain {
		t.Error("--stats changed stdout")
	}
	ms := map[string]float64{}
	var order []string
	for _, line := range strings.Split(errs, "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || f[2] != "ms" {
			continue
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil || v < 0 {
			t.Errorf("bad timing line %q", line)
		}
		ms[f[0]] = v
		order = append(order, f[0])
	}
	want := []string{"walk+read", "classify", "discover", "parse", "finish", "rules", "score+report", "render", "total"}
	for _, name := range want {
		if _, ok := ms[name]; !ok {
			t.Errorf("no %s line in:\n%s", name, errs)
		}
	}
	if len(order) == 0 || order[len(order)-1] != "total" {
		t.Errorf("total is not the last line: %v", order)
	}
	sum, parsers := 0.0, 0.0
	for _, name := range order[:len(order)-1] {
		if strings.HasPrefix(name, "parse:") {
			parsers += ms[name]
			continue
		}
		sum += ms[name]
	}
	if diff := sum - ms["total"]; diff > 0.5 || diff < -0.5 {
		t.Errorf("phases add up to %.1f ms, total says %.1f ms", sum, ms["total"])
	}
	if _, ok := ms["parse:proto"]; !ok {
		t.Errorf("no parse:proto line in:\n%s", errs)
	}
	for _, name := range order {
		if strings.HasPrefix(name, "parse:") && ms[name] > ms["parse"]+0.5 {
			t.Errorf("%s takes %.1f ms, more than the parse phase (%.1f ms)", name, ms[name], ms["parse"])
		}
	}
	if parsers == 0 {
		t.Error("no parser took any time")
	}
	if !strings.Contains(errs, "files,") {
		t.Errorf("no file count in:\n%s", errs)
	}
}
