package main

import (
	"strings"
	"testing"
)

// TestNoHistory: the demo is not the top of a git work tree, so history is
// reported as not analysed, unless --no-history turns reading off.
func TestNoHistory(t *testing.T) {
	_, with, _ := decouple(t, "report", "-f", "json", demo)
	_, without, _ := decouple(t, "report", "-f", "json", "--no-history", demo)
	if !strings.Contains(with, `"rule": "DEPLOY100"`) {
		t.Errorf("without --no-history the report lacks DEPLOY100:\n%s", with)
	}
	if strings.Contains(without, `"rule": "DEPLOY100"`) {
		t.Errorf("with --no-history the report still has DEPLOY100")
	}
}
