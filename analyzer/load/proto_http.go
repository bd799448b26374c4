package load

import (
	"strings"

	"github.com/bufbuild/protocompile/ast"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// httpBindings reads the google.api.http option of an rpc: the primary
// binding, then each additional_bindings entry, in source order. Each is
// positioned on its path string.
func httpBindings(p protoPositions, rpc *ast.RPCNode) []facts.HTTPBinding {
	var out []facts.HTTPBinding
	for _, d := range rpc.Decls {
		o, ok := d.(*ast.OptionNode)
		if !ok || o.Name == nil || len(o.Name.Parts) == 0 {
			continue
		}
		parts := o.Name.Parts
		if !parts[0].IsExtension() || string(parts[0].Name.AsIdentifier()) != "google.api.http" {
			continue
		}
		switch {
		case len(parts) == 1:
			// option (google.api.http) = { get: "/path" ... };
			ruleBindings(p, o.Val, 0, &out)
		case len(parts) == 2 && !parts[1].IsExtension() && !parts[1].IsAnyTypeReference():
			// option (google.api.http).get = "/path";
			ruleField(p, string(parts[1].Name.AsIdentifier()), o.Val, 0, &out)
		}
	}
	return out
}

// ruleBindings appends the bindings of one HttpRule message literal.
func ruleBindings(p protoPositions, v ast.ValueNode, depth int, out *[]facts.HTTPBinding) {
	msg, ok := v.(*ast.MessageLiteralNode)
	if !ok {
		return
	}
	for _, f := range msg.Elements {
		if f == nil || f.Name == nil || f.Name.Open != nil {
			continue // an extension or Any reference, not an HttpRule field
		}
		ruleField(p, string(f.Name.Name.AsIdentifier()), f.Val, depth, out)
	}
}

// ruleField appends the bindings of one HttpRule field: get, put, post,
// delete and patch hold a path; custom holds {kind path}; additional_bindings
// holds a rule or a list of rules. Nested additional_bindings (which
// google.api.http forbids) are read down to maxProtoDepth levels.
func ruleField(p protoPositions, name string, v ast.ValueNode, depth int, out *[]facts.HTTPBinding) {
	switch name {
	case "get", "put", "post", "delete", "patch":
		if s, ok := v.(ast.StringValueNode); ok {
			*out = append(*out, facts.HTTPBinding{Method: strings.ToUpper(name), Path: s.AsString(), Pos: p.of(s)})
		}
	case "custom":
		if b, ok := customBinding(p, v); ok {
			*out = append(*out, b)
		}
	case "additional_bindings":
		if depth >= maxProtoDepth {
			return
		}
		if list, ok := v.(*ast.ArrayLiteralNode); ok {
			for _, e := range list.Elements {
				ruleBindings(p, e, depth+1, out)
			}
			return
		}
		ruleBindings(p, v, depth+1, out)
	}
}

// customBinding reads a custom {kind path} pattern; it needs a path.
func customBinding(p protoPositions, v ast.ValueNode) (facts.HTTPBinding, bool) {
	msg, ok := v.(*ast.MessageLiteralNode)
	if !ok {
		return facts.HTTPBinding{}, false
	}
	var b facts.HTTPBinding
	var path ast.StringValueNode
	for _, f := range msg.Elements {
		if f == nil || f.Name == nil || f.Name.Open != nil {
			continue
		}
		s, ok := f.Val.(ast.StringValueNode)
		if !ok {
			continue
		}
		switch f.Name.Name.AsIdentifier() {
		case "kind":
			b.Method = strings.ToUpper(s.AsString())
		case "path":
			path = s
		}
	}
	if path == nil || path.AsString() == "" {
		return b, false
	}
	b.Path, b.Pos = path.AsString(), p.of(path)
	return b, true
}
