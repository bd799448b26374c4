package load

import (
	"fmt"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// TestKubeEnv: whole ConfigMaps and Secrets (with a prefix), then env in
// order, a later value of a name replacing the earlier where it stands, and
// $(VAR) reading what is set so far; sorted by name.
func TestKubeEnv(t *testing.T) {
	decode := func(src string) *yaml.Node {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(src), &n); err != nil {
			t.Fatal(err)
		}
		return n.Content[0]
	}
	l := &loader{repo: &facts.Repo{}}
	d := &yamlDoc{in: &input{path: "k8s/app.yaml"}}
	configs := map[string][]*kubeConfig{}
	for _, src := range []string{
		"kind: ConfigMap\nmetadata: {name: common}\ndata: {HOST: db, PORT: \"5432\", MODE: a}\n",
		"kind: Secret\nmetadata: {name: creds}\ndata: {PASS: aHVudGVyMg==}\n",
	} {
		c := l.kubeConfigOf(kubeObject{doc: d, node: decode(src)})
		configs[c.kind+"/"+c.name] = append(configs[c.kind+"/"+c.name], c)
	}
	container := decode(`envFrom:
  - configMapRef: {name: common}
  - secretRef: {name: creds}
    prefix: DB_
  - configMapRef: {name: missing}
env:
  - {name: MODE, value: b}
  - {name: URL, value: "postgres://u:$(DB_PASS)@$(HOST):$(PORT)/x?m=$(MODE)&z=$(NOPE)"}
  - name: HOST
    value: db2
`)
	var got []string
	for _, v := range l.kubeEnv(d, container, "", configs) {
		got = append(got, fmt.Sprintf("%s=%s (%s)", v.name, v.value, v.from))
	}
	want := []string{
		"DB_PASS=hunter2 (secret:creds)",
		"HOST=db2 (literal)",
		"MODE=b (literal)",
		"PORT=5432 (configmap:common)",
		"URL=postgres://u:hunter2@db:5432/x?m=b&z=$(NOPE) (literal)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("env\n%q\nwant\n%q", got, want)
	}
}
