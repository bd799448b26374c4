package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/load"
	"github.com/decouplehq/decouple/cmd/decouple-synth/synth"
	"github.com/decouplehq/decouple/rules"
)

const testServices = 12

// generate runs the command as a user would and reads back what it wrote.
func generate(t *testing.T, dir string, extra ...string) *synth.Expected {
	t.Helper()
	var out, errb bytes.Buffer
	args := append([]string{"-n", "12", "-seed", "42", "-out", dir}, extra...)
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("decouple-synth %v: exit %d: %s", args, code, errb.String())
	}
	exp, err := synth.ReadExpected(dir + ".expected.json")
	if err != nil {
		t.Fatal(err)
	}
	return exp
}

// TestDeterministic generates the same repository twice and compares every
// byte of the work trees, the commit the history ends on and the
// expectations.
func TestDeterministic(t *testing.T) {
	base := t.TempDir()
	a, b := filepath.Join(base, "a"), filepath.Join(base, "b")
	ea, eb := generate(t, a), generate(t, b)
	ta, tb := tree(t, a), tree(t, b)
	if len(ta) != len(tb) {
		t.Fatalf("file counts differ: %d and %d", len(ta), len(tb))
	}
	for p, data := range ta {
		if !bytes.Equal(data, tb[p]) {
			t.Errorf("%s differs between two runs with one seed", p)
		}
	}
	if ha, hb := gitOut(t, a, "rev-parse", "HEAD"), gitOut(t, b, "rev-parse", "HEAD"); ha != hb {
		t.Errorf("HEAD differs: %s and %s", ha, hb)
	}
	ja, _ := os.ReadFile(a + ".expected.json")
	jb, _ := os.ReadFile(b + ".expected.json")
	if !bytes.Equal(ja, jb) {
		t.Error("expected.json differs between two runs with one seed")
	}
	if ea.TotalFiles() != len(ta) {
		t.Errorf("expected.json counts %d files, the tree has %d", ea.TotalFiles(), len(ta))
	}
	if n := gitOut(t, a, "rev-list", "--count", "HEAD"); n != "241" {
		t.Errorf("history has %s commits, want 241 (the initial one and 20×N)", n)
	}
	if st := gitOut(t, a, "status", "--porcelain"); st != "" {
		t.Errorf("work tree is not clean after generation:\n%s", st)
	}
	if len(eb.Findings) == 0 {
		t.Error("nothing planted")
	}
	c := generate(t, filepath.Join(base, "c"), "-seed", "43")
	if len(c.Findings) == len(ea.Findings) && sameKeys(c.Findings, ea.Findings) {
		t.Error("another seed planted the same findings")
	}
}

func sameKeys(a, b []synth.Finding) bool {
	for i := range a {
		if a[i].Key() != b[i].Key() {
			return false
		}
	}
	return true
}

// TestPlantedFindings runs the real pipeline over a generated repository
// and compares its findings with expected.json for every planted rule that
// the rule set has; the others are skipped by ID, so the test tightens as
// rules land.
func TestPlantedFindings(t *testing.T) {
	for _, layout := range []string{synth.LayoutPackages, synth.LayoutModules} {
		t.Run(layout, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "repo")
			exp := generate(t, dir, "-layout", layout)
			repo, err := load.Repo(context.Background(), dir, load.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if len(repo.Services) != testServices {
				t.Errorf("discovered %d services, want %d", len(repo.Services), testServices)
			}
			for _, p := range repo.Problems {
				t.Errorf("load problem: %s:%d: %s", p.Pos.File, p.Pos.Line, p.Message)
			}
			all := rules.All()
			res, err := analyzer.Run(repo, all, analyzer.Policy{Use: []string{"all"}, Presets: rules.Presets()})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range res.Failures {
				t.Errorf("rule %s failed: %s", f.RuleID, f.Message)
			}
			have := map[string]bool{}
			for _, r := range all {
				have[r.ID] = true
			}
			checked := 0
			for _, id := range exp.Rules {
				if !have[id] {
					continue
				}
				checked++
				compare(t, id, wantKeys(exp, id), gotKeys(res, id))
			}
			t.Logf("compared planted and reported findings of %d rules", checked)
			if checked == 0 {
				t.Fatal("no planted rule is in rules.All()")
			}
			for _, f := range res.Findings {
				if strings.HasPrefix(f.RuleID, "LOAD") {
					t.Errorf("unexpected %s: %s: %s", f.RuleID, f.Pos.File, f.Message)
				}
			}
		})
	}
}

func wantKeys(e *synth.Expected, id string) map[string]bool {
	out := map[string]bool{}
	for _, f := range e.Findings {
		if f.Rule == id {
			out[f.Key()] = true
		}
	}
	return out
}

func gotKeys(res *analyzer.Result, id string) map[string]bool {
	out := map[string]bool{}
	for _, f := range res.Findings {
		if f.RuleID == id {
			svcs := append([]string(nil), f.Services...)
			sort.Strings(svcs)
			out[synth.Finding{Rule: id, Services: svcs}.Key()] = true
		}
	}
	return out
}

func compare(t *testing.T, id string, want, got map[string]bool) {
	t.Helper()
	for k := range want {
		if !got[k] {
			t.Errorf("%s: planted but not reported: %s", id, k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("%s: reported but not planted: %s", id, k)
		}
	}
}

// TestGeneratedCodeBuilds compiles the Go code of a small repository in both
// layouts with the go command, offline: it must build with the standard
// library alone, so that type-checking peers and --go-loader=packages can
// run on it.
func TestGeneratedCodeBuilds(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("the go command is needed to build the generated code")
	}
	for _, layout := range []string{synth.LayoutPackages, synth.LayoutModules} {
		t.Run(layout, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := synth.Generate(dir, synth.Options{Services: 4, Seed: 3, Layout: layout}); err != nil {
				t.Fatal(err)
			}
			pkgs := []string{"./..."}
			if layout == synth.LayoutModules {
				pkgs = []string{}
				for i := 1; i <= 4; i++ {
					pkgs = append(pkgs, "example.com/synth/services/svc000"+string(rune('0'+i))+"/...")
				}
			}
			cmd := exec.Command("go", append([]string{"vet"}, pkgs...)...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOPROXY=off", "GOFLAGS=")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go vet of the generated code: %v\n%s", err, out)
			}
		})
	}
}

func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = data
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}
