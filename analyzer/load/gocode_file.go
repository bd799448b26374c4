package load

import (
	"bytes"
	"errors"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/scanner"
	"go/token"
	"maps"
	"path"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// codeFile is what the fast path reads from one .go file: its header, its
// package clause and its import block, and, only when the cheap byte scan
// finds persistence tags, its struct types.
type codeFile struct {
	in        *input
	dir       string
	test      bool
	pkg       string // package name as written (an external test package keeps its _test suffix)
	pkgPos    facts.Position
	imports   []facts.GoImport
	generator string // the tool named by a "Code generated" header, "" when hand-written
	models    []facts.GoStruct
	structs   bool // a non-test file declaring an exported struct type
	// runs are the programs its //go:generate directives go run: a folder
	// (relative paths resolved) or an import path.
	runs []string
	// never is true for a file no build configuration includes
	// (//go:build ignore, or contradictory constraints).
	never bool
}

// persistenceTags are the struct-tag keys that mark a persistence model.
var persistenceTags = []string{"bson", "db", "dynamodbav", "gorm", "sql"}

// parseGoFile reads one .go input. It returns nil when the file has no
// usable package clause (the problem is recorded).
func (l *loader) parseGoFile(in *input) *codeFile {
	g := &codeFile{in: in, dir: path.Dir(in.path), test: strings.HasSuffix(in.path, "_test.go")}
	hdr := scanGoHeader(in.data)
	g.generator = hdr.generator
	if hdr.expr != nil {
		if !satisfiable(hdr.expr, in.path) {
			g.never = true
			return g
		}
	} else if hdr.exprErr != "" {
		l.problem(in.path, hdr.exprLine, 1, "malformed build constraint: %s", hdr.exprErr)
	} else if !satisfiable(nil, in.path) {
		g.never = true
		return g
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, in.path, in.data, parser.ImportsOnly|parser.SkipObjectResolution)
	if err != nil {
		line, col, msg := goParseError(err)
		l.problem(in.path, line, col, "malformed Go file: %s", msg)
	}
	if f == nil || f.Name == nil || f.Name.Name == "" || f.Name.Name == "_" {
		return nil
	}
	g.pkg = f.Name.Name
	g.pkgPos = goPos(fset, in.path, f.Package)
	g.imports = make([]facts.GoImport, 0, len(f.Imports))
	for _, s := range f.Imports {
		if s.Path == nil {
			continue
		}
		p, err := strconv.Unquote(s.Path.Value)
		if err != nil || p == "" {
			continue
		}
		g.imports = append(g.imports, facts.GoImport{Path: p, Pos: goPos(fset, in.path, s.Path.Pos()), Test: g.test})
	}
	if !g.test && mayHaveModels(in.data) {
		g.models = parseModels(in)
	}
	g.structs = !g.test && declaresStruct(in.data)
	g.runs = generateRuns(in.data, g.dir)
	return g
}

// generateRuns returns the programs the //go:generate directives of src
// go run: a repository folder for a relative path (../cmd/codegen,
// ./gen/main.go), else the import path as written.
func generateRuns(src []byte, dir string) []string {
	if !bytes.Contains(src, []byte("//go:generate")) {
		return nil
	}
	var out []string
	for line := range bytes.SplitSeq(src, []byte("\n")) {
		rest, ok := bytes.CutPrefix(bytes.TrimSpace(line), []byte("//go:generate"))
		if !ok {
			continue
		}
		f := strings.Fields(string(rest))
		if len(f) < 3 || f[0] != "go" || f[1] != "run" {
			continue
		}
		var target string
		for _, a := range f[2:] {
			if !strings.HasPrefix(a, "-") {
				target = a
				break
			}
		}
		switch {
		case target == "" || strings.Contains(target, "@"): // a tool at a version: not the repository's
		case strings.HasPrefix(target, "."):
			if strings.HasSuffix(target, ".go") {
				target = path.Dir(target)
			}
			out = append(out, cleanDir(path.Join(dir, target)))
		default:
			out = append(out, target)
		}
	}
	return out
}

// declaresStruct reports whether Go source declares an exported struct
// type (unexported ones hold a package's state, not data it shares): a line
// "type Name struct {", or "Name struct {" in a type group, with or
// without type parameters. A struct-typed field in a struct counts too;
// a var or a parameter of an anonymous struct type does not.
func declaresStruct(src []byte) bool {
	for rest, off := src, 0; ; {
		i := bytes.Index(rest, []byte("struct"))
		if i < 0 {
			return false
		}
		at := off + i
		rest, off = rest[i+len("struct"):], at+len("struct")
		after := bytes.TrimLeft(rest, " \t")
		if len(after) == 0 || after[0] != '{' {
			continue
		}
		start := bytes.LastIndexByte(src[:at], '\n') + 1
		decl := strings.TrimSpace(string(src[start:at]))
		if rest, ok := strings.CutPrefix(decl, "type"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			decl = strings.TrimSpace(rest)
		}
		if i := strings.IndexByte(decl, '['); i >= 0 && strings.HasSuffix(decl, "]") {
			decl = decl[:i] // List[T any]
		}
		if name := strings.TrimSpace(decl); token.IsIdentifier(name) && token.IsExported(name) {
			return true
		}
	}
}

func goPos(fset *token.FileSet, file string, p token.Pos) facts.Position {
	pp := fset.Position(p)
	return facts.Position{File: file, Line: pp.Line, Col: pp.Column}
}

func goParseError(err error) (line, col int, msg string) {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return list[0].Pos.Line, list[0].Pos.Column, list[0].Msg
	}
	return 0, 0, err.Error()
}

