package load

import (
	"context"
	"testing"
)

// parseSources lets go of the Go and proto text, and discovery still tells
// package main from its record of the package clauses.
func TestParseSourcesLetsGoOfSources(t *testing.T) {
	dir := writeRepo(t, t.TempDir(), map[string]string{
		"go.mod":                     "module example.com/shop\n",
		"cmd/orders/main.go":         "package main\n\nimport \"net/http\"\n\nfunc main() { http.HandleFunc(\"/orders\", nil) }\n",
		"cmd/orders/handlers.go":     "package main\n\nconst dsn = \"postgres://u@db/orders\"\n",
		"internal/billing/pay.go":    "package billing\n\nconst dsn = \"postgres://u@db/billing\"\n",
		"api/orders/v1/orders.proto": "syntax = \"proto3\";\npackage orders.v1;\nservice Orders { rpc Get(Req) returns (Res); }\nmessage Req {}\nmessage Res {}\n",
		"compose.yaml":               "services:\n  orders:\n    build: ./cmd/orders\n",
	})
	l, w := newBenchLoader(t, dir)
	ctx := context.Background()
	if err := l.walkAndRead(ctx, w); err != nil {
		t.Fatal(err)
	}
	l.parseSources(ctx)
	for _, in := range l.inputs {
		if (in.kind == kindGo || in.kind == kindProto) && in.data != nil {
			t.Errorf("%s: text kept after parseSources", in.path)
		}
	}
	if len(l.repo.Protos) != 1 || len(l.repo.GoRoutes) != 1 || len(l.goScans) == 0 {
		t.Fatalf("protos %d, routes %d, Go scans %d", len(l.repo.Protos), len(l.repo.GoRoutes), len(l.goScans))
	}
	if !l.hasMain("cmd/orders") || l.hasMain("internal/billing") {
		t.Errorf("hasMain: cmd/orders %v, internal/billing %v", l.hasMain("cmd/orders"), l.hasMain("internal/billing"))
	}
	// The whole load gives the DSNs found before discovery their service.
	repo := loadDir(t, dir)
	services := map[string]string{}
	for _, r := range repo.DatastoreRefs {
		services[r.Pos.File] = r.Service
	}
	if s, ok := services["cmd/orders/handlers.go"]; !ok || s != "orders" {
		t.Errorf("the DSN in cmd/orders: service %q (found %v); refs %+v", s, ok, repo.DatastoreRefs)
	}
	if _, ok := services["internal/billing/pay.go"]; !ok {
		t.Errorf("the DSN in internal/billing was not read: %+v", repo.DatastoreRefs)
	}
}
