package load_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer/config"
	"github.com/decouplehq/decouple/analyzer/load"
	"github.com/decouplehq/decouple/rules/ruletest"
)

// TestDiscover checks service discovery on every layout in
// testdata/discover. Each archive's header lists the expected services:
//
//	service NAME ROOT "reason" ... [dirs=a,b]
//
// and nothing else may be discovered.
func TestDiscover(t *testing.T) {
	cases, _ := filepath.Glob("testdata/discover/*.txtar")
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(c), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(c)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := ruletest.Extract(ar, dir); err != nil {
				t.Fatal(err)
			}
			opts := load.DefaultOptions()
			if p, _ := config.Find(dir); p != "" {
				cfg, err := config.Load(p)
				if err != nil {
					t.Fatal(err)
				}
				if err := cfg.ApplyLoad(&opts, dir); err != nil {
					t.Fatal(err)
				}
			}
			repo, err := load.Repo(context.Background(), dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			var want, got []string
			for _, line := range strings.Split(string(ar.Comment), "\n") {
				if strings.HasPrefix(line, "service ") {
					want = append(want, normalize(t, line))
				}
			}
			for _, s := range repo.Services {
				var b strings.Builder
				b.WriteString("service " + s.Name + " " + strconv.Quote(s.Root))
				for _, r := range s.DiscoveredBy {
					b.WriteString(" " + strconv.Quote(r))
				}
				if len(s.Dirs) > 1 {
					b.WriteString(" dirs=" + strings.Join(s.Dirs, ","))
				}
				got = append(got, b.String())
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("discovered:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// normalize quotes the root of a header line the way the test prints it.
func normalize(t *testing.T, line string) string {
	f := strings.SplitN(line, " ", 4)
	if len(f) < 3 {
		t.Fatalf("bad header line %q", line)
	}
	root := strings.Trim(f[2], `"`)
	out := "service " + f[1] + " " + strconv.Quote(root)
	if len(f) == 4 {
		out += " " + f[3]
	}
	return out
}

// TestContractOwners: specs and protos in a shared folder belong to the
// service their file name names; others stay shared.
func TestContractOwners(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/discover/shared-contracts.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := ruletest.Extract(ar, dir); err != nil {
		t.Fatal(err)
	}
	repo, err := load.Repo(context.Background(), dir, load.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range repo.OpenAPI {
		got[s.Path] = s.Service
	}
	for _, p := range repo.Protos {
		got[p.Path] = p.Service
	}
	for _, f := range repo.Files {
		if want, ok := got[f.Path]; ok && f.Service != want {
			t.Errorf("file %s attributed to %q, its facts to %q", f.Path, f.Service, want)
		}
	}
	for p, want := range map[string]string{"api/openapi/trainer.yml": "trainer", "api/openapi/shared.yml": "", "api/protobuf/users.proto": "users",
		"api/openapi/orderservice/swagger.yaml": "orderservice", "api/protobuf/orderservice/orders.proto": "orderservice",
		"pkg/trainer/trainer.proto": "", "pkg/users/users.proto": "users"} {
		if got[p] != want {
			t.Errorf("%s belongs to %q, want %q", p, got[p], want)
		}
	}
}