// goHeader is what precedes the package clause.
type goHeader struct {
	generator string
	expr      constraint.Expr // the //go:build line, or the // +build lines joined
	exprErr   string
	exprLine  int
}

// scanGoHeader reads the comments before the package clause, line by line,
// without tokenizing the rest of the file.
func scanGoHeader(src []byte) goHeader {
	var h goHeader
	var plus []constraint.Expr
	inBlock := false
scan:
	for n := 1; len(src) > 0; n++ {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		t := strings.TrimSpace(string(line))
		switch {
		case inBlock:
			if i := strings.Index(t, "*/"); i >= 0 {
				inBlock = false
				if strings.TrimSpace(t[i+2:]) != "" {
					break scan
				}
			}
		case t == "":
		case strings.HasPrefix(t, "/*"):
			inBlock = !strings.Contains(t[2:], "*/")
		case !strings.HasPrefix(t, "//"):
			break scan // the package clause ends the header
		case constraint.IsGoBuild(t):
			e, err := constraint.Parse(t)
			if err != nil {
				h.exprErr, h.exprLine = err.Error(), n
				continue
			}
			h.expr = e
		case constraint.IsPlusBuild(t):
			if e, err := constraint.Parse(t); err == nil {
				plus = append(plus, e)
			}
		case h.generator == "" && strings.HasPrefix(t, "// Code generated ") && (strings.HasSuffix(t, " DO NOT EDIT.") || strings.HasSuffix(t, " DO NOT EDIT!")):
			h.generator = generatorOf(t)
		case h.generator == "goctl" && strings.HasPrefix(t, "// Source: ") && strings.HasSuffix(t, ".proto"):
			// goctl writes a service's zrpc client from its proto (and its
			// database models from SQL, with no Source line)
			h.generator = "goctl-rpc"
		case h.generator == "unknown" && strings.HasPrefix(t, "// This file is a generated binding"):
			// go-ethereum's abigen: a binding of a contract's ABI
			h.generator = "abigen"
		}
	}
	if h.expr == nil && h.exprErr == "" && len(plus) > 0 {
		h.expr = plus[0]
		for _, e := range plus[1:] {
			h.expr = &constraint.AndExpr{X: h.expr, Y: e}
		}
	}
	return h
}

// generatorOf names the tool of a "// Code generated by X. DO NOT EDIT."
// line: protoc-gen-go, protoc-gen-go-grpc, oapi-codegen, openapi-generator,
// go-swagger, ent, ... ("unknown" when the line names none).
func generatorOf(line string) string {
	t := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(line, "// Code generated "), "DO NOT EDIT."), "DO NOT EDIT!")
	low := strings.ToLower(t)
	switch {
	case strings.Contains(low, "openapi generator") || strings.Contains(low, "openapi-generator"):
		return "openapi-generator"
	case strings.Contains(low, "oapi-codegen"):
		return "oapi-codegen"
	}
	by := strings.Index(low, "by ")
	if by < 0 {
		return "unknown"
	}
	w := strings.Fields(t[by+3:])
	if len(w) == 0 {
		return "unknown"
	}
	name := strings.ToLower(strings.TrimRight(w[0], ".,;:"))
	if i := strings.LastIndex(name, "/"); i >= 0 && !strings.HasPrefix(name[i+1:], "v") {
		name = name[i+1:]
	} else if i >= 0 {
		name = path.Base(path.Dir(name))
	}
	if name == "" {
		return "unknown"
	}
	return name
}

