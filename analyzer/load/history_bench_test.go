package load

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// genHistory writes a repository of n commits over services services with
// git fast-import: each commit changes one to three files in one or two
// services, a minute apart. The work tree is checked out at the end.
func genHistory(tb testing.TB, dir string, commits, services int) {
	tb.Helper()
	run := func(stdin []byte, args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if stdin != nil {
			cmd.Stdin = bytes.NewReader(stdin)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("git %v: %v: %s", args, err, out)
		}
	}
	run(nil, "init", "-q", "-b", "main")
	rng := rand.New(rand.NewSource(1))
	var b bytes.Buffer
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	data := func(s string) { fmt.Fprintf(&b, "data %d\n%s\n", len(s), s) }
	for i := 1; i <= commits; i++ {
		ts := start + int64(i)*60
		fmt.Fprintf(&b, "commit refs/heads/main\nmark :%d\n", i)
		fmt.Fprintf(&b, "author Dev%d <dev%d@example.com> %d +0000\n", i%17, i%17, ts)
		fmt.Fprintf(&b, "committer Dev%d <dev%d@example.com> %d +0000\n", i%17, i%17, ts)
		data(fmt.Sprintf("change %d", i))
		if i > 1 {
			fmt.Fprintf(&b, "from :%d\n", i-1)
		}
		if i == 1 {
			for s := 0; s < services; s++ {
				fmt.Fprintf(&b, "M 100644 inline services/s%03d/main.go\n", s)
				data("package main\n")
			}
			continue
		}
		s1 := rng.Intn(services)
		for f := 0; f < 1+rng.Intn(3); f++ {
			s := s1
			if f == 1 && rng.Intn(2) == 0 {
				s = rng.Intn(services)
			}
			fmt.Fprintf(&b, "M 100644 inline services/s%03d/f%d.go\n", s, rng.Intn(20))
			data(fmt.Sprintf("package main // %d\n", i))
		}
	}
	run(b.Bytes(), "fast-import", "--quiet")
	run(nil, "checkout", "-q", "-f", "main")
}

// BenchmarkHistory reads the whole history of a generated repository of
// 10,000 commits and 100 services, and times plain
// "git log --name-only" over the same commits for the ratio.
//
//	go test ./analyzer/load -run '^$' -bench History -benchtime 5x
func BenchmarkHistory(b *testing.B) {
	const commits, services = 10000, 100
	dir := filepath.Join(b.TempDir(), "repo")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	genHistory(b, dir, commits, services)
	opts := DefaultOptions()
	opts.History.Disabled = true
	repo, err := Repo(context.Background(), dir, opts)
	if err != nil {
		b.Fatal(err)
	}
	if len(repo.Services) != services {
		b.Fatalf("discovered %d services, want %d", len(repo.Services), services)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()
	hopts := HistoryOptions{MaxCommits: commits, Months: 120}

	var ours, plain []time.Duration
	for b.Loop() {
		repo.History = facts.History{}
		l := &loader{root: root, opts: &Options{History: hopts}, repo: repo}
		t0 := time.Now()
		l.readHistory(context.Background())
		ours = append(ours, time.Since(t0))
		if n := len(repo.History.Commits); n != commits {
			b.Fatalf("read %d commits (%s: %s), want %d", n, repo.History.State, repo.History.Detail, commits)
		}
		t0 = time.Now()
		cmd := exec.Command("git", "log", "--name-only", "--format=%H", "-n", fmt.Sprint(commits))
		cmd.Dir = dir
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		plain = append(plain, time.Since(t0))
	}
	mo, mp := median(ours), median(plain)
	b.ReportMetric(float64(commits)/mo.Seconds(), "commits/s")
	b.ReportMetric(mo.Seconds()*1000, "ms/history")
	b.ReportMetric(mp.Seconds()*1000, "ms/git-log")
	b.ReportMetric(mo.Seconds()/mp.Seconds(), "ratio")
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
