package load_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/analyzer/load"
)

// loadTxtar writes an archive to a temp dir and loads it.
func loadTxtar(t *testing.T, archive string) *facts.Repo {
	t.Helper()
	ar := txtar.Parse([]byte(archive))
	dir := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	repo, err := load.Repo(context.Background(), dir, load.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

func workload(t *testing.T, repo *facts.Repo, name string) *facts.Workload {
	t.Helper()
	for _, w := range repo.Workloads {
		if w.Name == name {
			return w
		}
	}
	t.Fatalf("no workload %s in %v", name, names(repo.Workloads))
	return nil
}

func names(ws []*facts.Workload) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Kind+"/"+w.Name)
	}
	return out
}

func env(w *facts.Workload, name string) facts.EnvVar {
	for _, e := range w.Env {
		if e.Name == name {
			return e
		}
	}
	return facts.EnvVar{}
}

// wantEnv checks a workload's variable: its value (redacted as the fact
// keeps it) and where it came from.
func wantEnv(t *testing.T, w *facts.Workload, name, value, from string) {
	t.Helper()
	if e := env(w, name); e.Value != value || e.From != from {
		t.Errorf("%s = %+v, want %q from %s", name, e, value, from)
	}
}

func TestComposeWorkloads(t *testing.T) {
	repo := loadTxtar(t, `
-- compose.yaml --
version: "3.9"
services:
  orders:
    build: ./services/orders
    image: shop/orders:${TAG:-latest}
    environment:
      DATABASE_URL: postgres://shop:${DB_PASSWORD}@db:5432/shop
      MISSING: ${NOPE}
      REQUIRED: ${NEED:?set it}
      FROM_DOTENV:
    env_file: services/orders/orders.env
    depends_on:
      db:
        condition: service_healthy
    links: ["cache:c"]
    volumes: ["./db/migrations:/migrations:ro", "data:/data"]
  worker:
    image: shop/billing:${TAG:-latest}
    profiles: [jobs]
    depends_on: [orders]
  db:
    image: postgres:16
  cache:
    image: redis:7
volumes:
  data: {}
-- .env --
DB_PASSWORD=s3cret-pw
FROM_DOTENV=hello
TAG=1.2.3
-- services/orders/orders.env --
# comment
REDIS_ADDR=cache:6379
API_TOKEN=tok-123
-- services/orders/go.mod --
module example.com/orders
-- services/billing/main.go --
package main
`)
	if len(repo.Problems) > 0 {
		t.Fatalf("problems: %+v", repo.Problems)
	}
	o := workload(t, repo, "orders")
	if o.Kind != "compose" || o.Service != "orders" || o.Build != "services/orders" || o.Datastore {
		t.Errorf("orders = %+v", o)
	}
	if o.Image != "shop/orders:1.2.3" || o.ImageRaw != "shop/orders:${TAG:-latest}" || o.ImagePos.Line != 5 {
		t.Errorf("orders image = %q raw %q at %v", o.Image, o.ImageRaw, o.ImagePos)
	}
	if o.Pos != (facts.Position{File: "compose.yaml", Line: 3, Col: 3}) {
		t.Errorf("orders pos = %v", o.Pos)
	}
	db := env(o, "DATABASE_URL")
	if db.Value != "postgres://shop:***@db:5432/shop" || db.From != "literal" || db.Pos.Line != 7 {
		t.Errorf("DATABASE_URL = %+v", db)
	}
	for _, name := range []string{"MISSING", "REQUIRED"} {
		if e := env(o, name); e.From != "unresolved" || e.Value != "" {
			t.Errorf("%s = %+v", name, e)
		}
	}
	wantEnv(t, o, "FROM_DOTENV", "hello", "env_file:.env")
	if e := env(o, "REDIS_ADDR"); e.Value != "cache:6379" || e.From != "env_file:services/orders/orders.env" || e.Pos.Line != 2 {
		t.Errorf("REDIS_ADDR = %+v", e)
	}
	if e := env(o, "API_TOKEN"); e.Value != "<redacted>" {
		t.Errorf("API_TOKEN = %+v", e)
	}
	want := []facts.Dependency{
		{Name: "db", Condition: "service_healthy", Pos: facts.Position{File: "compose.yaml", Line: 13, Col: 7}},
		{Name: "cache", Condition: "link", Pos: facts.Position{File: "compose.yaml", Line: 15, Col: 13}},
	}
	if len(o.DependsOn) != 2 || o.DependsOn[0] != want[0] || o.DependsOn[1] != want[1] {
		t.Errorf("depends_on = %+v", o.DependsOn)
	}
	if len(o.Mounts) != 2 || o.Mounts[0].Source != "db/migrations" || !o.Mounts[0].Bind || o.Mounts[0].Target != "/migrations" ||
		o.Mounts[1].Source != "data" || o.Mounts[1].Bind {
		t.Errorf("mounts = %+v", o.Mounts)
	}
	w := workload(t, repo, "worker")
	if w.Service != "billing" || len(w.DependsOn) != 1 || w.DependsOn[0].Condition != "service_started" {
		t.Errorf("worker = %+v", w)
	}
	if d := workload(t, repo, "db"); !d.Datastore || d.Service != "" {
		t.Errorf("db = %+v", d)
	}
}

