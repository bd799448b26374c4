package load

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// yamlDoc is one document of a YAML or JSON input, decoded as a node tree.
// Aliases are left unexpanded in the tree; walkers resolve one alias at a
// time through get and never expand a whole subtree.
type yamlDoc struct {
	in    *input
	index int        // document number in the stream, from 0
	root  *yaml.Node // the document's top node (a mapping for every kind we use)
	kind  string     // what the document is, see classifyDoc
}

// The document kinds.
const (
	docUnknown    = ""
	docOpenAPI    = "openapi"
	docCompose    = "compose"
	docKubernetes = "kubernetes"
)

var yamlLine = regexp.MustCompile(`line (\d+)`)

// classify decodes every YAML and JSON input and decides what each document
// is. Malformed YAML becomes a problem naming the file and line.
func (l *loader) classify(ctx context.Context) {
	var yamls []*input
	for _, in := range l.inputs {
		switch {
		case in.kind != kindYAML && in.kind != kindJSON:
		case oneSpec(in.data):
			// Decoded and loaded one at a time by parseOpenAPI, so that the
			// specs' node trees, most of a large repository's YAML, are
			// never all in memory at once.
			l.specs = append(l.specs, in)
		default:
			yamls = append(yamls, in)
		}
	}
	perFile := eachWithin(ctx, l, len(yamls), func(i int) string { return yamls[i].path },
		func(i int) []*yamlDoc { return l.decodeYAML(yamls[i]) })
	for _, docs := range perFile {
		l.docs = append(l.docs, docs...)
	}
}

// oneSpec reports whether data is a single YAML or JSON document whose first
// key is openapi or swagger: a document nothing but parseOpenAPI reads
// (classifyDoc makes it an OpenAPI document, or an unknown one when it has
// neither paths nor info). Anything else is decoded by classify.
func oneSpec(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	for _, sep := range []string{"---", "..."} { // a second document may follow
		if bytes.HasPrefix(data, []byte(sep)) || bytes.Contains(data, []byte("\n"+sep)) {
			return false
		}
	}
	rest := data
	for len(rest) > 0 {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		t := bytes.TrimRight(line, " \t\r")
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		if bytes.TrimLeft(t, " \t")[0] == '{' { // JSON: one document; the first key must be the version
			t = bytes.TrimLeft(data[bytes.IndexByte(data, '{')+1:], " \t\r\n")
			return bytes.HasPrefix(t, []byte(`"openapi"`)) || bytes.HasPrefix(t, []byte(`"swagger"`))
		}
		return bytes.HasPrefix(t, []byte("openapi:")) || bytes.HasPrefix(t, []byte("swagger:"))
	}
	return false
}

func (l *loader) decodeYAML(in *input) []*yamlDoc {
	if isHelmTemplate(in) {
		return nil
	}
	if err := yamlPrescan(in.data); err != nil {
		l.yamlProblem(in, err)
		return nil
	}
	if bytes.Contains(in.data, []byte(`\/`)) || bytes.Contains(in.data, []byte(`\u`)) && surrogateEscape.Match(in.data) {
		in.data = jsonEscapes(in.data)
	}
	dec := yaml.NewDecoder(bytes.NewReader(in.data))
	var docs []*yamlDoc
	for i := 0; ; i++ {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil {
			if err = duplicateKey(&n); err != nil && in.kind == kindYAML && !namedYAMLInput(in.path) && classifyDoc(in.path, docRoot(&n)) == docUnknown {
				// a repeated key in a document that is none of decouple's
				// inputs (an i18n table): read as written, no error
				err = nil
			}
		}
		if err != nil {
			if isTemplate(in.data) {
				// Not YAML until rendered: skipped, like a chart's templates.
				in.unread = "a template (holds {{ }}, {% %} or %{ } actions), not " + strings.ToUpper(in.kind) + " until rendered"
				return nil
			}
			if in.kind == kindJSON && !mayBeSpecOrManifest(in.data) {
				// a request template (${VAR} placeholders), a test fixture
				// broken on purpose: no input of decouple's, and no error
				in.unread = "not JSON, and no OpenAPI spec or Kubernetes manifest: " + strings.TrimPrefix(err.Error(), "yaml: ")
				return nil
			}
			l.yamlProblem(in, err)
			break
		}
		top := docRoot(&n)
		if top.Kind != yaml.MappingNode {
			continue
		}
		d := &yamlDoc{in: in, index: i, root: top}
		d.kind = classifyDoc(in.path, top)
		docs = append(docs, d)
	}
	return docs
}

