package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/reports"
	"github.com/decouplehq/decouple/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const demo = "../../testdata/demo"

func noEnv(string) string { return "" }

// decouple runs the command in-process and returns its exit code and output.
func decouple(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb, noEnv)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, ".decouple.yaml", "version: 1\nunknown_key: true\n")
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string // a substring of stdout+stderr
	}{
		{"findings", []string{"check", demo}, 1, "API102 unversioned-proto-package"},
		{"fail-on none", []string{"check", "--fail-on", "none", demo}, 0, "API102"},
		{"report never fails by default", []string{"report", demo}, 0, "decouple report"},
		{"unknown flag", []string{"check", "--no-such-flag", demo}, 2, "unknown flag"},
		{"bad fail-on", []string{"check", "--fail-on", "sometimes", demo}, 2, "fail_on"},
		{"bad format", []string{"check", "--format", "yaml", demo}, 2, "unknown format"},
		{"bad go loader", []string{"check", "--go-loader", "guess", demo}, 2, "--go-loader: unknown Go loader"},
		{"packages go loader", []string{"check", "--go-loader", "packages", demo}, 1, "CODE101 cross-service-import"},
		{"two stdout formats", []string{"check", "-f", "text", "-f", "json", demo}, 2, "write to stdout"},
		{"missing path", []string{"check", filepath.Join(dir, "nope")}, 2, "not a directory"},
		{"unknown config key", []string{"check", dir}, 2, ".decouple.yaml:2: field unknown_key is not a config key"},
		{"unknown rule", []string{"explain", "NOPE999"}, 2, "no rule"},
		{"explain", []string{"explain", "unversioned-proto-package"}, 0, "PACKAGE_VERSION_SUFFIX"},
		{"rules", []string{"rules"}, 0, "unversioned-proto-package"},
		{"version", []string{"version"}, 0, "decouple devel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := decouple(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errs)
			}
			if !strings.Contains(out+errs, tc.out) {
				t.Errorf("output lacks %q\nstdout:\n%s\nstderr:\n%s", tc.out, out, errs)
			}
		})
	}
}

func TestBrokenRuleExits3(t *testing.T) {
	broken := &analyzer.Rule{ID: "API999", Name: "broken", Title: "always panics", Doc: "test rule",
		Severity: analyzer.Error, Default: true, Run: func(*analyzer.Pass) error { panic("boom") }}
	e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: noEnv,
		rules: func() []*analyzer.Rule { return append(rules.All(), broken) }}
	if code := runWith(e, []string{"check", "--format", "json", demo}); code != exitFailure {
		t.Fatalf("exit %d, want %d", code, exitFailure)
	}
	out := e.stdout.(*bytes.Buffer).String()
	if !strings.Contains(out, `"rule": "API999"`) || !strings.Contains(out, "panic: boom") {
		t.Errorf("the failure is not in the JSON errors:\n%s", out)
	}
	if !strings.Contains(out, `"rule": "API102"`) {
		t.Errorf("the other rules' findings are missing:\n%s", out)
	}
}

func TestServices(t *testing.T) {
	code, out, errs := decouple(t, "services", demo)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"5 services", "orders  orders", "found by: go.mod orders/go.mod",
		"found by: compose service payments in compose.yaml", "found by: kubernetes Deployment users in deploy/k8s/users.yaml",
		"shared (no service):", "libs/shopmodels"} {
		if !strings.Contains(out, want) {
			t.Errorf("services output lacks %q:\n%s", want, out)
		}
	}
}

// TestDemoJSONGolden is the end-to-end golden of the JSON protocol on the
// demo; -update rewrites it.
func TestDemoJSONGolden(t *testing.T) {
	_, got, errs := decouple(t, "report", "--format", "json", demo)
	golden := filepath.Join("..", "..", "testdata", "golden", "demo.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/decouple -update)", err)
	}
	if got != string(want) {
		t.Errorf("JSON differs from %s (stderr %s); run go test ./cmd/decouple -update and review the diff\n%s", golden, errs, got)
	}
}