func TestComposeOverrideAndErrors(t *testing.T) {
	repo := loadTxtar(t, `
-- compose.yaml --
services:
  api:
    image: api
    environment:
      A: base
    extends:
      file: other.yaml
      service: base
-- compose.override.yaml --
services:
  api:
    environment:
      A: override
-- bad/docker-compose.yml --
services:
  api:
    image: api
    ports: {not: [valid}
-- bad2/compose.yaml --
services:
  api:
    image: api
    depends_on: 12
`)
	a := workload(t, repo, "api")
	if e := env(a, "A"); e.Value != "override" || e.Pos.File != "compose.override.yaml" {
		t.Errorf("A = %+v", e)
	}
	var got []string
	for _, p := range repo.Problems {
		got = append(got, p.Pos.File)
		if p.Pos.Line == 0 {
			t.Errorf("problem without a line: %+v", p)
		}
	}
	if strings.Join(got, ",") != "bad/docker-compose.yml,bad2/compose.yaml" {
		t.Errorf("problems = %+v", repo.Problems)
	}
}

func TestKubeWorkloads(t *testing.T) {
	repo := loadTxtar(t, `
-- deploy/orders.yaml --
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
  namespace: shop
spec:
  template:
    metadata:
      labels: {app: orders}
    spec:
      initContainers:
        - name: wait
          image: busybox
          command: ["sh", "-c"]
          args: ["until nc -z billing 8080; do sleep 1; done"]
      containers:
        - name: app
          image: ghcr.io/acme/orders:1.0
          envFrom:
            - configMapRef: {name: common}
          env:
            - name: DB_USER
              value: shop
            - name: DB_PASS
              valueFrom:
                secretKeyRef: {name: db, key: password}
            - name: DATABASE_URL
              value: postgres://$(DB_USER):$(DB_PASS)@postgres.shop.svc.cluster.local/shop
            - name: SECRET_URL
              valueFrom:
                secretKeyRef: {name: db, key: url}
            - name: POD
              valueFrom:
                fieldRef: {fieldPath: metadata.name}
---
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
data:
  password: aHVudGVyMg==
  url: cG9zdGdyZXM6Ly91Omh1bnRlcjJAcGc6NTQzMi9zaG9w
---
apiVersion: v1
kind: ConfigMap
metadata: {name: common}
data:
  REDIS_URL: redis://cache:6379/1
---
apiVersion: v1
kind: Service
metadata: {name: postgres, namespace: shop}
spec:
  selector: {app: postgres}
  ports: [{port: 5432}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: postgres, namespace: shop}
spec:
  template:
    metadata: {labels: {app: postgres}}
    spec:
      containers: [{name: pg, image: "postgres:16"}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: r, image: acme/report}]
-- services/orders/main.go --
package main
`)
	if len(repo.Problems) > 0 {
		t.Fatalf("problems: %+v", repo.Problems)
	}
	o := workload(t, repo, "orders")
	if o.Kind != "Deployment" || o.Service != "orders" || o.Namespace != "shop" || o.Labels["app"] != "orders" || o.Datastore {
		t.Errorf("orders = %+v", o)
	}
	if len(o.InitContainers) != 1 || o.InitContainers[0].Command != "sh -c until nc -z billing 8080; do sleep 1; done" {
		t.Errorf("init = %+v", o.InitContainers)
	}
	wantEnv(t, o, "DATABASE_URL", "postgres://shop:***@postgres.shop.svc.cluster.local/shop", "literal")
	wantEnv(t, o, "SECRET_URL", "postgres://u:***@pg:5432/shop", "secret:db")
	wantEnv(t, o, "DB_PASS", "<redacted>", "secret:db")
	wantEnv(t, o, "REDIS_URL", "redis://cache:6379/1", "configmap:common")
	if e := env(o, "POD"); e.From != "unresolved" {
		t.Errorf("POD = %+v", e)
	}
	if p := workload(t, repo, "postgres"); !p.Datastore || p.Kind != "StatefulSet" {
		t.Errorf("postgres = %+v", p)
	}
	if r := workload(t, repo, "report"); r.Kind != "CronJob" || r.Image != "acme/report" {
		t.Errorf("report = %+v", r)
	}
	if len(repo.KubeServices) != 1 || repo.KubeServices[0].Selector["app"] != "postgres" || repo.KubeServices[0].Ports[0] != 5432 {
		t.Errorf("services = %+v", repo.KubeServices)
	}
}

