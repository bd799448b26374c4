package load

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// Go route registrations are read from the syntax tree alone (no type
// checking): router values are followed from their constructors, typed
// parameters and struct fields through groups, sub-routers and mounts,
// within a function, across the functions of its package, and into
// functions of other packages of the repository it calls. A route whose
// prefix cannot be worked out is recorded as unresolved, never guessed.

// The router kinds.
const (
	routerNetHTTP = "net/http"
	routerGorilla = "gorilla/mux"
	routerChi     = "chi"
	routerGin     = "gin"
	routerEcho    = "echo"
	routerFiber   = "fiber"
)

// routerImports maps an import path to its router kind.
func routerKindOf(importPath string) string {
	switch {
	case importPath == "net/http":
		return routerNetHTTP
	case importPath == "github.com/gorilla/mux":
		return routerGorilla
	case importPath == "github.com/go-chi/chi" || strings.HasPrefix(importPath, "github.com/go-chi/chi/v"):
		return routerChi
	case importPath == "github.com/gin-gonic/gin":
		return routerGin
	case importPath == "github.com/labstack/echo" || strings.HasPrefix(importPath, "github.com/labstack/echo/v"):
		return routerEcho
	case strings.HasPrefix(importPath, "github.com/gofiber/fiber"):
		return routerFiber
	}
	return ""
}

// routerImportMarks are the import strings that make a file worth parsing.
// Each starts with githubQuote.
var routerImportMarks = [][]byte{
	[]byte(`"github.com/gorilla/mux"`), []byte(`"github.com/go-chi/chi`), []byte(`"github.com/gin-gonic/gin"`),
	[]byte(`"github.com/labstack/echo`), []byte(`"github.com/gofiber/fiber`),
}

var githubQuote = []byte(`"github.com/`)

// looksLikeRoutes is the cheap pre-filter: only files importing a router
// package (or net/http and calling Handle or Serve) are parsed in full.
// "Handler" alone does not count: handler files name http.Handler and
// their Handler types everywhere without registering anything, and a file
// that builds, holds or serves a ServeMux says "Serve" (not counting
// StatusInternalServerError, which handlers answer everywhere).
func looksLikeRoutes(data []byte) bool {
	// One pass for the router imports: they are read where a
	// "github.com/ string starts.
	for rest := data; ; rest = rest[1:] {
		i := bytes.Index(rest, githubQuote)
		if i < 0 {
			break
		}
		rest = rest[i:]
		for _, m := range routerImportMarks {
			if bytes.HasPrefix(rest, m) {
				return true
			}
		}
	}
	return bytes.Contains(data, []byte(`"net/http"`)) && (occursNotBefore(data, "Handle", "r") || occursNotBefore(data, "Serve", "rError"))
}

// mayHoldPath reports whether a Go file may hold a route's path constant:
// a string literal starting with a slash.
func mayHoldPath(data []byte) bool { return bytes.Contains(data, []byte(`"/`)) }

// routeCandidate reports whether parseGoRoutes may read a Go file: one that
// looks like route registrations, or may hold a path beside them. The
// others' text can be let go before it runs.
func routeCandidate(in *input) bool {
	return !strings.HasSuffix(in.path, "_test.go") && (looksLikeRoutes(in.data) || mayHoldPath(in.data))
}

// occursNotBefore reports whether word occurs in data other than followed
// by next.
func occursNotBefore(data []byte, word, next string) bool {
	for {
		i := bytes.Index(data, []byte(word))
		if i < 0 {
			return false
		}
		data = data[i+len(word):]
		if !bytes.HasPrefix(data, []byte(next)) {
			return true
		}
	}
}

// goPackage is one directory's package, as far as routes are concerned.
type goPackage struct {
	dir, name  string
	importPath string
	order      int // the place of the package in the resolver's order
	files      []*goFile
	funcs      map[string]*funcInfo   // top-level functions by name
	methods    map[string]*funcInfo   // "Type.Method"
	byMethod   map[string][]*funcInfo // methods by name only
	consts     map[string]constInfo   // package-level constants and variables with a value
	constNames []string               // the names of consts, sorted (made by the resolver)
	all        []*funcInfo            // every function and method, in source order
	fieldTypes map[string]routerType  // struct fields declared with a router type
	// fieldVals are the router values assigned to each field name.
	fieldVals map[string][]*rval
	fieldRoot map[string]*root
	varVals   map[string]*rval
}