// satisfiable reports whether some build configuration includes a file with
// constraint expr (nil for none) and the given name: every platform counts,
// and any tag may be set, except "ignore" (by convention never set) and
// combinations no single platform has (two operating systems, two
// architectures).
func satisfiable(expr constraint.Expr, file string) bool {
	goos, goarch := fileNameTags(file)
	if expr == nil && goos == "" && goarch == "" {
		return true
	}
	tags := map[string]bool{}
	if expr != nil {
		collectTags(expr, tags)
	}
	var osTags, archTags, free []string
	for t := range tags {
		switch {
		case knownOS[t]:
			osTags = append(osTags, t)
		case knownArch[t]:
			archTags = append(archTags, t)
		case t != "ignore":
			free = append(free, t)
		}
	}
	if len(free) > 10 || (len(osTags)+1)*(len(archTags)+1)<<len(free) > 1<<14 {
		return true // too many combinations to enumerate: assume it can build
	}
	sort.Strings(free)
	osChoices := append(osTags, "")
	if goos != "" {
		osChoices = []string{goos}
	}
	archChoices := append(archTags, "")
	if goarch != "" {
		archChoices = []string{goarch}
	}
	for _, os := range osChoices {
		for _, arch := range archChoices {
			for mask := 0; mask < 1<<len(free); mask++ {
				if expr == nil || expr.Eval(func(tag string) bool {
					switch {
					case knownOS[tag]:
						return tag == os || (tag == "unix" && unixOS[os])
					case knownArch[tag]:
						return tag == arch
					case tag == "ignore":
						return false
					}
					i := sort.SearchStrings(free, tag)
					return i < len(free) && free[i] == tag && mask&(1<<i) != 0
				}) {
					return true
				}
			}
		}
	}
	return false
}

func collectTags(e constraint.Expr, into map[string]bool) {
	switch x := e.(type) {
	case *constraint.TagExpr:
		into[x.Tag] = true
	case *constraint.NotExpr:
		collectTags(x.X, into)
	case *constraint.AndExpr:
		collectTags(x.X, into)
		collectTags(x.Y, into)
	case *constraint.OrExpr:
		collectTags(x.X, into)
		collectTags(x.Y, into)
	}
}

// fileNameTags returns the GOOS and GOARCH a _GOOS, _GOARCH or
// _GOOS_GOARCH file-name suffix requires.
func fileNameTags(file string) (goos, goarch string) {
	name := strings.TrimSuffix(path.Base(file), ".go")
	name = strings.TrimSuffix(name, "_test")
	parts := strings.Split(name, "_")
	if len(parts) < 2 {
		return "", ""
	}
	last := parts[len(parts)-1]
	if len(parts) >= 3 && knownOS[parts[len(parts)-2]] && parts[len(parts)-2] != "unix" && knownArch[last] {
		return parts[len(parts)-2], last
	}
	if knownOS[last] && last != "unix" {
		return last, ""
	}
	if knownArch[last] {
		return "", last
	}
	return "", ""
}

var knownOS = setOf("aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
	"linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos", "unix")

var unixOS = setOf("aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios",
	"linux", "netbsd", "openbsd", "solaris")

var knownArch = setOf("386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips",
	"mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv",
	"riscv64", "s390", "s390x", "sparc", "sparc64", "wasm")

func setOf(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// mayHaveModels is the cheap scan: a struct tag with a persistence key.
func mayHaveModels(src []byte) bool {
	if bytes.IndexByte(src, '`') < 0 {
		return false
	}
	for _, k := range persistenceTags {
		if bytes.Contains(src, []byte(k+`:"`)) {
			return true
		}
	}
	return false
}

// parseModels parses the whole file (only called when the cheap scan
// matched) and returns its struct types with persistence tags.
func parseModels(in *input) []facts.GoStruct {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, in.path, in.data, parser.SkipObjectResolution)
	if f == nil || (err != nil && len(f.Decls) == 0) {
		return nil
	}
	var out []facts.GoStruct
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, s := range gd.Specs {
			ts, ok := s.(*ast.TypeSpec)
			if !ok {
				continue
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok || st.Fields == nil {
				continue
			}
			keys := map[string]bool{}
			for _, fld := range st.Fields.List {
				if fld.Tag == nil {
					continue
				}
				tag, err := strconv.Unquote(fld.Tag.Value)
				if err != nil {
					continue
				}
				for _, k := range persistenceTags {
					if _, ok := reflect.StructTag(tag).Lookup(k); ok {
						keys[k] = true
					}
				}
			}
			if len(keys) > 0 {
				out = append(out, facts.GoStruct{Name: ts.Name.Name, Pos: goPos(fset, in.path, ts.Name.Pos()), Tags: slices.Sorted(maps.Keys(keys)),
					Generic: ts.TypeParams != nil && len(ts.TypeParams.List) > 0})
			}
		}
	}
	return out
}