func TestComposeAnchorsAndExtends(t *testing.T) {
	repo := loadTxtar(t, `
-- compose.yaml --
x-common: &common
  environment:
    DATABASE_URL: postgres://u:p@db/shop
  depends_on: [db]
services:
  base:
    image: base
    environment:
      FROM_BASE: "1"
  orders:
    <<: *common
    image: orders
  billing:
    extends: base
    image: billing
  db:
    image: postgres:16
`)
	if len(repo.Problems) > 0 {
		t.Fatalf("problems: %+v", repo.Problems)
	}
	o := workload(t, repo, "orders")
	if e := env(o, "DATABASE_URL"); e.Value != "postgres://u:***@db/shop" || e.Pos.Line == 0 {
		t.Errorf("DATABASE_URL through a merge key = %+v", e)
	}
	if len(o.DependsOn) != 1 || o.DependsOn[0].Name != "db" || o.DependsOn[0].Pos.Line == 0 {
		t.Errorf("depends_on through a merge key = %+v", o.DependsOn)
	}
	if e := env(workload(t, repo, "billing"), "FROM_BASE"); e.Value != "1" || e.Pos.Line == 0 {
		t.Errorf("FROM_BASE through extends = %+v", e)
	}
}

func TestComposeQuietOnLegacySyntax(t *testing.T) {
	repo := loadTxtar(t, `
-- compose.yaml --
version: "2.4"
services:
  api:
    image: api
    tty: yes
    depends_on:
      db:
        condition: service_started
        restart: no
  db:
    image: postgres
networks:
  default:
    external:
      name: shared
`)
	if len(repo.Problems) > 0 || len(repo.Workloads) != 2 {
		t.Fatalf("workloads %v, problems %+v", names(repo.Workloads), repo.Problems)
	}
}

func TestComposeServiceAttribution(t *testing.T) {
	repo := loadTxtar(t, `
-- compose.yaml --
services:
  trainer-http:
    build: {context: docker/app}
    volumes: ["./internal:/internal"]
    working_dir: /internal/trainer
  users-grpc:
    image: acme/runner
-- docker/app/Dockerfile --
FROM golang
-- internal/trainer/go.mod --
module example.com/trainer
-- internal/trainer/main.go --
package main
-- internal/users/go.mod --
module example.com/users
-- internal/users/main.go --
package main
`)
	if s := workload(t, repo, "trainer-http").Service; s != "trainer" {
		t.Errorf("trainer-http runs %q, want trainer (through working_dir and its mount)", s)
	}
	if s := workload(t, repo, "users-grpc").Service; s != "users" {
		t.Errorf("users-grpc runs %q, want users (through its name)", s)
	}
}

