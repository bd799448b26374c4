package load

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Limits checked before a parser sees a file. Parsers recurse per nesting
// level and some are quadratic in token length; these bounds keep every file
// inside its time budget and the process inside its stack.
const (
	maxNesting    = 256      // brackets, braces or YAML indentation levels
	maxLineLength = 64 << 10 // bytes on one line of a proto file
)

// yamlPrescan checks flow nesting ({ and [) outside quoted scalars and
// comments, and reports the line of the first excess. (Block nesting is
// bounded by the decoder itself.)
func yamlPrescan(data []byte) error {
	depth, line, quote := 0, 1, byte(0)
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
			line++
			if quote == '\'' || quote == '"' {
				continue // quoted scalars may span lines
			}
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || data[i-1] == ' ' || data[i-1] == '\n'):
			for i < len(data) && data[i] != '\n' {
				i++
			}
			i--
		case c == '[' || c == '{':
			depth++
			if depth > maxNesting {
				return fmt.Errorf("line %d: nesting deeper than %d levels; file not parsed", line, maxNesting)
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return nil
}

// duplicateKey finds the first mapping with a repeated key in a decoded
// tree. It walks the tree as written: alias nodes are not followed, so an
// alias bomb costs no more than its own size.
func duplicateKey(n *yaml.Node) error {
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == nil || n.Kind == yaml.AliasNode {
			continue
		}
		if n.Kind == yaml.MappingNode {
			seen := map[string]int{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Kind != yaml.ScalarNode || k.Value == "<<" {
					continue
				}
				if first, ok := seen[k.Value]; ok {
					return fmt.Errorf("line %d: mapping key %q already defined at line %d", k.Line, k.Value, first)
				}
				seen[k.Value] = k.Line
			}
		}
		stack = append(stack, n.Content...)
	}
	return nil
}

// protoPrescan checks brace nesting and line length of a comment-blanked
// proto source.
func protoPrescan(data []byte) (line int, err error) {
	if l, depth := braceDepth(data); depth > maxProtoDepth {
		return l, fmt.Errorf("proto nesting deeper than %d levels; file not parsed", maxProtoDepth)
	}
	ln := 1
	for len(data) > 0 {
		end := bytes.IndexByte(data, '\n')
		if end < 0 {
			end = len(data)
		}
		if end > maxLineLength {
			return ln, fmt.Errorf("line longer than %d bytes; file not parsed", maxLineLength)
		}
		if end < len(data) {
			end++
		}
		data = data[end:]
		ln++
	}
	return 0, nil
}