// constInfo is a package-level constant or variable and the file declaring
// it (whose imports its expression uses).
type constInfo struct {
	expr  ast.Expr
	file  *goFile
	isVar bool
}

type goFile struct {
	path    string
	ast     *ast.File
	imports map[string]string // local name → import path
	pkg     *goPackage
}

// funcInfo is one function or method declaration.
type funcInfo struct {
	decl    *ast.FuncDecl
	file    *goFile
	recv    string  // receiver type name, "" for functions
	params  []param // flattened
	ret     *rval   // the router it returns, when it returns one
	called  bool    // called somewhere with a router argument
	entered int     // inline depth guard
}

type param struct {
	name string
	typ  routerType
	root *root // for router-typed parameters, when the function is an entry
}

// routerType is what a type expression says about a router.
type routerType struct {
	kind string
	root bool // only a root router has this type (gin.Engine, echo.Echo, ...)
}

// parseGoRoutes finds the route registrations of the repository.
func (l *loader) parseGoRoutes(ctx context.Context) {
	defer l.stats.parser("go-routes", time.Now())
	fset, inputs, parsed := l.parseRouteFiles(ctx)
	if len(inputs) == 0 {
		return
	}
	if routes, ok := l.resolveRoutes(ctx, fset, l.goPackages(ctx, inputs, parsed)); ok {
		l.repo.GoRoutes = append(l.repo.GoRoutes, routes...)
		return
	}
	// One resolver over every package, from packages as indexed (the split
	// run changed their state).
	r := newRouteResolver(fset, l.goPackages(ctx, inputs, parsed))
	l.guard(inputs[0].path, func() { l.repo.GoRoutes = append(l.repo.GoRoutes, r.run()...) })
}

// parseRouteFiles parses the Go files that may register routes, and those
// beside them that may hold a path constant; a file the parser rejects has
// a nil tree.
func (l *loader) parseRouteFiles(ctx context.Context) (*token.FileSet, []*input, []*ast.File) {
	var goFiles []*input
	for _, in := range l.inputs {
		if in.kind == kindGo && !strings.HasSuffix(in.path, "_test.go") {
			goFiles = append(goFiles, in)
		}
	}
	// What each file may hold, read in parallel: route registrations, or
	// a path constant (a string literal starting with a slash).
	const routes, paths = 1, 2
	holds := make([]uint8, len(goFiles))
	l.each(ctx, len(goFiles), func(i int) {
		switch {
		case looksLikeRoutes(goFiles[i].data):
			holds[i] = routes
		case mayHoldPath(goFiles[i].data):
			holds[i] = paths
		}
	})
	dirs := map[string]bool{}
	for i, in := range goFiles {
		if holds[i] == routes {
			dirs[path.Dir(in.path)] = true
		}
	}
	if len(dirs) == 0 {
		return nil, nil, nil
	}
	// A file beside the registrations is parsed too when it may hold a path
	// constant.
	var inputs []*input
	for i, in := range goFiles {
		if holds[i] == routes || holds[i] == paths && dirs[path.Dir(in.path)] {
			inputs = append(inputs, in)
		}
	}
	fset := token.NewFileSet()
	parsed := eachWithin(ctx, l, len(inputs), func(i int) string { return inputs[i].path }, func(i int) *ast.File {
		f, err := parser.ParseFile(fset, inputs[i].path, inputs[i].data, parser.SkipObjectResolution)
		if err != nil {
			return nil // not Go this tool can read; the compiler would say more
		}
		return f
	})
	return fset, inputs, parsed
}

