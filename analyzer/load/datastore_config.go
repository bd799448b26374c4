package load

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/compose-spec/compose-go/v2/dotenv"
	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// configRefs finds the datastore references of .env files and YAML, JSON
// and TOML config files inside service directories, and of Helm values
// files.
func (l *loader) configRefs() []rawRef {
	var out []rawRef
	mounts := l.configMounts()
	for _, in := range l.inputs {
		if ignoredForData(in.path) {
			continue
		}
		svcs := l.configUsers(in.path, mounts)
		if len(svcs) == 0 || in.kind != kindEnv && in.kind != kindTOML {
			continue
		}
		var settings []setting
		source := "config"
		if in.kind == kindEnv {
			settings, source = l.dotenvSettings(in), "env-file"
		} else {
			settings = l.tomlSettings(in)
		}
		for _, svc := range svcs {
			out = append(out, refsFromSettings(settings, svc, source, "")...)
		}
	}
	charts := l.chartNames()
	for _, d := range l.docs {
		if d.kind != docUnknown || ignoredForData(d.in.path) || lockFiles[path.Base(d.in.path)] {
			continue
		}
		if isHelmValues(l, d.in.path) {
			out = append(out, l.helmRefs(d, charts)...)
			continue
		}
		if svcs := l.configUsers(d.in.path, mounts); len(svcs) > 0 {
			var settings []setting
			flattenYAML(d, d.root, "", 0, &settings)
			for _, svc := range svcs {
				out = append(out, refsFromSettings(settings, svc, "config", "")...)
			}
		}
	}
	return out
}

// configFile is a config file a workload mounts from a manifest: a key of
// a ConfigMap or Secret, its content, and where the key is.
type configFile struct {
	name, data string
	pos        facts.Position
	// text is true when the value is written as text, its first line
	// after line base of the manifest; a base64 value has no lines there
	text bool
	base int
}

// configFileKind returns how a mounted file's name says to read it: as
// YAML (JSON too) or as an env file; "" for other files.
func configFileKind(name string) string {
	switch ext := strings.ToLower(path.Ext(name)); {
	case ext == ".yml" || ext == ".yaml" || ext == ".json":
		return kindYAML
	case ext == ".env" || strings.HasPrefix(strings.ToLower(name), ".env"):
		return kindEnv
	}
	return ""
}

// mountedFileSettings reads the settings of a mounted config file, each
// placed at its line in the manifest (at the key for a base64 value). A
// file that does not parse gives none: it is a manifest's string, read as
// written.
func mountedFileSettings(f configFile) []setting {
	var out []setting
	switch configFileKind(f.name) {
	case kindYAML:
		var n yaml.Node
		if yaml.Unmarshal([]byte(f.data), &n) != nil || len(n.Content) != 1 {
			return nil
		}
		// named under the file's stem (mongodb.address), which often is all
		// that says what the settings are about
		d := &yamlDoc{in: &input{path: f.pos.File}}
		var all []setting
		flattenYAML(d, n.Content[0], strings.TrimSuffix(f.name, path.Ext(f.name)), 0, &all)
		for _, st := range all {
			// a list of addresses: its first stands for them all
			base, idx := st.name, ""
			if i := strings.LastIndexByte(st.name, '.'); i >= 0 {
				base, idx = st.name[:i], st.name[i+1:]
			}
			if _, err := strconv.Atoi(idx); err == nil {
				if idx != "0" {
					continue
				}
				st.name = base
			}
			out = append(out, st)
		}
	case kindEnv:
		vals, err := dotenv.UnmarshalBytesWithLookup([]byte(f.data), nil)
		if err != nil {
			return nil
		}
		lines := envLines([]byte(f.data))
		for _, k := range slices.Sorted(maps.Keys(vals)) {
			out = append(out, setting{name: k, value: vals[k], pos: facts.Position{File: f.pos.File, Line: lines[k]}})
		}
	}
	for i := range out {
		line := f.pos.Line
		if f.text {
			line = f.base + out[i].pos.Line
		}
		out[i].pos = facts.Position{File: f.pos.File, Line: line}
	}
	return out
}

