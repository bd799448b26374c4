package load

import (
	"slices"
	"testing"

	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/tree"
	"go.yaml.in/yaml/v3"
)

func TestCastsFor(t *testing.T) {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte("services:\n  a:\n    deploy: {replicas: 2}\n    labels: {com.acme.tty: x}\n"), &n); err != nil {
		t.Fatal(err)
	}
	cast := func(string) (any, error) { return nil, nil }
	all := map[tree.Path]interp.Cast{
		tree.NewPath("services", tree.PathMatchAll, "deploy", "replicas"): cast,
		tree.NewPath("services", tree.PathMatchAll, "cpu_count"):          cast,
		tree.NewPath("services", tree.PathMatchAll, "tty"):                cast, // "tty" is part of a dotted key
		tree.NewPath("networks", tree.PathMatchAll, "external"):           cast,
	}
	got := castsFor(all, []*yamlDoc{{root: n.Content[0]}})
	var kept []string
	for p := range got {
		kept = append(kept, string(p))
	}
	slices.Sort(kept)
	want := []string{"services.*.deploy.replicas", "services.*.tty"}
	if !slices.Equal(kept, want) {
		t.Errorf("castsFor kept %v, want %v", kept, want)
	}
}
