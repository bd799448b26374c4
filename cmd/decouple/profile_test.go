package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestProfiles checks that --cpu-profile and --mem-profile write gzipped
// pprof profiles and leave the output as it is.
func TestProfiles(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	code, out, errs := decouple(t, "check", "--cpu-profile", cpu, "--mem-profile", mem, "--fail-on", "none", "--format", "json", demo)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if _, plain, _ := decouple(t, "check", "--fail-on", "none", "--format", "json", demo); out != plain {
		t.Error("the profile flags changed stdout")
	}
	for _, f := range []string{cpu, mem} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
			t.Errorf("%s is not a gzipped pprof profile (%d bytes)", f, len(data))
		}
	}
	code, _, errs = decouple(t, "check", "--cpu-profile", filepath.Join(dir, "missing", "cpu.pprof"), demo)
	if code != exitFailure || !bytes.Contains([]byte(errs), []byte("--cpu-profile")) {
		t.Errorf("an unwritable profile path: exit %d, %q", code, errs)
	}
}
