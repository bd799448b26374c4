package load

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchGoFile is a storage file of the kind a service has: SQL in string
// literals, a DSN default, a gorm model.
func benchGoFile(svc string, i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "package store\n\nimport (\n\t\"database/sql\"\n\t\"os\"\n\t\"gorm.io/gorm\"\n)\n\n")
	fmt.Fprintf(&b, "type Model%d struct {\n\tgorm.Model\n\tName string\n}\n\n", i)
	fmt.Fprintf(&b, "func (Model%d) TableName() string { return \"%s_t%d\" }\n\n", i, svc, i)
	fmt.Fprintf(&b, "func open() (*sql.DB, error) {\n\tdsn := os.Getenv(\"DATABASE_URL\")\n\tif dsn == \"\" {\n\t\tdsn = \"postgres://app:pw@db:5432/%s\"\n\t}\n\treturn sql.Open(\"pgx\", dsn)\n}\n\n", svc)
	for q := 0; q < 20; q++ {
		fmt.Fprintf(&b, "func q%d(db *sql.DB, id int64) error {\n\t_, err := db.Query(`\n\t\tSELECT a.id, b.name\n\t\tFROM %s_t%d a\n\t\tJOIN shared_%d b ON b.id = a.b_id\n\t\tWHERE a.id = $1`, id)\n\tif err != nil {\n\t\treturn fmt.Errorf(\"query %d: %%w\", err)\n\t}\n\treturn nil\n}\n\n", q, svc, q, q%5, q)
	}
	return b.String()
}

func BenchmarkScanGo(b *testing.B) {
	in := &input{path: "services/orders/store/store.go", kind: kindGo, data: []byte(benchGoFile("orders", 1))}
	b.SetBytes(int64(len(in.data)))
	for b.Loop() {
		scanGo(in, "orders")
	}
}

// benchHandler is a file with no datastore in it.
func benchHandler(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "package handlers\n\nimport (\n\t\"encoding/json\"\n\t\"net/http\"\n)\n\n")
	for h := 0; h < 15; h++ {
		fmt.Fprintf(&b, "// Handle%d%d serves one endpoint.\nfunc Handle%d%d(w http.ResponseWriter, r *http.Request) {\n\tvar v map[string]any\n\tif err := json.NewDecoder(r.Body).Decode(&v); err != nil {\n\t\thttp.Error(w, \"bad request\", http.StatusBadRequest)\n\t\treturn\n\t}\n\t_ = json.NewEncoder(w).Encode(v)\n}\n\n", i, h, i, h)
	}
	return b.String()
}

// BenchmarkLoadDataRepo loads a generated repository of 100 services, each
// with 2 storage files, 8 handler files, two migrations and a compose entry.
func BenchmarkLoadDataRepo(b *testing.B) {
	dir := b.TempDir()
	write := func(p, s string) {
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	var compose strings.Builder
	compose.WriteString("services:\n  db:\n    image: postgres:16\n")
	for s := 0; s < 100; s++ {
		svc := fmt.Sprintf("svc%03d", s)
		write("services/"+svc+"/main.go", "package main\n\nfunc main() {}\n")
		for f := 0; f < 2; f++ {
			write(fmt.Sprintf("services/%s/store/store%d.go", svc, f), benchGoFile(svc, f))
		}
		for f := 0; f < 8; f++ {
			write(fmt.Sprintf("services/%s/handlers/h%d.go", svc, f), benchHandler(f))
		}
		write("services/"+svc+"/migrations/0001_init.up.sql", "CREATE TABLE "+svc+"_t0 (id bigint);\nCREATE INDEX ON "+svc+"_t0 (id);\n")
		write("services/"+svc+"/migrations/0001_init.down.sql", "DROP TABLE "+svc+"_t0;\n")
		fmt.Fprintf(&compose, "  %s:\n    build: ./services/%s\n    environment:\n      DATABASE_URL: postgres://app:pw@db:5432/%s\n    depends_on: [db]\n", svc, svc, svc)
	}
	write("compose.yaml", compose.String())
	var refs int
	for b.Loop() {
		repo, err := Repo(context.Background(), dir, DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		refs = len(repo.DatastoreRefs)
	}
	b.ReportMetric(float64(refs), "refs")
}
