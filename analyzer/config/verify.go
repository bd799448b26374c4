package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Verify checks config data and returns every problem, each with its line:
// YAML syntax, unknown keys, repeated keys and wrong types anywhere in the
// file (checked against File itself, so the check cannot drift from the
// decoder), invalid values, and rule selectors that known rejects. known
// reports whether a selector names a rule, area or preset; nil skips that
// check. name is used in the errors. No problem means the file loads.
func Verify(name string, data []byte, known func(selector string) bool) []*Error {
	var root yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return []*Error{{File: name, Msg: "empty config: want at least \"version: 1\""}}
		}
		return []*Error{asError(yamlError(name, err))}
	}
	top := docRoot(&root)
	var out []*Error
	add := func(line int, format string, args ...any) {
		out = append(out, &Error{File: name, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	checkShape(top, top.Line, reflect.TypeFor[File](), "", add, map[shapeKey]bool{})

	// Decode what has the right shape (the walk reported the rest) and
	// check the values. A decode that fails for another reason than a
	// wrong type (a repeated key) leaves nothing worth checking.
	f := &File{Path: name}
	var te *yaml.TypeError
	if err := top.Decode(f); err != nil && (!errors.As(err, &te) || strings.Contains(err.Error(), "already defined")) {
		sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
		return out
	}
	f.Path = name
	if svcs := get(top, "services"); svcs != nil && svcs.Kind == yaml.SequenceNode {
		for _, s := range svcs.Content {
			f.serviceLines = append(f.serviceLines, s.Line)
		}
	}
	shapeLines := map[int]bool{}
	for _, e := range out {
		shapeLines[e.Line] = true
	}
	for _, e := range f.problems(&root) {
		if !shapeLines[e.Line] { // a wrong type already said it
			out = append(out, e)
		}
	}
	if known != nil {
		for _, sel := range selectors(top) {
			if !known(sel.value) {
				add(sel.line, "%s: unknown rule, area or preset %q (see `decouple rules`)", sel.where, sel.value)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Msg: err.Error()}
}

// checkShape compares a YAML node with the Go type it decodes into and
// reports unknown and repeated keys and wrong kinds of value, a wrong kind
// at line, the line of the key or item that holds it. A null value is
// accepted anywhere: it decodes to the zero value. An anchored node is
// checked once per type however many aliases point at it, so neither a
// self-alias nor an alias bomb can make the walk loop or explode.
func checkShape(n *yaml.Node, line int, t reflect.Type, where string, add func(int, string, ...any), visited map[shapeKey]bool) {
	if n == nil {
		return
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return
		}
		n = n.Alias
	}
	if n.Anchor != "" {
		k := shapeKey{n, t}
		if visited[k] {
			return
		}
		visited[k] = true
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	label := where
	if label == "" {
		label = "the config"
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			add(line, "%s: want a mapping, got %s", label, kindOf(n))
			return
		}
		fields := yamlFields(t)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if seen[k.Value] {
				add(k.Line, "%s: key %q repeats", label, k.Value)
			}
			seen[k.Value] = true
			ft, ok := fields[k.Value]
			if !ok {
				add(k.Line, "%s: unknown key %q (want one of %s)", label, k.Value, strings.Join(slices.Sorted(maps.Keys(fields)), ", "))
				continue
			}
			checkShape(v, k.Line, ft, join(where, k.Value), add, visited)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			add(line, "%s: want a mapping, got %s", label, kindOf(n))
			return
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if seen[k.Value] {
				add(k.Line, "%s: key %q repeats", label, k.Value)
			}
			seen[k.Value] = true
			checkShape(v, k.Line, t.Elem(), join(where, k.Value), add, visited)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			add(line, "%s: want a list, got %s", label, kindOf(n))
			return
		}
		for i, item := range n.Content {
			checkShape(item, item.Line, t.Elem(), fmt.Sprintf("%s[%d]", where, i), add, visited)
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			add(line, "%s: want a string, got %s", label, kindOf(n))
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			add(line, "%s: want an integer, got %s", label, kindOf(n))
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			add(line, "%s: want true or false, got %s", label, kindOf(n))
		}
	case reflect.Float64, reflect.Float32:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!float" && n.Tag != "!!int") {
			add(line, "%s: want a number, got %s", label, kindOf(n))
		}
	}
}

// shapeKey is an anchored node checked against a type.
type shapeKey struct {
	n *yaml.Node
	t reflect.Type
}

// yamlFields maps the YAML keys of a struct to their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(sf.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(sf.Name)
		}
		out[name] = sf.Type
	}
	return out
}

func kindOf(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return n.Value
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

func join(where, key string) string {
	if where == "" {
		return key
	}
	return where + "." + key
}

type selector struct {
	where, value string
	line         int
}

// selectors returns every rule selector in the file with its line.
func selectors(top *yaml.Node) []selector {
	var out []selector
	rules := get(top, "rules")
	for _, key := range []string{"use", "except"} {
		if n := get(rules, key); n != nil && n.Kind == yaml.SequenceNode {
			for _, item := range n.Content {
				if item.Kind == yaml.ScalarNode {
					out = append(out, selector{"rules." + key, item.Value, item.Line})
				}
			}
		}
	}
	for _, key := range []string{"severity", "ignore_only"} {
		if n := get(rules, key); n != nil && n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				out = append(out, selector{"rules." + key, n.Content[i].Value, n.Content[i].Line})
			}
		}
	}
	if n := get(top, "exclusions"); n != nil && n.Kind == yaml.SequenceNode {
		for i, item := range n.Content {
			if r := get(item, "rule"); r != nil && r.Kind == yaml.ScalarNode && r.Value != "" {
				out = append(out, selector{fmt.Sprintf("exclusions[%d].rule", i), r.Value, r.Line})
			}
		}
	}
	return out
}
