package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

// The hostile-input suite: every case builds a repository that a pull
// request could contain, runs decouple on it in a child process with a
// deadline (so a fatal crash fails one case, not the suite), and checks the
// promises of the README: no panic, no network, nothing read or written
// outside the repository and the output path, every input accounted for,
// a LOAD finding naming the bad file, and the documented exit code.
//
// Cases are the txtar archives under testdata/hostile (their headers hold
// the expectations) and the generated ones in hostileCases (what txtar
// cannot hold: links, FIFOs, sparse files, huge or binary content).

// hostileCase is one generated case.
type hostileCase struct {
	name string
	// build writes the repository into dir; outside is a directory beside
	// it whose files must never be read; addr is a loopback listener that
	// must never be contacted.
	build func(t *testing.T, dir, outside, addr string)
	expect
}

// expect is what a case must produce.
type expect struct {
	exit    []int    // allowed exit codes
	load    []string // files that must have a LOAD finding
	secrets []string // strings that must appear in no output
	budget  time.Duration
	// sentinel, when set, is a file the repository tries to make decouple
	// create (through git config, hooks, go:generate...); it must not exist
	// after the run. "{{sentinel}}" in build is replaced by its path.
	sentinel bool
}

func TestMain(m *testing.M) {
	if args := os.Getenv("DECOUPLE_TEST_CHILD"); args != "" {
		os.Exit(run(strings.Split(args, "\x1f"), os.Stdout, os.Stderr, os.Getenv))
	}
	os.Exit(m.Run())
}

const secret = "SECRET-OUTSIDE-4f1c"

func TestHostileInputs(t *testing.T) {
	cases := append(append(generatedCases(), gitCases()...), txtarCases(t)...)
	if len(cases) < 30 {
		t.Fatalf("only %d hostile cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runHostile(t, c)
		})
	}
}

func runHostile(t *testing.T, c hostileCase) {
	base := t.TempDir()
	dir, outside := filepath.Join(base, "repo"), filepath.Join(base, "outside")
	for _, d := range []string{dir, outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	put(t, outside, "secret.yaml", "openapi: 3.0.0\ninfo: {title: "+secret+", version: '1'}\npaths: {/"+secret+": {}}\n")
	put(t, outside, "secret.proto", "syntax = \"proto3\";\npackage "+strings.ToLower(strings.ReplaceAll(secret, "-", "_"))+";\nservice S { rpc A(R) returns (R); }\nmessage R {}\n")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var contacted atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			contacted.Add(1)
			conn.Close()
		}
	}()
	defer ln.Close()
	sentinelPath := filepath.Join(outside, "sentinel")
	c.build(t, dir, outside, ln.Addr().String())

	reportPath := filepath.Join(base, "out", "report.json")
	if err := os.MkdirAll(filepath.Dir(reportPath), 0o755); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, base)
	budget := c.budget
	if budget == 0 {
		budget = 20 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "DECOUPLE_TEST_CHILD="+strings.Join([]string{"check", "--format", "text",
		"--format", "json=" + reportPath, "--timeout", budget.String(), dir}, "\x1f"),
		"HTTP_PROXY=http://"+ln.Addr().String(), "HTTPS_PROXY=http://"+ln.Addr().String(), "CANARY="+secret)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	elapsed := time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("did not finish within %s", budget)
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	out := stdout.String() + stderr.String()
	if strings.Contains(out, "goroutine ") || strings.Contains(out, "fatal error:") || strings.Contains(stderr.String(), "panic:") {
		t.Fatalf("crashed (exit %d):\n%s", code, out)
	}
	if !containsInt(c.exit, code) {
		t.Errorf("exit %d, want one of %v\n%s", code, c.exit, out)
	}
	if _, err := os.Stat(sentinelPath); err == nil {
		t.Errorf("the repository made decouple run code: %s exists", sentinelPath)
	}
	if n := contacted.Load(); n > 0 {
		t.Errorf("the network was touched: %d connections to the loopback listener", n)
	}
	report, err := os.ReadFile(reportPath)
	if code == exitUsage {
		report = nil // a usage or config error stops before any report
	} else if err != nil {
		t.Fatalf("no JSON report: %v\n%s", err, out)
	}
	for _, s := range append([]string{secret, strings.ToLower(strings.ReplaceAll(secret, "-", "_"))}, c.secrets...) {
		if strings.Contains(out, s) || bytes.Contains(report, []byte(s)) {
			t.Errorf("%q leaked into the output", s)
		}
	}
	if report != nil {
		checkReport(t, report, c.load)
	}
	after := snapshot(t, base)
	delete(after, "out/report.json")
	delete(after, "out")
	delete(before, "out")
	if diff := diffSnapshots(before, after); diff != "" {
		t.Errorf("files changed outside the output path:\n%s", diff)
	}
	t.Logf("exit %d in %s", code, elapsed.Round(time.Millisecond))
}

