package api_test

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/rules/api"
	"github.com/decouplehq/decouple/rules/load"
	"github.com/decouplehq/decouple/rules/ruletest"
)

// TestRemoteRefsNeverFetched loads a spec whose $refs name a loopback
// listener and a file outside the repository: neither is read, each is a
// LOAD001 finding at its $ref, and the spec's own operations are still
// checked with what the repository holds.
func TestRemoteRefsNeverFetched(t *testing.T) {
	var hits atomic.Int32
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		t.Errorf("the loader contacted %s", r.URL)
		_, _ = w.Write([]byte("Param: {name: API-Version, in: header, required: true}\n"))
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)

	data, err := os.ReadFile(filepath.Join("testdata", "confinement", "remote-refs.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	ar := txtar.Parse([]byte(strings.ReplaceAll(string(data), "{{PORT}}", port)))
	// The repository is two levels below the directory the outside file
	// lands in, so ../../outside.yaml from api/ resolves to it.
	repo := filepath.Join(t.TempDir(), "a", "repo")
	if err := ruletest.Extract(ar, repo); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(repo, "..", "..", "outside.yaml")); err != nil {
		t.Fatalf("outside file not in place: %v", err)
	}
	ruletest.Check(t, analyze(t, repo, api.UnversionedOpenAPI, load.UnreadableInput), wants(t, ar))
	if n := hits.Load(); n != 0 {
		t.Errorf("listener contacted %d times", n)
	}
}

// TestIgnoreWithoutReason checks that an x-decouple-ignore entry without a
// reason reaches the driver, which reports it and suppresses nothing.
func TestIgnoreWithoutReason(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "unversioned-openapi", "suppressed.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := ruletest.Extract(ar, dir); err != nil {
		t.Fatal(err)
	}
	var invalid, api101, unused int
	for _, f := range analyze(t, dir, api.UnversionedOpenAPI, analyzer.InvalidSuppression, analyzer.UnusedSuppression) {
		switch f.RuleID {
		case "LOAD003":
			invalid++
			if f.Pos.File != "services/mixed/openapi.yaml" || f.Pos.Line != 17 {
				t.Errorf("LOAD003 at %s:%d, want services/mixed/openapi.yaml:17", f.Pos.File, f.Pos.Line)
			}
		case "API101":
			api101++
		case "LOAD002":
			unused++
		}
	}
	if invalid != 1 || api101 != 1 || unused != 0 {
		t.Errorf("got %d LOAD003, %d API101, %d LOAD002; want 1, 1, 0", invalid, api101, unused)
	}
}

func analyze(t *testing.T, dir string, rules ...*analyzer.Rule) []analyzer.Finding {
	t.Helper()
	repo, pol := ruletest.LoadDir(t, dir)
	pol.Use = nil
	for _, r := range rules {
		pol.Use = append(pol.Use, r.ID)
	}
	res, err := analyzer.Run(repo, rules, pol)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Failures {
		t.Errorf("rule %s failed: %s", f.RuleID, f.Message)
	}
	return res.Findings
}

// wants reads the inline expectations (one quoted regexp after "# want" or
// "// want") of the files inside the repository.
func wants(t *testing.T, ar *txtar.Archive) []*ruletest.Want {
	t.Helper()
	var out []*ruletest.Want
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "../") {
			continue
		}
		for i, line := range strings.Split(string(f.Data), "\n") {
			_, after, ok := strings.Cut(line, "# want ")
			if !ok {
				if _, after, ok = strings.Cut(line, "// want "); !ok {
					continue
				}
			}
			re, err := strconv.Unquote(strings.TrimSpace(after))
			if err != nil {
				t.Fatalf("%s:%d: bad want: %v", f.Name, i+1, err)
			}
			out = append(out, &ruletest.Want{File: f.Name, Line: i + 1, Re: regexpMust(t, re)})
		}
	}
	return out
}

func regexpMust(t *testing.T, s string) *regexp.Regexp {
	t.Helper()
	re, err := regexp.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return re
}
