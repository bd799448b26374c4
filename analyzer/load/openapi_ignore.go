package load

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// httpMethods are the keys of a path item that hold operations.
var httpMethods = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true, "options": true,
	"head": true, "patch": true, "trace": true, "connect": true, "query": true,
}

// specIgnores reads x-decouple-ignore at the document, path and operation
// levels of a spec's own file. Each suppression covers the lines of the
// element it sits in.
func specIgnores(d *yamlDoc) []facts.Suppression {
	file := d.in.path
	first := d.root.Line
	if d.index == 0 {
		first = 1
	}
	out := ignoresIn(file, d.root, [2]int{first, endLine(d.root)})
	for _, kv := range pairs(get(d.root, "paths")) {
		out = append(out, pathItemIgnores(file, kv[0].Line, kv[1])...)
	}
	return out
}

// pathItemIgnores reads the x-decouple-ignore entries of a path item (from
// its key line to its end) and of its operations.
func pathItemIgnores(file string, from int, item *yaml.Node) []facts.Suppression {
	out := ignoresIn(file, item, [2]int{from, endLine(item)})
	for _, m := range pairs(item) {
		if httpMethods[m[0].Value] {
			out = append(out, ignoresIn(file, m[1], [2]int{m[0].Line, endLine(m[1])})...)
		}
	}
	return out
}

// ignoresIn reads the x-decouple-ignore value of a mapping. Accepted forms:
// a list of {rule, reason} mappings, a single such mapping, or "RULE reason"
// strings. An entry without a rule or reason is kept: the driver reports it.
func ignoresIn(file string, owner *yaml.Node, lines [2]int) []facts.Suppression {
	_, v := keyValue(owner, "x-decouple-ignore")
	if v == nil {
		return nil
	}
	entries := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		entries = items(v)
	}
	var out []facts.Suppression
	for _, e := range entries {
		if e == nil {
			continue
		}
		var rule, reason string
		switch e.Kind {
		case yaml.MappingNode:
			rule, reason = scalar(get(e, "rule")), scalar(get(e, "reason"))
		case yaml.ScalarNode:
			f := strings.Fields(e.Value)
			if len(f) > 0 {
				rule, reason = f[0], strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(e.Value), f[0]))
			}
		}
		for _, r := range strings.Split(rule, ",") {
			out = append(out, facts.Suppression{
				Pos: nodePos(file, e), Rule: strings.TrimSpace(r), Reason: strings.TrimSpace(reason), Lines: lines,
			})
		}
	}
	return out
}

// endLine returns the last line a node's subtree spans. Aliases are not
// followed.
func endLine(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	last := n.Line
	if n.Kind == yaml.ScalarNode && (n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle) {
		last += strings.Count(strings.TrimRight(n.Value, "\n"), "\n") + 1
	}
	for _, c := range n.Content {
		if c.Kind != yaml.AliasNode {
			last = max(last, endLine(c))
		} else {
			last = max(last, c.Line)
		}
	}
	return last
}
