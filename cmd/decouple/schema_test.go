package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/decouplehq/decouple/analyzer/schematest"
)

// TestJSONMatchesSchema validates the demo's JSON report, and a report with
// a failed rule, against the published schema of the protocol.
func TestJSONMatchesSchema(t *testing.T) {
	schema := schematest.Compile(t, "../../docs/report.schema.json")
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
