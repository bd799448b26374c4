package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/baseline"
	"github.com/decouplehq/decouple/analyzer/config"
	"github.com/decouplehq/decouple/analyzer/schematest"
	"github.com/decouplehq/decouple/rules"
)

// TestCIFormatsEndToEnd renders every CI format on the demo with colour
// forced on: no ANSI codes, and the SARIF, with the real rule metadata,
// matches the official schema.
func TestCIFormatsEndToEnd(t *testing.T) {
	for _, format := range []string{"sarif", "github", "gitlab", "checkstyle", "junit"} {
		code, out, errs := decouple(t, "check", "--color", "always", "--format", format, demo)
		if code != exitFindings || out == "" {
			t.Errorf("%s: exit %d, %d bytes: %s", format, code, len(out), errs)
		}
		if strings.Contains(out, "\x1b") {
			t.Errorf("%s output holds an ANSI escape", format)
		}
		if !strings.Contains(out, "API102") {
			t.Errorf("%s output lacks the demo's finding:\n%s", format, out)
		}
		if format == "sarif" {
			validateSARIF(t, out)
		}
		prev := runtime.GOMAXPROCS(1)
		_, again, _ := decouple(t, "check", "--color", "always", "--format", format, demo)
		runtime.GOMAXPROCS(prev)
		if again != out {
			t.Errorf("%s output differs between runs", format)
		}
	}
}

func validateSARIF(t *testing.T, out string) {
	t.Helper()
	schema := schematest.Compile(t, "../../reports/testdata/sarif-schema-2.1.0.json")
	if err := schematest.Validate(schema, out); err != nil {
		t.Errorf("SARIF of the demo does not match the schema: %v", err)
	}
}