// surrogateEscape matches the escape of a UTF-16 high surrogate (the first
// half of "\ud83d\ude80", an emoji as Python's json.dumps writes it).
var surrogateEscape = regexp.MustCompile(`\\u[dD][89abAB][0-9a-fA-F]{2}`)

// jsonEscapes returns data with the escapes of double-quoted scalars that
// JSON allows and the YAML reader does not written out: "\/" as "/", and a
// UTF-16 surrogate pair ("\ud83d\ude80") as the character it encodes.
// Other bytes are kept; only a quote that opens a scalar (after a key, a
// dash, a bracket, a comma or at a line's start) starts one, so apostrophes
// and quotes inside plain text are text. When the text holds no such
// escape, data itself is returned.
func jsonEscapes(data []byte) []byte {
	var out []byte
	quote := byte(0) // the quote of the scalar being read, or 0
	comment := false // in a comment, up to the end of the line
	opens := true    // a quote here would open a scalar
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
			comment = false
			if quote == 0 {
				opens = true
			}
		case comment:
		case quote == '"' && c == '\\' && i+1 < len(data):
			if data[i+1] == '/' {
				if out == nil {
					out = append(make([]byte, 0, len(data)), data[:i]...)
				}
				out = append(out, '/')
				i++
				continue
			}
			if r, ok := surrogatePair(data[i:]); ok {
				if out == nil {
					out = append(make([]byte, 0, len(data)), data[:i]...)
				}
				out = utf8.AppendRune(out, r)
				i += 11
				continue
			}
			if out != nil {
				out = append(out, c)
			}
			c = data[i+1]
			i++
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '#' && (i == 0 || data[i-1] == ' ' || data[i-1] == '\t'):
			comment = true
		case (c == '"' || c == '\'') && opens:
			quote = c
		case c == ':' || c == '-' || c == '[' || c == '{' || c == ',' || c == '?':
			opens = true
		case c != ' ' && c != '\t':
			opens = false
		}
		if out != nil {
			out = append(out, c)
		}
	}
	if out == nil {
		return data
	}
	return out
}

// surrogatePair decodes the escapes of a UTF-16 surrogate pair at the
// start of b ("\ud83d\ude80").
func surrogatePair(b []byte) (rune, bool) {
	if len(b) < 12 || b[0] != '\\' || b[1] != 'u' || b[6] != '\\' || b[7] != 'u' {
		return 0, false
	}
	hi, err1 := strconv.ParseUint(string(b[2:6]), 16, 16)
	lo, err2 := strconv.ParseUint(string(b[8:12]), 16, 16)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	r := utf16.DecodeRune(rune(hi), rune(lo))
	return r, r != utf8.RuneError
}

// yamlProblem records a YAML error with the line it names.
func (l *loader) yamlProblem(in *input, err error) {
	line := 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	// The line goes to the position; other lines the message names (a
	// duplicate key's first definition) stay in it.
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if loc := yamlLine.FindStringIndex(msg); loc != nil && loc[0] == 0 {
		msg = strings.TrimPrefix(msg[loc[1]:], ":")
	}
	l.problem(in.path, line, 0, "malformed %s: %s", strings.ToUpper(in.kind), strings.TrimSpace(msg))
}

// templateAction matches a Go, Helm, Jinja or Terraform template action:
// {{ .X }}, {{- if }}, {{ toYaml . }}, {% for %}, %{ if x }, but not a
// GitHub Actions expression (${{ }}).
var templateAction = regexp.MustCompile(`(^|[^$]){{-?\s*[A-Za-z_.$]|{%-?\s*[a-z]+|%{~?\s*(if|for|else|endif|endfor)\b`)

// isTemplate reports whether a YAML or JSON file that does not parse holds
// template actions: a file rendered into YAML or JSON by some tool, such as
// an Elasticsearch index template or a Go-templated manifest.
func isTemplate(data []byte) bool {
	return (bytes.Contains(data, []byte("{{")) || bytes.Contains(data, []byte("{%")) || bytes.Contains(data, []byte("%{"))) &&
		templateAction.Match(data)
}

// mayBeSpecOrManifest reports whether a JSON file that does not parse names
// a key of the JSON inputs decouple reads: an OpenAPI or Swagger spec, a
// Kubernetes manifest.
func mayBeSpecOrManifest(data []byte) bool {
	for _, k := range []string{`"openapi"`, `"swagger"`, `"apiVersion"`} {
		if bytes.Contains(data, []byte(k)) {
			return true
		}
	}
	return false
}

// docRoot returns the top node of a decoded document.
func docRoot(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		return n.Content[0]
	}
	return n
}

