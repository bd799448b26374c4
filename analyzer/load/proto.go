package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bufbuild/protocompile/ast"
	"github.com/bufbuild/protocompile/parser"
	"github.com/bufbuild/protocompile/reporter"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// maxProtoDepth bounds brace nesting in a .proto before it is parsed, and
// the additional_bindings read from one rpc. protocompile's parser keeps its
// own stack and does not recurse, but its time grows faster than the file
// with the nesting (100,000 nested messages: seconds), and no real proto
// nests this deep: such a file is rejected at once with its line.
const maxProtoDepth = 64

// parseProtos parses every .proto input in parallel.
func (l *loader) parseProtos(ctx context.Context) {
	defer l.stats.parser("proto", time.Now())
	var protos []*input
	for _, in := range l.inputs {
		if in.kind == kindProto {
			protos = append(protos, in)
		}
	}
	out := make([]*facts.ProtoFile, len(protos))
	l.each(ctx, len(protos), func(i int) {
		out[i], _ = within(l, protos[i].path, func() *facts.ProtoFile { return l.parseProto(protos[i]) })
	})
	for _, p := range out {
		if p != nil {
			l.repo.Protos = append(l.repo.Protos, p)
		}
	}
}

func (l *loader) parseProto(in *input) *facts.ProtoFile {
	if line, err := protoPrescan(in.data); err != nil {
		l.problem(in.path, line, 0, "%v", err)
		return nil
	}
	pf, err := protoFacts(in.path, trimLineEnds(elideMessageBodies(blankProtoComments(in.data))))
	if err != nil {
		var se *protoSyntaxError
		if errors.As(err, &se) {
			l.problem(in.path, se.line, se.col, "malformed proto: %s", se.msg)
		} else {
			l.problem(in.path, 0, 0, "malformed proto: %v", err)
		}
		return nil
	}
	return pf
}

