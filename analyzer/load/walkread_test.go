package load

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// Reading while walking gives the inputs, in order, and the skipped files
// that walking and then reading gives.
func TestWalkAndReadMatchesWalkThenRead(t *testing.T) {
	files := map[string]string{
		"a.go": "package a\n", "b/c.yaml": "x: 1\n", "b/d/e.go": "package d\n", "b/f.proto": "syntax = \"proto3\";\n",
		"b/z.go": "package b\n", "b.go": "package b\n", "bin/tool.go": "pack\x00age\n", "c/c/c/c.sql": "select 1;\n",
	}
	dir := writeRepo(t, t.TempDir(), files)
	if err := os.Symlink("a.go", filepath.Join(dir, "b", "link.go")); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	summary := func(l *loader) (in, skipped []string) {
		for _, f := range l.inputs {
			in = append(in, f.path+"="+string(f.data))
		}
		for _, s := range l.repo.Skipped {
			skipped = append(skipped, s.File+": "+s.Reason)
		}
		return in, skipped
	}
	streamed, w1 := newBenchLoader(t, dir)
	if err := streamed.walkAndRead(ctx, w1); err != nil {
		t.Fatal(err)
	}
	for _, s := range w1.skipped { // as RepoStats adds them
		streamed.repo.Skipped = append(streamed.repo.Skipped, facts.Skipped{File: s.file, Reason: s.reason})
	}
	plain, w2 := newBenchLoader(t, dir)
	if err := w2.walk(); err != nil {
		t.Fatal(err)
	}
	plain.read(ctx, w2.accepted)
	for _, s := range w2.skipped {
		plain.repo.Skipped = append(plain.repo.Skipped, facts.Skipped{File: s.file, Reason: s.reason})
	}
	in1, sk1 := summary(streamed)
	in2, sk2 := summary(plain)
	if !slices.Equal(in1, in2) || !slices.Equal(sk1, sk2) {
		t.Errorf("streamed:\n%q\n%q\nplain:\n%q\n%q", in1, sk1, in2, sk2)
	}
	if len(in1) != len(files)-1 {
		t.Errorf("%d inputs, want %d: %q", len(in1), len(files)-1, in1)
	}
}
