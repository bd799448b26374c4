package load

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// TestTemplatesSkipped: a YAML or JSON file that does not parse because it
// is a template (Go, Helm, Jinja or Terraform actions) is skipped with that reason; a
// malformed file without template actions (a GitHub Actions expression is
// none) is still an error naming its line, unless it is JSON that names no
// spec or manifest key (a request template with ${VAR}, a broken fixture),
// and testdata folders are not read at all.
func TestTemplatesSkipped(t *testing.T) {
	dir := writeRepo(t, t.TempDir(), map[string]string{
		"es/index_templates/span.json": "{\n  {{- if .UseILM}}\n  \"aliases\": {\"{{ .Prefix }}span\": {}},\n  {{- end}}\n  \"mappings\": {}\n}\n",
		"deploy/app.yaml":              "apiVersion: v1\nkind: ConfigMap\ndata:\n{% for k in keys %}\n  {{ k }}: x\n{% endfor %}\n",
		".github/workflows/ci.yml":     "on: push\njobs:\n  a:\n    steps: [\n      - run: echo ${{ github.sha }}\n",
		"config/broken.json":           "{\"a\": 1,,}\n",
		"schema/es/v1/reindex.json":    "{\n  \"script\": {\"params\": ${CUSTOM_SEARCH_ATTRIBUTES}}\n}\n",
		"api/openapi.json":             "{\"openapi\": \"3.0.3\",, \"paths\": {}}\n",
		"svc/testdata/bad.yaml":        "a: [\n",
		"terraform/values/carts.yaml":  "image:\n  tag: ${image_tag}\n\n%{ if otel }\notel: true\n%{ endif }\n",
	})
	repo := loadDir(t, dir)
	skipped := map[string]string{}
	for _, s := range repo.Skipped {
		skipped[s.File] = s.Reason
	}
	for _, f := range []string{"es/index_templates/span.json", "deploy/app.yaml", "terraform/values/carts.yaml"} {
		if !strings.HasPrefix(skipped[f], "a template") {
			t.Errorf("%s: skipped as %q, want a template", f, skipped[f])
		}
	}
	if r := skipped["svc/testdata/"]; r != "skipped directory (testdata)" {
		t.Errorf("svc/testdata/ skipped as %q", r)
	}
	problems := map[string]int{}
	for _, p := range repo.Problems {
		problems[p.Pos.File]++
	}
	for _, f := range []string{"config/broken.json", "schema/es/v1/reindex.json"} {
		if !strings.HasPrefix(skipped[f], "not JSON, and no OpenAPI spec or Kubernetes manifest") {
			t.Errorf("%s: skipped as %q", f, skipped[f])
		}
	}
	for _, f := range []string{".github/workflows/ci.yml", "api/openapi.json"} {
		if problems[f] != 1 {
			t.Errorf("%s: %d problems, want 1 (%v)", f, problems[f], repo.Problems)
		}
	}
	if len(problems) != 2 {
		t.Errorf("problems in %v, want only the two malformed files", problems)
	}
	for _, f := range repo.Files {
		if _, ok := skipped[f.Path]; ok {
			t.Errorf("%s is both read and skipped", f.Path)
		}
	}
}

// TestYAMLProblemMessage: the line of a YAML error goes to its position,
// and a line the message itself names stays in the message. A repeated
// key in a document that is none of decouple's inputs, by its name or its
// keys (an i18n table), is no error: the file is read as written.
func TestYAMLProblemMessage(t *testing.T) {
	dir := writeRepo(t, t.TempDir(), map[string]string{
		"chart/values.yaml":      "a: 1\nb: 2\na: 3\n",
		"x.yaml":                 "apiVersion: v1\nkind: [\n",
		"conf/i18n/priority.yml": "NORMAL: a\nHIGH: b\nNORMAL: c\n",
	})
	repo := loadDir(t, dir)
	got := map[string]string{}
	for _, p := range repo.Problems {
		got[p.Pos.File] = fmt.Sprintf("%d %s", p.Pos.Line, p.Message)
	}
	for f, want := range map[string]string{
		"chart/values.yaml":      `3 malformed YAML: mapping key "a" already defined at line 1`,
		"x.yaml":                 "2 malformed YAML: did not find expected node content",
		"conf/i18n/priority.yml": "",
	} {
		if got[f] != want {
			t.Errorf("%s: %q, want %q", f, got[f], want)
		}
	}
	if !slices.ContainsFunc(repo.Files, func(f *facts.File) bool { return f.Path == "conf/i18n/priority.yml" }) {
		t.Errorf("conf/i18n/priority.yml not read: %+v", repo.Skipped)
	}
}

