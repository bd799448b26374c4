package load

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// kinText writes a decoded OpenAPI document back out for kin-openapi with
// every schema emptied: the value of each "schema" key, and each entry of
// components.schemas (3.x) or definitions (2.0), becomes {}. decouple's
// facts take paths, operations, parameters, servers and media types from
// kin's model, never a schema, and schemas are most of a typical document
// and of kin's time.
//
// The text is block-style YAML (go-yaml reads flow style more slowly) and
// resolves exactly as the original: plain scalars are written as they were
// (so kin's YAML reader types them as it would have), every other scalar
// as a double-quoted string. A document kinText cannot write faithfully
// (anchors and aliases, merge keys, tags, complex keys) gets ok false, and
// the caller loads the original bytes.
func kinText(root *yaml.Node) (out []byte, ok bool) {
	return writeKinText(&blockWriter{buf: make([]byte, 0, 4096)}, root)
}

// kinTextReferenced is kinText for a file a spec references: its
// components.schemas (3.x) or definitions (2.0) go whole, not entry by
// entry. The spec reaches that file's schemas only through "schema" keys,
// which kinText empties in every file; a $ref that does reach them some
// other way fails to resolve, and the spec is loaded as written.
func kinTextReferenced(root *yaml.Node) (out []byte, ok bool) {
	return writeKinText(&blockWriter{buf: make([]byte, 0, 4096), dropSchemas: true}, root)
}

func writeKinText(w *blockWriter, root *yaml.Node) ([]byte, bool) {
	if root.Kind != yaml.MappingNode || len(root.Content) == 0 || !w.mapping(root, 0, 0, "", false) {
		return nil, false
	}
	return w.buf, true
}

type blockWriter struct {
	buf         []byte
	dropSchemas bool // kinTextReferenced
}

func (w *blockWriter) indent(n int) {
	for range n {
		w.buf = append(w.buf, ' ')
	}
}

// mapping writes a non-empty mapping at indent; inline says the first key
// goes on the current line (after a sequence's "- "). depth counts
// mappings from the root and parent is the key the mapping is the value of.
func (w *blockWriter) mapping(n *yaml.Node, indent, depth int, parent string, inline bool) bool {
	if n.Anchor != "" || n.Tag != "!!map" {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			return false
		}
		if i > 0 || !inline {
			w.indent(indent)
		}
		if !w.scalar(k) {
			return false
		}
		w.buf = append(w.buf, ':')
		if k.Value == "schema" || depth == 2 && parent == "schemas" || depth == 1 && parent == "definitions" ||
			w.dropSchemas && (depth == 1 && parent == "components" && k.Value == "schemas" || depth == 0 && k.Value == "definitions") {
			if v.Anchor != "" || v.Kind == yaml.AliasNode {
				return false
			}
			w.buf = append(w.buf, " {}\n"...)
			continue
		}
		if !w.value(v, indent, depth+1, k.Value) {
			return false
		}
	}
	return true
}

// value writes the value of a mapping key at indent, from just after the
// colon.
func (w *blockWriter) value(v *yaml.Node, indent, depth int, key string) bool {
	if v.Anchor != "" {
		return false
	}
	switch {
	case v.Kind == yaml.ScalarNode:
		w.buf = append(w.buf, ' ')
		if !w.scalar(v) {
			return false
		}
		w.buf = append(w.buf, '\n')
		return true
	case v.Kind == yaml.MappingNode && len(v.Content) == 0 && v.Tag == "!!map":
		w.buf = append(w.buf, " {}\n"...)
		return true
	case v.Kind == yaml.SequenceNode && len(v.Content) == 0 && v.Tag == "!!seq":
		w.buf = append(w.buf, " []\n"...)
		return true
	case v.Kind == yaml.MappingNode:
		w.buf = append(w.buf, '\n')
		return w.mapping(v, indent+2, depth, key, false)
	case v.Kind == yaml.SequenceNode:
		w.buf = append(w.buf, '\n')
		return w.sequence(v, indent+2, depth)
	}
	return false // aliases
}

// sequence writes a non-empty sequence at indent.
func (w *blockWriter) sequence(n *yaml.Node, indent, depth int) bool {
	if n.Anchor != "" || n.Tag != "!!seq" {
		return false
	}
	for _, c := range n.Content {
		w.indent(indent)
		w.buf = append(w.buf, "- "...)
		if c.Anchor != "" {
			return false
		}
		switch {
		case c.Kind == yaml.ScalarNode:
			if !w.scalar(c) {
				return false
			}
			w.buf = append(w.buf, '\n')
		case c.Kind == yaml.MappingNode && len(c.Content) == 0 && c.Tag == "!!map":
			w.buf = append(w.buf, "{}\n"...)
		case c.Kind == yaml.SequenceNode && len(c.Content) == 0 && c.Tag == "!!seq":
			w.buf = append(w.buf, "[]\n"...)
		case c.Kind == yaml.MappingNode:
			if !w.mapping(c, indent+2, depth, "", true) {
				return false
			}
		case c.Kind == yaml.SequenceNode:
			w.buf = append(w.buf, '\n')
			if !w.sequence(c, indent+2, depth) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// scalar writes a scalar: plain as it was when that is safe, else as a
// double-quoted string.
func (w *blockWriter) scalar(n *yaml.Node) bool {
	if n.Anchor != "" {
		return false
	}
	switch n.Tag {
	case "!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp":
	default:
		return false
	}
	if n.Style&yaml.TaggedStyle != 0 {
		return false
	}
	if n.Style == 0 && plainInFlow(n.Value) {
		if n.Value == "" {
			w.buf = append(w.buf, "null"...)
		} else {
			w.buf = append(w.buf, n.Value...)
		}
		return true
	}
	if n.Tag != "!!str" {
		return false
	}
	w.buf = strconv.AppendQuote(w.buf, n.Value)
	return true
}

// plainInFlow reports whether a plain scalar reads the same written plain,
// even inside a flow collection: no flow indicator, no comment or key
// marker, no leading indicator, no line break.
func plainInFlow(v string) bool {
	if v == "" {
		return true
	}
	if strings.ContainsAny(v, ",[]{}#\n\r\t\"'") || strings.Contains(v, ": ") || strings.HasSuffix(v, ":") {
		return false
	}
	switch v[0] {
	case '-', '?', ':', '&', '*', '!', '|', '>', '%', '@', '`', ' ':
		return len(v) > 1 && v[0] == '-' && v[1] != ' ' // a negative number
	}
	return !strings.HasSuffix(v, " ")
}
