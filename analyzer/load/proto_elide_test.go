package load

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/cmd/decouple-synth/synth"
)

// protoCorpus returns every .proto of the repository's fixtures (txtar
// archives and the demo), of a small generated monorepo, and some cases
// written for the elision.
func protoCorpus(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{
		"cases/same-line.proto": []byte("syntax = \"proto3\";\npackage a.v1;\nmessage A { int32 x = 1; }\nenum E { E_UNSPECIFIED = 0; }\n" +
			"service S {\n  rpc Get(A) returns (A) {\n    option (google.api.http) = { get: \"/v1/a/{x}\" additional_bindings { post: \"/v1/a\" body: \"*\" } };\n  }\n}\n"),
		"cases/strings.proto": []byte("syntax = \"proto3\";\npackage b;\nmessage B {\n  string s = 1 [json_name = \"}{\"];\n  message Inner { enum K { K0 = 0; } }\n  oneof o { int32 i = 2; }\n}\n" +
			"option java_package = \"message.enum { }\";\nmessage\nC\n{\n  map<string, B> m = 1;\n}\nextend B { int32 e = 100; }\n"),
		"cases/names.proto": []byte("syntax = \"proto2\";\npackage c.v1;\nmessage messages { optional int32 enum_value = 1; }\nenum enumeration { A = 1; }\n" +
			"service message_service { rpc Message(messages) returns (messages); }\n"),
		"cases/after-body.proto": []byte("syntax = \"proto3\"; package d.v1; message A { int32 x = 1; } enum E { E0 = 0; } service S { rpc Get(A) returns (A) { option (google.api.http).get = \"/v1/a\"; } }\n" +
			"message B {\n  string s = 1; // ü\n  int32 n = 2; } message C {} service T {\n\trpc\tPut(B) returns (C);\n}\n"),
		"cases/multibyte-comments.proto": []byte("syntax = \"proto3\";\n/* \u00e9t\u00e9 \u65e5\u672c */ package e.v1; // \u00fc\n/* a\n * \u00f1 */ import \"x.proto\";\n" +
			"message M { string s = 1 [json_name = \"\u00e9\"]; /* \u00e9 */ } /* \u00e9 */ service S { /* \u00e9 */ rpc A(M) returns (M) { option (google.api.http) = { /* \u00e9 */ post: \"/v1/\u00e9\" }; } }\n"),
	}
	var archives []string
	for _, g := range []string{"../../rules/*/testdata/*/*.txtar", "../../testdata/hostile/*.txtar"} {
		m, err := filepath.Glob(g)
		if err != nil {
			t.Fatal(err)
		}
		archives = append(archives, m...)
	}
	for _, a := range archives {
		ar, err := txtar.ParseFile(a)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".proto") {
				out[a+":"+f.Name] = f.Data
			}
		}
	}
	dirs := []string{"../../testdata/demo"}
	gen := filepath.Join(t.TempDir(), "synth")
	if _, err := synth.Generate(gen, synth.Options{Services: 12, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, gen)
	for _, d := range dirs {
		err := filepath.WalkDir(d, func(p string, _ os.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".proto") {
				out[p], err = os.ReadFile(p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestElideMessageBodies checks that blanking comments and dropping message
// and enum bodies change no proto fact: every file the parser reads as
// written gives the same ProtoFile, positions included, after both.
func TestElideMessageBodies(t *testing.T) {
	compared, elided := 0, 0
	for name, data := range protoCorpus(t) {
		blank := blankProtoComments(data)
		short := elideMessageBodies(blank)
		if len(short) < len(blank) {
			elided++
		}
		if strings.Count(string(short), "\n") != strings.Count(string(data), "\n") {
			t.Errorf("%s: blanking or elision changed the number of lines", name)
		}
		want, werr := protoFacts("x.proto", data)
		got, gerr := protoFacts("x.proto", short)
		if werr != nil {
			continue // a malformed file: the parser reports it either way or not
		}
		compared++
		if gerr != nil {
			t.Errorf("%s: parses whole but not elided: %v", name, gerr)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: facts differ after elision\n got: %+v\nwant: %+v", name, got, want)
		}
	}
	t.Logf("compared the facts of %d files, %d with bodies elided", compared, elided)
	if compared < 20 || elided < 10 {
		t.Errorf("compared %d files, elided bodies in %d: the corpus is too small", compared, elided)
	}
}

// TestElideMessageBodiesKeepsErrors checks that a file whose braces do not
// balance, or whose error lies outside the bodies, is still rejected.
func TestElideMessageBodiesKeepsErrors(t *testing.T) {
	for _, src := range []string{
		"syntax = \"proto3\";\nmessage A { int32 x = 1;\n",
		"syntax = \"proto3\";\nmessage A { string s = 1 [json_name = \"x];\n}\n",
		"syntax = \"proto3\";\nmessage A {}\nservice S { rpc Get(A) returns (A) }\n",
		"syntax = \"proto3\";\npackage ;\nmessage A {}\n",
	} {
		if _, err := protoFacts("x.proto", elideMessageBodies(blankProtoComments([]byte(src)))); err == nil {
			t.Errorf("accepted after elision:\n%s", src)
		}
	}
}

// TestBlankProtoComments checks that comments become one space per rune,
// newlines stay, and strings are left alone.
func TestBlankProtoComments(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a // x\nb", "a     \nb"},
		{"a /* x\n y */ b", "a     \n      b"},
		{"a /* é */ b", "a         b"}, // 7 runes, 8 bytes
		{"s = \"// not\"; // é", "s = \"// not\";     "},
		{"s = '\\'/*'; /*/ x */", "s = '\\'/*';         "},
		{"s = \"open\n// c", "s = \"open\n    "},
		{"/* never closed\nx", "               \n "},
		{"a / b /", "a / b /"},
	} {
		if got := string(blankProtoComments([]byte(c.in))); got != c.want {
			t.Errorf("blankProtoComments(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
