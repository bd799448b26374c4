package load_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/analyzer/load"
)

func loadArchive(t *testing.T, archive string) *facts.Repo {
	t.Helper()
	dir := t.TempDir()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := mkfile(p, f.Data); err != nil {
			t.Fatal(err)
		}
	}
	opts := load.DefaultOptions()
	opts.History.Disabled = true
	repo, err := load.Repo(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

const deployRepo = `
-- services/orders/main.go --
package main
-- services/billing/main.go --
package main
-- .github/workflows/ship.yml --
on: push
jobs:
  build:
    strategy:
      matrix:
        svc: [orders, billing]
    runs-on: ubuntu-latest
    steps:
      - run: docker build -t ghcr.io/acme/${{ matrix.svc }}:1 services/${{ matrix.svc }}
  deploy-orders:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: kubectl apply -f k8s/orders.yaml
  deploy-billing:
    needs: [deploy-orders]
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo deploying
          helm upgrade --install billing charts/billing
-- k8s/orders.yaml --
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
-- compose.yaml --
services:
  orders:
    build: ./services/orders
    image: acme/orders:${TAG}
    depends_on: [billing, postgres]
  billing:
    build: ./services/billing
    image: acme/billing:${TAG}
  postgres:
    image: postgres:16
`

func TestDeployFacts(t *testing.T) {
	repo := loadArchive(t, deployRepo)
	d := repo.Deploy
	if len(d.CIJobs) != 3 {
		t.Fatalf("%d CI jobs, want 3", len(d.CIJobs))
	}
	build := d.CIJobs[0]
	if build.Name != "build" || build.Verb != facts.VerbBuild || len(build.Matrix) != 1 || build.Matrix[0].Name != "svc" {
		t.Errorf("build job = %+v", build)
	}
	if got := build.LegServices(facts.VerbBuild); !reflect.DeepEqual(got, map[string][]string{"svc=orders": {"orders"}, "svc=billing": {"billing"}}) {
		t.Errorf("build legs = %v", got)
	}
	billing := d.CIJobs[2]
	if billing.Name != "deploy-billing" || len(billing.Steps) != 1 || billing.Steps[0].Pos.Line != 21 || billing.Steps[0].Tool != "helm" {
		t.Errorf("deploy-billing = %+v", billing)
	}
	if len(billing.Needs) != 1 || billing.Needs[0].Job != "deploy-orders" || billing.Needs[0].Pos.Line != 16 {
		t.Errorf("deploy-billing needs = %+v", billing.Needs)
	}
	var kinds []string
	for _, e := range d.Edges {
		kinds = append(kinds, e.Kind+":"+e.From+">"+e.To)
	}
	want := []string{"deploy-order:billing>orders", "startup-order:orders>billing"}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("edges = %v, want %v", kinds, want)
	}
	var waits []string
	for _, w := range d.Waits {
		waits = append(waits, w.From+">"+w.Target+":"+w.To)
	}
	if !reflect.DeepEqual(waits, []string{"orders>billing:billing", "orders>postgres:"}) {
		t.Errorf("waits = %v", waits)
	}
	if len(d.ImageTags) != 2 || d.ImageTags[0].Var != "TAG" || d.ImageTags[1].Var != "TAG" {
		t.Errorf("image tags = %+v", d.ImageTags)
	}
}

func TestDeployFactsDeterministic(t *testing.T) {
	a, b := loadArchive(t, deployRepo), loadArchive(t, deployRepo)
	if !reflect.DeepEqual(a.Deploy, b.Deploy) {
		t.Error("two loads of the same repository gave different deploy facts")
	}
}

func mkfile(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}
