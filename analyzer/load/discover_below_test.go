package load

import (
	"path"
	"strings"
	"testing"
)

// TestBelowDirs checks the one-pass index against its definition: for a
// directory, the first input (in input order) in it or below it, and
// whether a Dockerfile, and whether a program (a Dockerfile, a go.mod or a
// main package's file), is among them.
func TestBelowDirs(t *testing.T) {
	l := &loader{goPkgs: map[*input]string{}}
	for _, p := range []string{
		"go.mod", "services/a/main.go", "services/a/Dockerfile", "services/b/api/openapi.yaml",
		"services/b/deploy/Dockerfile", "services/c/x.go", "tools/Dockerfile", "tools/gen/main.go", "web/app/Dockerfile.dev",
		"lib/services/d/d.go", "lib/services/e/cmd/e/main.go", "lib/services/e/cmd/e/main_test.go", "lib/services/f/go.mod",
	} {
		in := &input{path: p, kind: kindOf(p)}
		if in.kind == kindGo {
			l.goPkgs[in] = path.Base(path.Dir(p))
			if path.Base(p) == "main.go" || path.Base(p) == "main_test.go" {
				l.goPkgs[in] = "main"
			}
		}
		l.inputs = append(l.inputs, in)
	}
	got := l.belowDirs()
	for dir := range l.dirSet() {
		var first string
		docker, prog := false, false
		for _, in := range l.inputs {
			if under(path.Dir(in.path), dir) {
				if first == "" {
					first = in.path
				}
				docker = docker || in.kind == kindDockerfile
				prog = prog || in.kind == kindDockerfile || in.kind == kindGoMod ||
					l.goPkgs[in] == "main" && !strings.HasSuffix(in.path, "_test.go")
			}
		}
		b := got[dir]
		if b == nil || b.first != first || b.dockerfile != docker || b.program != prog {
			t.Errorf("%s: %+v, want first %q, dockerfile %v, program %v", dir, b, first, docker, prog)
		}
	}
	if len(got) != len(l.dirSet()) {
		t.Errorf("%d directories indexed, want %d", len(got), len(l.dirSet()))
	}
}