// configMounts maps each repository folder that compose bind-mounts into
// a service's container (./quickstart/configs:/data/conf) to the services
// mounting it. The repository root is left out: mounting it is mounting
// the source tree, not a config folder.
func (l *loader) configMounts() map[string][]string {
	out := map[string][]string{}
	for _, w := range l.repo.Workloads {
		if w.Service == "" {
			continue
		}
		for _, m := range w.Mounts {
			if m.Bind && m.Source != "" && m.Source != "." && !strings.HasPrefix(m.Source, "..") && !slices.Contains(out[m.Source], w.Service) {
				out[m.Source] = append(out[m.Source], w.Service)
			}
		}
	}
	for _, svcs := range out {
		slices.Sort(svcs)
	}
	return out
}

// configUsers returns the services whose configuration a file is: the
// service owning its folder or, for a shared file, every service that
// mounts a folder holding it (or the file itself).
func (l *loader) configUsers(file string, mounts map[string][]string) []string {
	if svc := l.serviceOf(file); svc != "" {
		return []string{svc}
	}
	var out []string
	for dir := file; dir != "." && dir != "/" && dir != ""; dir = path.Dir(dir) {
		for _, s := range mounts[dir] {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	slices.Sort(out)
	return out
}

// lockFiles are generated JSON files that hold no configuration.
var lockFiles = map[string]bool{"package-lock.json": true, "npm-shrinkwrap.json": true, "composer.json": true}

// ignoredForData reports paths whose contents are not the system's own:
// test data and CI definitions.
func ignoredForData(p string) bool {
	return strings.HasPrefix(p, "testdata/") || strings.Contains(p, "/testdata/") ||
		strings.HasPrefix(p, ".github/") || strings.HasSuffix(p, "_test.go")
}

func (l *loader) dotenvSettings(in *input) []setting {
	vals, err := dotenv.UnmarshalBytesWithLookup(in.data, nil)
	if err != nil {
		// A .env file is an input, and its errors are reported; a *.env of
		// another name that does not parse is some tool's shell script
		// (bingo's .bingo/variables.env), no input of decouple's.
		if base := path.Base(in.path); (base == ".env" || strings.HasPrefix(base, ".env.")) && !inHiddenFolder(path.Dir(in.path)) {
			l.problem(in.path, 0, 0, "malformed env file: %s", err)
		}
		return nil
	}
	lines := envLines(in.data)
	out := make([]setting, 0, len(vals))
	for _, k := range slices.Sorted(maps.Keys(vals)) {
		out = append(out, setting{name: k, value: vals[k], pos: facts.Position{File: in.path, Line: lines[k]}})
	}
	return out
}

// flattenYAML turns a YAML tree into settings named by their key path
// (db.host). A mapping holding only name and value (a container env entry)
// becomes the setting it describes.
func flattenYAML(d *yamlDoc, n *yaml.Node, prefix string, depth int, out *[]setting) {
	n = deref(n)
	if n == nil || depth > 32 {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		if name, value := get(n, "name"), get(n, "value"); name != nil && value != nil && len(n.Content) == 4 {
			*out = append(*out, setting{name: scalar(name), value: scalar(value), pos: at(d, value)})
			return
		}
		for _, kv := range pairs(n) {
			key := kv[0].Value
			if prefix != "" {
				key = prefix + "." + key
			}
			if kv[1] != nil && kv[1].Kind == yaml.ScalarNode {
				*out = append(*out, setting{name: key, value: kv[1].Value, pos: at(d, kv[0])})
				continue
			}
			flattenYAML(d, kv[1], key, depth+1, out)
		}
	case yaml.SequenceNode:
		for i, it := range items(n) {
			key := fmt.Sprintf("%s.%d", prefix, i)
			if it != nil && it.Kind == yaml.ScalarNode {
				*out = append(*out, setting{name: key, value: it.Value, pos: at(d, it)})
				continue
			}
			flattenYAML(d, it, key, depth+1, out)
		}
	}
}

// tomlSettings decodes a TOML file and finds each key's line by reading the
// table headers and key lines.
func (l *loader) tomlSettings(in *input) []setting {
	var tree map[string]any
	if _, err := toml.Decode(string(in.data), &tree); err != nil {
		line := 0
		var pe toml.ParseError
		if errors.As(err, &pe) {
			line = pe.Position.Line
		}
		l.problem(in.path, line, 0, "malformed TOML: %s", firstLine(err.Error()))
		return nil
	}
	lines := tomlLines(in.data)
	var out []setting
	var walk func(prefix string, v any, depth int)
	walk = func(prefix string, v any, depth int) {
		if depth > 32 {
			return
		}
		switch v := v.(type) {
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				key := k
				if prefix != "" {
					key = prefix + "." + k
				}
				walk(key, v[k], depth+1)
			}
		case []map[string]any:
			for i, m := range v {
				walk(fmt.Sprintf("%s.%d", prefix, i), m, depth+1)
			}
		case string:
			out = append(out, setting{name: prefix, value: v, pos: facts.Position{File: in.path, Line: lines[tomlKeyNoIndex(prefix)]}})
		case int64:
			out = append(out, setting{name: prefix, value: fmt.Sprint(v), pos: facts.Position{File: in.path, Line: lines[tomlKeyNoIndex(prefix)]}})
		}
	}
	walk("", tree, 0)
	return out
}

var (
	tomlHeader = regexp.MustCompile(`^\s*\[\[?\s*([^\]]+?)\s*\]\]?`)
	tomlKey    = regexp.MustCompile(`^\s*([A-Za-z0-9_\-."']+?)\s*=`)
	arrayIndex = regexp.MustCompile(`\.\d+(\.|$)`)
)

// tomlLines maps each dotted key to its line.
func tomlLines(data []byte) map[string]int {
	out := map[string]int{}
	table := ""
	for i, ln := range strings.Split(string(data), "\n") {
		if m := tomlHeader.FindStringSubmatch(ln); m != nil {
			table = strings.ReplaceAll(strings.ReplaceAll(m[1], `"`, ""), " ", "")
			continue
		}
		if m := tomlKey.FindStringSubmatch(ln); m != nil {
			key := strings.ReplaceAll(strings.ReplaceAll(m[1], `"`, ""), "'", "")
			if table != "" {
				key = table + "." + key
			}
			if _, ok := out[key]; !ok {
				out[key] = i + 1
			}
		}
	}
	return out
}

func tomlKeyNoIndex(k string) string { return arrayIndex.ReplaceAllString(k, "$1") }

// isHelmValues reports whether p is a values file of a Helm chart.
func isHelmValues(l *loader, p string) bool {
	if !isValuesName(path.Base(p)) {
		return false
	}
	dir := path.Dir(p)
	return l.hasInput(joinRel(dir, "Chart.yaml")) || l.hasInput(joinRel(dir, "Chart.yml"))
}

// helmRefs reads the literal values of a Helm values file. The chart's
// service is the one owning its directory, or the one named like the chart;
// in an umbrella chart, a top-level key named like a service scopes its
// values to that service.
// charts are the chart names by directory (chartNames).
func (l *loader) helmRefs(d *yamlDoc, charts map[string]string) []rawRef {
	dir := path.Dir(d.in.path)
	chartSvc := l.serviceOf(d.in.path)
	if chartSvc == "" {
		for _, name := range []string{charts[dir], path.Base(dir)} {
			if s := l.serviceByName(name); name != "" && s != nil {
				chartSvc = s.Name
				break
			}
		}
	}
	var out []rawRef
	var shared []setting
	for _, kv := range pairs(d.root) {
		var settings []setting
		if kv[1] != nil && kv[1].Kind == yaml.ScalarNode {
			settings = []setting{{name: kv[0].Value, value: kv[1].Value, pos: at(d, kv[0])}}
		} else {
			flattenYAML(d, kv[1], kv[0].Value, 1, &settings)
		}
		if s := l.serviceByName(kv[0].Value); s != nil && chartSvc == "" {
			for i := range settings {
				settings[i].name = strings.TrimPrefix(settings[i].name, kv[0].Value+".")
			}
			out = append(out, refsFromSettings(settings, s.Name, "helm-values", "")...)
			continue
		}
		shared = append(shared, settings...)
	}
	sort.SliceStable(shared, func(i, j int) bool { return shared[i].name < shared[j].name })
	return append(out, refsFromSettings(shared, chartSvc, "helm-values", "")...)
}

// chartNames reads the name of the chart of each directory: that of its
// first Chart.* document.
func (l *loader) chartNames() map[string]string {
	names := map[string]string{}
	for _, d := range l.docs {
		dir := path.Dir(d.in.path)
		if _, seen := names[dir]; !seen && strings.HasPrefix(path.Base(d.in.path), "Chart.") {
			names[dir] = scalar(get(d.root, "name"))
		}
	}
	return names
}
