package load

import (
	"context"
	"os"
	"path"
	"testing"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// loadOne runs the whole loader over one in-memory file named name. It must
// never panic and never hang, whatever data holds.
func loadOne(t *testing.T, root *os.Root, name string, data []byte) *facts.Repo {
	l := &loader{root: root, opts: &Options{FileTimeout: DefaultFileTimeout}, repo: &facts.Repo{}}
	in := &input{path: name, kind: kindOf(name), data: data}
	l.inputs = []*input{in}
	l.byPath = map[string]*input{name: in}
	l.byDir = map[string][]*input{path.Dir(name): {in}}
	ctx := context.Background()
	l.classify(ctx)
	l.discover()
	l.parse(ctx)
	l.finish()
	if got := len(l.repo.Files) + len(l.repo.Skipped); got != l.repo.FilesSeen {
		t.Fatalf("accounting: %d files + skipped, %d seen", got, l.repo.FilesSeen)
	}
	return l.repo
}

func fuzzRoot(f *testing.F) *os.Root {
	r, err := os.OpenRoot(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { r.Close() })
	return r
}

// FuzzProto feeds arbitrary text to the proto loader.
func FuzzProto(f *testing.F) {
	for _, s := range []string{
		"syntax = \"proto3\";\npackage a.v1;\nservice S { rpc A(R) returns (R) { option (google.api.http) = { get: \"/v1/a\" }; } }\nmessage R {}\n",
		"syntax = \"proto3\";\nimport \"a.proto\";;\n",
		"message M { message N { enum E { X = 0; } } }",
		"service S { option (x) = \"d\";; }",
		"/* unterminated",
		"syntax = \"proto2\"; message A { optional string s = 1 [default = \"x\"]; extensions 100 to max; }",
		"",
	} {
		f.Add(s)
	}
	root := fuzzRoot(f)
	f.Fuzz(func(t *testing.T, src string) {
		loadOne(t, root, "svc/a.proto", []byte(src))
	})
}

// FuzzManifest feeds arbitrary YAML to every loader that reads YAML or
// JSON, under the names that select each kind: compose, Kubernetes,
// OpenAPI, CI workflows and plain config.
func FuzzManifest(f *testing.F) {
	names := []string{"compose.yaml", "k8s/deploy.yaml", "svc/openapi.yaml", ".github/workflows/ci.yml",
		".gitlab-ci.yml", "svc/config.json", "chart/values.yaml", "cloudbuild.yaml"}
	for i, s := range []string{
		"services:\n  api:\n    build: ./api\n    depends_on: [db]\n    environment:\n      DATABASE_URL: postgres://u:p@db:5432/x\n  db:\n    image: postgres\n",
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {template: {spec: {containers: [{name: a, image: x, env: [{name: A, valueFrom: {secretKeyRef: {name: s, key: k}}}]}]}}}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: cG9zdGdyZXM6Ly9h}\n",
		"openapi: 3.0.0\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://{h}/v1', variables: {h: {default: x}}}]\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n",
		"swagger: '2.0'\ninfo: {title: t, version: '1'}\nbasePath: /v2\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n",
		"jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: kubectl apply -f k8s/\n",
		"a: &a [*a]\n",
		"x: &x {<<: *x}\n",
		"0: [:!00 \xef",
	} {
		f.Add(names[i%len(names)], s)
	}
	root := fuzzRoot(f)
	f.Fuzz(func(t *testing.T, name, src string) {
		loadOne(t, root, names[len(name)%len(names)], []byte(src))
	})
}
