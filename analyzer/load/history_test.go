package load_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/analyzer/load"
	"github.com/decouplehq/decouple/analyzer/load/gittest"
)

// buildRepo runs a gittest script and loads the result.
func buildRepo(t *testing.T, script string, ho load.HistoryOptions) *facts.Repo {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	if err := gittest.Build(txtar.Parse([]byte(script)), dir); err != nil {
		t.Fatal(err)
	}
	opts := load.DefaultOptions()
	opts.History = ho
	repo, err := load.Repo(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

// fourServices lays out services a, b, c, d.
const fourServices = `
-- @commit layout --
-- services/a/main.go --
package main
-- services/b/main.go --
package main
-- services/c/main.go --
package main
-- services/d/main.go --
package main
`

func touch(subject string, files ...string) string {
	var b strings.Builder
	b.WriteString("-- @commit " + subject + " --\n")
	for _, f := range files {
		b.WriteString("-- " + f + " --\n// " + subject + "\n")
	}
	return b.String()
}

func coChange(repo *facts.Repo, a, b string) (facts.CoChange, bool) {
	for _, c := range repo.History.CoChanges() {
		if c.A == a && c.B == b {
			return c, true
		}
	}
	return facts.CoChange{}, false
}

func TestHistoryCoChange(t *testing.T) {
	s := fourServices
	for i := range 6 {
		s += touch("ab change "+string(rune('0'+i)), "services/a/h.go", "services/b/h.go")
	}
	s += touch("a alone 1", "services/a/x.go") + touch("a alone 2", "services/a/y.go")
	s += touch("c alone", "services/c/x.go") + touch("d alone", "services/d/x.go")
	s += touch("bump deps", "services/a/go.sum", "services/b/go.sum", "services/c/go.sum", "services/d/go.sum")
	repo := buildRepo(t, s, load.HistoryOptions{})
	h := repo.History
	if h.State != facts.HistoryAnalysed {
		t.Fatalf("state %q (%s), want analysed", h.State, h.Detail)
	}
	if len(h.Commits) != 12 {
		t.Errorf("read %d commits, want 12", len(h.Commits))
	}
	if h.RepoWide != 2 {
		t.Errorf("repo-wide changes = %d, want 2 (the layout and the bump)", h.RepoWide)
	}
	if c := h.Commits[0]; c.Subject != "bump deps" || !c.RepoWide || c.Chore != "dependencies" {
		t.Errorf("newest commit = %+v, want the repo-wide dependency bump", c)
	}
	if h.Chores != 1 {
		t.Errorf("chores = %d, want 1", h.Chores)
	}
	ab, ok := coChange(repo, "a", "b")
	if !ok {
		t.Fatal("no co-change for a and b")
	}
	if ab.Shared != 6 || ab.ChangesA != 8 || ab.ChangesB != 6 || len(ab.Examples) != 3 {
		t.Errorf("a/b co-change = %+v, want shared 6, changes 8 and 6, three examples", ab)
	}
	if _, ok := coChange(repo, "c", "d"); ok {
		t.Error("c and d never changed together but have a co-change")
	}
	for _, c := range h.Commits {
		if len(c.Short) != 8 || !strings.HasPrefix(c.Hash, c.Short) || c.Author != "dev@example.com" {
			t.Errorf("commit %+v: bad short hash or author", c)
		}
	}
}

func TestHistoryRename(t *testing.T) {
	s := fourServices + `
-- @commit old handler with b --
-- legacy/handler.go --
package legacy
-- services/b/x.go --
package main
-- @commit move handler into a --
rename: legacy/handler.go -> services/a/handler.go
`
	repo := buildRepo(t, s, load.HistoryOptions{})
	h := repo.History
	var got []string
	for _, c := range h.Commits {
		if c.Subject == "old handler with b" {
			got = c.Services
		}
	}
	if !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("services of the commit before the rename = %v, want [a b] (legacy/handler.go is now services/a)", got)
	}
}

func TestHistoryPullRequestChanges(t *testing.T) {
	s := fourServices + `
-- @branch feature --
` + touch("feature part a", "services/a/f.go") + touch("feature part b", "services/b/f.go") + `
-- @checkout main --
` + touch("hotfix c", "services/c/f.go") + `
-- @merge feature --
subject: Merge pull request #7 from feature
`
	for _, tc := range []struct {
		logical string
		changes int
		ab      bool
	}{
		{load.LogicalCommit, 4, false},
		{load.LogicalPullRequest, 3, true},
		{load.LogicalAuthorDay, 1, false}, // every commit is one author's, one day: repo-wide
	} {
		t.Run(tc.logical, func(t *testing.T) {
			repo := buildRepo(t, s, load.HistoryOptions{Logical: tc.logical})
			h := repo.History
			if len(h.Commits) != 4 || len(h.Changes) != tc.changes {
				t.Fatalf("%d commits, %d changes; want 4 and %d", len(h.Commits), len(h.Changes), tc.changes)
			}
			_, ab := coChange(repo, "a", "b")
			if ab != tc.ab {
				t.Errorf("a/b co-change %v, want %v", ab, tc.ab)
			}
		})
	}
}

func TestHistoryWindow(t *testing.T) {
	s := fourServices + `
-- @commit old --
date: 2020-01-01T00:00:00Z
-- services/a/old.go --
package main
` + `-- @commit recent 1 --
date: 2024-06-01T00:00:00Z
-- services/a/r1.go --
package main
-- @commit recent 2 --
date: 2024-06-02T00:00:00Z
-- services/a/r2.go --
package main
-- @commit recent 3 --
date: 2024-06-03T00:00:00Z
-- services/b/r3.go --
package main
`
	repo := buildRepo(t, s, load.HistoryOptions{})
	if n := len(repo.History.Commits); n != 3 || repo.History.Truncated {
		t.Errorf("12-month window read %d commits (truncated %v), want 3", n, repo.History.Truncated)
	}
	if got := repo.History.Since.Format("2006-01-02"); got != "2024-06-01" {
		t.Errorf("window starts %s, want 2024-06-01", got)
	}
	repo = buildRepo(t, s, load.HistoryOptions{MaxCommits: 2})
	if n := len(repo.History.Commits); n != 2 || !repo.History.Truncated {
		t.Errorf("capped at 2: read %d commits (truncated %v)", n, repo.History.Truncated)
	}
	repo = buildRepo(t, s, load.HistoryOptions{Months: 120})
	if n := len(repo.History.Commits); n != 5 {
		t.Errorf("10-year window read %d commits, want 5", n)
	}
}

func TestHistoryUnavailable(t *testing.T) {
	shallow := fourServices + touch("one", "services/a/x.go") + touch("two", "services/b/x.go") + "-- @shallow 1 --\n"
	if h := buildRepo(t, shallow, load.HistoryOptions{}).History; h.State != facts.HistoryShallow || len(h.Commits) != 0 {
		t.Errorf("shallow clone: state %q with %d commits, want shallow and none", h.State, len(h.Commits))
	}
	if h := buildRepo(t, fourServices, load.HistoryOptions{Git: "/nonexistent/git"}).History; h.State != facts.HistoryNoGit {
		t.Errorf("missing git: state %q, want no-git", h.State)
	}
	if h := buildRepo(t, fourServices, load.HistoryOptions{Disabled: true}).History; h.State != facts.HistoryDisabled {
		t.Errorf("disabled: state %q", h.State)
	}
	// A directory inside a work tree is not its top: history is not read.
	dir := filepath.Join(t.TempDir(), "repo")
	if err := gittest.Build(txtar.Parse([]byte(fourServices)), dir); err != nil {
		t.Fatal(err)
	}
	repo, err := load.Repo(context.Background(), filepath.Join(dir, "services"), load.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if repo.History.State != facts.HistoryNotRepo {
		t.Errorf("subdirectory: state %q, want not-a-repo", repo.History.State)
	}
	repo, err = load.Repo(context.Background(), t.TempDir(), load.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if repo.History.State != facts.HistoryNotRepo {
		t.Errorf("plain directory: state %q, want not-a-repo", repo.History.State)
	}
}

// TestHistoryPartialClone: in a blobless partial clone, git log cannot
// compare the old blobs rename detection needs (decouple never fetches);
// the history is read without following renames instead of failing.
func TestHistoryPartialClone(t *testing.T) {
	s := fourServices + touch("one", "services/a/x.go", "services/b/x.go") + touch("two", "services/a/y.go", "services/b/y.go") +
		touch("three", "services/a/z.go", "services/b/z.go") + `
-- @commit grow --
-- services/a/big.go --
package main

// a file long enough that a rename with an edit is still detected
var table = []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
-- @commit rename with edit --
rename: services/a/big.go -> services/a/table.go
-- services/a/table.go --
package main

// a file long enough that a rename with an edit is still detected
var table = []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"}
`
	root := t.TempDir()
	src := filepath.Join(root, "src")
	if err := gittest.Build(txtar.Parse([]byte(s)), src); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(root, "clone")
	for _, args := range [][]string{
		{"-C", src, "config", "uploadpack.allowFilter", "true"},
		{"-c", "protocol.file.allow=always", "clone", "-q", "--filter=blob:none", "--no-local", "file://" + src, dst},
	} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	repo, err := load.Repo(context.Background(), dst, load.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if repo.History.State != facts.HistoryAnalysed {
		t.Fatalf("history %s: %s", repo.History.State, repo.History.Detail)
	}
	if c, ok := coChange(repo, "a", "b"); !ok || c.Shared < 3 {
		t.Errorf("co-change a, b = %+v, %v; want at least 3 commits together", c, ok)
	}
}

// TestHistoryBaseImageBumps: commits touching only Dockerfiles (a base
// image or digest bump across services) are dependency chores, not
// co-change; a commit changing code beside a Dockerfile is a change.
func TestHistoryBaseImageBumps(t *testing.T) {
	s := fourServices
	for i := range 6 {
		s += touch("bump base images "+string(rune('0'+i)), "services/a/Dockerfile", "services/b/api.Dockerfile")
	}
	s += touch("feature", "services/a/Dockerfile", "services/b/h.go")
	repo := buildRepo(t, s, load.HistoryOptions{})
	h := repo.History
	if h.Chores != 6 {
		t.Errorf("chores = %d, want 6", h.Chores)
	}
	if ab, ok := coChange(repo, "a", "b"); ok && ab.Shared != 1 {
		t.Errorf("a/b co-change = %+v, want only the feature commit shared", ab)
	}
}

// TestHistoryRepoWideFolderless: services known only from a manifest,
// with no folder, are never touched by a commit and do not count towards
// "most services": a commit touching three of four services with folders
// is repo-wide, whatever the number of folderless ones.
func TestHistoryRepoWideFolderless(t *testing.T) {
	s := fourServices + "-- @commit manifests --\n"
	for _, n := range []string{"e", "f", "g", "h"} {
		s += "-- k8s/" + n + ".yaml --\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + n + "}\nspec:\n  template:\n    spec:\n      containers:\n        - {name: " + n + ", image: \"acme/" + n + ":1\"}\n"
	}
	s += touch("sweep", "services/a/x.go", "services/b/x.go", "services/c/x.go")
	repo := buildRepo(t, s, load.HistoryOptions{})
	if n := len(repo.Services); n != 8 {
		t.Fatalf("%d services, want 8 (four folderless)", n)
	}
	for _, c := range repo.History.Commits {
		if c.Subject == "sweep" && !c.RepoWide {
			t.Errorf("commit touching 3 of the 4 services with folders is not repo-wide: %+v", c)
		}
	}
}