// Interpolated values still get compose-go's type casts, the ones castsFor
// keeps because the file uses their keys.
func TestComposeInterpolationCasts(t *testing.T) {
	repo := loadTxtar(t, `
-- .env --
PORT=8080
REPLICAS=3
TTY=true
-- compose.yaml --
services:
  orders:
    image: orders
    tty: ${TTY}
    ports:
      - target: ${PORT}
        published: "18080"
    deploy:
      replicas: ${REPLICAS}
    environment:
      ORDERS_PORT: ${PORT}
`)
	if len(repo.Problems) > 0 {
		t.Fatalf("problems: %+v", repo.Problems)
	}
	if e := env(workload(t, repo, "orders"), "ORDERS_PORT"); e.Value != "8080" {
		t.Errorf("ORDERS_PORT = %+v", e)
	}
}

// TestComposeUnsetVariables: a compose file that is invalid because a
// variable has no value (no .env beside it) is reported with the names of
// the variables it lacks, the likely cause.
func TestComposeUnsetVariables(t *testing.T) {
	repo := loadTxtar(t, `
-- docker/docker-compose.yml --
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: ${POSTGRES_USER}
    volumes:
      - ${POSTGRES_VOLUME}:/var/lib/postgresql/data
-- docker/.env.example --
POSTGRES_VOLUME=
`)
	if len(repo.Problems) != 1 {
		t.Fatalf("problems: %v", repo.Problems)
	}
	msg := repo.Problems[0].Message
	if !strings.HasPrefix(msg, "invalid compose file: ") ||
		!strings.HasSuffix(msg, "variables with no value here (docker/.env.example leaves them unset or empty): POSTGRES_USER, POSTGRES_VOLUME") {
		t.Errorf("message: %s", msg)
	}
}

// TestComposeUnsetVolumeVariable: a variable that nothing here sets, in a
// short volume spec ("${DATA_DIR}:/data"), does not cost the file its
// workloads: it is set where compose runs. Without a .env, the example env
// file committed beside the compose file gives the values.
func TestComposeUnsetVolumeVariable(t *testing.T) {
	repo := loadTxtar(t, `
-- deploy/compose.yaml --
services:
  orders:
    image: shop/orders
    volumes:
      - ${DATA_DIR}:/data
      - ${LOG_DIR}:/logs:ro
    environment:
      DB_URL: postgres://app@db:5432/${DB_NAME}
      CACHE: ${CACHE_HOST}
-- deploy/.env.sample --
DB_NAME=orders
-- .env.example --
CACHE_HOST=ignored-not-beside-the-file
`)
	if len(repo.Problems) > 0 {
		t.Fatalf("problems: %+v", repo.Problems)
	}
	w := workload(t, repo, "orders")
	wantEnv(t, w, "DB_URL", "postgres://app@db:5432/orders", "literal")
	wantEnv(t, w, "CACHE", "", "unresolved")
	if len(w.Mounts) != 2 || w.Mounts[0].Target != "/data" || w.Mounts[1].Target != "/logs" {
		t.Errorf("mounts = %+v", w.Mounts)
	}
}

// TestComposeUnsetTypedVariables: a typed value that a variable with no
// value here leaves empty (replicas, privileged) takes its type's
// zero value, and the file's workloads are read: docker compose would have
// the value from its environment.
func TestComposeUnsetTypedVariables(t *testing.T) {
	repo := loadTxtar(t, `
-- docker-compose.yml --
services:
  orders:
    image: shop/orders
    deploy:
      replicas: ${ORDERS_REPLICAS}
    privileged: ${PRIVILEGED}
    environment:
      DB_URL: postgres://app@db:5432/orders
      DB_HOST: ${DB_HOST}
`)
	if len(repo.Problems) > 0 {
		t.Fatalf("problems: %+v", repo.Problems)
	}
	w := workload(t, repo, "orders")
	wantEnv(t, w, "DB_URL", "postgres://app@db:5432/orders", "literal")
	wantEnv(t, w, "DB_HOST", "", "unresolved")
}