// TestDeterminism runs every format on the demo and on a repository of
// every txtar hostile case, under GOMAXPROCS 1 and 8 and with the files created in
// opposite orders, and compares the bytes.
func TestDeterminism(t *testing.T) {
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	hostile, err := filepath.Glob(filepath.Join("..", "..", "testdata", "hostile", "*.txtar"))
	if err != nil || len(hostile) < 20 {
		t.Fatalf("hostile cases: %v %v", hostile, err)
	}
	var copies []string // every txtar hostile case in one repository, its files created in opposite orders
	for _, reverse := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "repo")
		for _, file := range hostile {
			name := strings.TrimSuffix(filepath.Base(file), ".txtar")
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for i := range ar.Files {
				f := ar.Files[i]
				if reverse {
					f = ar.Files[len(ar.Files)-1-i]
				}
				write(t, dir, name+"/"+f.Name, string(f.Data))
			}
		}
		copies = append(copies, dir)
	}
	for _, format := range reports.Formats() {
		for _, set := range [][]string{{demo, demo}, copies} {
			var outs []string
			for i, procs := range []int{1, 8, 8, 1} {
				runtime.GOMAXPROCS(procs)
				_, out, _ := decouple(t, "report", "--no-history", "--format", format, set[i%2])
				outs = append(outs, out)
			}
			for i := 1; i < len(outs); i++ {
				if outs[i] != outs[0] {
					t.Errorf("%s output of %s differs between runs (GOMAXPROCS 1 vs 8, file creation order)", format, set[0])
					break
				}
			}
		}
	}
}

func TestOutputFileAndSymlink(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "report.json")
	if code, _, errs := decouple(t, "report", "--format", "json="+dest, demo); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(dest)
	if err != nil || !bytes.HasPrefix(data, []byte("{\n  \"version\": 1,")) {
		t.Fatalf("report file: %v %.40q", err, data)
	}
	target := filepath.Join(dir, "target")
	write(t, dir, "target", "keep")
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	code, _, errs := decouple(t, "report", "--format", "json", "--output", link, demo)
	if code != exitFailure || !strings.Contains(errs, "symbolic link") {
		t.Errorf("exit %d, stderr %q: want a refusal to write through the link", code, errs)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the link target was overwritten: %q", b)
	}
}

func TestColor(t *testing.T) {
	code, out, _ := decouple(t, "check", "--color", "always", demo)
	if code != 1 || !strings.Contains(out, "\x1b[") {
		t.Errorf("--color always: no ANSI codes in %q", out)
	}
	_, out, _ = decouple(t, "check", "--color", "always", "--format", "json", demo)
	if strings.Contains(out, "\x1b[") {
		t.Errorf("JSON has ANSI codes")
	}
	var buf bytes.Buffer
	run([]string{"check", demo}, &buf, &bytes.Buffer{}, func(k string) string {
		return map[string]string{"NO_COLOR": "1"}[k]
	})
	if strings.Contains(buf.String(), "\x1b[") {
		t.Errorf("NO_COLOR ignored")
	}
	if code, _, _ := decouple(t, "check", "--color", "sometimes", demo); code != exitUsage {
		t.Errorf("bad --color: exit %d", code)
	}
}

func TestMalformedProtoStillReportsOthers(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "services/orders/orders.proto", "syntax = \"proto3\";\npackage shop.orders;\nservice Orders {\n  rpc Get(Req) returns (Resp)\n}\n")
	write(t, dir, "services/users/users.proto", "syntax = \"proto3\";\npackage shop.users;\nservice Users { rpc Get(Req) returns (Resp); }\nmessage Req {}\nmessage Resp {}\n")
	code, out, _ := decouple(t, "check", dir)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{"services/orders/orders.proto:5:1: error: malformed proto", "(LOAD001 unreadable-input)",
		"services/users/users.proto:2:1: error: proto package \"shop.users\""} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func write(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTimeoutWritesPartialReport(t *testing.T) {
	code, out, errs := decouple(t, "check", "--timeout", "1ns", "--format", "json", demo)
	if code != exitFailure {
		t.Errorf("exit %d, want %d (%s)", code, exitFailure, errs)
	}
	if !strings.Contains(out, `"errors": [`) || !strings.Contains(out, "deadline reached") || !strings.Contains(errs, "incomplete") {
		t.Errorf("no partial report:\n%s\n%s", out, errs)
	}
}
