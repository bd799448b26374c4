package load

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// schemaViolation is one place where a compose file breaks the compose
// schema.
type schemaViolation struct {
	line, col int
	msg       string
}

// composeSchemaViolation words the first violation of the compose schema
// in a file, in file order. compose-go reports one violation of a file
// that has several, and which one depends on map order: the same file
// would get a different error on every run. ok is false when the file, as
// written, has none (the violation came with interpolation or merging).
// content is the file as compose-go reads it (composeContent).
func composeSchemaViolation(content []byte) (v schemaViolation, ok bool) {
	var top yaml.Node
	if err := yaml.Unmarshal(content, &top); err != nil || top.Kind != yaml.DocumentNode || len(top.Content) != 1 {
		return v, false
	}
	root := top.Content[0]
	var doc any
	if err := root.Decode(&doc); err != nil {
		return v, false
	}
	// the schema validates JSON values, as compose-go validates them
	raw, err := json.Marshal(doc)
	if err != nil {
		return v, false
	}
	var inst any
	if err := json.Unmarshal(raw, &inst); err != nil {
		return v, false
	}
	c := jsonschema.NewCompiler()
	spec, err := jsonschema.UnmarshalJSON(strings.NewReader(schema.Schema))
	if err != nil {
		return v, false
	}
	if err := c.AddResource("compose-spec.json", spec); err != nil {
		return v, false
	}
	sch, err := c.Compile("compose-spec.json")
	if err != nil {
		return v, false
	}
	var verr *jsonschema.ValidationError
	if !errors.As(sch.Validate(inst), &verr) {
		return v, false
	}
	p := message.NewPrinter(language.English)
	var all []schemaViolation
	var leaves func(e *jsonschema.ValidationError)
	leaves = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				leaves(c)
			}
			return
		}
		if k, extra := e.ErrorKind.(*kind.AdditionalProperties); extra {
			// one violation per key, at the key
			for _, prop := range k.Properties {
				loc := append(slices.Clip(e.InstanceLocation), prop)
				n := instanceNode(root, loc)
				all = append(all, schemaViolation{line: n.Line, col: n.Column, msg: strings.Join(loc, ".") + " is not a key of the compose schema"})
			}
			return
		}
		n := instanceNode(root, e.InstanceLocation)
		all = append(all, schemaViolation{line: n.Line, col: n.Column, msg: violationMessage(p, e)})
	}
	leaves(verr)
	if len(all) == 0 {
		return v, false
	}
	return slices.MinFunc(all, func(a, b schemaViolation) int {
		return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col), cmp.Compare(a.msg, b.msg))
	}), true
}

// instanceNode finds the node at a JSON location in a YAML tree: the key
// of a mapping entry, so that the line is the key's, or the deepest node
// the path reaches.
func instanceNode(n *yaml.Node, loc []string) *yaml.Node {
	for i, part := range loc {
		k, v := childNode(n, part)
		switch {
		case v == nil && k != nil, k != nil && i == len(loc)-1:
			return k
		case v == nil:
			return n
		}
		n = v
	}
	return n
}

// violationMessage words a violation as compose-go does.
func violationMessage(p *message.Printer, e *jsonschema.ValidationError) string {
	at := strings.Join(e.InstanceLocation, ".")
	if at == "" {
		at = "the file"
	}
	switch k := e.ErrorKind.(type) {
	case *kind.FalseSchema:
		return fmt.Sprintf("%s is not a key of the compose schema", at)
	case *kind.Type:
		return fmt.Sprintf("%s must be a %s", at, strings.Join(k.Want, " or "))
	}
	return fmt.Sprintf("%s %s", at, e.ErrorKind.LocalizedString(p))
}
