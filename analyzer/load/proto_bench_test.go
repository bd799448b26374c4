package load

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// BenchmarkProtos times the proto loader (prescan, comment blanking,
// elision, parse and facts, in parallel as decouple check runs it) on 2,000
// generated protos shaped like googleapis': a licence header, imports,
// options, a service whose rpcs carry google.api.http options, and
// messages whose fields are mostly comment lines.
//
//	go test ./analyzer/load -run '^$' -bench Protos -benchtime 5x
//
// DECOUPLE_PROTO_DIR=PATH benchmarks the .proto files under PATH instead (a
// googleapis checkout, say).
func BenchmarkProtos(b *testing.B) {
	inputs := benchProtoInputs(b)
	var size int64
	for _, in := range inputs {
		size += int64(len(in.data))
	}
	ctx := context.Background()
	b.SetBytes(size)
	for b.Loop() {
		opts := DefaultOptions()
		l := &loader{opts: &opts, repo: &facts.Repo{}, stats: &Stats{}, inputs: inputs}
		l.parseProtos(ctx)
		if os.Getenv("DECOUPLE_PROTO_DIR") == "" && (len(l.repo.Problems) != 0 || len(l.repo.Protos) != len(inputs)) {
			b.Fatalf("%d protos parsed of %d; problems %v", len(l.repo.Protos), len(inputs), l.repo.Problems)
		}
	}
	b.ReportMetric(float64(len(inputs)), "files")
}

func benchProtoInputs(b *testing.B) []*input {
	b.Helper()
	var inputs []*input
	dir := os.Getenv("DECOUPLE_PROTO_DIR")
	if dir == "" {
		for i := range 2000 {
			inputs = append(inputs, &input{path: fmt.Sprintf("api/svc%d/v1/svc%d.proto", i/10, i), kind: kindProto, data: benchProto(i)})
		}
		return inputs
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".proto") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		inputs = append(inputs, &input{path: filepath.ToSlash(rel), kind: kindProto, data: data})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if len(inputs) == 0 {
		b.Fatalf("no .proto under %s", dir)
	}
	return inputs
}

// benchProto returns a proto of about 9 KB, the mean size in googleapis.
func benchProto(i int) []byte {
	var s strings.Builder
	s.WriteString("// Copyright 2025 Example LLC\n//\n// Licensed under the Apache License, Version 2.0 (the \"License\");\n" +
		"// you may not use this file except in compliance with the License.\n// You may obtain a copy of the License at\n//\n" +
		"//     http://www.apache.org/licenses/LICENSE-2.0\n//\n// Unless required by applicable law or agreed to in writing, software\n" +
		"// distributed under the License is distributed on an \"AS IS\" BASIS,\n// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND.\n\n")
	fmt.Fprintf(&s, "syntax = \"proto3\";\n\npackage example.svc%d.v1;\n\n", i)
	fmt.Fprintf(&s, "import \"google/api/annotations.proto\";\nimport \"google/api/field_behavior.proto\";\nimport \"example/svc%d/v1/common.proto\";\n\n", (i+1)%2000)
	fmt.Fprintf(&s, "option go_package = \"example.com/svc%d/apiv1/svcpb;svcpb\";\noption java_multiple_files = true;\n\n", i)
	fmt.Fprintf(&s, "// Service%d manages things.\n//\n// Each thing belongs to a project.\nservice Service%d {\n  option (google.api.default_host) = \"svc%d.example.com\";\n\n", i, i, i)
	for r := range 4 {
		fmt.Fprintf(&s, "  // Gets thing %d.\n  // Returns NOT_FOUND when the thing does not exist.\n  rpc GetThing%d(GetThing%dRequest) returns (Thing%d) {\n", r, r, r, r)
		fmt.Fprintf(&s, "    option (google.api.http) = {\n      get: \"/v1/{name=projects/*/things%d/*}\"\n      additional_bindings { post: \"/v1/{name=projects/*/things%d/*}:get\" body: \"*\" }\n    };\n", r, r)
		s.WriteString("    option (google.api.method_signature) = \"name\";\n  }\n\n")
	}
	s.WriteString("}\n")
	for m := range 4 {
		fmt.Fprintf(&s, "\n// Thing%d is a thing.\nmessage Thing%d {\n", m, m)
		s.WriteString("  // The resource name of the thing.\n  // Format: `projects/{project}/things/{thing}`\n  string name = 1 [(google.api.field_behavior) = IDENTIFIER];\n\n")
		s.WriteString("  // The labels of the thing: keys and values of at most 63 characters,\n  // lower-case letters, digits, underscores and dashes.\n  map<string, string> labels = 2;\n\n")
		s.WriteString("  // The ids of the parts.\n  repeated int64 part_ids = 3 [deprecated = true];\n\n")
		s.WriteString("  // The kind of the thing.\n  oneof kind {\n    // A plain thing.\n    string plain = 4;\n    // A numbered thing.\n    int32 number = 5;\n  }\n\n")
		s.WriteString("  // The state of a thing.\n  message Status {\n    // The states.\n    enum State {\n      // Not set.\n      STATE_UNSPECIFIED = 0;\n      // Ready.\n      READY = 1;\n    }\n    State state = 1;\n  }\n}\n")
		fmt.Fprintf(&s, "\n// The request of GetThing%d.\nmessage GetThing%dRequest {\n  // The name of the thing.\n  string name = 1 [(google.api.field_behavior) = REQUIRED];\n}\n", m, m)
	}
	fmt.Fprintf(&s, "\n// The colours.\nenum Colour%d {\n  // Not set.\n  COLOUR_UNSPECIFIED = 0;\n  // Red.\n  RED = 1;\n}\n", i)
	return []byte(s.String())
}
