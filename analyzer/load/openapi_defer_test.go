package load

import (
	"context"
	"testing"
)

func TestOneSpec(t *testing.T) {
	cases := []struct {
		name string
		data string
		want bool
	}{
		{"yaml", "openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths: {}\n", true},
		{"swagger", "# the orders API\n\nswagger: \"2.0\"\npaths: {}\n", true},
		{"bom", "\ufeffopenapi: 3.1.0\n", true},
		{"json", "{\n  \"openapi\": \"3.0.0\", \"paths\": {}}", true},
		{"json swagger", "  {\"swagger\": \"2.0\"}", true},
		{"json other first key", "{\"info\": {}, \"openapi\": \"3.0.0\"}", false},
		{"later key", "info: {title: a}\nopenapi: 3.0.3\n", false},
		{"second document", "openapi: 3.0.3\npaths: {}\n---\napiVersion: v1\nkind: ConfigMap\n", false},
		{"document end", "openapi: 3.0.3\n...\n", false},
		{"directive", "%YAML 1.2\n---\nopenapi: 3.0.3\n", false},
		{"indented", "  openapi: 3.0.3\n", false},
		{"kubernetes", "apiVersion: v1\nkind: ConfigMap\ndata: {openapi: x}\n", false},
		{"empty", "", false},
	}
	for _, c := range cases {
		if got := oneSpec([]byte(c.data)); got != c.want {
			t.Errorf("%s: oneSpec = %v, want %v", c.name, got, c.want)
		}
	}
}

// A file classify leaves to parseOpenAPI that is not an OpenAPI document
// after all still reaches the parsers that read unknown documents, in the
// input order.
func TestDeferredSpecThatIsNotOne(t *testing.T) {
	dir := writeRepo(t, t.TempDir(), map[string]string{
		"services/orders/a.yaml":       "name: first\n",
		"services/orders/openapi.yaml": "openapi: 3.0.3\ndatabase_url: postgres://orders@db:5432/orders\n",
		"services/orders/z.yaml":       "name: last\n",
		"services/orders/main.go":      "package main\n",
		"services/orders/go.mod":       "module example.com/orders\n",
		"services/orders/api.yaml":     "openapi: 3.0.3\ninfo: {title: orders, version: '1'}\npaths:\n  /orders:\n    get:\n      responses: {'200': {description: ok}}\n",
	})
	l, w := newBenchLoader(t, dir)
	ctx := context.Background()
	if err := l.walkAndRead(ctx, w); err != nil {
		t.Fatal(err)
	}
	l.classify(ctx)
	if len(l.specs) != 2 {
		t.Fatalf("classify deferred %d files, want 2", len(l.specs))
	}
	l.parseOpenAPI(ctx)
	l.mergeLateDocs()
	var paths []string
	for _, d := range l.docs {
		paths = append(paths, d.in.path)
	}
	want := []string{"services/orders/a.yaml", "services/orders/openapi.yaml", "services/orders/z.yaml"}
	if len(paths) != len(want) {
		t.Fatalf("documents after parseOpenAPI: %v, want %v", paths, want)
	}
	for i := range want {
		if paths[i] != want[i] {
			t.Fatalf("documents after parseOpenAPI: %v, want %v", paths, want)
		}
	}
	if len(l.repo.OpenAPI) != 1 || l.repo.OpenAPI[0].Path != "services/orders/api.yaml" || len(l.repo.OpenAPI[0].Operations) != 1 {
		t.Fatalf("specs: %+v", l.repo.OpenAPI)
	}
	// And the whole load reads the DSN of the document that is not a spec.
	repo := loadDir(t, dir)
	found := false
	for _, r := range repo.DatastoreRefs {
		found = found || r.Pos.File == "services/orders/openapi.yaml"
	}
	if !found {
		t.Errorf("the DSN in services/orders/openapi.yaml was not read: %+v", repo.DatastoreRefs)
	}
}
