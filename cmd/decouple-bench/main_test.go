package main

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBench runs the whole benchmark on a tiny synthetic repository with a
// freshly built decouple and checks the tables and the plot.
func TestBench(t *testing.T) {
	work := t.TempDir()
	bin := filepath.Join(work, "decouple")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/decouplehq/decouple/cmd/decouple").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// The floors run as children of the test binary: point them at the
	// command's own main through the environment the test binary honours.
	t.Setenv("DECOUPLE_BENCH_FLOOR_MAIN", "1")
	plotPath := filepath.Join(work, "scaling.png")
	var out, errb bytes.Buffer
	err := run([]string{"-sizes", "5,8", "-runs", "1", "-peers=false", "-work", work, "-decouple", bin, "-plot", plotPath}, &out, &errb)
	if err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	text := out.String()
	for _, want := range []string{"## synth-5:", "## synth-8:", "**decouple check**", "**sum of the floors**",
		floorRead, floorImports, floorGitLog, refYAML, "| walk+read |", "## Scaling", "## Targets", "peers not measured",
		"Findings against the generator's expected.json: all "} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(errb.String(), ": exit status") {
		t.Errorf("a measured program failed:\n%s", errb.String())
	}
	f, err := os.Open(plotPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("plot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 500 || b.Dy() < 200 {
		t.Errorf("plot is %v", b)
	}
}

// TestMain lets the test binary stand in for decouple-bench when the
// benchmark runs it as a floor child.
func TestMain(m *testing.M) {
	if os.Getenv("DECOUPLE_BENCH_FLOOR_MAIN") == "1" && len(os.Args) > 1 && os.Args[1] == "floor" {
		if err := floorMain(os.Args[2:], os.Stdout); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