// TestJSONEscapes: the "\/" escape YAML 1.2 allows in double-quoted
// scalars reads as "/", and a UTF-16 surrogate pair (an emoji as Python's
// json.dumps writes it) as its character; backslashes in plain and
// single-quoted scalars, other escapes, a lone surrogate and comments stay
// as written. An OpenAPI spec in JSON with such a title is read.
func TestJSONEscapes(t *testing.T) {
	for in, want := range map[string]string{
		`exclude: "(^samples\/keys\/demo.yaml$)"`: `exclude: "(^samples/keys/demo.yaml$)"`,
		`a: "x\\/y"` + "\n" + `b: "\/"`:           `a: "x\\/y"` + "\n" + `b: "/"`,
		`re: '^a\/b$'`:                            `re: '^a\/b$'`,
		`note: it's "x\/y"`:                       `note: it's "x\/y"`,
		`- "a\/b" # "c\/d"`:                       `- "a/b" # "c\/d"`,
		"k: \"multi\n  line\\/x\"":                "k: \"multi\n  line/x\"",
		`{a: "x\/y", b: 'p\/q', c: "\"\/"}`:       `{a: "x/y", b: 'p\/q', c: "\"/"}`,
		`plain: a\/b`:                             `plain: a\/b`,
		`{"title": "Ship \ud83d\ude80 it"}`:       `{"title": "Ship 🚀 it"}`,
		`{"a": "\uD83D\uDE80", "b": "\u00e9"}`:    `{"a": "🚀", "b": "\u00e9"}`,
		`{"lone": "\ud83d x"}`:                    `{"lone": "\ud83d x"}`,
		`t: '\ud83d\ude80'`:                       `t: '\ud83d\ude80'`,
	} {
		if got := string(jsonEscapes([]byte(in))); got != want {
			t.Errorf("jsonEscapes(%q) = %q, want %q", in, got, want)
		}
	}
	dir := writeRepo(t, t.TempDir(), map[string]string{
		".pre-commit-config.yaml": "repos:\n- repo: local\n  hooks:\n  - id: keys\n    exclude: \"(^samples\\/keys\\/demo.yaml$)\"\n",
		"api/openapi.json":        `{"openapi": "3.0.3", "info": {"title": "Launch \ud83d\ude80", "version": "1"}, "paths": {"/orders": {"get": {"responses": {"200": {"description": "ok"}}}}}}`,
	})
	repo := loadDir(t, dir)
	if len(repo.Problems) > 0 {
		t.Errorf("problems: %+v", repo.Problems)
	}
	if len(repo.OpenAPI) != 1 || len(repo.OpenAPI[0].Operations) != 1 {
		t.Errorf("specs: %+v", repo.OpenAPI)
	}
}

// TestDeclaresStruct: a struct type declaration, alone, in a type group or
// with type parameters; not an anonymous struct in a var or a parameter,
// nor the word in a comment.
func TestDeclaresStruct(t *testing.T) {
	for src, want := range map[string]bool{
		"package a\ntype Customer struct{ Name string }\n":                 true,
		"package a\ntype (\n\tA int\n\tRow struct {\n\t\tID int\n\t}\n)\n": true,
		"package a\ntype List[T any] struct {\n\titems []T\n}\n":           true,
		"package a\nvar cfg struct {\n\tPort int\n}\n":                     false,
		"package a\nfunc f(x struct{ A int }) {}\n":                        false,
		"package a\n// a struct {} in a comment\ntype H interface{}\n":     false,
		"package a\ntype Domain string\n":                                  false,
		"package a\ntype cache struct{ m map[string]int }\n":               false,
	} {
		if got := declaresStruct([]byte(src)); got != want {
			t.Errorf("declaresStruct(%q) = %v, want %v", src, got, want)
		}
	}
}

// TestShellFields: words split at blanks and at a subshell's parentheses,
// but an unexpanded $(VAR) or $(command) stays in its word.
func TestShellFields(t *testing.T) {
	for in, want := range map[string]string{
		"docker build . -t ghcr.io/acme/scaler:$(VERSION)": "docker|build|.|-t|ghcr.io/acme/scaler:$(VERSION)",
		"(cd services/orders && make image)":               "cd|services/orders|&&|make|image",
		"echo $(git rev-parse --short HEAD) done":          "echo|$(git rev-parse --short HEAD)|done",
		`docker push "acme/orders:$(TAG)"`:                 "docker|push|acme/orders:$(TAG)",
	} {
		if got := strings.Join(shellFields(in), "|"); got != want {
			t.Errorf("shellFields(%q) = %q, want %q", in, got, want)
		}
	}
}
