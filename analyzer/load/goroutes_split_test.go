package load

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/cmd/decouple-synth/synth"
	"golang.org/x/tools/txtar"
)

// routesBothWays resolves the routes of dir by components and with one
// resolver over every package.
func routesBothWays(t *testing.T, dir string) (split, one []*facts.GoRoute, ok bool) {
	t.Helper()
	l := prepared(t, dir)
	ctx := context.Background()
	fset, inputs, parsed := l.parseRouteFiles(ctx)
	if len(inputs) == 0 {
		t.Fatalf("no route files in %s", dir)
	}
	split, ok = l.resolveRoutes(ctx, fset, l.goPackages(ctx, inputs, parsed))
	one = newRouteResolver(fset, l.goPackages(ctx, inputs, parsed)).run()
	return split, one, ok
}

func dumpRoutes(rs []*facts.GoRoute) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "%s:%d:%d %s %s %s %v\n", r.Pos.File, r.Pos.Line, r.Pos.Col, r.Router, r.Method, r.Path, r.Resolved)
	}
	return b.String()
}

func checkSplit(t *testing.T, dir string) []*facts.GoRoute {
	t.Helper()
	split, one, ok := routesBothWays(t, dir)
	if !ok {
		t.Fatalf("the split gave up")
	}
	if !reflect.DeepEqual(split, one) {
		t.Fatalf("routes by components:\n%s\nwith one resolver:\n%s", dumpRoutes(split), dumpRoutes(one))
	}
	return one
}

// TestRouteSplitFixtures resolves the route fixtures of the rules, each
// under a directory of its own in one repository (their modules' paths
// collide), both ways.
func TestRouteSplitFixtures(t *testing.T) {
	files := map[string]string{"go.mod": "module example.com/all\n"}
	for _, dir := range []string{"../../rules/api/testdata/unversioned-go-route", "../../rules/api/testdata/twin"} {
		archives, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
		if err != nil || len(archives) == 0 {
			t.Fatalf("fixtures in %s: %v", dir, err)
		}
		for _, a := range archives {
			ar, err := txtar.ParseFile(a)
			if err != nil {
				t.Fatal(err)
			}
			prefix := strings.TrimSuffix(filepath.Base(dir)+"-"+filepath.Base(a), ".txtar")
			for _, f := range ar.Files {
				files[prefix+"/"+f.Name] = string(f.Data)
			}
		}
	}
	if got := checkSplit(t, writeRepo(t, t.TempDir(), files)); len(got) < 20 {
		t.Errorf("%d routes", len(got))
	}
}

// TestRouteSplitDefaultMux spreads registrations on, mounts of and mounts
// under net/http's DefaultServeMux over packages that do not import one
// another.
func TestRouteSplitDefaultMux(t *testing.T) {
	files := map[string]string{
		"go.mod": "module example.com/m\n",
		"a/main.go": `package main

import "net/http"

func main() {
	http.HandleFunc("GET /a", nil)
	http.ListenAndServe(":1", nil)
}
`,
		"b/b.go": `package b

import "net/http"

func init() {
	sub := http.NewServeMux()
	sub.HandleFunc("/x", nil)
	http.Handle("/b/", http.StripPrefix("/b", sub))
}
`,
		"c/c.go": `package c

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

func Serve() {
	r := chi.NewRouter()
	r.Get("/c", nil)
	r.Mount("/legacy", http.DefaultServeMux)
	http.Handle("/r/", r)
	http.ListenAndServe(":2", r)
}
`,
		"d/d.go": `package d

import "net/http"

var srv = &http.Server{Handler: http.StripPrefix("/d", http.DefaultServeMux)}

func Mux() *http.ServeMux {
	m := http.NewServeMux()
	m.Handle("/inner/", http.DefaultServeMux)
	m.HandleFunc("/m", nil)
	http.Handle("/m/", m)
	return m
}
`,
		"e/e.go": `package e

import (
	"net/http"

	"example.com/m/f"
)

func Routes(mux *http.ServeMux) {
	f.Register(mux)
	http.HandleFunc("/e", nil)
}
`,
		"f/f.go": `package f

import "net/http"

func Register(mux *http.ServeMux) { mux.HandleFunc("/f", nil) }
`,
	}
	got := checkSplit(t, writeRepo(t, t.TempDir(), files))
	if len(got) != 9 {
		t.Errorf("routes:\n%s", dumpRoutes(got))
	}
}

// TestRouteSplitBudget has two components whose inlined calls together
// overrun the budget one resolver spends (the first spends it all, the
// second's registration is then never inlined): the split must give up,
// and the load must report what one resolver finds.
func TestRouteSplitBudget(t *testing.T) {
	files := map[string]string{"go.mod": "module example.com/m\n"}
	for svc, calls := range map[string]int{"a": inlineBudget, "b": 1} {
		var body strings.Builder
		fmt.Fprintf(&body, "package main\n\nimport \"net/http\"\n\nfunc reg(m *http.ServeMux) { m.HandleFunc(\"/%s\", nil) }\n\nfunc main() {\n\tm := http.NewServeMux()\n", svc)
		for range calls {
			body.WriteString("\treg(m)\n")
		}
		body.WriteString("\thttp.ListenAndServe(\":1\", m)\n}\n")
		files[svc+"/main.go"] = body.String()
	}
	dir := writeRepo(t, t.TempDir(), files)
	_, one, ok := routesBothWays(t, dir)
	if ok {
		t.Fatalf("the split did not give up")
	}
	if len(one) != 1 {
		t.Errorf("one resolver found, budget spent:\n%s", dumpRoutes(one))
	}
	// The load also gives each route its service (a/ and b/ are services);
	// the resolver alone leaves that to it.
	var got []*facts.GoRoute
	for _, r := range loadDir(t, dir).GoRoutes {
		c := *r
		c.Service = ""
		got = append(got, &c)
	}
	if !reflect.DeepEqual(got, one) {
		t.Errorf("routes:\n%s\nwith one resolver:\n%s", dumpRoutes(got), dumpRoutes(one))
	}
}

// TestRouteSplitSynth compares both ways on a generated repository: the
// one DECOUPLE_SYNTH_DIR names, else a small one generated here.
func TestRouteSplitSynth(t *testing.T) {
	dir := os.Getenv("DECOUPLE_SYNTH_DIR")
	if dir == "" {
		dir = filepath.Join(t.TempDir(), "repo")
		if _, err := synth.Generate(dir, synth.Options{Services: 40, Seed: 3}); err != nil {
			t.Fatal(err)
		}
	}
	if routes := checkSplit(t, dir); len(routes) == 0 {
		t.Fatal("no routes in the generated repository")
	}
}