// jsonFindings runs a command with --format json and returns the files of
// the findings, the exit code and stderr.
func jsonFindings(t *testing.T, args ...string) ([]string, int, string) {
	t.Helper()
	code, out, errs := decouple(t, append(args, "--format", "json")...)
	var rep struct {
		Findings []struct {
			Rule, File string
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %v\n%s\n%s", args, err, out, errs)
	}
	var files []string
	for _, f := range rep.Findings {
		files = append(files, f.Rule+" "+f.File)
	}
	return files, code, errs
}

func proto(pkg, svc string) string {
	return "syntax = \"proto3\";\npackage " + pkg + ";\nservice " + svc + " {\n  rpc Get(Req) returns (Resp);\n}\nmessage Req {}\nmessage Resp {}\n"
}

// reformat moves every line of a proto: a licence header, blank lines and
// a different indentation.
func reformat(src string) string {
	var b strings.Builder
	b.WriteString("// Copyright the shop authors.\n// SPDX-License-Identifier: Apache-2.0\n\n\n")
	for _, l := range strings.Split(strings.TrimSuffix(src, "\n"), "\n") {
		b.WriteString(strings.Replace(l, "  ", "    ", 1) + "\n\n")
	}
	return b.String()
}

// TestBaselineRoundTrip: write a baseline; reformat so every line moves:
// nothing new; add a coupling: exactly one new; remove one: one stale, which
// prune removes; an expired entry stops suppressing.
func TestBaselineRoundTrip(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"services/orders/api/orders.proto": proto("shop.orders", "Orders"),
		"services/users/users.proto":       proto("shop.users", "Users"),
		"services/billing/billing.proto":   proto("shop.billing", "Billing"),
		"services/catalog/catalog.proto":   proto("shop.catalog.v1", "Catalog"),
	}
	for name, data := range files {
		write(t, dir, name, data)
	}
	file := filepath.Join(dir, baseline.FileName)

	if code, _, errs := decouple(t, "baseline", "write", dir); code != 0 || !strings.Contains(errs, "wrote 3 baseline entries") {
		t.Fatalf("baseline write: exit %d: %s", code, errs)
	}
	b, err := baseline.Read(file)
	if err != nil || len(b.Entries) != 3 {
		t.Fatalf("baseline %v: %+v", err, b)
	}
	if data, _ := os.ReadFile(file); regexp.MustCompile(`"line"|orders\.proto:\d`).Match(data) {
		t.Errorf("the baseline holds line numbers:\n%s", data)
	}

	got, code, errs := jsonFindings(t, "check", "--baseline", file, dir)
	if len(got) != 0 || code != 0 || !strings.Contains(errs, "3 findings suppressed, 0 new") {
		t.Fatalf("right after write: %v, exit %d, %s", got, code, errs)
	}

	for name, data := range files {
		write(t, dir, name, reformat(data))
	}
	before, _, _ := jsonFindings(t, "check", "--no-config", dir)
	if len(before) != 3 {
		t.Fatalf("the reformatted fixture has %d findings, want 3: %v", len(before), before)
	}
	if got, code, errs := jsonFindings(t, "check", "--baseline", file, dir); len(got) != 0 || code != 0 {
		t.Errorf("after reformatting every line: %v new (exit %d): %s", got, code, errs)
	}

	write(t, dir, "services/payments/payments.proto", proto("shop.payments", "Payments"))
	got, code, _ = jsonFindings(t, "check", "--baseline", file, dir)
	if strings.Join(got, ",") != "API102 services/payments/payments.proto" || code != exitFindings {
		t.Errorf("after adding a coupling: %v (exit %d), want exactly the payments finding", got, code)
	}

	if err := os.Remove(filepath.Join(dir, "services/users/users.proto")); err != nil {
		t.Fatal(err)
	}
	_, _, errs = jsonFindings(t, "check", "--baseline", file, dir)
	if !strings.Contains(errs, "1 stale baseline entry match") || !strings.Contains(errs, "proto-package:shop.users") {
		t.Errorf("after removing a coupling: no stale entry listed:\n%s", errs)
	}
	if code, _, errs := decouple(t, "baseline", "prune", dir); code != 0 || !strings.Contains(errs, "removed 1 stale entry, kept 2") {
		t.Errorf("prune: exit %d: %s", code, errs)
	}
	if b, _ := baseline.Read(file); len(b.Entries) != 2 {
		t.Errorf("after prune: %d entries", len(b.Entries))
	}

	// An entry past its date suppresses nothing; a reason survives a rewrite.
	b, _ = baseline.Read(file)
	for i := range b.Entries {
		if strings.Contains(b.Entries[i].Entity, "shop.orders") {
			b.Entries[i].Expires, b.Entries[i].Reason = "2001-01-01", "frozen contract"
		}
	}
	if err := os.WriteFile(file, b.Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, _, errs = jsonFindings(t, "check", "--baseline", file, dir)
	if strings.Join(got, ",") != "API102 services/orders/api/orders.proto,API102 services/payments/payments.proto" ||
		!strings.Contains(errs, "1 baseline entry expired") {
		t.Errorf("with an expired entry: %v\n%s", got, errs)
	}
	if code, _, errs := decouple(t, "baseline", "write", dir); code != 0 {
		t.Fatalf("rewrite: %s", errs)
	}
	if data, _ := os.ReadFile(file); !strings.Contains(string(data), `"reason": "frozen contract"`) {
		t.Errorf("the rewrite lost the reason:\n%s", data)
	}

	if code, _, errs := decouple(t, "check", "--baseline", filepath.Join(dir, "missing.json"), dir); code != exitUsage {
		t.Errorf("a missing baseline: exit %d (%s)", code, errs)
	}
}

// gitRun runs git in dir for a test, isolated from the user's config.
func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestNewFromRev builds a repository whose last commit adds one unversioned
// proto package and reformats an old one: exactly the new one is reported,
// and the temporary checkout is gone afterwards.
func TestNewFromRev(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed for --new-from-rev: ", err)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // the checkout goes here and must not stay
	repo := t.TempDir()
	gitRun(t, repo, "init", "-q")
	write(t, repo, "services/orders/orders.proto", proto("shop.orders", "Orders"))
	write(t, repo, "services/users/users.proto", proto("shop.users.v1", "Users"))
	write(t, repo, ".decouple.yaml", "version: 1\nrules:\n  use: [standard]\n")
	gitRun(t, repo, "add", ".")
	gitRun(t, repo, "commit", "-qm", "orders and users")
	gitRun(t, repo, "checkout", "-qb", "feature")
	write(t, repo, "services/orders/orders.proto", reformat(proto("shop.orders", "Orders")))
	write(t, repo, "services/billing/billing.proto", proto("shop.billing", "Billing"))
	gitRun(t, repo, "add", ".")
	gitRun(t, repo, "commit", "-qm", "billing")

	all, _, _ := jsonFindings(t, "check", repo)
	if len(all) != 2 {
		t.Fatalf("the head has %d findings, want 2: %v", len(all), all)
	}
	for _, args := range [][]string{
		{"check", "--new-from-rev", "HEAD~1", repo},
		{"check", "--new-from-merge-base", "main", repo},
		{"check", "--new-from-rev", "main", filepath.Join(repo, "services")},
	} {
		got, code, errs := jsonFindings(t, args...)
		want := "API102 services/billing/billing.proto"
		if strings.HasSuffix(args[len(args)-1], "services") {
			want = "API102 billing/billing.proto"
		}
		if strings.Join(got, ",") != want || code != exitFindings {
			t.Errorf("%v: %v (exit %d), want exactly %s\n%s", args, got, code, want, errs)
		}
		if !strings.Contains(errs, "1 finding there, 2 here; 1 already there, 1 new") {
			t.Errorf("%v: no comparison note:\n%s", args, errs)
		}
		if !regexp.MustCompile(`distributed-monolith index: \d+ \([A-E]\) there, \d+ \([A-E]\) here: [+-]\d+`).MatchString(errs) {
			t.Errorf("%v: no score delta:\n%s", args, errs)
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the temporary checkout was left behind: %v", left)
	}
	if wt := gitRun(t, repo, "worktree", "list", "--porcelain"); strings.Count(wt, "worktree ") != 1 {
		t.Errorf("a worktree is still registered:\n%s", wt)
	}
	if st := gitRun(t, repo, "status", "--porcelain"); st != "" {
		t.Errorf("the repository was changed:\n%s", st)
	}
	for _, args := range [][]string{
		{"check", "--new-from-rev", "no-such-rev", repo},
		{"check", "--new-from-rev", "--output=x", repo},
		{"check", "--new-from-merge-base", "nope", repo},
		{"check", "--new-from-rev", "HEAD", "--new-from-merge-base", "main", repo},
		{"check", "--new-from-rev", "HEAD", tmp},
	} {
		if code, _, errs := decouple(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d: %s", args, code, exitUsage, errs)
		}
	}
}

// TestConfigVerify: every problem of a broken config, with its line, and
// exit 2; a good config passes.
func TestConfigVerify(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, ".decouple.yaml", `version: 1
rules:
  use: [standard, API999]
  severity:
    API102: [error]
servcies:
  - name: orders
fail_on: error
`)
	code, out, errs := decouple(t, "config", "verify", dir)
	if code != exitUsage {
		t.Errorf("exit %d, want 2", code)
	}
	for _, want := range []string{
		`.decouple.yaml:3: rules.use: unknown rule, area or preset "API999"`,
		`.decouple.yaml:5: rules.severity.API102: want a string, got a list`,
		`.decouple.yaml:6: the config: unknown key "servcies"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("verify output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "3 problems") {
		t.Errorf("stderr: %s", errs)
	}
	write(t, dir, "good.yaml", "version: 1\nrules:\n  use: [minimal, unversioned-proto-package]\n")
	if code, out, errs := decouple(t, "config", "verify", "--config", filepath.Join(dir, "good.yaml")); code != 0 || !strings.Contains(out, "good.yaml: ok") {
		t.Errorf("a good config: exit %d: %s %s", code, out, errs)
	}
	if code, _, _ := decouple(t, "config", "verify", t.TempDir()); code != exitUsage {
		t.Errorf("no config: exit %d", code)
	}
}

// copyTree copies the demo so that a command may write into it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		write(t, dst, filepath.ToSlash(rel), string(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestConfigInit: the starter config declares the discovered services,
// verifies clean, matches the schema, and changes no finding.
func TestConfigInit(t *testing.T) {
	dir := copyTree(t, demo)
	if code, _, errs := decouple(t, "config", "init", dir); code != 0 || !strings.Contains(errs, "with 5 services") {
		t.Fatalf("init: exit %d: %s", code, errs)
	}
	file := filepath.Join(dir, ".decouple.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"  - name: orders\n    path: orders\n", "use: [standard]", "# found by: go.mod orders/go.mod", "# exclusions:"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the starter config lacks %q:\n%s", want, data)
		}
	}
	if problems := config.Verify(file, data, knownSelector(rulesAll())); len(problems) > 0 {
		t.Errorf("the starter config does not verify: %v", problems)
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(v)
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err := configSchema(t).Validate(inst); err != nil {
		t.Errorf("the starter config does not match docs/config.schema.json: %v", err)
	}
	with, _, errs := jsonFindings(t, "check", dir)
	without, _, _ := jsonFindings(t, "check", "--no-config", dir)
	if strings.Join(with, ",") != strings.Join(without, ",") || len(with) == 0 {
		t.Errorf("the starter config changes the findings: %v vs %v (%s)", with, without, errs)
	}
	if code, _, _ := decouple(t, "config", "init", dir); code != exitUsage {
		t.Errorf("init over an existing config: exit %d, want 2", code)
	}
	if code, _, _ := decouple(t, "config", "init", "--force", dir); code != 0 {
		t.Errorf("init --force: exit %d", code)
	}
}

func configSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	return schematest.Compile(t, "../../docs/config.schema.json")
}

// TestConfigExclusion: an exclusion by rule and services drops the demo's
// finding; one for another service set does not.
func TestConfigExclusion(t *testing.T) {
	dir := copyTree(t, demo)
	write(t, dir, ".decouple.yaml", "version: 1\nexclusions:\n  - rule: API102\n    services: [orders]\n    reason: frozen until v1\n")
	if got, _, errs := jsonFindings(t, "check", dir); len(only(got, "API102")) != 0 {
		t.Errorf("excluded: %v: %s", got, errs)
	}
	write(t, dir, ".decouple.yaml", "version: 1\nexclusions:\n  - rule: API102\n    services: [users]\n    reason: not this one\n")
	if got, _, _ := jsonFindings(t, "check", dir); len(only(got, "API102")) != 1 {
		t.Errorf("an exclusion of another service dropped %v", got)
	}
}

func TestPathPrefix(t *testing.T) {
	got, _, _ := jsonFindings(t, "check", "--path-prefix", "./testdata/demo/", demo)
	if strings.Join(only(got, "API102"), ",") != "API102 testdata/demo/orders/api/orders.proto" {
		t.Errorf("prefixed findings %v", got)
	}
	for _, f := range got {
		if !strings.Contains(f, " testdata/demo/") {
			t.Errorf("finding without the prefix: %s", f)
		}
	}
	if code, _, _ := decouple(t, "check", "--path-prefix", "../up", demo); code != exitUsage {
		t.Errorf("a prefix leaving the repository: exit %d", code)
	}
}

// only keeps the "RULE file" entries of one rule.
func only(findings []string, rule string) []string {
	var out []string
	for _, f := range findings {
		if strings.HasPrefix(f, rule+" ") {
			out = append(out, f)
		}
	}
	return out
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		code, out, errs := decouple(t, "completion", shell)
		if code != 0 || !strings.Contains(out, "decouple") {
			t.Errorf("completion %s: exit %d, %d bytes: %s", shell, code, len(out), errs)
		}
	}
}

func rulesAll() []*analyzer.Rule { return rules.All() }