// TestKubeSecretNotBase64: a Secret whose data values are not base64 gets
// one problem that names every such key, at the first of them; a value
// that is only a placeholder (${CREDENTIALS}, filled in by envsubst) is
// none.
func TestKubeSecretNotBase64(t *testing.T) {
	repo := loadTxtar(t, `
-- k8s/secret.yaml --
apiVersion: v1
kind: Secret
metadata:
  name: app-secret
data:
  webhook.github.secret: shhh!
  DATABASE_URL: cG9zdGdyZXM6Ly9hcHA6cHdAZGI6NTQzMi9vcmRlcnM=
  webhook.gitlab.secret: shhh!
-- k8s/one.yaml --
apiVersion: v1
kind: Secret
metadata:
  name: one
data:
  token: not base64!
-- k8s/templated.yaml --
apiVersion: v1
kind: Secret
metadata:
  name: cloud-credentials
data:
  credentials: ${CREDENTIALS}
  token: $TOKEN
`)
	got := map[string]string{}
	for _, p := range repo.Problems {
		got[p.Pos.File] = fmt.Sprintf("%d:%d %s", p.Pos.Line, p.Pos.Col, p.Message)
	}
	want := map[string]string{
		"k8s/secret.yaml": "6:26 secret app-secret: the values of 2 keys are not base64 (data holds encoded values; stringData plain ones): webhook.github.secret, webhook.gitlab.secret",
		"k8s/one.yaml":    "6:10 secret one: value of token is not base64",
	}
	if len(repo.Problems) != 2 || got["k8s/secret.yaml"] != want["k8s/secret.yaml"] || got["k8s/one.yaml"] != want["k8s/one.yaml"] {
		t.Errorf("problems:\n%v\nwant:\n%v", got, want)
	}
}

// A spec generator's JSON copy of a YAML spec (swag writes both, a path's
// methods sorted in the YAML only) is read once: the JSON file is skipped,
// naming the YAML one. A JSON spec that
// differs from the YAML beside it is a spec of its own.
func TestOpenAPIFormatTwins(t *testing.T) {
	repo := loadTxtar(t, `
-- services/chat/docs/swagger.yaml --
swagger: "2.0"
info: {title: chat, version: "1.0"}
basePath: /api
paths:
  /chat/users:
    delete:
      responses:
        "200": {description: ok}
    get:
      responses:
        "200": {description: ok}
-- services/chat/docs/swagger.json --
{"swagger": "2.0", "info": {"title": "chat", "version": "1.0"}, "basePath": "/api",
 "paths": {"/chat/users": {"get": {"responses": {"200": {"description": "ok"}}},
   "delete": {"responses": {"200": {"description": "ok"}}}}}}
-- services/match/docs/swagger.yaml --
swagger: "2.0"
info: {title: match, version: "1.0"}
paths:
  /match:
    get:
      responses:
        "200": {description: ok}
-- services/match/docs/swagger.json --
{"swagger": "2.0", "info": {"title": "match", "version": "1.0"},
 "paths": {"/match": {"post": {"responses": {"200": {"description": "ok"}}}}}}
`)
	var specs []string
	for _, s := range repo.OpenAPI {
		specs = append(specs, s.Path)
	}
	if got := strings.Join(specs, " "); got != "services/chat/docs/swagger.yaml services/match/docs/swagger.json services/match/docs/swagger.yaml" {
		t.Errorf("specs: %s", got)
	}
	reasons := map[string]string{}
	for _, s := range repo.Skipped {
		reasons[s.File] = s.Reason
	}
	if want := "the same OpenAPI document as services/chat/docs/swagger.yaml (a copy in another format)"; reasons["services/chat/docs/swagger.json"] != want {
		t.Errorf("swagger.json skipped as %q, want %q", reasons["services/chat/docs/swagger.json"], want)
	}
	for _, f := range repo.Files {
		if f.Path == "services/chat/docs/swagger.json" {
			t.Errorf("the skipped copy is among the analysed files")
		}
	}
}