// goPackages groups parsed files into packages and indexes their
// declarations.
func (l *loader) goPackages(ctx context.Context, inputs []*input, parsed []*ast.File) []*goPackage {
	byKey := map[string]*goPackage{}
	var pkgs []*goPackage
	for i, f := range parsed {
		if f == nil {
			continue
		}
		dir := path.Dir(inputs[i].path)
		key := dir + "\x00" + f.Name.Name
		p := byKey[key]
		if p == nil {
			p = &goPackage{dir: dir, name: f.Name.Name, importPath: l.importPathOf(dir),
				funcs: map[string]*funcInfo{}, methods: map[string]*funcInfo{}, byMethod: map[string][]*funcInfo{},
				consts: map[string]constInfo{}, fieldTypes: map[string]routerType{},
				fieldVals: map[string][]*rval{}, fieldRoot: map[string]*root{}, varVals: map[string]*rval{}}
			byKey[key] = p
			pkgs = append(pkgs, p)
		}
		p.files = append(p.files, &goFile{path: inputs[i].path, ast: f, pkg: p})
	}
	// Each package indexes only its own files, so packages index in parallel.
	l.each(ctx, len(pkgs), func(i int) {
		for _, gf := range pkgs[i].files {
			gf.imports = fileImports(gf.ast)
			pkgs[i].index(gf)
		}
	})
	return pkgs
}

// fileImports maps each import's local name to its path.
func fileImports(f *ast.File) map[string]string {
	m := map[string]string{}
	for _, is := range f.Imports {
		p, err := strconv.Unquote(is.Path.Value)
		if err != nil {
			continue
		}
		name := path.Base(p)
		if strings.HasPrefix(name, "v") && isDigits(name[1:]) && strings.Contains(p, "/") {
			name = path.Base(path.Dir(p)) // github.com/go-chi/chi/v5 → chi
		}
		if is.Name != nil {
			name = is.Name.Name
		}
		m[name] = p
	}
	return m
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// index records a file's functions, string constants, package variables and
// router-typed struct fields.
func (p *goPackage) index(f *goFile) {
	for _, d := range f.ast.Decls {
		switch x := d.(type) {
		case *ast.FuncDecl:
			fi := &funcInfo{decl: x, file: f}
			if x.Type.Params != nil {
				for _, fld := range x.Type.Params.List {
					rt := f.routerTypeOf(fld.Type)
					if len(fld.Names) == 0 {
						fi.params = append(fi.params, param{typ: rt})
					}
					for _, n := range fld.Names {
						fi.params = append(fi.params, param{name: n.Name, typ: rt})
					}
				}
			}
			p.all = append(p.all, fi)
			if x.Recv != nil && len(x.Recv.List) > 0 {
				fi.recv = typeName(x.Recv.List[0].Type)
				p.methods[fi.recv+"."+x.Name.Name] = fi
				p.byMethod[x.Name.Name] = append(p.byMethod[x.Name.Name], fi)
			} else if x.Name.Name != "init" && x.Name.Name != "_" {
				p.funcs[x.Name.Name] = fi
			}
		case *ast.GenDecl:
			for _, s := range x.Specs {
				switch sp := s.(type) {
				case *ast.ValueSpec:
					for i, n := range sp.Names {
						if i < len(sp.Values) && len(sp.Names) == len(sp.Values) {
							p.consts[n.Name] = constInfo{expr: sp.Values[i], file: f, isVar: x.Tok == token.VAR}
						}
					}
				case *ast.TypeSpec:
					st, ok := sp.Type.(*ast.StructType)
					if !ok {
						continue
					}
					for _, fld := range st.Fields.List {
						if rt := f.routerTypeOf(fld.Type); rt.kind != "" {
							for _, n := range fld.Names {
								p.fieldTypes[n.Name] = rt
							}
						}
					}
				}
			}
		}
	}
}

// typeName returns the name of a (pointer to a, generic) named type.
func typeName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return typeName(x.X)
	case *ast.Ident:
		return x.Name
	case *ast.IndexExpr:
		return typeName(x.X)
	case *ast.IndexListExpr:
		return typeName(x.X)
	}
	return ""
}

