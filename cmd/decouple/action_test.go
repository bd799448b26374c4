package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestActionScript runs the check step of action.yml with bash, as the
// runner would, on the demo: text log inside stop-commands, annotations
// after it, SARIF written, the exit code as a step output.
func TestActionScript(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal("bash is needed to test action.yml: ", err)
	}
	raw, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Runs struct {
			Using string
			Steps []struct {
				ID   string
				Uses string
				Run  string
				Env  map[string]string
			}
		}
	}
	if err := yaml.Unmarshal(raw, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" {
		t.Fatalf("runs.using %q", action.Runs.Using)
	}
	var script string
	var uses []string
	for _, s := range action.Runs.Steps {
		if s.ID == "check" {
			script = s.Run
		}
		if s.Uses != "" {
			uses = append(uses, s.Uses)
		}
	}
	if script == "" || !strings.Contains(strings.Join(uses, " "), "github/codeql-action/upload-sarif@") {
		t.Fatalf("no check step or no SARIF upload: %v", uses)
	}

	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// decouple is the test binary run as the command (TestMain's
	// DECOUPLE_TEST_CHILD: the arguments joined by \x1f).
	shim := "#!/usr/bin/env bash\nIFS=$'\\x1f'\nDECOUPLE_TEST_CHILD=\"$*\" exec " + strconvQuote(self) + "\n"
	if err := os.WriteFile(filepath.Join(bin, "decouple"), []byte(shim), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "github_output")
	sarif := filepath.Join(dir, "decouple.sarif")
	cmd := exec.Command(bash, "-c", script)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"RUNNER_TEMP="+dir, "GITHUB_OUTPUT="+out, "GITHUB_STEP_SUMMARY="+filepath.Join(dir, "summary.md"),
		"INPUT_PATH=testdata/demo", "INPUT_FAIL_ON=", "INPUT_BASELINE=", "INPUT_MERGE_BASE=", "INPUT_ARGS=--no-config --timeout 5m",
		"INPUT_SARIF="+sarif, "INPUT_SUMMARY=true")
	log, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the check step failed: %v\n%s", err, log)
	}
	lines := strings.Split(strings.TrimSpace(string(log)), "\n")
	stop := regexp.MustCompile(`^::stop-commands::(decouple-[0-9a-f]{32})$`)
	m := stop.FindStringSubmatch(lines[0])
	if m == nil {
		t.Fatalf("the log does not start by stopping commands:\n%s", log)
	}
	resume := -1
	for i, l := range lines {
		if l == "::"+m[1]+"::" {
			resume = i
		}
	}
	if resume < 0 || !strings.Contains(strings.Join(lines[1:resume], "\n"), "testdata/demo/orders/api/orders.proto:5:1: error:") {
		t.Fatalf("the text log is not between stop and resume, or lacks the prefixed finding:\n%s", log)
	}
	want := "::error file=testdata/demo/orders/api/orders.proto,line=5,col=1,title=API102 unversioned-proto-package::"
	annotated := false
	for _, l := range lines[resume+1:] {
		annotated = annotated || strings.HasPrefix(l, want)
	}
	if !annotated {
		t.Errorf("no annotation after the text log:\n%s", log)
	}
	if data, err := os.ReadFile(out); err != nil || string(data) != "exit-code=1\n" {
		t.Errorf("step output %q (%v), want exit-code=1", data, err)
	}
	if data, err := os.ReadFile(sarif); err != nil || !strings.Contains(string(data), `"uri": "testdata/demo/orders/api/orders.proto"`) {
		t.Errorf("SARIF %v:\n%.300s", err, data)
	}
}

// TestPreCommitHooks: every hook runs decouple check with flags it knows.
func TestPreCommitHooks(t *testing.T) {
	raw, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID, Entry, Language string
		PassFilenames       *bool `yaml:"pass_filenames"`
	}
	if err := yaml.Unmarshal(raw, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) == 0 {
		t.Fatal("no hooks")
	}
	for _, h := range hooks {
		args := strings.Fields(h.Entry)
		if len(args) < 2 || args[0] != "decouple" || args[1] != "check" || h.Language != "golang" ||
			h.PassFilenames == nil || *h.PassFilenames {
			t.Errorf("hook %s: entry %q, language %q, pass_filenames %v", h.ID, h.Entry, h.Language, h.PassFilenames)
			continue
		}
		if code, _, errs := decouple(t, append(args[1:], "--help")...); code != 0 {
			t.Errorf("hook %s: %q does not parse: %s", h.ID, h.Entry, errs)
		}
	}
}

// strconvQuote quotes a path for bash.
func strconvQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
