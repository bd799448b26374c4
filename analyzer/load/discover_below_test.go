package load

import (
	"path"
	"testing"
)

// TestBelowDirs checks the one-pass index against its definition: for a
// directory, the first input (in input order) in it or below it, and
// whether a Dockerfile is among them.
func TestBelowDirs(t *testing.T) {
	l := &loader{}
	for _, p := range []string{
		"go.mod", "services/a/main.go", "services/a/Dockerfile", "services/b/api/openapi.yaml",
		"services/b/deploy/Dockerfile", "services/c/x.go", "tools/Dockerfile", "tools/gen/main.go", "web/app/Dockerfile.dev",
	} {
		l.inputs = append(l.inputs, &input{path: p, kind: kindOf(p)})
	}
	got := l.belowDirs()
	for dir := range l.dirSet() {
		var first string
		docker := false
		for _, in := range l.inputs {
			if under(path.Dir(in.path), dir) {
				if first == "" {
					first = in.path
				}
				docker = docker || in.kind == kindDockerfile
			}
		}
		b := got[dir]
		if b == nil || b.first != first || b.dockerfile != docker {
			t.Errorf("%s: %+v, want first %q, dockerfile %v", dir, b, first, docker)
		}
	}
	if len(got) != len(l.dirSet()) {
		t.Errorf("%d directories indexed, want %d", len(got), len(l.dirSet()))
	}
}