// A compose service that only extends a service of another file is a
// service with nothing of its own, not an invalid null one: the file loads
// (compose-go would read the other file; decouple does not).
func TestComposeExtendsFileOnly(t *testing.T) {
	repo := loadTxtar(t, `
-- docker-compose.base.yaml --
services:
  redis:
    image: redis:7
  postgres:
    image: postgres:16
-- quickstart/docker-compose.yaml --
services:
  redis:
    extends:
      file: ../docker-compose.base.yaml
      service: redis
  postgres:
    extends: {file: ../docker-compose.base.yaml, service: postgres}
  api:
    build: ../api
    depends_on: [redis]
-- api/main.go --
package main
`)
	if len(repo.Problems) != 0 {
		t.Fatalf("problems: %+v", repo.Problems)
	}
	var names []string
	for _, w := range repo.Workloads {
		if strings.HasPrefix(w.Pos.File, "quickstart/") {
			names = append(names, w.Name)
		}
	}
	if got := strings.Join(names, " "); got != "redis postgres api" {
		t.Errorf("quickstart workloads: %s", got)
	}
}

// Cloud Build pushes each image its images: list names, and each push
// stands on that image's own line.
func TestCloudBuildImagePositions(t *testing.T) {
	repo := loadTxtar(t, `
-- cloudbuild.yaml --
steps:
  - name: gcr.io/cloud-builders/docker
    args: ['build', '-t', 'gcr.io/$PROJECT_ID/orders', 'services/orders']
images:
  - gcr.io/$PROJECT_ID/orders
  - gcr.io/$PROJECT_ID/billing
-- services/orders/main.go --
package main
-- services/billing/main.go --
package main
`)
	var got []string
	for _, j := range repo.Deploy.CIJobs {
		for _, st := range j.Steps {
			if st.Tool == "cloud-build" {
				for _, r := range st.Refs {
					got = append(got, fmt.Sprintf("%s:%d", r.Service, st.Pos.Line))
				}
			}
		}
	}
	if s := strings.Join(got, " "); s != "orders:5 billing:6" {
		t.Errorf("pushes: %s, want orders:5 billing:6", s)
	}
}

// TestEnvFilesMalformed: a .env file that does not parse is reported; a
// *.env of another name is some tool's script (bingo's variables.env)
// and is not.
func TestEnvFilesMalformed(t *testing.T) {
	repo := loadTxtar(t, `
-- go.mod --
module example.com/shop
-- services/api/main.go --
package main
-- services/api/.env --
GOBIN=${GOBIN:=$(go env GOBIN)}
-- services/api/tools/variables.env --
GOBIN=${GOBIN:=$(go env GOBIN)}
`)
	var files []string
	for _, p := range repo.Problems {
		files = append(files, p.Pos.File+": "+p.Message)
	}
	if len(files) != 1 || !strings.HasPrefix(files[0], "services/api/.env: malformed env file") {
		t.Errorf("problems: %q; want one, for services/api/.env", files)
	}
}

// TestComposeSchemaViolationsInFileOrder: of a compose file's several
// schema violations, the first in the file is reported, at its key, on
// every run (compose-go's pick follows map order). A file of services
// under another name with keys of another tool (erda's dice.yml) is no
// compose file and no error.
func TestComposeSchemaViolationsInFileOrder(t *testing.T) {
	const archive = `
-- compose.yaml --
services:
  web:
    image: web
    ports: ["8080"]
    resources: {cpu: 1}
    deployments: {replicas: 1}
    health_check: {http: {port: 80}}
  api:
    image: api
    envs: {A: b}
-- dice.yml --
version: "2.0"
envs:
  A: b
services:
  web:
    image: web
    resources: {cpu: 1}
addons:
  mysql: {plan: "mysql:small"}
`
	for range 12 {
		repo := loadTxtar(t, archive)
		if len(repo.Problems) != 1 {
			t.Fatalf("problems: %+v", repo.Problems)
		}
		p := repo.Problems[0]
		want := "invalid compose file: validating compose.yaml: services.web.resources is not a key of the compose schema"
		if p.Pos.File != "compose.yaml" || p.Pos.Line != 5 || p.Message != want {
			t.Fatalf("problem = %+v, want %q at line 5", p, want)
		}
	}
}