// checkReport validates the JSON report: valid UTF-8 JSON, the accounting
// invariant, and a LOAD finding for every file that must have one.
func checkReport(t *testing.T, report []byte, load []string) {
	t.Helper()
	var r struct {
		Findings []struct {
			Rule, File, Message string
		}
		Stats struct {
			FilesSeen     int                             `json:"files_seen"`
			FilesAnalyzed int                             `json:"files_analyzed"`
			FilesSkipped  []struct{ File, Reason string } `json:"files_skipped"`
		}
	}
	if err := json.Unmarshal(report, &r); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	if r.Stats.FilesSeen != r.Stats.FilesAnalyzed+len(r.Stats.FilesSkipped) {
		t.Errorf("files_seen %d != files_analyzed %d + skipped %d", r.Stats.FilesSeen, r.Stats.FilesAnalyzed, len(r.Stats.FilesSkipped))
	}
	for _, want := range load {
		found := false
		for _, f := range r.Findings {
			if strings.HasPrefix(f.Rule, "LOAD") && f.File == want {
				found = true
			}
		}
		if !found {
			t.Errorf("no LOAD finding for %s; findings: %+v", want, r.Findings)
		}
	}
}

// snapshot records every file below dir (name, size, mode) without
// following links.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = fmt.Sprintf("%d %v %d", info.Size(), info.Mode(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func diffSnapshots(a, b map[string]string) string {
	var lines []string
	for k, v := range a {
		if b[k] != v {
			lines = append(lines, "changed or removed: "+k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			lines = append(lines, "created: "+k)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func put(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func containsInt(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

// txtarCases reads testdata/hostile/*.txtar. Header lines:
//
//	exit 0 1        allowed exit codes (default 0 1)
//	load path       a LOAD finding must name path
//	secret text     text that must appear in no output
//
// "{{addr}}" in a file is replaced by the loopback listener's address.
func txtarCases(t *testing.T) []hostileCase {
	files, err := filepath.Glob("../../testdata/hostile/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	var cases []hostileCase
	for _, f := range files {
		ar, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c := hostileCase{name: strings.TrimSuffix(filepath.Base(f), ".txtar")}
		c.exit = []int{0, 1}
		for _, line := range strings.Split(string(ar.Comment), "\n") {
			fields := strings.Fields(line)
			if len(fields) < 2 {
				continue
			}
			switch fields[0] {
			case "exit":
				c.exit = nil
				for _, x := range fields[1:] {
					n, err := strconv.Atoi(x)
					if err != nil {
						t.Fatalf("%s: bad exit line %q", f, line)
					}
					c.exit = append(c.exit, n)
				}
			case "load":
				c.load = append(c.load, fields[1])
			case "secret":
				c.secrets = append(c.secrets, strings.Join(fields[1:], " "))
			}
		}
		c.build = func(t *testing.T, dir, _, addr string) {
			for _, file := range ar.Files {
				put(t, dir, file.Name, strings.ReplaceAll(string(file.Data), "{{addr}}", addr))
			}
		}
		cases = append(cases, c)
	}
	return cases
}

// ok is the usual expectation: a clean or failing check, nothing else.
var ok = expect{exit: []int{0, 1}}

func loads(files ...string) expect { return expect{exit: []int{1}, load: files} }

func generatedCases() []hostileCase {
	validProto := "syntax = \"proto3\";\npackage shop.v1;\nservice S { rpc A(R) returns (R); }\nmessage R {}\n"
	return []hostileCase{
		{"symlink-loop", func(t *testing.T, dir, _, _ string) {
			put(t, dir, "svc/a.proto", validProto)
			must(t, os.Symlink("b", filepath.Join(dir, "svc/a")))
			must(t, os.Symlink("a", filepath.Join(dir, "svc/b")))
		}, ok},
		{"symlink-to-parent-dir", func(t *testing.T, dir, _, _ string) {
			put(t, dir, "svc/a.proto", validProto)
			must(t, os.Symlink("..", filepath.Join(dir, "svc/up")))
		}, ok},
		{"symlink-to-root", func(t *testing.T, dir, _, _ string) {
			must(t, os.Symlink("/", filepath.Join(dir, "ext")))
		}, ok},
		{"symlinked-spec-outside", func(t *testing.T, dir, outside, _ string) {
			must(t, os.MkdirAll(filepath.Join(dir, "svc"), 0o755))
			must(t, os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(dir, "svc/openapi.yaml")))
			must(t, os.Symlink(filepath.Join(outside, "secret.proto"), filepath.Join(dir, "svc/api.proto")))
		}, ok},
		{"symlink-to-proc-environ", func(t *testing.T, dir, _, _ string) {
			must(t, os.MkdirAll(filepath.Join(dir, "svc"), 0o755))
			must(t, os.Symlink("/proc/self/environ", filepath.Join(dir, "svc/env.yaml")))
		}, ok},
		{"symlink-to-dev-zero", func(t *testing.T, dir, _, _ string) {
			must(t, os.MkdirAll(filepath.Join(dir, "proto"), 0o755))
			must(t, os.Symlink("/dev/zero", filepath.Join(dir, "proto/a.proto")))
		}, ok},
		{"fifo-named-openapi", func(t *testing.T, dir, _, _ string) {
			must(t, os.MkdirAll(filepath.Join(dir, "services"), 0o755))
			must(t, mkfifo(filepath.Join(dir, "services/openapi.yaml")))
		}, expect{exit: []int{0}, budget: 10 * time.Second}},
		{"sparse-10GiB-spec", func(t *testing.T, dir, _, _ string) {
			put(t, dir, "api.json", "")
			must(t, os.Truncate(filepath.Join(dir, "api.json"), 10<<30))
		}, ok},
		{"50MB-proto", func(t *testing.T, dir, _, _ string) {
			put(t, dir, "svc/big.proto", "syntax = \"proto3\";\n"+strings.Repeat("// filler line of a very large proto file\n", 50<<20/42))
		}, ok},
		{"binary-named-proto", func(t *testing.T, dir, _, _ string) {
			put(t, dir, "svc/service.proto", "\x00\xff\xfe binary")
		}, expect{exit: []int{0}}},
		{"binary-named-openapi", func(t *testing.T, dir, _, _ string) {
			put(t, dir, "svc/openapi.yaml", "\x89PNG\r\n\x1a\n\x00\x00")
		}, expect{exit: []int{0}}},
		{"invalid-utf8-file-names", func(t *testing.T, dir, _, _ string) {
			put(t, dir, "svc\xff/a.proto", "syntax = \"proto3\";\npackage a;\nservice S { rpc A(R) returns (R); }\nmessage R {}\n")
			put(t, dir, "svc\xfe/a.proto", "syntax = \"proto3\";\npackage b;\nservice S { rpc A(R) returns (R); }\nmessage R {}\n")
		}, ok},
		{"control-chars-in-file-name", func(t *testing.T, dir, _, _ string) {
			put(t, dir, "svc/a\r::stop-commands::t0k\r.proto", "syntax = \"proto3\";\npackage a;\nservice S { rpc A(R) returns (R); }\nmessage R {}\n")
			put(t, dir, "svc/\x1b[2J\x1b]8;;http://x\x07.proto", "syntax = \"proto3\";\npackage b;\nservice S { rpc A(R) returns (R); }\nmessage R {}\n")
		}, expect{exit: []int{1}, secrets: []string{"\r::stop-commands", "\x1b[2J"}}},
		{"100000-empty-files", func(t *testing.T, dir, _, _ string) {
			for i := range 100 {
				d := filepath.Join(dir, fmt.Sprintf("d%03d", i))
				must(t, os.MkdirAll(d, 0o755))
				for j := range 1000 {
					must(t, os.WriteFile(filepath.Join(d, fmt.Sprintf("f%04d.yaml", j)), nil, 0o644))
				}
			}
		}, expect{exit: []int{0}, budget: 60 * time.Second}},
		{"200-deep-directories", func(t *testing.T, dir, _, _ string) {
			p := dir
			for range 200 {
				p = filepath.Join(p, "d")
			}
			put(t, p, "a.proto", validProto)
		}, ok},
		{"node-modules-flood", func(t *testing.T, dir, _, _ string) {
			for i := range 2000 {
				put(t, dir, fmt.Sprintf("node_modules/p%d/openapi.yaml", i), "not: [valid")
			}
		}, expect{exit: []int{0}}},
		{"proto-100000-deep", func(t *testing.T, dir, _, _ string) {
			put(t, dir, "svc/deep.proto", "syntax = \"proto3\";\n"+strings.Repeat("message M {\n", 100000)+strings.Repeat("}\n", 100000))
		}, loads("svc/deep.proto")},
		{"proto-4000-rpcs-with-comments", func(t *testing.T, dir, _, _ string) {
			var b strings.Builder
			b.WriteString("syntax = \"proto3\";\npackage big.v1;\nservice Big {\n")
			for i := range 4000 {
				fmt.Fprintf(&b, "  // rpc number %d does things\n  rpc M%d(R) returns (R);\n", i, i)
			}
			b.WriteString("}\nmessage R {}\n")
			put(t, dir, "svc/big.proto", b.String())
		}, expect{exit: []int{0}, budget: 20 * time.Second}},
		{"proto-unterminated-default", func(t *testing.T, dir, _, _ string) {
			put(t, dir, "svc/a.proto", "syntax = \"proto3\";\nmessage A { string s = 1 [default = \""+strings.Repeat("x", 1<<20))
		}, loads("svc/a.proto")},
		{"proto-unterminated-comments", func(t *testing.T, dir, _, _ string) {
			put(t, dir, "svc/a.proto", "syntax = \"proto3\";\n"+strings.Repeat("/*", 100000))
		}, ok},
		{"yaml-10000-deep", func(t *testing.T, dir, _, _ string) {
			put(t, dir, "k8s/deploy.yaml", "a: "+strings.Repeat("[", 10000)+strings.Repeat("]", 10000)+"\n")
		}, loads("k8s/deploy.yaml")},
		{"yaml-10000-documents", func(t *testing.T, dir, _, _ string) {
			put(t, dir, "k8s/many.yaml", strings.Repeat("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n", 10000))
		}, expect{exit: []int{0}}},
		{"config-alias-bomb", func(t *testing.T, dir, _, _ string) {
			put(t, dir, ".decouple.yaml", aliasBomb("version: 1\nx-bomb: ")+"\n")
		}, expect{exit: []int{2}}},
	}
}

// hostileGit runs git in dir for a test's setup, with a fixed identity and dates.
func hostileGit(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "init.defaultBranch=main", "-c", "core.fsmonitor=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_AUTHOR_DATE=2026-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2026-01-02T03:04:05Z")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func gitCases() []hostileCase {
	proto := "syntax = \"proto3\";\npackage shop.v1;\nservice S { rpc A(R) returns (R); }\nmessage R {}\n"
	commitAll := func(t *testing.T, dir, msg string) {
		hostileGit(t, dir, "add", "-A")
		hostileGit(t, dir, "commit", "-q", "--no-verify", "-m", msg)
	}
	return []hostileCase{
		{"git-config-runs-commands", func(t *testing.T, dir, outside, _ string) {
			hostileGit(t, dir, "init", "-q")
			put(t, dir, "svc/a/a.proto", proto)
			commitAll(t, dir, "one")
			sentinel := filepath.Join(outside, "sentinel")
			hook := filepath.Join(dir, ".git", "hooks", "post-checkout")
			put(t, filepath.Dir(hook), "post-checkout", "#!/bin/sh\ntouch "+sentinel+"\n")
			must(t, os.Chmod(hook, 0o755))
			hostileGit(t, dir, "config", "core.fsmonitor", "touch "+sentinel)
			hostileGit(t, dir, "config", "core.hooksPath", filepath.Dir(hook))
			hostileGit(t, dir, "config", "core.pager", "touch "+sentinel)
			hostileGit(t, dir, "config", "diff.external", "touch "+sentinel)
		}, expect{exit: []int{0, 1}, sentinel: true}},
		{"git-empty-repository", func(t *testing.T, dir, _, _ string) {
			hostileGit(t, dir, "init", "-q")
		}, expect{exit: []int{0}}},
		{"git-shallow-clone", func(t *testing.T, dir, outside, _ string) {
			src := filepath.Join(outside, "src")
			must(t, os.MkdirAll(src, 0o755))
			hostileGit(t, src, "init", "-q")
			for i := range 3 {
				put(t, src, fmt.Sprintf("svc/a/f%d.proto", i), proto)
				put(t, src, fmt.Sprintf("svc/b/f%d.proto", i), proto)
				commitAll(t, src, fmt.Sprintf("change %d", i))
			}
			must(t, os.Remove(dir))
			hostileGit(t, outside, "clone", "-q", "--depth=1", "file://"+src, dir)
		}, expect{exit: []int{0, 1}}},
		{"git-hostile-authors-and-messages", func(t *testing.T, dir, _, _ string) {
			hostileGit(t, dir, "init", "-q")
			for i := range 6 {
				put(t, dir, fmt.Sprintf("services/a/f%d.proto", i), proto)
				put(t, dir, fmt.Sprintf("services/b/f%d.proto", i), proto)
				hostileGit(t, dir, "add", "-A")
				hostileGit(t, dir, "-c", "user.name=evil\r::error::x\x1b[31m", "commit", "-q", "--no-verify",
					"--author", "a\x1b]8;;http://x\x07 <a@example.com>", "-m", fmt.Sprintf("fix \r::error file=x::forged %d \xff", i))
			}
		}, expect{exit: []int{0, 1}, secrets: []string{"\r::error", "\x1b]8", "\x1b[31m"}}},
	}
}

// aliasBomb returns a billion-laughs YAML block after prefix.
func aliasBomb(prefix string) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := range 9 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	return prefix + "\n" + indent(b.String(), "  ")
}

func indent(s, pre string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i := range lines {
		lines[i] = pre + lines[i]
	}
	return strings.Join(lines, "\n")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
