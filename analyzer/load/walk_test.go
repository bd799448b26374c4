package load_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/analyzer/load"
)

// readPaths returns the paths of the files a load read, in its order.
func readPaths(repo *facts.Repo) []string {
	var out []string
	for _, f := range repo.Files {
		out = append(out, f.Path)
	}
	return out
}

// skipReasons maps each skipped file or folder to its reason.
func skipReasons(repo *facts.Repo) map[string]string {
	out := map[string]string{}
	for _, s := range repo.Skipped {
		out[s.File] = s.Reason
	}
	return out
}

func writeFile(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

const proto = "syntax = \"proto3\";\npackage x.v1;\nservice S { rpc A(R) returns (R); }\nmessage R {}\n"

func TestWalkAccountsForEveryFile(t *testing.T) {
	outside := t.TempDir()
	writeFile(t, outside, "secret.proto", proto)
	dir := t.TempDir()
	writeFile(t, dir, "services/a/a.proto", proto)
	writeFile(t, dir, "services/a/README.md", "# a\n")
	writeFile(t, dir, "vendor/x/x.proto", proto)
	writeFile(t, dir, "node_modules/y/openapi.yaml", "openapi: 3.0.0\n")
	writeFile(t, dir, ".gitignore", "build/\n*.gen.proto\n")
	writeFile(t, dir, "build/out.proto", proto)
	writeFile(t, dir, "services/a/b.gen.proto", proto)
	writeFile(t, dir, "services/a/blob.proto", "syntax\x00binary")
	writeFile(t, dir, "big.yaml", strings.Repeat("a: b\n", 100))
	writeFile(t, dir, ".git/config", "[core]\n")
	writeFile(t, dir, "web/tsconfig.app.json", "/* see https://angular.io/config/tsconfig */\n{\n  \"a\": 1, // trailing\n}\n")
	writeFile(t, dir, ".vscode/settings.json", "{\n  // editor settings\n}\n")
	writeFile(t, dir, "web/app/babel.config.json", "{\n  // presets\n  \"presets\": [],\n}\n")
	writeFile(t, dir, "sdks/ts/typedoc.json", "{\n  // entry points\n  \"entryPoints\": [\"src\"]\n}\n")
	// Examples and test suites: a demo compose file, a mock server, a test proto.
	writeFile(t, dir, "example/demo/docker-compose.yaml", "services:\n  vulture:\n    image: v\n    depends_on: [a]\n")
	writeFile(t, dir, "services/a/test/server.go", "package test\n\nimport \"net/http\"\n\nfunc Serve() { http.HandleFunc(\"/oauth/token\", nil) }\n")
	writeFile(t, dir, "tests/e2e/x.proto", proto)
	writeFile(t, dir, "examples/hello/hello.proto", proto)
	writeFile(t, dir, "e2e-test/cmd/probe/main.go", "package main\n\nfunc main() {}\n")
	writeFile(t, dir, "services/a/integration_tests/x.proto", proto)
	if err := os.Symlink(filepath.Join(outside, "secret.proto"), filepath.Join(dir, "services/a/escape.proto")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "linkdir")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "services/a/openapi.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := load.DefaultOptions()
	opts.MaxFileSize = 200
	repo, err := load.Repo(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	reasons := skipReasons(repo)
	for file, want := range map[string]string{
		"vendor/":                       "skipped directory (vendor)",
		"node_modules/":                 "skipped directory (node_modules)",
		"example/":                      "skipped directory (example)",
		"examples/":                     "skipped directory (examples)",
		"services/a/test/":              "skipped directory (test)",
		"tests/":                        "skipped directory (tests)",
		"e2e-test/":                     "skipped directory (e2e-test)",
		"services/a/integration_tests/": "skipped directory (integration_tests)",
		"build/":                        "ignored by .gitignore",
		"services/a/b.gen.proto":        "ignored by .gitignore",
		"services/a/blob.proto":         "binary content",
		"big.yaml":                      "larger than the 200-byte limit",
		".git/":                         "git metadata",
		"services/a/escape.proto":       "symbolic link (not followed)",
		"linkdir":                       "symbolic link (not followed)",
		"services/a/openapi.yaml":       "not a regular file",
		"services/a/README.md":          "not an input decouple reads",
		".gitignore":                    "not an input decouple reads",
		"web/tsconfig.app.json":         "JSON with comments (compiler or editor settings), not an input decouple reads",
		".vscode/settings.json":         "JSON with comments (compiler or editor settings), not an input decouple reads",
		"web/app/babel.config.json":     "JSON with comments (compiler or editor settings), not an input decouple reads",
		"sdks/ts/typedoc.json":          "JSON with comments (compiler or editor settings), not an input decouple reads",
	} {
		if reasons[file] != want {
			t.Errorf("%s: skipped as %q, want %q", file, reasons[file], want)
		}
	}
	if len(repo.Files) != 1 || repo.Files[0].Path != "services/a/a.proto" || repo.Files[0].Service != "a" {
		t.Errorf("analysed files: %+v", repo.Files)
	}
	if len(repo.Problems) != 0 {
		t.Errorf("problems: %+v", repo.Problems)
	}
	if repo.FilesSeen != len(repo.Files)+len(repo.Skipped) {
		t.Errorf("files_seen %d != %d analysed + %d skipped", repo.FilesSeen, len(repo.Files), len(repo.Skipped))
	}
	if len(repo.Protos) != 1 {
		t.Errorf("protos read: %d (the escaping link must not be followed)", len(repo.Protos))
	}
}

func TestProtoFacts(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "services/shop/shop.proto", `syntax = "proto3";
// A comment with "quotes" and { braces }
package shop.v1;

import "google/api/annotations.proto";
import public "shop/v1/types.proto";

/* block
   comment */
service Shop {
  rpc Buy(BuyRequest) returns (stream BuyResponse);
}
message BuyRequest {}
enum Kind { KIND_UNSPECIFIED = 0; }
`)
	repo, err := load.Repo(context.Background(), dir, load.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(repo.Protos) != 1 || len(repo.Problems) != 0 {
		t.Fatalf("protos %d, problems %+v", len(repo.Protos), repo.Problems)
	}
	p := repo.Protos[0]
	at := func(line, col int) facts.Position {
		return facts.Position{File: "services/shop/shop.proto", Line: line, Col: col}
	}
	if p.Package != "shop.v1" || p.PackagePos != at(3, 1) || p.Service != "shop" {
		t.Errorf("package %q at %+v of %q", p.Package, p.PackagePos, p.Service)
	}
	if len(p.Imports) != 2 || p.Imports[1].Path != "shop/v1/types.proto" || p.Imports[1].Pos.Line != 6 {
		t.Errorf("imports %+v", p.Imports)
	}
	if len(p.Services) != 1 || p.Services[0].Pos != at(10, 1) || len(p.Services[0].RPCs) != 1 ||
		p.Services[0].RPCs[0].RequestType != "BuyRequest" || p.Services[0].RPCs[0].Pos.Line != 11 {
		t.Errorf("services %+v", p.Services)
	}
	if len(p.Messages) != 2 || p.Messages[1].Name != "Kind" {
		t.Errorf("messages %+v", p.Messages)
	}
}

func TestHostileProtos(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a/semi.proto", "syntax = \"proto3\";\nimport \"a.proto\";;\n")
	writeFile(t, dir, "a/deep.proto", "syntax = \"proto3\";\n"+strings.Repeat("message M {\n", 5000)+strings.Repeat("}\n", 5000))
	writeFile(t, dir, "a/ok.proto", proto)
	repo, err := load.Repo(context.Background(), dir, load.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range repo.Problems {
		got[p.Pos.File] = p.Message
	}
	if !strings.Contains(got["a/deep.proto"], "nesting deeper than") {
		t.Errorf("deep proto: %q", got["a/deep.proto"])
	}
	// ";;" is an empty statement, valid proto: it must parse without a panic.
	if got["a/semi.proto"] != "" {
		t.Errorf("a proto with ';;': %q", got["a/semi.proto"])
	}
	var files []string
	for _, p := range repo.Protos {
		files = append(files, p.Path)
	}
	if strings.Join(files, " ") != "a/ok.proto a/semi.proto" || len(repo.Protos[1].Imports) != 1 {
		t.Errorf("protos parsed: %v", files)
	}
}

func TestSuppressionDirectives(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a/a.proto", "syntax = \"proto3\";\n// decouple:ignore API102,LOAD001 legacy contract\npackage a;\n")
	writeFile(t, dir, "a/k8s.yaml", "kind: X # decouple:ignore DATA101\nname: \"decouple:ignore not a comment\"\n")
	repo, err := load.Repo(context.Background(), dir, load.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range repo.Suppressions {
		got = append(got, s.Pos.File+":"+s.Rule+":"+s.Reason)
	}
	want := "a/a.proto:API102:legacy contract a/a.proto:LOAD001:legacy contract a/k8s.yaml:DATA101:"
	if strings.Join(got, " ") != want {
		t.Errorf("suppressions %q, want %q", strings.Join(got, " "), want)
	}
}

// docs/ is read: swag and similar generators write a service's OpenAPI
// spec there. Only examples and test suites are skipped.
func TestWalkReadsDocs(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "services/a/docs/swagger.yaml", "swagger: \"2.0\"\ninfo: {title: a, version: \"1\"}\npaths:\n  /users:\n    get:\n      responses:\n        \"200\": {description: ok}\n")
	writeFile(t, dir, "services/a/test/swagger.yaml", "swagger: \"2.0\"\ninfo: {title: mock, version: \"1\"}\npaths: {}\n")
	repo, err := load.Repo(context.Background(), dir, load.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(repo.OpenAPI) != 1 || repo.OpenAPI[0].Path != "services/a/docs/swagger.yaml" {
		t.Fatalf("specs read: %+v, want services/a/docs/swagger.yaml alone", repo.OpenAPI)
	}
}

// Include takes directories back from the default skip list: examples/shop
// is read, the rest of examples/ is not; a glob (**/fixtures-test) works
// too.
func TestWalkInclude(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "examples/shop/openapi.yaml", "openapi: 3.0.3\ninfo: {title: shop, version: \"1\"}\npaths: {}\n")
	writeFile(t, dir, "examples/other/openapi.yaml", "openapi: 3.0.3\ninfo: {title: other, version: \"1\"}\npaths: {}\n")
	writeFile(t, dir, "examples/compose.yaml", "services:\n  a:\n    image: a\n")
	writeFile(t, dir, "services/a/test/openapi.yaml", "openapi: 3.0.3\ninfo: {title: a, version: \"1\"}\npaths: {}\n")
	opts := load.DefaultOptions()
	opts.Include = []string{"examples/shop", "**/test"}
	repo, err := load.Repo(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	read := readPaths(repo)
	if got := strings.Join(read, " "); got != "examples/shop/openapi.yaml services/a/test/openapi.yaml" {
		t.Errorf("read: %s", got)
	}
	reasons := skipReasons(repo)
	for _, f := range []string{"examples/other/", "examples/compose.yaml"} {
		if reasons[f] != "skipped directory (examples)" {
			t.Errorf("%s skipped as %q", f, reasons[f])
		}
	}
}

// TestWalkTrackedIgnored: git ignores only untracked files, and so does
// the walk: a file added with git add -f under an ignored folder is read,
// the untracked files beside it stay skipped.
func TestWalkTrackedIgnored(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, ".gitignore", "deploy\n*.local.yaml\n")
	writeFile(t, dir, "deploy/compose.yaml", "services:\n  orders:\n    build: ../orders\n")
	writeFile(t, dir, "deploy/scratch.yaml", "a: 1\n")
	writeFile(t, dir, "orders/dev.local.yaml", "a: 1\n")
	writeFile(t, dir, "orders/main.go", "package main\n")
	for _, args := range [][]string{
		{"init", "-q"},
		{"add", "-f", ".gitignore", "deploy/compose.yaml", "orders/main.go"},
		{"-c", "user.email=dev@example.com", "-c", "user.name=dev", "commit", "-q", "-m", "init"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	repo, err := load.Repo(context.Background(), dir, load.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	read := readPaths(repo)
	reasons := skipReasons(repo)
	if !slices.Contains(read, "deploy/compose.yaml") {
		t.Errorf("the tracked deploy/compose.yaml was not read (skipped: %q)", reasons["deploy/compose.yaml"])
	}
	for _, f := range []string{"deploy/scratch.yaml", "orders/dev.local.yaml"} {
		if reasons[f] != "ignored by .gitignore" {
			t.Errorf("untracked %s: read %v, skipped %q; want ignored by .gitignore", f, slices.Contains(read, f), reasons[f])
		}
	}
}

// TestWalkTestSubcommand: a command-line program's test subcommand
// (cmd/cli/commands/test, "kyverno test") is production code and read; a
// test folder elsewhere is skipped.
func TestWalkTestSubcommand(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "cmd/cli/commands/test/run.go", "package test\n")
	writeFile(t, dir, "pkg/store/test/fixture.go", "package test\n")
	repo, err := load.Repo(context.Background(), dir, load.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	read := readPaths(repo)
	if strings.Join(read, " ") != "cmd/cli/commands/test/run.go" {
		t.Errorf("read %q, want only the test subcommand", read)
	}
}
