package main

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer/load/gittest"
)

// TestNoHistory: a shallow clone's history is reported as not analysed,
// unless --no-history turns reading off.
func TestNoHistory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "repo")
	script := "-- @commit one --\n-- services/orders/main.go --\npackage main\n" +
		"-- @commit two --\n-- services/billing/main.go --\npackage main\n-- @shallow 1 --\n"
	if err := gittest.Build(txtar.Parse([]byte(script)), dir); err != nil {
		t.Fatal(err)
	}
	_, with, _ := decouple(t, "report", "-f", "json", dir)
	_, without, _ := decouple(t, "report", "-f", "json", "--no-history", dir)
	if !strings.Contains(with, `"rule": "DEPLOY100"`) {
		t.Errorf("without --no-history the report lacks DEPLOY100:\n%s", with)
	}
	if strings.Contains(without, `"rule": "DEPLOY100"`) {
		t.Errorf("with --no-history the report still has DEPLOY100")
	}
}
