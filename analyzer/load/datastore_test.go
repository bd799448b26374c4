package load_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// refLines renders references as "service source key -> node".
func refLines(repo *facts.Repo) string {
	var out []string
	for _, r := range repo.DatastoreRefs {
		out = append(out, fmt.Sprintf("%s %s %s -> %s", r.Service, r.Source, r.Key, r.Node))
	}
	return strings.Join(out, "\n")
}

func TestDatastoreGraph(t *testing.T) {
	repo := loadTxtar(t, `
-- compose.yaml --
services:
  orders:
    build: ./services/orders
    environment:
      DATABASE_URL: postgres://u:p@db/shop
      REDIS_ADDR: cache:6379
    depends_on: [db, cache]
  billing:
    build: ./services/billing
    depends_on: [db]
  db:
    image: postgres:16
  cache:
    image: redis:7
-- services/orders/main.go --
package main
-- services/billing/main.go --
package main
`)
	want := `billing depends-on db -> postgres://db:5432
orders compose-env DATABASE_URL -> postgres://db:5432/shop
orders compose-env REDIS_ADDR -> redis://cache:6379/0
orders depends-on db -> postgres://db:5432/shop
orders depends-on cache -> redis://cache:6379/0`
	if got := refLines(repo); got != want {
		t.Errorf("refs:\n%s\nwant:\n%s", got, want)
	}
	var nodes []string
	for _, d := range repo.Datastores {
		nodes = append(nodes, fmt.Sprintf("%s %s %s:%d", d.ID, d.Workload, d.Pos.File, d.Pos.Line))
	}
	if got := strings.Join(nodes, "\n"); got != `postgres://db:5432 db compose.yaml:11
postgres://db:5432/shop db compose.yaml:11
redis://cache:6379/0 cache compose.yaml:13` {
		t.Errorf("nodes:\n%s", got)
	}
	var edges []string
	for _, e := range repo.DatastoreEdges {
		edges = append(edges, fmt.Sprintf("%s->%s %d %v", e.Service, e.Datastore, len(e.Evidence), e.Sources))
	}
	if got := strings.Join(edges, "\n"); got != `billing->postgres://db:5432 1 [depends-on]
orders->postgres://db:5432/shop 2 [compose-env depends-on]
orders->redis://cache:6379/0 2 [compose-env depends-on]` {
		t.Errorf("edges:\n%s", got)
	}
}

func TestDatastoreHostResolution(t *testing.T) {
	repo := loadTxtar(t, `
-- services/orders/compose.yaml --
services:
  orders:
    build: .
    environment:
      DATABASE_URL: postgres://u:p@db/app
  db:
    image: postgres:16
-- services/billing/compose.yaml --
services:
  billing:
    build: .
    environment:
      DATABASE_URL: postgres://u:p@db/app
  db:
    image: mysql:8
-- services/orders/main.go --
package main
-- services/billing/main.go --
package main
-- deploy/k8s.yaml --
apiVersion: v1
kind: Service
metadata: {name: users-db, namespace: prod}
spec:
  type: ExternalName
  externalName: users.abc.eu-west-1.rds.amazonaws.com
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: users, namespace: prod}
spec:
  template:
    spec:
      containers:
        - name: users
          image: acme/users
          env:
            - {name: DB_HOST, value: users-db}
            - {name: DB_PORT, value: "5432"}
            - {name: DB_NAME, value: users}
            - {name: ORDERS_HOST, value: orders}
            - {name: ORDERS_NAME, value: orders-api}
-- services/users/main.go --
package main
`)
	want := `billing compose-env DATABASE_URL -> postgres://db@services/billing/compose.yaml:5432/app
orders compose-env DATABASE_URL -> postgres://db@services/orders/compose.yaml:5432/app
users kube-env DB_HOST -> postgres://users.abc.eu-west-1.rds.amazonaws.com:5432/users`
	if got := refLines(repo); got != want {
		t.Errorf("refs:\n%s\nwant:\n%s", got, want)
	}
}

func TestDatastoreGoCode(t *testing.T) {
	repo := loadTxtar(t, `
-- services/cart/store.go --
package cart

import (
	"github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"
	"go.mongodb.org/mongo-driver/mongo"
)

func open(c *mongo.Client) {
	_ = redis.NewClient(&redis.Options{Addr: "cache:6380", DB: 3})
	_ = mysql.Config{Net: "tcp", Addr: "mysql:3306", DBName: "cart"}
	dsn := envOr("MONGO_URL", "mongodb://mongo:27017/cart")
	db := c.Database("cart")
	_ = db.Collection("items")
	_ = c.Database("other").Collection("logs")
	_ = dsn
}
-- services/cart/schema/user.go --
package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
)

type User struct{ ent.Schema }

type Pet struct{ ent.Schema }

func (Pet) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.Annotation{Table: "animals"}}
}
-- services/cart/store_test.go --
package cart

const q = "SELECT * FROM test_only"
-- services/cart/main.go --
package main
`)
	want := `cart go redis.Options -> redis://cache:6380/3
cart go mysql.Config -> mysql://mysql:3306/cart
cart go envOr -> mongodb://mongo:27017/cart`
	if got := refLines(repo); got != want {
		t.Errorf("refs:\n%s\nwant:\n%s", got, want)
	}
	var tables []string
	for _, tb := range repo.Tables {
		tables = append(tables, fmt.Sprintf("%s %s %s %s", tb.Name, tb.Kind, tb.Source, tb.Database))
	}
	sort.Strings(tables)
	if got := strings.Join(tables, "\n"); got != `animals table ent mysql://mysql:3306/cart
items collection mongo mongodb://mongo:27017/cart
logs collection mongo mongodb://mongo:27017/other
users table ent mysql://mysql:3306/cart` {
		t.Errorf("tables:\n%s", got)
	}
}