// namedYAMLInput reports whether a YAML file's name makes it one of
// decouple's inputs whatever it holds: a compose file, a CI workflow, Helm
// values or chart, a kustomization.
func namedYAMLInput(p string) bool {
	base := path.Base(p)
	switch strings.ToLower(base) {
	case "chart.yaml", "kustomization.yaml", "kustomization.yml":
		return true
	}
	return ciKind(p) != "" || isComposeName(base) || isValuesName(base)
}

// isHelmTemplate reports whether the input is a Helm chart template, which is
// not YAML until rendered.
func isHelmTemplate(in *input) bool {
	return strings.Contains("/"+in.path, "/templates/") && bytes.Contains(in.data, []byte("{{"))
}

func classifyDoc(p string, top *yaml.Node) string {
	switch {
	case get(top, "openapi") != nil || get(top, "swagger") != nil:
		if get(top, "paths") != nil || get(top, "info") != nil {
			return docOpenAPI
		}
	case get(top, "apiVersion") != nil && get(top, "kind") != nil:
		return docKubernetes
	case get(top, "services") != nil && (isComposeName(path.Base(p)) || !isValuesName(path.Base(p)) && composeShaped(top)):
		return docCompose
	}
	return docUnknown
}

// composeTopKeys are the top-level keys of the compose specification.
var composeTopKeys = map[string]bool{"version": true, "name": true, "include": true, "services": true,
	"networks": true, "volumes": true, "secrets": true, "configs": true, "models": true}

// composeShaped reports whether a document under another name is a compose
// file (docker compose -f stack.yaml): its services are a mapping whose
// every entry runs an image or builds one, and its other top-level keys are
// compose's too (a CI file's services are containers beside its steps;
// another tool's file of services has keys of its own, like erda's
// dice.yml and its addons).
func composeShaped(top *yaml.Node) bool {
	for _, kv := range pairs(top) {
		if k := kv[0].Value; !composeTopKeys[k] && !strings.HasPrefix(k, "x-") {
			return false
		}
	}
	svcs := pairs(get(top, "services"))
	if len(svcs) == 0 {
		return false
	}
	for _, kv := range svcs {
		img := get(kv[1], "image")
		if deref(kv[1]) == nil || img == nil && get(kv[1], "build") == nil || img != nil && img.Kind != yaml.ScalarNode {
			return false // an umbrella chart's values name images as mappings
		}
	}
	return true
}

// isValuesName reports a Helm values file's name (values.yaml,
// values-prod.yml): its services: are a chart's settings.
func isValuesName(base string) bool {
	b := strings.ToLower(base)
	return strings.HasPrefix(b, "values") && (strings.HasSuffix(b, ".yml") || strings.HasSuffix(b, ".yaml"))
}

func isComposeName(base string) bool {
	b := strings.ToLower(base)
	return b == "compose.yaml" || b == "compose.yml" ||
		(strings.HasPrefix(b, "docker-compose") || strings.HasPrefix(b, "docker_compose")) && (strings.HasSuffix(b, ".yml") || strings.HasSuffix(b, ".yaml")) ||
		strings.HasPrefix(b, "compose.") && (strings.HasSuffix(b, ".yml") || strings.HasSuffix(b, ".yaml"))
}

// get returns the value of key in a mapping node, resolving one alias.
func get(n *yaml.Node, key string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return deref(n.Content[i+1])
		}
	}
	return nil
}

// getPath follows a chain of mapping keys.
func getPath(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		n = get(n, k)
	}
	return n
}

func deref(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode {
		return n.Alias
	}
	return n
}

// scalar returns the value of a scalar node, or "".
func scalar(n *yaml.Node) string {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// pairs returns the key and value nodes of a mapping, in document order.
func pairs(n *yaml.Node) [][2]*yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([][2]*yaml.Node, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, [2]*yaml.Node{n.Content[i], deref(n.Content[i+1])})
	}
	return out
}

// items returns the elements of a sequence node.
func items(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		out = append(out, deref(c))
	}
	return out
}

// dropTrees releases the node trees of the documents of one kind once
// their parser has run and no later one reads them: OpenAPI specs hold most
// of a large repository's YAML, and their trees most of the load's memory.
func (l *loader) dropTrees(kind string) {
	kept := l.docs[:0]
	for _, d := range l.docs {
		if d.kind != kind {
			kept = append(kept, d)
		}
	}
	clear(l.docs[len(kept):])
	l.docs = kept
}

// docsOf returns the decoded documents of one kind, in path order.
func (l *loader) docsOf(kind string) []*yamlDoc {
	var out []*yamlDoc
	for _, d := range l.docs {
		if d.kind == kind {
			out = append(out, d)
		}
	}
	return out
}