// routerTypeOf reads a type expression naming a router type.
func (f *goFile) routerTypeOf(e ast.Expr) routerType {
	if s, ok := e.(*ast.StarExpr); ok {
		e = s.X
	}
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return routerType{}
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok {
		return routerType{}
	}
	kind := routerKindOf(f.imports[pkg.Name])
	name := sel.Sel.Name
	switch kind {
	case routerNetHTTP:
		if name == "ServeMux" {
			return routerType{kind, true}
		}
	case routerGorilla:
		if name == "Router" {
			return routerType{kind, false}
		}
	case routerChi:
		if name == "Router" || name == "Mux" {
			return routerType{kind, false}
		}
	case routerGin:
		switch name {
		case "Engine":
			return routerType{kind, true}
		case "RouterGroup", "IRouter", "IRoutes":
			return routerType{kind, false}
		}
	case routerEcho:
		switch name {
		case "Echo":
			return routerType{kind, true}
		case "Group":
			return routerType{kind, false}
		}
	case routerFiber:
		switch name {
		case "App":
			return routerType{kind, true}
		case "Router", "Group":
			return routerType{kind, false}
		}
	}
	return routerType{}
}

// importPathOf returns the import path of a repository directory, from the
// nearest go.mod above it ("" when there is none).
func (l *loader) importPathOf(dir string) string {
	for d := dir; ; d = path.Dir(d) {
		modFile := "go.mod"
		if d != "." {
			modFile = d + "/go.mod"
		}
		if in := l.byPath[modFile]; in != nil {
			mod := modulePath(in.data)
			if mod == "" {
				return ""
			}
			if d == dir {
				return mod
			}
			rel := strings.TrimPrefix(dir, d+"/")
			if d == "." {
				rel = dir
			}
			return mod + "/" + rel
		}
		if d == "." || d == "/" || d == "" {
			return ""
		}
	}
}

// modulePath reads the module line of a go.mod.
func modulePath(data []byte) string {
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// goRouteFacts turns resolved route records into facts, de-duplicated and
// in a stable order.
func goRouteFacts(fset *token.FileSet, recs []*routeRec, prefixesOf func(*root) ([]string, bool)) []*facts.GoRoute {
	seen := map[string]bool{}
	var out []*facts.GoRoute
	add := func(r *routeRec, p string, resolved bool) {
		pos := fset.Position(r.pos)
		full := cleanRoute(p)
		key := pos.String() + "\x00" + full + "\x00" + strings.Join(r.methods, ",") + "\x00" + strconv.FormatBool(resolved)
		if seen[key] {
			return
		}
		seen[key] = true
		out = append(out, &facts.GoRoute{
			Pos:    facts.Position{File: pos.Filename, Line: pos.Line, Col: pos.Column},
			Method: strings.Join(r.methods, ","), Path: full, Router: r.kind, Resolved: resolved,
		})
	}
	for _, r := range recs {
		prefixes, ok := prefixesOf(r.root)
		if !ok || !r.ok {
			add(r, r.rel, false)
			continue
		}
		for _, p := range prefixes {
			add(r, joinRoute(p, r.rel), true)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Pos != out[j].Pos {
			return out[i].Pos.Less(out[j].Pos)
		}
		return out[i].Path < out[j].Path
	})
	return out
}

// joinRoute appends a route path to a prefix with exactly one slash between.
func joinRoute(prefix, p string) string {
	if p == "" {
		return prefix
	}
	if prefix == "" {
		return p
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return strings.TrimRight(prefix, "/") + p
}

// cleanRoute gives a route path its leading slash.
func cleanRoute(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}

// splitPattern splits a net/http pattern ("GET example.com/orders/{id}")
// into its method and path.
func splitPattern(p string) (method, route string) {
	p = strings.TrimSpace(p)
	if i := strings.IndexAny(p, " \t"); i > 0 {
		method, p = strings.ToUpper(p[:i]), strings.TrimSpace(p[i+1:])
	}
	if !strings.HasPrefix(p, "/") {
		if i := strings.IndexByte(p, '/'); i >= 0 {
			p = p[i:] // drop the host
		}
	}
	return method, p
}
