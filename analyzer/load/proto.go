package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	protoparser "github.com/yoheimuta/go-protoparser/v4"
	"github.com/yoheimuta/go-protoparser/v4/parser"
	"github.com/yoheimuta/go-protoparser/v4/parser/meta"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// maxProtoDepth bounds brace nesting in a .proto before it is parsed: the
// parser recurses per level and a deep enough file overflows the stack,
// which no recover can catch.
const maxProtoDepth = 64

// parseProtos parses every .proto input in parallel.
func (l *loader) parseProtos(ctx context.Context) {
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
	src := blankProtoComments(in.data)
	ast, err := protoparser.Parse(bytes.NewReader(src), protoparser.WithFilename(in.path), protoparser.WithPermissive(true))
	if err != nil {
		line, col, msg := protoError(err)
		l.problem(in.path, line, col, "malformed proto: %s", msg)
		return nil
	}
	pf := &facts.ProtoFile{Path: in.path, Vendored: isVendoredProto(in.path)}
	for _, v := range ast.ProtoBody {
		switch x := v.(type) {
		case *parser.Package:
			pf.Package = x.Name
			pf.PackagePos = pos(in.path, x.Meta.Pos)
		case *parser.Import:
			pf.Imports = append(pf.Imports, facts.ProtoImport{Path: strings.Trim(x.Location, `"'`), Pos: pos(in.path, x.Meta.Pos)})
		case *parser.Service:
			pf.Services = append(pf.Services, protoService(in.path, src, x))
		case *parser.Message:
			pf.Messages = append(pf.Messages, facts.ProtoMessage{Name: x.MessageName, Pos: pos(in.path, x.Meta.Pos)})
		case *parser.Enum:
			pf.Messages = append(pf.Messages, facts.ProtoMessage{Name: x.EnumName, Pos: pos(in.path, x.Meta.Pos)})
		}
	}
	return pf
}

func protoService(file string, src []byte, s *parser.Service) facts.ProtoService {
	ps := facts.ProtoService{Name: s.ServiceName, Pos: pos(file, s.Meta.Pos)}
	for _, v := range s.ServiceBody {
		rpc, ok := v.(*parser.RPC)
		if !ok || rpc == nil {
			continue
		}
		r := facts.ProtoRPC{Name: rpc.RPCName, Pos: pos(file, rpc.Meta.Pos)}
		if rpc.RPCRequest != nil {
			r.RequestType = rpc.RPCRequest.MessageType
		}
		if rpc.RPCResponse != nil {
			r.ResponseType = rpc.RPCResponse.MessageType
		}
		r.HTTP = httpBindings(file, src, rpc.Options)
		ps.RPCs = append(ps.RPCs, r)
	}
	return ps
}

func pos(file string, p meta.Position) facts.Position {
	return facts.Position{File: file, Line: p.Line, Col: p.Column}
}

// protoError extracts a position and a message free of parser internals
// (the library appends its own source paths to error strings).
func protoError(err error) (line, col int, msg string) {
	var me *meta.Error
	if errors.As(err, &me) {
		found := me.Found
		if i := strings.Index(found, "(Token="); i >= 0 {
			found = found[:i]
		}
		return me.Pos.Line, me.Pos.Column, fmt.Sprintf("found %s but expected %s", found, me.Expected)
	}
	msg = err.Error()
	if i := strings.Index(msg, " at /"); i >= 0 {
		msg = msg[:i]
	}
	return 0, 0, msg
}

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
