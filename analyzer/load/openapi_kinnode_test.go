package load

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// kinBothWays loads a 3.x document through kinNode and through the text
// kinText writes, and returns kin-openapi's models of both as JSON.
// nodeOK says whether the node path took the document.
func kinBothWays(t *testing.T, data []byte) (fromNode, fromText []byte, nodeOK bool) {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil || len(root.Content) != 1 {
		t.Fatalf("fixture does not decode: %v", err)
	}
	l := &loader{}
	const file = "/repo/api/openapi.yaml"
	text, ok := kinText(root.Content[0])
	if !ok {
		return nil, nil, false
	}
	kl := openapi3.NewLoader()
	textDoc, textErr := kl.LoadFromDataWithPath(text, &url.URL{Path: file})
	n, ok := kinNode(root.Content[0])
	if !ok {
		return nil, nil, false
	}
	nodeDoc, nodeErr := l.kinLoadNode(n, file)
	if nodeErr != nil || textErr != nil {
		if (nodeErr == nil) != (textErr == nil) {
			t.Fatalf("node path error %v, text path error %v", nodeErr, textErr)
		}
		t.Logf("both paths refused the document: %v", nodeErr)
		return nil, nil, false
	}
	var err error
	if fromNode, err = json.Marshal(nodeDoc); err != nil {
		t.Fatal(err)
	}
	if fromText, err = json.Marshal(textDoc); err != nil {
		t.Fatal(err)
	}
	return fromNode, fromText, true
}

func TestKinNodeBuildsTheSameModel(t *testing.T) {
	docs := map[string][]byte{"tricky": []byte(`openapi: 3.0.3
info:
  title: "tricky: a title with # and, commas"
  version: "1.10"
  description: |
    line one
      indented: with colon
  x-empty:
  x-bool: yes
  x-true: true
  x-neg: -12
  x-date: 2024-01-02
  x-quoted-number: "42"
  x-list: [a, "b, c", {k: v}, [], {}]
servers:
  - url: "{scheme}://api.acme.com/v2"
    variables:
      scheme: {default: https, enum: [http, https]}
paths:
  /orders/{id}:
    parameters:
      - $ref: "#/components/parameters/Id"
    get:
      responses:
        200:
          description: ok
          content:
            application/vnd.acme.v2+json:
              schema: {$ref: "#/components/schemas/Order"}
        "404": {$ref: "#/components/responses/Missing"}
components:
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: string}}
  responses:
    Missing: {description: missing}
  schemas:
    Order:
      type: object
`)}
	for _, f := range []string{"../../testdata/demo/catalog/api/openapi.yaml", "../../testdata/demo/users/api/openapi.yaml"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[f] = data
	}
	for name, data := range docs {
		fromNode, fromText, ok := kinBothWays(t, data)
		if !ok {
			t.Errorf("%s: the node path did not take the document", name)
			continue
		}
		if !bytes.Equal(fromNode, fromText) {
			t.Errorf("%s: models differ\nnode: %s\ntext: %s", name, fromNode, fromText)
		}
	}
}

// TestFastPathsRefuse lists the documents the fast paths leave to the
// usual load: what neither kinText nor kinNode can hand over faithfully,
// then what only kinNode refuses.
func TestFastPathsRefuse(t *testing.T) {
	root := func(name, doc string) *yaml.Node {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return n.Content[0]
	}
	for name, doc := range map[string]string{
		"anchor":     "openapi: 3.0.3\ninfo: &i {title: a, version: '1'}\nx-copy: *i\n",
		"merge":      "openapi: 3.0.3\nx-a: {b: 1}\nx-c:\n  <<: {b: 2}\n",
		"tag":        "openapi: 3.0.3\nx-a: !!str 12\n",
		"custom tag": "openapi: 3.0.3\nx-a: !thing 12\n",
		"complex":    "openapi: 3.0.3\n? [a, b]\n: c\n",
	} {
		if out, ok := kinText(root(name, doc)); ok {
			t.Errorf("%s: kinText wrote %q, want a refusal", name, out)
		}
		if _, ok := kinNode(root(name, doc)); ok {
			t.Errorf("%s: kinNode took the document, want a refusal", name)
		}
	}
	for name, doc := range map[string]string{
		"null key":     "openapi: 3.0.3\n~: c\n",
		"infinity":     "openapi: 3.0.3\nx-a: .inf\n",
		"plus":         "openapi: 3.0.3\nx-a: +12\n",
		"loose octal":  "openapi: 3.0.3\nx-a: 0o+17\n",
		"external ref": "openapi: 3.0.3\npaths:\n  /a: {$ref: 'paths.yaml#/a'}\n",
	} {
		if _, ok := kinNode(root(name, doc)); ok {
			t.Errorf("%s: kinNode took the document, want a refusal", name)
		}
	}
}

// FuzzKinNode checks that a document the node path takes gets the same
// kin-openapi model as through the text path.
func FuzzKinNode(f *testing.F) {
	f.Add("openapi: 3.0.3\ninfo: {title: 'a: b', version: 1.0}\npaths: {/x: {get: {responses: {200: {description: ok}}}}}\n")
	f.Add("openapi: 3.1.0\nx: [-1, '-', \"#\", ~, '', yes, 0x1F, 0o17, 0b11, 1_000, 2024-01-02]\ncomponents: {schemas: {A: {type: object}}}\n")
	f.Add("openapi: 3.0.0\npaths:\n  /a/{id}:\n    parameters: [{$ref: '#/components/parameters/P'}]\n    post: {requestBody: {content: {text/plain: {}}}, responses: {default: {description: x}}}\ncomponents: {parameters: {P: {name: id, in: path}}}\n")
	f.Fuzz(func(t *testing.T, doc string) {
		if fuzzSpecRoot(doc) == nil {
			return
		}
		fromNode, fromText, ok := kinBothWays(t, []byte(doc))
		if ok && !bytes.Equal(fromNode, fromText) {
			t.Fatalf("models differ\nnode: %s\ntext: %s", fromNode, fromText)
		}
	})
}
