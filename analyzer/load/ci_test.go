package load

import "testing"

func TestFlattenLoops(t *testing.T) {
	in := "echo a\nfor s in orders billing; do\n  docker build services/$s\n  docker push x/$s\ndone\necho b"
	got := flattenLoops(in)
	want := "echo a\nfor s in orders billing; do   docker build services/$s ;   docker push x/$s ; done\n\n\n\necho b"
	if got != want {
		t.Errorf("flattenLoops:\n got %q\nwant %q", got, want)
	}
	m := forLoop.FindStringSubmatch(got)
	if m == nil || m[1] != "s" || m[2] != "orders billing" {
		t.Errorf("forLoop does not read the flattened loop: %q", m)
	}
}
