package load

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// Reading while walking keeps the inputs in walk order, with their text,
// and moves binary files to the skipped list beside the walker's own.
func TestWalkAndRead(t *testing.T) {
	files := map[string]string{
		"a.go": "package a\n", "b/c.yaml": "x: 1\n", "b/d/e.go": "package d\n", "b/f.proto": "syntax = \"proto3\";\n",
		"b/z.go": "package b\n", "b.go": "package b\n", "bin/tool.go": "pack\x00age\n", "c/c/c/c.sql": "select 1;\n",
	}
	dir := writeRepo(t, t.TempDir(), files)
	if err := os.Symlink("a.go", filepath.Join(dir, "b", "link.go")); err != nil {
		t.Fatal(err)
	}
	l, w := newBenchLoader(t, dir)
	if err := l.walkAndRead(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	for _, s := range w.skipped { // as RepoStats adds them
		l.repo.Skipped = append(l.repo.Skipped, facts.Skipped{File: s.file, Reason: s.reason})
	}
	var in, skipped []string
	for _, f := range l.inputs {
		in = append(in, f.path)
		if string(f.data) != files[f.path] {
			t.Errorf("%s: read %q, want %q", f.path, f.data, files[f.path])
		}
	}
	for _, s := range l.repo.Skipped {
		skipped = append(skipped, s.File+": "+s.Reason)
	}
	wantIn := []string{"a.go", "b/c.yaml", "b/d/e.go", "b/f.proto", "b/z.go", "b.go", "c/c/c/c.sql"}
	if !slices.Equal(in, wantIn) {
		t.Errorf("inputs %q, want %q", in, wantIn)
	}
	slices.Sort(skipped)
	wantSkipped := []string{"b/link.go: symbolic link (not followed)", "bin/tool.go: binary content"}
	if !slices.Equal(skipped, wantSkipped) {
		t.Errorf("skipped %q, want %q", skipped, wantSkipped)
	}
}
