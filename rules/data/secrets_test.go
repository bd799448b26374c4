package data_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/rules"
	"github.com/decouplehq/decouple/rules/ruletest"
)

// passwords are planted in every kind of source the loader reads; none may
// reach a finding, a related message, the facts or the JSON of either.
var passwords = []string{
	"Pw-Compose-Url", "Pw-Compose-Interp", "Pw-Env-File", "Pw-Dotenv", "Pw-Secret-B64", "Pw-Secret-Key",
	"Pw-String-Data", "Pw-ConfigMap", "Pw-Helm", "Pw-Toml", "Pw-Yaml", "Pw-Go-Url", "Pw-Go-Libpq",
	"Pw-Go-Mysql", "Pw-Jdbc", "Pw-Redis", "Pw-Mongo", "Pw-Ado", "Pw@With/Slash",
}

const secretsRepo = `
-- compose.yaml --
services:
  orders:
    build: ./services/orders
    environment:
      DATABASE_URL: postgres://app:Pw-Compose-Url@db:5432/shop
      REPLICA_URL: postgres://app:${DB_PASSWORD:-Pw-Compose-Interp}@db:5432/shop
      ODD_URL: postgres://app:Pw@With/Slash@db:5432/shop
      DB_PASSWORD: Pw-Compose-Url
    env_file: services/orders/db.env
  billing:
    build: ./services/billing
    environment:
      DATABASE_URL: postgres://billing:Pw-Compose-Url@db:5432/shop
      CACHE_URL: redis://:Pw-Redis@cache:6379/0
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: Pw-Compose-Url
  cache:
    image: redis:7
-- services/orders/db.env --
DATABASE_URL=postgres://app:Pw-Env-File@db:5432/shop
-- services/orders/.env --
DB_HOST=db
DB_NAME=shop
DB_PASSWORD=Pw-Dotenv
-- deploy/k8s.yaml --
apiVersion: v1
kind: Secret
metadata: {name: db}
data:
  url: cG9zdGdyZXM6Ly9zdmM6UHctU2VjcmV0LUI2NEBkYjo1NDMyL3Nob3A=
  password: UHctU2VjcmV0LUtleQ==
stringData:
  other: mysql://u:Pw-String-Data@mysql:3306/shop
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data:
  MONGO_URL: mongodb+srv://u:Pw-ConfigMap@cluster0.example.net/shop
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: orders}
spec:
  template:
    spec:
      containers:
        - name: orders
          image: acme/orders
          envFrom: [{secretRef: {name: db}}, {configMapRef: {name: cfg}}]
          env:
            - name: DB_PASS
              valueFrom: {secretKeyRef: {name: db, key: password}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: billing}
spec:
  template:
    spec:
      containers:
        - name: billing
          image: acme/billing
          envFrom: [{secretRef: {name: db}}, {configMapRef: {name: cfg}}]
-- services/billing/chart/Chart.yaml --
apiVersion: v2
name: billing
-- services/billing/chart/values.yaml --
database:
  url: postgres://u:Pw-Helm@db:5432/shop
-- services/billing/config.toml --
[db]
dsn = "postgres://u:Pw-Toml@db:5432/shop"
-- services/billing/config.yaml --
datasource:
  url: jdbc:postgresql://db:5432/shop?user=u&password=Pw-Jdbc
sqlserver: "Server=tcp:mssql,1433;Database=shop;User Id=u;Password=Pw-Ado;"
storage:
  dsn: postgres://u:Pw-Yaml@db/shop
-- services/orders/main.go --
package main

import "database/sql"

const url = "postgres://u:Pw-Go-Url@db:5432/shop"

func main() {
	sql.Open("pgx", "host=db dbname=shop user=u password=Pw-Go-Libpq")
	sql.Open("mysql", "u:Pw-Go-Mysql@tcp(mysql:3306)/shop")
	sql.Open("mongo", "mongodb://u:Pw-Mongo@mongo:27017/shop")
}
-- services/billing/main.go --
package main

const q = "SELECT id FROM orders"
`

func TestPasswordsNeverAppear(t *testing.T) {
	dir := t.TempDir()
	if err := ruletest.Extract(txtar.Parse([]byte(secretsRepo)), dir); err != nil {
		t.Fatal(err)
	}
	repo, pol := ruletest.LoadDir(t, dir)
	pol.Use = []string{"all"}
	res, err := analyzer.Run(repo, rules.All(), pol)
	if err != nil {
		t.Fatal(err)
	}
	if len(repo.DatastoreRefs) < 15 || len(res.Findings) == 0 {
		t.Fatalf("the secrets repo found %d references and %d findings; the test would prove nothing",
			len(repo.DatastoreRefs), len(res.Findings))
	}
	var texts []string
	for _, f := range res.Findings {
		texts = append(texts, f.Message, f.Entity)
		for _, r := range f.Related {
			texts = append(texts, r.Message)
		}
	}
	texts = append(texts, ruletest.String(res.Findings))
	for _, v := range []any{repo, res.Findings} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	all := strings.Join(texts, "\n")
	for _, pw := range passwords {
		if strings.Contains(all, pw) {
			i := strings.Index(all, pw)
			t.Errorf("password %q leaked: ...%s...", pw, all[max(0, i-80):min(len(all), i+40)])
		}
	}
	// the repo's own files are still there: the secrets were read, not missed
	b, err := os.ReadFile(filepath.Join(dir, "compose.yaml"))
	if err != nil || !strings.Contains(string(b), "Pw-Compose-Url") {
		t.Fatalf("fixture not written: %v", err)
	}
}