func TestMigrationUsers(t *testing.T) {
	repo := loadTxtar(t, `
-- db/schema/20240101000000_init.sql --
CREATE TABLE a (id int);
-- db/schema/atlas.sum --
h1:abc=
-- compose.yaml --
services:
  orders:
    build: ./services/orders
    volumes: ["./db/schema:/schema:ro"]
  migrator:
    image: arigaio/atlas
    volumes: ["./db/schema:/migrations"]
-- services/orders/main.go --
package main
-- services/billing/Makefile --
migrate:
	atlas migrate apply --dir file://../../db/schema
-- services/billing/main.go --
package main
-- services/reports/sqlc.yaml --
version: "1"
packages:
  - schema: "../../db/schema/20240101000000_init.sql"
    queries: q.sql
-- services/reports/q.sql --
SELECT * FROM a;
-- services/reports/main.go --
package main
`)
	var got []string
	for _, m := range repo.Migrations {
		var users []string
		for _, u := range m.Users {
			users = append(users, u.Service+":"+u.How)
		}
		got = append(got, fmt.Sprintf("%s %s [%s]", m.Dir, m.Tool, strings.Join(users, " ")))
	}
	want := `db/schema atlas [billing:makefile orders:compose-mount]
db/schema/20240101000000_init.sql sqlc [reports:sqlc]`
	if strings.Join(got, "\n") != want {
		t.Errorf("migrations:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}

func TestHelmUmbrellaValues(t *testing.T) {
	repo := loadTxtar(t, `
-- deploy/shop/Chart.yaml --
apiVersion: v2
name: shop
-- deploy/shop/values.yaml --
global:
  postgresql:
    host: pg.internal
orders:
  database:
    url: postgres://u:p@pg.internal:5432/orders
billing:
  db:
    host: pg.internal
    name: billing
-- services/orders/main.go --
package main
-- services/billing/main.go --
package main
`)
	want := " helm-values global.postgresql.host -> postgres://pg.internal:5432\n" +
		"billing helm-values db.host -> postgres://pg.internal:5432/billing\n" +
		"orders helm-values database.url -> postgres://pg.internal:5432/orders"
	if got := refLines(repo); got != want {
		t.Errorf("refs:\n%s\nwant:\n%s", got, want)
	}
}

// A database key spelt dbName, db_name or databaseName belongs to the host
// group beside it; ORDERS_DB_HOST with ORDERS_DB_NAME stays one group.
func TestDatastoreConfigDatabaseKeys(t *testing.T) {
	repo := loadTxtar(t, `
-- services/products/config/config.yaml --
postgres:
  host: pgdb
  port: 5432
  dbName: products
-- services/products/main.go --
package main
-- services/shop/config/config.yaml --
mysql:
  host: mysqld
  db_name: shop
mongo:
  host: mongo
  databaseName: catalog
-- services/shop/main.go --
package main
-- services/search/config.yaml --
mongodb:
  uri: mongodb://mongo:27017
  database: catalog
-- services/search/main.go --
package main
-- services/orders/.env --
ORDERS_DB_HOST=pg
ORDERS_DB_PORT=5432
ORDERS_DB_NAME=orders
-- services/orders/main.go --
package main
`)
	want := `orders env-file ORDERS_DB_HOST -> postgres://pg:5432/orders
products config postgres.host -> postgres://pgdb:5432/products
search config mongodb.uri -> mongodb://mongo:27017/catalog
shop config mysql.host -> mysql://mysqld:3306/shop
shop config mongo.host -> mongodb://mongo:27017/catalog`
	if got := refLines(repo); got != want {
		t.Errorf("refs:\n%s\nwant:\n%s", got, want)
	}
}

// A shared config folder that compose bind-mounts into several services'
// containers configures each of them; the repository root mounted as
// source code does not.
func TestDatastoreMountedConfig(t *testing.T) {
	repo := loadTxtar(t, `
-- docker-compose.yml --
services:
  user:
    build: ./user
    volumes:
      - ./quickstart/configs:/data/conf
    command: ["/app/user", "-conf", "/data/conf"]
  saas:
    build: ./saas
    volumes:
      - type: bind
        source: ./quickstart/configs
        target: /data/conf
  dev:
    build: ./dev
    volumes:
      - .:/src
  mysqld:
    image: mysql:8
-- quickstart/configs/config.yaml --
data:
  database:
    source: root:secret@tcp(mysqld:3306)/kit
-- other/config.yaml --
db:
  url: postgres://u:p@pg:5432/other
-- user/main.go --
package main
-- saas/main.go --
package main
-- dev/main.go --
package main
`)
	want := `saas config data.database.source -> mysql://mysqld:3306/kit
user config data.database.source -> mysql://mysqld:3306/kit`
	if got := refLines(repo); got != want {
		t.Errorf("refs:\n%s\nwant:\n%s", got, want)
	}
}
