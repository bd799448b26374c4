package load_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/analyzer/load"
	"github.com/decouplehq/decouple/rules/ruletest"
)

// codeFixtures holds the txtar fixtures of the CODE rules.
const codeFixtures = "../../rules/code/testdata"

// TestLoadersAgree loads every fixture of the CODE rules with the go/parser
// loader and with the go/packages loader and asserts the same packages and
// the same intra-repo import graph, that the go command really ran on every
// module, and that no file of the fixture changed.
func TestLoadersAgree(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join(codeFixtures, "*", "*.txtar"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, c := range cases {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(c), filepath.ToSlash(codeFixtures)+"/"), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(c)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := ruletest.Extract(ar, dir); err != nil {
				t.Fatal(err)
			}
			before := hashTree(t, dir)
			fast := loadWith(t, dir, load.GoLoaderParser)
			precise := loadWith(t, dir, load.GoLoaderPackages)
			if after := hashTree(t, dir); after != before {
				t.Fatalf("loading changed the fixture's files")
			}
			if a, b := importGraph(fast), importGraph(precise); a != b {
				t.Errorf("import graphs differ\nparser:\n%s\npackages:\n%s", a, b)
			}
			for _, m := range precise.GoModules {
				if m.Loader != load.GoLoaderPackages {
					t.Errorf("module %s was not read by the go command: %s", m.Dir, m.Note)
				}
			}
		})
	}
}

func loadWith(t *testing.T, dir, loader string) *facts.Repo {
	t.Helper()
	opts := load.DefaultOptions()
	opts.GoLoader = loader
	repo, err := load.Repo(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

// importGraph renders the packages and their intra-repo imports.
func importGraph(r *facts.Repo) string {
	var lines []string
	for _, p := range r.GoPackages {
		lines = append(lines, fmt.Sprintf("package %s %s %s %s %v", p.Dir, p.ImportPath, p.Name, p.Service, p.Files))
		for _, imp := range p.Imports {
			if imp.Dir != "" {
				lines = append(lines, fmt.Sprintf("  %s:%d:%d -> %s test=%v", imp.Pos.File, imp.Pos.Line, imp.Pos.Col, imp.Dir, imp.Test))
			}
		}
	}
	for _, e := range r.CodeEdges {
		lines = append(lines, fmt.Sprintf("edge %s %s->%s %s %s:%d", e.Kind, e.From, e.To, e.Target, e.Evidence.File, e.Evidence.Line))
	}
	return strings.Join(lines, "\n")
}

// hashTree hashes every file's path and content below dir.
func hashTree(t *testing.T, dir string) string {
	t.Helper()
	var names []string
	sums := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		names = append(names, p)
		sums[p] = sha256.Sum256(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		s := sums[n]
		fmt.Fprintf(h, "%s\x00%x\n", n, s)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}
