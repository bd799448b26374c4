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
	out := eachWithin(ctx, l, len(protos), func(i int) string { return protos[i].path },
		func(i int) *facts.ProtoFile { return l.parseProto(protos[i]) })
	for _, p := range out {
		if p != nil {
			p.Vendored = p.Vendored || thirdPartyProto(p, l.repo.GoModules)
			l.repo.Protos = append(l.repo.Protos, p)
		}
	}
}

// thirdPartyGoPackages are the Go import paths of projects whose option and
// error protos repositories copy in (protoc-gen-validate, protovalidate,
// grpc-gateway's openapiv2 options, gogoproto, gnostic, kratos' errors).
var thirdPartyGoPackages = []string{
	"github.com/envoyproxy/", "github.com/bufbuild/protovalidate", "buf.build/gen/go/bufbuild/",
	"github.com/grpc-ecosystem/", "github.com/gogo/protobuf/", "github.com/google/gnostic",
	"github.com/googleapis/gnostic", "github.com/go-kratos/kratos/", "github.com/mwitkow/go-proto-validators",
	"google.golang.org/genproto/", "google.golang.org/protobuf/", "github.com/cncf/xds/",
}

// thirdPartyPackages are proto packages of those projects.
var thirdPartyPackages = []string{"validate", "buf.validate", "gogoproto", "grpc.gateway.", "gnostic.", "openapi.v3", "udpa.", "xds."}

// thirdPartyProto reports a copy of a third-party proto: its package or its
// go_package is one of those projects', and its go_package lies in none of
// the repository's modules (in protoc-gen-validate's own repository,
// validate.proto is its own).
func thirdPartyProto(pf *facts.ProtoFile, mods []*facts.GoModule) bool {
	for _, m := range mods {
		if pf.GoPackage == m.Path || strings.HasPrefix(pf.GoPackage, m.Path+"/") {
			return false
		}
	}
	for _, p := range thirdPartyGoPackages {
		if strings.HasPrefix(pf.GoPackage, p) {
			return true
		}
	}
	for _, p := range thirdPartyPackages {
		if pf.Package == p || strings.HasSuffix(p, ".") && strings.HasPrefix(pf.Package, p) {
			return true
		}
	}
	return false
}

// parseProto prescans, blanks comments, elides top-level message and enum
// bodies, and parses what is left. Blanking on its own does not speed up
// protocompile (it reads a comment about as fast as the spaces that replace
// it); the prescan and the elision need it, and the elision halves the
// parse on googleapis.
func (l *loader) parseProto(in *input) *facts.ProtoFile {
	src := blankProtoComments(in.data)
	if line, err := protoPrescan(src); err != nil {
		l.problem(in.path, line, 0, "%v", err)
		return nil
	}
	pf, err := protoFacts(in.path, elideMessageBodies(src))
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

// protoFacts parses a proto source, as written or blanked and elided, into
// its facts. Only the first error is reported: the parse stops there.
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
		case *ast.OptionNode:
			if x.Name != nil && len(x.Name.Parts) == 1 && !x.Name.Parts[0].IsExtension() &&
				string(x.Name.Parts[0].Name.AsIdentifier()) == "go_package" {
				if v, ok := x.Val.Value().(string); ok {
					pf.GoPackage, _, _ = strings.Cut(v, ";")
				}
			}
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
// definition kept in the repo, one kept with the repository's tooling
// (hack/, tools/, scripts/: another project's API a client is generated
// from, a fixture), a test's fixture (grpctesting/testpb/) or a design
// proposal's draft (proposals/): no API the repository publishes.
func isVendoredProto(p string) bool {
	return strings.HasPrefix(p, "google/") || strings.Contains(p, "/google/api/") ||
		strings.Contains(p, "/google/protobuf/") || strings.Contains(p, "/google/rpc/") ||
		inFolder(p, protoAsideFolders)
}

var protoAsideFolders = folderSet(nil, "vendor", "third_party", "third-party", "hack", "tools", "scripts",
	"testpb", "testprotos", "testproto", "grpctesting", "proposals")

// blankProtoComments replaces the text of every comment with one space per
// rune, keeping newlines, so that every token keeps its line and its column
// in runes and the parser never sees comment text. String literals are left
// alone; one ends at its closing quote or at the end of its line.
func blankProtoComments(src []byte) []byte {
	out := make([]byte, 0, len(src))
	last := 0 // src[last:] is not yet copied to out
	for i := 0; i < len(src); i++ {
		j := indexCodeSpecial(src[i:])
		if j < 0 {
			break
		}
		i += j
		if src[i] != '/' {
			i = stringEnd(src, i)
			continue
		}
		if i+1 >= len(src) || (src[i+1] != '/' && src[i+1] != '*') {
			continue
		}
		var end int // the end of the comment, exclusive
		if src[i+1] == '/' {
			end = bytes.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src)
			} else {
				end += i
			}
		} else {
			end = bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				end = len(src)
			} else {
				end += i + 4
			}
		}
		out = append(out, src[last:i]...)
		out = appendBlank(out, src[i:end], false)
		last, i = end, end-1
	}
	return append(out, src[last:]...)
}

// codeSpecial marks the bytes that start a string or a comment.
var codeSpecial = [256]bool{'"': true, '\'': true, '/': true}

func indexCodeSpecial(b []byte) int {
	for i, c := range b {
		if codeSpecial[c] {
			return i
		}
	}
	return -1
}

// stringEnd returns the offset of the byte ending the string literal that
// opens at i: its closing quote, the newline that cuts it short, or the
// last byte of src.
func stringEnd(src []byte, i int) int {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			if j+1 < len(src) {
				j++
			}
		case q, '\n':
			return j
		}
	}
	return len(src) - 1
}

// braceDepth returns the deepest brace nesting outside strings of a
// comment-blanked source, and the line where it is first reached.
func braceDepth(src []byte) (line, depth int) {
	cur, ln := 0, 1
	for i := 0; i < len(src); i++ {
		c := src[i]
		if !depthSpecial[c] {
			continue
		}
		switch c {
		case '\n':
			ln++
		case '"', '\'':
			j := stringEnd(src, i)
			ln += bytes.Count(src[i:j], newline) // escaped newlines
			if src[j] == '\n' {
				ln++
			}
			i = j
		case '{':
			cur++
			if cur > depth {
				depth, line = cur, ln
			}
		case '}':
			cur--
		}
	}
	return line, depth
}

var (
	depthSpecial = [256]bool{'\n': true, '"': true, '\'': true, '{': true, '}': true}
	newline      = []byte{'\n'}
)
