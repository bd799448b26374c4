package load

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
	yaml4 "go.yaml.in/yaml/v4"
)

// kinNode hands an OpenAPI 3.x document to kin-openapi as a node tree
// instead of text, so the document is parsed once: kin-openapi decodes its
// types from go.yaml.in/yaml/v4 nodes, and kinNode copies decouple's decoded
// tree into those, emptying every schema as kinText does (the facts never
// read one).
//
// The copy is what kin-openapi's own reader would have built from the text
// and then prepared for its decode: scalars keep the tag the parser
// resolved, except that timestamps and mapping keys become strings. Where
// the copy could differ from that, ok is false and the caller loads the
// text: anchors and aliases, merge keys, explicit or custom tags, complex
// or null keys, infinite or NaN floats, plain scalars the two YAML readers
// may resolve apart ("+1", "-0", "0o+1"), and any $ref that leaves the document.
func kinNode(root *yaml.Node) (n *yaml4.Node, ok bool) {
	if root.Kind != yaml.MappingNode || len(root.Content) == 0 {
		return nil, false
	}
	c := &nodeCopier{}
	return c.mapping(root, 0, "")
}

// kinLoadNode builds the kin-openapi model of a 3.x document from the tree
// kinNode made. Its $refs are all local, so nothing is read.
func (l *loader) kinLoadNode(n *yaml4.Node, file string) (*openapi3.T, error) {
	doc := &openapi3.T{}
	if err := doc.UnmarshalYAML(n); err != nil {
		return nil, err
	}
	kl := openapi3.NewLoader()
	kl.ReadFromURIFunc = l.specReader(nil)
	if err := kl.ResolveRefsIn(doc, &url.URL{Path: file}); err != nil {
		return nil, err
	}
	return doc, nil
}

// nodeCopier allocates the copied nodes in blocks.
type nodeCopier struct{ block []yaml4.Node }

func (c *nodeCopier) node(kind yaml4.Kind, tag string, from *yaml.Node) *yaml4.Node {
	if len(c.block) == cap(c.block) {
		c.block = make([]yaml4.Node, 0, 256)
	}
	c.block = c.block[:len(c.block)+1]
	n := &c.block[len(c.block)-1]
	n.Kind, n.Tag, n.Line, n.Column = kind, tag, from.Line, from.Column
	return n
}

// mapping copies a mapping; depth counts mappings from the root and parent
// is the key it is the value of, as in kinText.
func (c *nodeCopier) mapping(n *yaml.Node, depth int, parent string) (*yaml4.Node, bool) {
	if n.Anchor != "" || n.Tag != "!!map" || n.Style&yaml.TaggedStyle != 0 {
		return nil, false
	}
	out := c.node(yaml4.MappingNode, "!!map", n)
	out.Content = make([]*yaml4.Node, len(n.Content))
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key, ok := c.scalar(k, true)
		if !ok {
			return nil, false
		}
		out.Content[i] = key
		if k.Value == "schema" || depth == 2 && parent == "schemas" || depth == 1 && parent == "definitions" {
			if v.Anchor != "" || v.Kind == yaml.AliasNode {
				return nil, false
			}
			out.Content[i+1] = c.node(yaml4.MappingNode, "!!map", v)
			continue
		}
		if k.Value == "$ref" && (v.Kind != yaml.ScalarNode || !strings.HasPrefix(v.Value, "#")) {
			return nil, false
		}
		val, ok := c.value(v, depth+1, k.Value)
		if !ok {
			return nil, false
		}
		out.Content[i+1] = val
	}
	return out, true
}

func (c *nodeCopier) value(v *yaml.Node, depth int, key string) (*yaml4.Node, bool) {
	switch v.Kind {
	case yaml.ScalarNode:
		return c.scalar(v, false)
	case yaml.MappingNode:
		return c.mapping(v, depth, key)
	case yaml.SequenceNode:
		return c.sequence(v, depth)
	}
	return nil, false // aliases
}

func (c *nodeCopier) sequence(n *yaml.Node, depth int) (*yaml4.Node, bool) {
	if n.Anchor != "" || n.Tag != "!!seq" || n.Style&yaml.TaggedStyle != 0 {
		return nil, false
	}
	out := c.node(yaml4.SequenceNode, "!!seq", n)
	out.Content = make([]*yaml4.Node, len(n.Content))
	for i, item := range n.Content {
		var ok bool
		if item.Kind == yaml.MappingNode {
			out.Content[i], ok = c.mapping(item, depth, "")
		} else {
			out.Content[i], ok = c.value(item, depth, "")
		}
		if !ok {
			return nil, false
		}
	}
	return out, true
}

// scalar copies a scalar with the tag kin-openapi's reader and its
// preparation would give it.
func (c *nodeCopier) scalar(n *yaml.Node, key bool) (*yaml4.Node, bool) {
	if n.Kind != yaml.ScalarNode || n.Anchor != "" || n.Style&yaml.TaggedStyle != 0 {
		return nil, false
	}
	tag := n.Tag
	switch tag {
	case "!!str":
	case "!!timestamp":
		tag = "!!str"
	case "!!int":
		// go-yaml v3 reads 0b and 0o forms more loosely than v4 does.
		plain := strings.ReplaceAll(n.Value, "_", "")
		if _, err := strconv.ParseInt(plain, 0, 64); err != nil {
			if _, err := strconv.ParseUint(plain, 0, 64); err != nil {
				return nil, false
			}
		}
	case "!!bool":
	case "!!float":
		if v := strings.ToLower(strings.TrimLeft(n.Value, "+-")); v == ".inf" || v == ".nan" {
			return nil, false
		}
	case "!!null":
		if key {
			return nil, false
		}
	default:
		return nil, false // merge keys, binary, custom tags
	}
	if n.Style == 0 && (strings.HasPrefix(n.Value, "+") || strings.HasPrefix(n.Value, "-0")) {
		return nil, false
	}
	if key {
		tag = "!!str"
	}
	out := c.node(yaml4.ScalarNode, tag, n)
	out.Value = n.Value
	if n.Style != 0 {
		out.Style = yaml4.DoubleQuotedStyle
	}
	return out, true
}
