package load

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer/facts"
)

func writeRepo(t testing.TB, dir string, files map[string]string) string {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func loadDir(t testing.TB, dir string) *facts.Repo {
	t.Helper()
	repo, err := Repo(context.Background(), dir, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

func posAt(f string, line, col int) facts.Position {
	return facts.Position{File: f, Line: line, Col: col}
}

func TestOpenAPIPositions(t *testing.T) {
	dir := writeRepo(t, t.TempDir(), map[string]string{
		"services/orders/openapi.yaml": `openapi: 3.0.3
info: {title: orders, version: "1"}
servers:
  - url: https://{host}/v1
    variables:
      host: {default: api.acme.com}
  - description: local
    url: http://localhost
paths:
  /orders:
    parameters:
      - {name: X-Trace, in: header, schema: {type: string}}
    post:
      parameters:
        - $ref: "#/components/parameters/Ver"
      requestBody:
        content:
          application/json: {schema: {type: object}}
      responses:
        "201":
          description: created
          content: {application/vnd.acme.v1+json: {schema: {type: object}}}
    get:
      servers: [{url: /internal}]
      responses: {"200": {description: ok}}
  /returns:
    $ref: paths/returns.yaml
components:
  parameters:
    Ver: {name: API-Version, in: header, required: true, schema: {type: string}}
`,
		"services/orders/paths/returns.yaml": "summary: returns\ndelete:\n  responses: {\"204\": {description: ok}}\n",
		"services/pay/swagger.json": `{
  "swagger": "2.0",
  "info": {"title": "pay", "version": "1"},
  "basePath": "/api/v2.0",
  "paths": {"/pay": {"put": {"responses": {"200": {"description": "ok"}}}}}
}`,
	})
	repo := loadDir(t, dir)
	if len(repo.Problems) != 0 {
		t.Fatalf("problems: %+v", repo.Problems)
	}
	if len(repo.OpenAPI) != 2 {
		t.Fatalf("got %d specs, want 2", len(repo.OpenAPI))
	}
	o := repo.OpenAPI[0]
	const f = "services/orders/openapi.yaml"
	if o.Path != f || o.Service != "orders" || o.Version != "3.0" || !o.Loaded || o.Pos != posAt(f, 1, 1) {
		t.Errorf("spec header: %+v", o)
	}
	if len(o.Servers) != 2 || o.Servers[0].Pos != posAt(f, 4, 5) || o.Servers[1].Pos != posAt(f, 8, 5) ||
		o.Servers[0].Variables[0] != (facts.ServerVariable{Name: "host", Default: "api.acme.com"}) {
		t.Errorf("servers: %+v", o.Servers)
	}
	var got []string
	for _, op := range o.Operations {
		got = append(got, fmt.Sprintf("%s %s %s:%d:%d path %d servers %d params %v req %v resp %v",
			op.Method, op.Path, op.Pos.File, op.Pos.Line, op.Pos.Col, op.PathPos.Line, len(op.Servers), op.Parameters, op.RequestMediaTypes, op.ResponseMediaTypes))
	}
	want := []string{
		"POST /orders services/orders/openapi.yaml:13:5 path 10 servers 0 params [{X-Trace header false} {API-Version header true}] req [application/json] resp [application/vnd.acme.v1+json]",
		"GET /orders services/orders/openapi.yaml:23:5 path 10 servers 1 params [{X-Trace header false}] req [] resp []",
		"DELETE /returns services/orders/paths/returns.yaml:2:1 path 26 servers 0 params [] req [] resp []",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("operations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s := o.Operations[1].Servers; len(s) != 1 || s[0].URL != "/internal" || s[0].Pos != posAt(f, 24, 18) {
		t.Errorf("operation servers: %+v", s)
	}
	p := repo.OpenAPI[1]
	if p.Version != "2.0" || p.BasePath != "/api/v2.0" || p.BasePathPos != posAt("services/pay/swagger.json", 4, 3) ||
		len(p.Operations) != 1 || p.Operations[0].Pos != posAt("services/pay/swagger.json", 5, 22) {
		t.Errorf("swagger spec: %+v", p)
	}
}

func TestOpenAPIIgnoreLines(t *testing.T) {
	dir := writeRepo(t, t.TempDir(), map[string]string{
		"api.yaml": `openapi: 3.1.0
info: {title: x, version: "1"}
x-decouple-ignore: ["API101 whole spec"]
paths:
  /a:
    x-decouple-ignore: {rule: API103, reason: path level}
    get:
      x-decouple-ignore:
        - {rule: "API101,API105", reason: op level}
        - {rule: API101}
      description: |
        line one
        line two
      responses: {"200": {description: ok}}
  /b:
    get: {responses: {"200": {description: ok}}}
`,
	})
	repo := loadDir(t, dir)
	var got []string
	for _, s := range repo.Suppressions {
		got = append(got, fmt.Sprintf("%d %s %q %v", s.Pos.Line, s.Rule, s.Reason, s.Lines))
	}
	want := []string{
		`3 API101 "whole spec" [1 16]`,
		`6 API103 "path level" [5 14]`,
		`9 API101 "op level" [7 14]`,
		`9 API105 "op level" [7 14]`,
		`10 API101 "" [7 14]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("suppressions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSpecReaderConfined(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.yaml")
	if err := os.WriteFile(secret, []byte("SECRET-OUTSIDE: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := writeRepo(t, t.TempDir(), map[string]string{"api/schemas.yaml": "A: {type: string}\n"})
	if err := os.Symlink(secret, filepath.Join(dir, "api", "link.yaml")); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	l := &loader{root: root, opts: &Options{MaxFileSize: 1 << 20}, byPath: map[string]*input{}}
	read := l.specReader(nil)
	for _, ref := range []string{
		"http://127.0.0.1:1/x.yaml", "https://169.254.169.254/latest", "file:///etc/passwd", "//host/x.yaml",
		"/etc/passwd", secret, "../secret.yaml", "api/../../secret.yaml", "api/link.yaml", "api/missing.yaml",
	} {
		u, err := url.Parse(ref)
		if err != nil {
			t.Fatal(err)
		}
		if data, err := read(nil, u); err == nil || strings.Contains(string(data), "SECRET") {
			t.Errorf("%s: read %q, err %v; want refused", ref, data, err)
		}
	}
	data, err := read(nil, &url.URL{Path: "api/./schemas.yaml"})
	if err != nil || string(data) != "A: {type: string}\n" {
		t.Errorf("in-repo file: %q, %v", data, err)
	}
}

// refChain writes a spec whose schemas form a chain S0 → S1 → ... → Sn of
// direct $refs, the shape that makes kin-openapi's loader take minutes.
func refChain(n int) string {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: chain, version: \"1\"}\npaths:\n  /v1/x:\n    get:\n      responses:\n")
	b.WriteString("        \"200\":\n          description: ok\n          content: {application/json: {schema: {$ref: \"#/components/schemas/S0\"}}}\n")
	b.WriteString("components:\n  schemas:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "    S%d: {$ref: \"#/components/schemas/S%d\"}\n", i, i+1)
	}
	fmt.Fprintf(&b, "    S%d: {type: string}\n", n)
	return b.String()
}

func TestRefChainLimit(t *testing.T) {
	dir := writeRepo(t, t.TempDir(), map[string]string{"api/openapi.yaml": refChain(5000)})
	// The pre-scan stops the chain before kin-openapi sees it (Loaded stays
	// false); kin itself would take minutes on it.
	repo := loadDir(t, dir)
	if len(repo.Problems) != 1 || repo.Problems[0].Pos != posAt("api/openapi.yaml", 9, 49) ||
		!strings.Contains(repo.Problems[0].Message, "a chain of more than 128 nested $refs starts here") {
		t.Errorf("problems: %+v", repo.Problems)
	}
	if len(repo.OpenAPI) != 1 || repo.OpenAPI[0].Loaded {
		t.Errorf("spec loaded despite the limit: %+v", repo.OpenAPI)
	}
}

func TestRefCountLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: wide, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    Leaf: {type: string}\n")
	for i := 0; i <= maxSpecRefs; i++ {
		fmt.Fprintf(&b, "    S%d: {$ref: \"#/components/schemas/Leaf\"}\n", i)
	}
	dir := writeRepo(t, t.TempDir(), map[string]string{"openapi.yaml": b.String()})
	repo := loadDir(t, dir)
	want := posAt("openapi.yaml", 7+maxSpecRefs, 14)
	if len(repo.Problems) != 1 || repo.Problems[0].Pos != want || !strings.Contains(repo.Problems[0].Message, "more than 20000 $refs") {
		t.Errorf("problems: %+v, want one at %v", repo.Problems, want)
	}
}

func TestRefChainUnderLimitLoads(t *testing.T) {
	dir := writeRepo(t, t.TempDir(), map[string]string{"openapi.yaml": refChain(100)})
	repo := loadDir(t, dir)
	if len(repo.Problems) != 0 || len(repo.OpenAPI) != 1 || !repo.OpenAPI[0].Loaded || len(repo.OpenAPI[0].Operations) != 1 {
		t.Errorf("problems %+v, specs %+v", repo.Problems, repo.OpenAPI)
	}
}

func TestOpenAPIBadInput(t *testing.T) {
	dir := writeRepo(t, t.TempDir(), map[string]string{
		"a/openapi.yaml": "openapi: 4.0.0\ninfo: {title: x, version: \"1\"}\npaths: {}\n",
		"b/openapi.yaml": "openapi: 3.0.3\ninfo: {title: x, version: \"1\"}\npaths:\n  /x:\n    get:\n      responses: {\"200\": {$ref: \"#/components/responses/Missing\"}}\n",
		"c/openapi.yaml": "openapi: 3.0.3\ninfo: {title: x, version: \"1\"}\npaths:\n  /x: {$ref: \"missing.yaml\"}\n",
		"d/openapi.yaml": "openapi: 3.0.3\ninfo: {title: x, version: \"1\"}\npaths:\n  /x: {get: [1, 2]}\n",
		"e/cycle.yaml":   "openapi: 3.0.3\ninfo: {title: x, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: \"other.yaml#/B\"}\n",
		"e/other.yaml":   "B: {$ref: \"cycle.yaml#/components/schemas/A\"}\n",
	})
	repo := loadDir(t, dir)
	var got []string
	for _, p := range repo.Problems {
		got = append(got, fmt.Sprintf("%s:%d", p.Pos.File, p.Pos.Line))
	}
	want := []string{"a/openapi.yaml:1", "b/openapi.yaml:6", "c/openapi.yaml:4", "d/openapi.yaml:4"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("problems at %v, want %v: %+v", got, want, repo.Problems)
	}
}

// TestRemoteRefs: a remote $ref is never fetched. One inside a schema
// (which no rule reads) is left out quietly and the spec is read; one where
// operations are (a path item) is reported, since what it holds is missing.
func TestRemoteRefs(t *testing.T) {
	dir := writeRepo(t, t.TempDir(), map[string]string{"api/openapi.yaml": `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /v1/runs:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                properties:
                  spec: {$ref: "https://raw.githubusercontent.com/argoproj/argo/v3/api/openapi-spec/swagger.json#/definitions/Workflow"}
  /v1/remote:
    $ref: "https://example.com/paths.yaml#/remote"
components:
  schemas:
    Run:
      allOf:
        - $ref: "https://example.com/schemas.yaml#/Base"
`})
	repo := loadDir(t, dir)
	if len(repo.Problems) != 1 || repo.Problems[0].Pos.Line != 15 || !strings.Contains(repo.Problems[0].Message, "is a URL") {
		t.Errorf("problems: %+v", repo.Problems)
	}
	if len(repo.OpenAPI) != 1 || len(repo.OpenAPI[0].Operations) != 1 {
		t.Errorf("specs: %+v", repo.OpenAPI)
	}
}
