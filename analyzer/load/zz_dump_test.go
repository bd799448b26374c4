package load

import (
	"context"
	"encoding/json"
	"os"
	"testing"
)

func TestZZDump(t *testing.T) {
	dir := os.Getenv("DUMP_DIR")
	if dir == "" {
		return
	}
	r, err := Repo(context.Background(), dir, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(struct{ A, B, C, D, E any }{r.OpenAPI, r.Problems, r.Suppressions, r.GoRoutes, r.Protos}, "", " ")
	t.Log(string(b))
}
