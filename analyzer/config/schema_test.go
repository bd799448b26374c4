package config_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer/config"
	"github.com/decouplehq/decouple/analyzer/schematest"
)

const repoRoot = "../.."

var readmeConfig = regexp.MustCompile("(?s)```yaml\n(version: 1\n.*?)```")

type configFile struct {
	name string
	data []byte
}

// validConfigs globs every config in the repository's fixtures: each
// .decouple.yaml / .decouple.yml file, and each such file inside a txtar
// archive, outside directories named broken and archives that expect a
// config error (a header line "exit 2", as in testdata/hostile).
func validConfigs(t *testing.T) []configFile {
	valid, _ := fixtureConfigs(t)
	return valid
}

var expectsUsageError = regexp.MustCompile(`(?m)^exit 2$`)

// fixtureConfigs returns the configs of the fixtures, valid and broken.
func fixtureConfigs(t *testing.T) (valid, broken []configFile) {
	t.Helper()
	var out []configFile
	err := filepath.WalkDir(repoRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == ".git" || n == "node_modules" || n == "broken" {
				return filepath.SkipDir
			}
			return nil
		}
		isConfig := func(name string) bool {
			base := filepath.Base(name)
			return base == ".decouple.yaml" || base == ".decouple.yml"
		}
		switch {
		case isConfig(p):
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out = append(out, configFile{p, data})
		case strings.HasSuffix(p, ".txtar"):
			ar, err := txtar.ParseFile(p)
			if err != nil {
				return err
			}
			for _, f := range ar.Files {
				if !isConfig(f.Name) {
					continue
				}
				if expectsUsageError.Match(ar.Comment) {
					broken = append(broken, configFile{p + ":" + f.Name, f.Data})
				} else {
					out = append(out, configFile{p + ":" + f.Name, f.Data})
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The README's example config counts as a fixture.
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range readmeConfig.FindAllSubmatch(readme, -1) {
		out = append(out, configFile{"README.md", m[1]})
	}
	if len(out) < 4 {
		t.Fatalf("found only %d configs in the fixtures", len(out))
	}
	return out, broken
}

func configSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	return schematest.Compile(t, filepath.Join(repoRoot, "docs", "config.schema.json"))
}

// asJSON converts YAML to the JSON value a schema validator reads; an error
// means the YAML itself is broken (syntax, repeated keys).
func asJSON(data []byte) (any, error) {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	j, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(j))
}

// TestSchemaAcceptsFixtures: docs/config.schema.json accepts every config
// in the repository's fixtures.
func TestSchemaAcceptsFixtures(t *testing.T) {
	schema := configSchema(t)
	for _, f := range validConfigs(t) {
		inst, err := asJSON(f.data)
		if err != nil {
			t.Errorf("%s: %v", f.name, err)
			continue
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s: rejected by the schema: %v", f.name, err)
		}
	}
}

// TestSchemaRejectsBroken: the schema rejects the broken fixtures, except
// those whose header says a schema cannot tell (unknown rule IDs).
func TestSchemaRejectsBroken(t *testing.T) {
	schema := configSchema(t)
	files, _ := filepath.Glob("testdata/broken/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		accepts := bytes.HasPrefix(data, []byte("# schema: accepts"))
		inst, err := asJSON(data)
		rejected := err != nil || schema.Validate(inst) != nil
		if rejected == accepts {
			t.Errorf("%s: schema rejected=%v, want %v", file, rejected, !accepts)
		}
	}
}

// TestSchemaCoversConfig: the schema names exactly the keys config.File
// decodes, at every level, so neither can drift from the other.
func TestSchemaCoversConfig(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, "docs", "config.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	var walk func(where string, node map[string]any, typ reflect.Type)
	walk = func(where string, node map[string]any, typ reflect.Type) {
		for typ.Kind() == reflect.Slice || typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
			if items, ok := node["items"].(map[string]any); ok {
				node = items
			}
		}
		if typ.Kind() != reflect.Struct {
			return
		}
		props, _ := node["properties"].(map[string]any)
		if node["additionalProperties"] != false {
			t.Errorf("%s: the schema allows unknown keys", where)
		}
		want := map[string]reflect.Type{}
		for i := range typ.NumField() {
			sf := typ.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
			if sf.IsExported() && name != "-" && name != "" {
				want[name] = sf.Type
			}
		}
		var got, exp []string
		for k := range props {
			got = append(got, k)
		}
		for k := range want {
			exp = append(exp, k)
		}
		sort.Strings(got)
		sort.Strings(exp)
		if strings.Join(got, " ") != strings.Join(exp, " ") {
			t.Errorf("%s: schema keys %v, config keys %v", where, got, exp)
		}
		for k, ft := range want {
			if sub, ok := props[k].(map[string]any); ok {
				walk(where+"."+k, sub, ft)
			}
		}
	}
	walk("config", schema, reflect.TypeFor[config.File]())
}