// protoFacts parses a comment-blanked proto source into its facts. Only
// the first error is reported: the parse stops there.
func protoFacts(path string, src []byte) (*facts.ProtoFile, error) {
	src = bytes.TrimPrefix(src, utf8BOM) // the parser drops it too: offsets stay aligned
	file, err := parser.Parse(path, bytes.NewReader(src), reporter.NewHandler(nil))
	if err != nil {
		return nil, protoError(src, err)
	}
	p := protoPositions{file: file, path: path, src: src}
	pf := &facts.ProtoFile{Path: path, Vendored: isVendoredProto(path)}
	for _, d := range file.Decls {
		switch x := d.(type) {
		case *ast.PackageNode:
			pf.Package = string(x.Name.AsIdentifier())
			pf.PackagePos = p.of(x)
		case *ast.ImportNode:
			pf.Imports = append(pf.Imports, facts.ProtoImport{Path: x.Name.AsString(), Pos: p.of(x)})
		case *ast.ServiceNode:
			pf.Services = append(pf.Services, protoService(p, x))
		case *ast.MessageNode:
			pf.Messages = append(pf.Messages, facts.ProtoMessage{Name: x.Name.Val, Pos: p.of(x)})
		case *ast.EnumNode:
			pf.Messages = append(pf.Messages, facts.ProtoMessage{Name: x.Name.Val, Pos: p.of(x)})
		}
	}
	return pf, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func protoService(p protoPositions, s *ast.ServiceNode) facts.ProtoService {
	ps := facts.ProtoService{Name: s.Name.Val, Pos: p.of(s)}
	for _, d := range s.Decls {
		rpc, ok := d.(*ast.RPCNode)
		if !ok {
			continue
		}
		r := facts.ProtoRPC{Name: rpc.Name.Val, Pos: p.of(rpc)}
		if rpc.Input != nil && rpc.Input.MessageType != nil {
			r.RequestType = string(rpc.Input.MessageType.AsIdentifier())
		}
		if rpc.Output != nil && rpc.Output.MessageType != nil {
			r.ResponseType = string(rpc.Output.MessageType.AsIdentifier())
		}
		r.HTTP = httpBindings(p, rpc)
		ps.RPCs = append(ps.RPCs, r)
	}
	return ps
}

// protoPositions turns parser nodes into positions: line from the parser,
// column counted in runes from the start of the line (the parser's own
// column expands tabs to 8).
type protoPositions struct {
	file *ast.FileNode
	path string
	src  []byte
}

func (p protoPositions) of(n ast.Node) facts.Position {
	sp := p.file.NodeInfo(n).Start()
	return facts.Position{File: p.path, Line: sp.Line, Col: runeCol(p.src, sp.Offset)}
}

// runeCol is the 1-based column, in runes, of offset off in src.
func runeCol(src []byte, off int) int {
	off = min(max(off, 0), len(src))
	return 1 + utf8.RuneCount(src[bytes.LastIndexByte(src[:off], '\n')+1:off])
}

// protoError positions the parser's error by line and rune column, drops
// the position the parser prefixes to its message, and names the token the
// parser stopped at when its message does not.
func protoError(src []byte, err error) error {
	var ewp reporter.ErrorWithPos
	if !errors.As(err, &ewp) {
		return err
	}
	sp := ewp.GetPosition()
	msg := strings.ReplaceAll(ewp.Unwrap().Error(), "$end", "end of file")
	if sp.Line <= 0 {
		return &protoSyntaxError{msg: msg}
	}
	named := strings.Contains(msg, "unexpected '") || strings.Contains(msg, `unexpected "`) || strings.Contains(msg, "end of file")
	if tok := tokenAt(src, sp.Offset); tok != "" && strings.HasPrefix(msg, "syntax error: ") && !named {
		msg += fmt.Sprintf(" (found %q)", tok)
	}
	return &protoSyntaxError{line: sp.Line, col: runeCol(src, sp.Offset), msg: msg}
}

// tokenAt returns the token starting at offset off of src, shortened to 40
// bytes: an identifier or number, or one character.
func tokenAt(src []byte, off int) string {
	if off < 0 || off >= len(src) {
		return ""
	}
	end := off
	for end < len(src) && end-off < 40 && (isIdentByte(src[end]) || src[end] == '.') {
		end++
	}
	if end == off {
		_, n := utf8.DecodeRune(src[off:])
		end = off + n
	}
	return string(src[off:end])
}

// protoSyntaxError is a parse error at a line and column of the file.
type protoSyntaxError struct {
	line, col int
	msg       string
}

func (e *protoSyntaxError) Error() string { return fmt.Sprintf("%d:%d: %s", e.line, e.col, e.msg) }

// isVendoredProto reports whether a proto is a well-known or third-party
// definition kept in the repo.
func isVendoredProto(p string) bool {
	return strings.HasPrefix(p, "google/") || strings.Contains(p, "/google/api/") ||
		strings.Contains(p, "/google/protobuf/") || strings.Contains(p, "/google/rpc/") ||
		strings.HasPrefix(p, "vendor/") || strings.Contains(p, "/vendor/") ||
		strings.HasPrefix(p, "third_party/") || strings.Contains(p, "/third_party/")
}

// blankProtoComments replaces the text of every comment with spaces,
// keeping newlines, so byte offsets and line numbers stay the same and the
// parser never sees comment text. String literals are left alone.
func blankProtoComments(src []byte) []byte {
	out := bytes.Clone(src)
	const (
		code = iota
		str
		line
		block
	)
	state, quote := code, byte(0)
	for i := 0; i < len(out); i++ {
		c := out[i]
		switch state {
		case code:
			switch {
			case c == '"' || c == '\'':
				state, quote = str, c
			case c == '/' && i+1 < len(out) && out[i+1] == '/':
				state = line
				out[i], out[i+1] = ' ', ' '
				i++
			case c == '/' && i+1 < len(out) && out[i+1] == '*':
				state = block
				out[i], out[i+1] = ' ', ' '
				i++
			}
		case str:
			if c == '\\' && i+1 < len(out) {
				i++
			} else if c == quote || c == '\n' {
				state = code
			}
		case line:
			if c == '\n' {
				state = code
			} else {
				out[i] = ' '
			}
		case block:
			if c == '*' && i+1 < len(out) && out[i+1] == '/' {
				out[i], out[i+1] = ' ', ' '
				i++
				state = code
			} else if c != '\n' {
				out[i] = ' '
			}
		}
	}
	return out
}

// braceDepth returns the deepest brace nesting outside comments and
// strings, and the line where it is first reached.
func braceDepth(src []byte) (line, depth int) {
	src = blankProtoComments(src)
	cur, ln, inStr, quote := 0, 1, false, byte(0)
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\n':
			ln++
			inStr = false
		case inStr:
			switch c {
			case '\\':
				i++
			case quote:
				inStr = false
			}
		case c == '"' || c == '\'':
			inStr, quote = true, c
		case c == '{':
			cur++
			if cur > depth {
				depth, line = cur, ln
			}
		case c == '}':
			cur--
		}
	}
	return line, depth
}
