package load

import (
	"os"
	"testing"

	"go.yaml.in/yaml/v3"
)

// sameButSchemas reports where got, the tree read back from kinText's
// output, differs from want, the original, with schemas emptied.
func sameButSchemas(t *testing.T, where string, want, got *yaml.Node, depth int, parent string) {
	t.Helper()
	if want.Kind != got.Kind {
		t.Errorf("%s: kind %v, want %v", where, got.Kind, want.Kind)
		return
	}
	switch want.Kind {
	case yaml.ScalarNode:
		if want.ShortTag() != got.ShortTag() || want.Value != got.Value && want.ShortTag() != "!!null" {
			t.Errorf("%s: %s %q, want %s %q", where, got.ShortTag(), got.Value, want.ShortTag(), want.Value)
		}
	case yaml.SequenceNode:
		if len(want.Content) != len(got.Content) {
			t.Errorf("%s: %d items, want %d", where, len(got.Content), len(want.Content))
			return
		}
		for i := range want.Content {
			sameButSchemas(t, where+"[]", want.Content[i], got.Content[i], depth, "")
		}
	case yaml.MappingNode:
		if len(want.Content) != len(got.Content) {
			t.Errorf("%s: %d keys, want %d", where, len(got.Content)/2, len(want.Content)/2)
			return
		}
		for i := 0; i < len(want.Content); i += 2 {
			k := want.Content[i]
			sameButSchemas(t, where+"/key", k, got.Content[i], depth, "")
			v := got.Content[i+1]
			if k.Value == "schema" || depth == 2 && parent == "schemas" || depth == 1 && parent == "definitions" {
				if v.Kind != yaml.MappingNode || len(v.Content) != 0 {
					t.Errorf("%s/%s: not emptied", where, k.Value)
				}
				continue
			}
			sameButSchemas(t, where+"/"+k.Value, want.Content[i+1], v, depth+1, k.Value)
		}
	}
}

func checkKinText(t *testing.T, name string, data []byte) {
	t.Helper()
	var orig yaml.Node
	if err := yaml.Unmarshal(data, &orig); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out, ok := kinText(orig.Content[0])
	if !ok {
		t.Fatalf("%s: kinText refused the document", name)
	}
	var back yaml.Node
	if err := yaml.Unmarshal(out, &back); err != nil {
		t.Fatalf("%s: kinText wrote YAML that does not read back: %v\n%s", name, err, out)
	}
	sameButSchemas(t, name, orig.Content[0], back.Content[0], 0, "")
}

func TestKinTextReadsBackTheSame(t *testing.T) {
	checkKinText(t, "tricky", []byte(`openapi: 3.0.3
info:
  title: "tricky: a title with # and, commas"
  version: 1.10
  description: |
    line one
      indented: with colon
    - not a list
  x-empty:
  x-tilde: ~
  x-bool: yes
  x-true: true
  x-neg: -12
  x-dash: "-"
  x-star: '*not an alias'
  x-tab: "a\tb"
  x-unicode: "naïve — ✓"
  x-folded: >
    folded
    text
  x-list: [a, "b, c", {k: v}, [], {}]
  x-nested:
    - - deep
      - 2
    - k: v
      k2: [x]
  x-date: 2024-01-02
  x-quoted-number: "42"
  x-colon-end: "key:"
  x-url: https://api.acme.com:8443/v1?x=1
servers:
  - url: "{scheme}://api.acme.com/v2"
    variables:
      scheme: {default: https, enum: [http, https]}
paths:
  /orders/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        200:
          description: ok
          content:
            application/vnd.acme.v2+json:
              schema: {$ref: "#/components/schemas/Order"}
        "404": {description: missing}
components:
  schemas:
    Order:
      type: object
      properties: {schema: {type: string}}
`))
	checkKinText(t, "swagger", []byte(`swagger: "2.0"
info: {title: t, version: "1"}
basePath: /v1
paths:
  /pets:
    post:
      parameters:
        - in: body
          name: body
          schema: {$ref: "#/definitions/Pet"}
      responses:
        201: {description: created, schema: {type: object}}
definitions:
  Pet: {type: object}
  Error:
    type: object
`))
	for _, f := range []string{"../../testdata/demo/catalog/api/openapi.yaml", "../../testdata/demo/users/api/openapi.yaml",
		"../../testdata/demo/notifications/api/swagger.json"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkKinText(t, f, data)
	}
}

// FuzzKinText checks that whatever kinText agrees to write reads back as
// the same document with its schemas emptied.
func FuzzKinText(f *testing.F) {
	f.Add("openapi: 3.0.3\ninfo: {title: 'a: b', version: 1.0}\npaths: {/x: {get: {responses: {200: {description: ok}}}}}\n")
	f.Add("swagger: '2.0'\nx: [-1, '-', \"#\", ~, '', yes, 0x1F, .inf, 2024-01-02]\ndefinitions: {A: {type: object}}\n")
	f.Add("openapi: 3.1.0\nx: |\n  text\n   more\ny: >-\n  folded\n")
	f.Fuzz(func(t *testing.T, doc string) {
		root := fuzzSpecRoot(doc)
		if root == nil {
			return
		}
		out, ok := kinText(root)
		if !ok {
			return
		}
		var back yaml.Node
		if err := yaml.Unmarshal(out, &back); err != nil {
			t.Fatalf("kinText wrote YAML that does not read back: %v\n%s", err, out)
		}
		sameButSchemas(t, "doc", root, back.Content[0], 0, "")
	})
}

// fuzzSpecRoot is the top mapping of a fuzzed document the loader would
// decode (one document, past the pre-scan), or nil.
func fuzzSpecRoot(doc string) *yaml.Node {
	var n yaml.Node
	if yamlPrescan([]byte(doc)) != nil || yaml.Unmarshal([]byte(doc), &n) != nil || len(n.Content) != 1 || n.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	return n.Content[0]
}
