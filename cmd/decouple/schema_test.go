package main

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestJSONMatchesSchema validates the demo's JSON report, and a report with
// a failed rule, against the published schema of the protocol.
func TestJSONMatchesSchema(t *testing.T) {
	raw, err := os.ReadFile("../../docs/report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("report.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	bad, _ := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(`{"version":1,"tool":{"name":"decouple","version":"x"},"root":"/abs",
		"services":[],"findings":[{"rule":"API1"}],"errors":[],"stats":{"files_seen":0,"files_analyzed":0,"files_skipped":[],"suppressed":0}}`)))
	if schema.Validate(bad) == nil {
		t.Error("the schema accepts an absolute root and a malformed finding")
	}
	for _, args := range [][]string{
		{"report", "--format", "json", demo},
		{"check", "--format", "json", "--fail-on", "none", "../../rules/api/testdata"},
	} {
		_, out, errs := decouple(t, args...)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(out)))
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errs)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%v: %v", args, err)
		}
		var probe struct{ Findings []json.RawMessage }
		if err := json.Unmarshal([]byte(out), &probe); err != nil || (args[0] == "report" && len(probe.Findings) == 0) {
			t.Errorf("%v: no findings to validate (%v)", args, err)
		}
	}
}
