package load

import (
	"go/ast"
	"go/token"
	"maps"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// Where a root router comes from.
const (
	originFresh   = iota + 1 // a constructor call: mux.NewRouter(), gin.New(), ...
	originParam              // a parameter of a function nobody in the repository calls with a router
	originField              // a struct field with no single known value
	originClosure            // a parameter of a function literal handed to unknown code
	originDefault            // net/http's DefaultServeMux
)

// root is one router object: routes and groups hang off it with relative
// paths; its own absolute prefixes come from where it is mounted or served.
type root struct {
	kind     string
	origin   int
	rootType bool // declared with a type only a top-level router has
	escapes  bool // returned from the function that made it
	consumed bool // a caller in the repository used the returned router
	edges    []edge

	state    int // 0 new, 1 visiting, 2 done
	prefixes []string
	ok       bool
}

// edge says the root is reachable under parent's prefix plus path (parent
// nil: served at path directly).
type edge struct {
	parent *rval
	path   string
	ok     bool
	pkg    int // the order of the package whose evaluation added it
}

// rval is a router value: a root and the prefix of a group or sub-router
// within it. A gorilla route under construction is a builder.
type rval struct {
	root    *root
	prefix  string
	ok      bool // prefix known
	kind    string
	builder bool
	methods []string
	route   *routeRec // the route a builder registered
	subtree bool      // a builder's path matches as a prefix (PathPrefix)
}

// typeRef is a value of a named type of a repository package, for method
// calls.
type typeRef struct {
	pkg  *goPackage
	name string
}

// stripVal is http.StripPrefix(prefix, inner).
type stripVal struct {
	prefix string
	ok     bool
	inner  any
}

// wrapVal is an unknown call that was handed a router, such as middleware
// wrapping it.
type wrapVal struct{ inner any }

// routeRec is one registration on a root, its path relative to the root.
type routeRec struct {
	root    *root
	rel     string
	ok      bool
	methods []string
	pos     token.Pos
	kind    string
	pkg     int // the order of the package whose evaluation recorded it
}

// frame is the environment of one function evaluation. Its maps are made
// on the first write: most frames read names and never bind one.
type frame struct {
	fn    *funcInfo
	file  *goFile
	vals  map[string]any
	strs  map[string]string
	ret   *rval
	depth int
	stmts stmtVisitor // block's walk of the body
	// cond counts the conditional statements (if, switch, select, loops)
	// the walk is in: a string assigned there to a name declared outside
	// may or may not hold after them, so the name's text is forgotten.
	cond int
}

func (fr *frame) setVal(name string, v any) {
	if fr.vals == nil {
		fr.vals = map[string]any{}
	}
	fr.vals[name] = v
}

func (fr *frame) setStr(name, s string) {
	if fr.strs == nil {
		fr.strs = map[string]string{}
	}
	fr.strs[name] = s
}

// routeResolver evaluates the functions of the parsed packages.
type routeResolver struct {
	fset       *token.FileSet
	pkgs       []*goPackage
	byImport   map[string]*goPackage
	fresh      map[ast.Node]*root
	paramRoots []*root
	fieldRoots []*root
	defaultMux *root
	recording  bool
	changed    bool
	budget     int
	// exprVisitors are children's walkers not in use.
	exprVisitors []*exprVisitor
	attempts     int // inlined calls tried, whether or not the budget allowed them
	top          int // the order of the package evaluateAll is at
	routes       []*routeRec
}

const (
	maxInlineDepth = 12
	inlineBudget   = 20000
)

func newRouteResolver(fset *token.FileSet, pkgs []*goPackage) *routeResolver {
	return newResolverOf(fset, pkgs, orderPackages(pkgs))
}

// orderPackages puts packages, and the files of each, in their evaluation
// order, and indexes them by import path.
func orderPackages(pkgs []*goPackage) map[string]*goPackage {
	sort.Slice(pkgs, func(i, j int) bool {
		if pkgs[i].dir != pkgs[j].dir {
			return pkgs[i].dir < pkgs[j].dir
		}
		return pkgs[i].name < pkgs[j].name
	})
	byImport := map[string]*goPackage{}
	for i, p := range pkgs {
		p.order = i
		sort.Slice(p.files, func(i, j int) bool { return p.files[i].path < p.files[j].path })
		if p.importPath != "" && p.name != "main" {
			byImport[p.importPath] = p
		}
	}
	return byImport
}

// newResolverOf is a resolver of pkgs, in order, that finds imported
// packages in byImport.
func newResolverOf(fset *token.FileSet, pkgs []*goPackage, byImport map[string]*goPackage) *routeResolver {
	return &routeResolver{fset: fset, pkgs: pkgs, byImport: byImport, fresh: map[ast.Node]*root{},
		defaultMux: &root{kind: routerNetHTTP, origin: originDefault}, budget: inlineBudget}
}

// run resolves the routes of the packages.
func (r *routeResolver) run() []*facts.GoRoute {
	r.resolve()
	return goRouteFacts(r.fset, r.routes, r.prefixesOf)
}

// resolve computes function summaries (what each returns, who is called
// with a router) to a fixpoint, then evaluates every function nobody calls
// with a router, inlining calls that pass one, and records the routes.
func (r *routeResolver) resolve() {
	for i := 0; i < 4; i++ {
		r.changed = false
		r.evalAll(false)
		if !r.changed {
			break
		}
	}
	for _, rt := range r.allRoots() {
		rt.edges, rt.consumed = nil, false
	}
	r.recording = true
	r.evalAll(true)
}

func (r *routeResolver) allRoots() []*root {
	out := []*root{r.defaultMux}
	for _, n := range sortedNodes(r.fresh) {
		out = append(out, r.fresh[n])
	}
	out = append(out, r.paramRoots...)
	return append(out, r.fieldRoots...)
}

func sortedNodes(m map[ast.Node]*root) []ast.Node {
	out := make([]ast.Node, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos() < out[j].Pos() })
	return out
}

// evalAll evaluates package variables, then every function (entries only
// when recording).
func (r *routeResolver) evalAll(entriesOnly bool) {
	for _, p := range r.pkgs {
		r.top = p.order
		if p.constNames == nil {
			p.constNames = slices.Sorted(maps.Keys(p.consts))
		}
		for _, name := range p.constNames {
			c := p.consts[name]
			if !c.isVar {
				continue
			}
			fr := r.newFrame(nil, c.file)
			if v, ok := r.expr(c.expr, fr).(*rval); ok && !v.builder && p.varVals[name] == nil {
				p.varVals[name], r.changed = v, true
			}
		}
		for _, fi := range p.all {
			if entriesOnly && fi.called {
				continue
			}
			r.evalFunc(fi, nil, nil, 0)
		}
	}
}

func (r *routeResolver) newFrame(fn *funcInfo, f *goFile) *frame {
	return &frame{fn: fn, file: f}
}

// evalFunc evaluates a function body with its parameters bound to args
// (nil: standalone, router parameters become roots of their own).
func (r *routeResolver) evalFunc(fi *funcInfo, args []any, strs map[int]string, depth int) *rval {
	if fi.decl.Body == nil {
		return nil
	}
	fr := r.newFrame(fi, fi.file)
	fr.depth = depth
	if fi.recv != "" && len(fi.decl.Recv.List[0].Names) > 0 {
		fr.setVal(fi.decl.Recv.List[0].Names[0].Name, &typeRef{pkg: fi.file.pkg, name: fi.recv})
	}
	for i := range fi.params {
		p := &fi.params[i]
		if p.name == "" || p.name == "_" {
			continue
		}
		if s, ok := strs[i]; ok {
			fr.setStr(p.name, s)
		}
		if i < len(args) && args[i] != nil {
			fr.setVal(p.name, args[i])
			continue
		}
		if p.typ.kind == "" {
			fr.setVal(p.name, nil) // shadows package variables and imports
			continue
		}
		if p.root == nil {
			p.root = &root{kind: p.typ.kind, origin: originParam, rootType: p.typ.root}
			r.paramRoots = append(r.paramRoots, p.root)
		}
		fr.setVal(p.name, &rval{root: p.root, ok: true, kind: p.typ.kind})
	}
	r.block(fi.decl.Body, fr)
	if args == nil && fr.ret != nil && fi.ret == nil {
		fi.ret, r.changed = fr.ret, true
	}
	return fr.ret
}

// block walks statements in source order.
func (r *routeResolver) block(body ast.Node, fr *frame) {
	fr.stmts = stmtVisitor{r: r, fr: fr}
	ast.Walk(&fr.stmts, body)
}

// stmtVisitor is block's walk: it lives in the frame, so that walking
// allocates nothing.
type stmtVisitor struct {
	r  *routeResolver
	fr *frame
}

func (v *stmtVisitor) Visit(n ast.Node) ast.Visitor {
	r, fr := v.r, v.fr
	switch x := n.(type) {
	case nil:
		return nil
	case *ast.AssignStmt:
		r.assign(x.Lhs, x.Rhs, fr, x.Tok)
		return nil
	case *ast.ValueSpec:
		lhs := make([]ast.Expr, len(x.Names))
		for i, n := range x.Names {
			lhs[i] = n
		}
		r.assign(lhs, x.Values, fr, token.DEFINE)
		return nil
	case *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.ForStmt, *ast.RangeStmt:
		fr.cond++
		return &condExit{base: v}
	case *ast.ReturnStmt:
		for _, res := range x.Results {
			if v, ok := r.expr(res, fr).(*rval); ok && !v.builder {
				if fr.ret == nil {
					fr.ret = v
				}
				if v.root.origin == originFresh {
					v.root.escapes = true
				}
			}
		}
		return nil
	case ast.Expr:
		r.expr(x, fr)
		return nil
	}
	return v
}

// condExit walks the inside of a conditional statement as its base does,
// and leaves it when the walk of its children ends.
type condExit struct{ base *stmtVisitor }

func (c *condExit) Visit(n ast.Node) ast.Visitor {
	if n == nil {
		c.base.fr.cond--
		return nil
	}
	return c.base.Visit(n)
}

// assign binds the values of rhs to lhs names and fields; tok is the
// assignment's operator (token.DEFINE for a var declaration too).
func (r *routeResolver) assign(lhs, rhs []ast.Expr, fr *frame, tok token.Token) {
	vals := make([]any, len(rhs))
	for i, e := range rhs {
		vals[i] = r.expr(e, fr)
	}
	for i, l := range lhs {
		var v any
		var src ast.Expr
		switch {
		case len(rhs) == len(lhs):
			v, src = vals[i], rhs[i]
		case len(rhs) == 1 && i == 0:
			v = vals[0]
		}
		switch x := l.(type) {
		case *ast.Ident:
			if x.Name == "_" {
				continue
			}
			fr.setVal(x.Name, v) // nil shadows package variables and imports
			if tok == token.ADD_ASSIGN && src != nil {
				old, known := fr.strs[x.Name]
				s, ok := r.str(src, fr, 0)
				if known && ok && fr.cond == 0 {
					fr.setStr(x.Name, old+s) // p += "/items"
				} else {
					delete(fr.strs, x.Name)
				}
			} else if fr.cond > 0 && tok != token.DEFINE {
				// if base == "/" { p = "/static/" } else { p = base + "/static/" }:
				// which one holds after the if is not known here.
				delete(fr.strs, x.Name)
			} else if s, ok := r.str(src, fr, 0); ok && src != nil {
				fr.setStr(x.Name, s)
			} else {
				delete(fr.strs, x.Name)
			}
		case *ast.SelectorExpr:
			rv, ok := v.(*rval)
			if !ok || rv.builder {
				if x.Sel.Name == "Handler" {
					r.served(v)
				}
				continue
			}
			if x.Sel.Name == "Handler" {
				r.served(v)
			}
			pkg := fr.file.pkg
			if t, ok := r.expr(x.X, fr).(*typeRef); ok {
				pkg = t.pkg
			}
			r.addField(pkg, x.Sel.Name, rv)
		default:
			r.expr(l, fr)
		}
	}
}

func (r *routeResolver) addField(pkg *goPackage, name string, v *rval) {
	for _, old := range pkg.fieldVals[name] {
		if old.root == v.root && old.prefix == v.prefix {
			return
		}
	}
	pkg.fieldVals[name] = append(pkg.fieldVals[name], v)
	r.changed = true
}

// fieldValue is the router a field holds: its one assigned value, or a
// root standing for it.
func (r *routeResolver) fieldValue(pkg *goPackage, name string) any {
	vals := pkg.fieldVals[name]
	if len(vals) == 1 {
		return vals[0]
	}
	rt, typed := pkg.fieldTypes[name]
	if len(vals) == 0 && !typed {
		return nil
	}
	fr := pkg.fieldRoot[name]
	if fr == nil {
		kind := rt.kind
		if kind == "" {
			kind = vals[0].kind
		}
		fr = &root{kind: kind, origin: originField, rootType: rt.root && len(vals) == 0}
		pkg.fieldRoot[name] = fr
		r.fieldRoots = append(r.fieldRoots, fr)
	}
	fr.rootType = rt.root && len(vals) == 0
	return &rval{root: fr, ok: true, kind: fr.kind}
}

// expr evaluates an expression for the router it denotes, if any, and for
// the registrations it makes. The result is never a typed nil.
func (r *routeResolver) expr(e ast.Expr, fr *frame) any {
	switch v := r.eval(e, fr).(type) {
	case *rval:
		if v == nil {
			return nil
		}
		return v
	case *typeRef:
		if v == nil {
			return nil
		}
		return v
	default:
		return v
	}
}

func (r *routeResolver) eval(e ast.Expr, fr *frame) any {
	switch x := e.(type) {
	case nil:
		return nil
	case *ast.ParenExpr:
		return r.expr(x.X, fr)
	case *ast.StarExpr:
		return r.expr(x.X, fr)
	case *ast.UnaryExpr:
		return r.expr(x.X, fr)
	case *ast.Ident:
		if v, ok := fr.vals[x.Name]; ok {
			return v
		}
		if v := fr.file.pkg.varVals[x.Name]; v != nil {
			return v
		}
		return nil
	case *ast.SelectorExpr:
		return r.selector(x, fr)
	case *ast.CallExpr:
		return r.call(x, fr)
	case *ast.CompositeLit:
		return r.composite(x, fr)
	case *ast.FuncLit:
		r.funcLit(x, fr, nil)
		return nil
	case *ast.KeyValueExpr:
		r.expr(x.Key, fr)
		return r.expr(x.Value, fr)
	}
	r.children(e, fr)
	return nil
}

// children evaluates the sub-expressions of an expression.
func (r *routeResolver) children(e ast.Node, fr *frame) {
	var v *exprVisitor
	if n := len(r.exprVisitors); n > 0 {
		v, r.exprVisitors = r.exprVisitors[n-1], r.exprVisitors[:n-1]
	} else {
		v = &exprVisitor{r: r}
	}
	v.fr, v.top = fr, e
	ast.Walk(v, e)
	v.fr, v.top = nil, nil
	r.exprVisitors = append(r.exprVisitors, v)
}

// exprVisitor is children's walk, reused from r.exprVisitors.
type exprVisitor struct {
	r   *routeResolver
	fr  *frame
	top ast.Node
}

func (v *exprVisitor) Visit(n ast.Node) ast.Visitor {
	if n == v.top {
		return v
	}
	if ex, ok := n.(ast.Expr); ok {
		v.r.expr(ex, v.fr)
		return nil
	}
	if n == nil {
		return nil
	}
	return v
}

func (r *routeResolver) selector(x *ast.SelectorExpr, fr *frame) any {
	if id, ok := x.X.(*ast.Ident); ok {
		if _, local := fr.vals[id.Name]; !local {
			if ip, isImport := fr.file.imports[id.Name]; isImport {
				if ip == "net/http" && x.Sel.Name == "DefaultServeMux" {
					return &rval{root: r.defaultMux, ok: true, kind: routerNetHTTP}
				}
				if p := r.byImport[ip]; p != nil && p.varVals[x.Sel.Name] != nil {
					return p.varVals[x.Sel.Name]
				}
				return nil
			}
		}
	}
	pkg := fr.file.pkg
	if t, ok := r.expr(x.X, fr).(*typeRef); ok {
		pkg = t.pkg
	}
	return r.fieldValue(pkg, x.Sel.Name)
}

func (r *routeResolver) composite(x *ast.CompositeLit, fr *frame) any {
	ip, name := r.typeOf(x.Type, fr)
	if ip == "net/http" && name == "ServeMux" {
		return &rval{root: r.freshRoot(x, routerNetHTTP), ok: true, kind: routerNetHTTP}
	}
	pkg := fr.file.pkg
	if p := r.byImport[ip]; ip != "" && p != nil {
		pkg = p
	}
	for _, el := range x.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			r.expr(el, fr)
			continue
		}
		v := r.expr(kv.Value, fr)
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			continue
		}
		if ip == "net/http" && name == "Server" && key.Name == "Handler" {
			r.served(v)
			continue
		}
		if rv, ok := v.(*rval); ok && !rv.builder && ip != "net/http" {
			r.addField(pkg, key.Name, rv)
		}
	}
	if name != "" && (ip == "" || r.byImport[ip] != nil) {
		return &typeRef{pkg: pkg, name: name}
	}
	return nil
}

// typeOf names a type expression: its import path ("" for the current
// package) and type name.
func (r *routeResolver) typeOf(e ast.Expr, fr *frame) (string, string) {
	switch x := e.(type) {
	case *ast.StarExpr:
		return r.typeOf(x.X, fr)
	case *ast.Ident:
		return "", x.Name
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			return fr.file.imports[id.Name], x.Sel.Name
		}
	}
	return "", ""
}

func (r *routeResolver) freshRoot(n ast.Node, kind string) *root {
	rt := r.fresh[n]
	if rt == nil {
		rt = &root{kind: kind, origin: originFresh}
		r.fresh[n] = rt
	}
	return rt
}

// funcLit evaluates a function literal in a copy of the enclosing frame,
// its parameters bound to bind (or shadowing what they name).
func (r *routeResolver) funcLit(fl *ast.FuncLit, fr *frame, bind []any) {
	inner := &frame{fn: fr.fn, file: fr.file, vals: maps.Clone(fr.vals), strs: maps.Clone(fr.strs), depth: fr.depth}
	i := 0
	if fl.Type.Params != nil {
		for _, fld := range fl.Type.Params.List {
			rt := fr.file.routerTypeOf(fld.Type)
			for _, n := range fld.Names {
				delete(inner.strs, n.Name)
				inner.setVal(n.Name, nil)
				switch {
				case i < len(bind) && bind[i] != nil:
					inner.setVal(n.Name, bind[i])
				case rt.kind != "":
					inner.setVal(n.Name, &rval{root: r.closureRoot(n, rt.kind), ok: true, kind: rt.kind})
				}
				i++
			}
		}
	}
	r.block(fl.Body, inner)
}

// closureRoot is the root of a function literal's router parameter that
// no known call binds.
func (r *routeResolver) closureRoot(name *ast.Ident, kind string) *root {
	rt := r.fresh[name]
	if rt == nil {
		rt = &root{kind: kind, origin: originClosure}
		r.fresh[name] = rt
	}
	return rt
}

// call evaluates a call: a router constructor or method, a function of the
// repository (whose summary or inlined body gives the result), or unknown
// code (whose arguments are still evaluated).
func (r *routeResolver) call(x *ast.CallExpr, fr *frame) any {
	switch fun := unparen(x.Fun).(type) {
	case *ast.FuncLit:
		args := r.args(x.Args, fr)
		r.funcLit(fun, fr, args)
		return nil
	case *ast.Ident:
		if fun.Name == "new" && len(x.Args) == 1 {
			if ip, name := r.typeOf(x.Args[0], fr); ip == "net/http" && name == "ServeMux" {
				return &rval{root: r.freshRoot(x, routerNetHTTP), ok: true, kind: routerNetHTTP}
			}
		}
		if _, local := fr.vals[fun.Name]; !local {
			if fi := fr.file.pkg.funcs[fun.Name]; fi != nil {
				return r.callFunc(fi, r.args(x.Args, fr), x.Args, fr)
			}
		}
	case *ast.SelectorExpr:
		if id, ok := fun.X.(*ast.Ident); ok {
			if _, local := fr.vals[id.Name]; !local {
				if ip, isImport := fr.file.imports[id.Name]; isImport {
					return r.packageCall(ip, fun.Sel.Name, x, fr)
				}
			}
		}
		switch recv := r.expr(fun.X, fr).(type) {
		case *rval:
			return r.routerCall(recv, fun.Sel.Name, x, fr)
		case *typeRef:
			if fi := recv.pkg.methods[recv.name+"."+fun.Sel.Name]; fi != nil {
				return r.callFunc(fi, r.args(x.Args, fr), x.Args, fr)
			}
		default:
			if c := fr.file.pkg.byMethod[fun.Sel.Name]; len(c) == 1 {
				return r.callFunc(c[0], r.args(x.Args, fr), x.Args, fr)
			}
		}
	default:
		r.expr(x.Fun, fr)
	}
	args := r.args(x.Args, fr)
	if len(args) > 1 {
		// srv.HandlePrefix("/v1/auth", http.StripPrefix("/v1/auth", router)):
		// a server decouple does not know registers the router under a path,
		// as net/http's Handle does.
		if p, ok := r.str(x.Args[0], fr, 0); ok && strings.HasPrefix(p, "/") {
			for _, a := range args[1:] {
				if child, _, _ := unwrapRouter(a); child != nil {
					r.served(a)
					return nil
				}
			}
		}
	}
	return wrapped(args)
}

func unparen(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

// args evaluates call arguments once each.
func (r *routeResolver) args(args []ast.Expr, fr *frame) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = r.expr(a, fr)
	}
	return out
}

// wrapped returns a wrapVal when an unknown call was handed a router.
func wrapped(args []any) any {
	for _, a := range args {
		switch v := a.(type) {
		case *rval:
			if !v.builder {
				return &wrapVal{inner: v}
			}
		case *stripVal, *wrapVal:
			return &wrapVal{inner: v}
		}
	}
	return nil
}

// packageCall handles pkg.Name(...) for an imported package.
func (r *routeResolver) packageCall(ip, name string, x *ast.CallExpr, fr *frame) any {
	kind := routerKindOf(ip)
	if kind != "" {
		if v, handled := r.constructorOrServe(kind, name, x, fr); handled {
			return v
		}
	}
	if p := r.byImport[ip]; p != nil {
		if fi := p.funcs[name]; fi != nil {
			return r.callFunc(fi, r.args(x.Args, fr), x.Args, fr)
		}
	}
	return wrapped(r.args(x.Args, fr))
}

// callFunc evaluates a call to a repository function: inlined with its
// router arguments bound when recording, else through its summary.
func (r *routeResolver) callFunc(fi *funcInfo, args []any, exprs []ast.Expr, fr *frame) any {
	hasRouter := false
	for _, a := range args {
		if v, ok := a.(*rval); ok && !v.builder {
			hasRouter = true
		}
	}
	if hasRouter && !fi.called {
		fi.called, r.changed = true, true
	}
	inline := hasRouter && r.recording && fi.entered == 0 && fr.depth < maxInlineDepth
	if inline {
		r.attempts++
	}
	if inline && r.budget > 0 {
		r.budget--
		fi.entered++
		strs := map[int]string{}
		for i, e := range exprs {
			if s, ok := r.str(e, fr, 0); ok {
				strs[i] = s
			}
		}
		ret := r.evalFunc(fi, args, strs, fr.depth+1)
		fi.entered--
		if ret != nil {
			return ret
		}
		return r.resultType(fi)
	}
	if fi.ret != nil {
		if r.recording && fi.ret.root.escapes {
			fi.ret.root.consumed = true
		}
		return fi.ret
	}
	return r.resultType(fi)
}

// resultType returns a typeRef for a function whose first result is a named
// type of its package.
func (r *routeResolver) resultType(fi *funcInfo) any {
	res := fi.decl.Type.Results
	if res == nil || len(res.List) == 0 {
		return nil
	}
	if name := typeName(res.List[0].Type); name != "" && !isPredeclared(name) {
		return &typeRef{pkg: fi.file.pkg, name: name}
	}
	return nil
}

func isPredeclared(name string) bool {
	switch name {
	case "error", "string", "bool", "int", "int64", "uint", "byte", "rune", "float64", "any":
		return true
	}
	return false
}

// str evaluates a constant string expression.
func (r *routeResolver) str(e ast.Expr, fr *frame, depth int) (string, bool) {
	if e == nil || depth > 16 {
		return "", false
	}
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			s, err := strconv.Unquote(x.Value)
			return s, err == nil
		}
	case *ast.ParenExpr:
		return r.str(x.X, fr, depth+1)
	case *ast.Ident:
		if s, ok := fr.strs[x.Name]; ok {
			return s, true
		}
		if _, local := fr.vals[x.Name]; local {
			return "", false
		}
		if c, ok := fr.file.pkg.consts[x.Name]; ok {
			return r.str(c.expr, &frame{file: c.file}, depth+1)
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			a, ok1 := r.str(x.X, fr, depth+1)
			b, ok2 := r.str(x.Y, fr, depth+1)
			return a + b, ok1 && ok2
		}
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			if p := r.byImport[fr.file.imports[id.Name]]; p != nil {
				if c, ok := p.consts[x.Sel.Name]; ok {
					return r.str(c.expr, &frame{file: c.file}, depth+1)
				}
			}
		}
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Join" {
			if id, ok := sel.X.(*ast.Ident); ok && fr.file.imports[id.Name] == "path" {
				parts := make([]string, len(x.Args))
				for i, a := range x.Args {
					s, ok := r.str(a, fr, depth+1)
					if !ok {
						return "", false
					}
					parts[i] = s
				}
				return path.Join(parts...), true
			}
		}
	}
	return "", false
}

// prefixesOf returns the absolute prefixes of a root, or false when they
// cannot be worked out.
func (r *routeResolver) prefixesOf(rt *root) ([]string, bool) {
	switch rt.state {
	case 1:
		return nil, false // a cycle of mounts
	case 2:
		return rt.prefixes, rt.ok
	}
	rt.state = 1
	var out []string
	for _, e := range rt.edges {
		if !e.ok {
			continue
		}
		if e.parent == nil {
			out = append(out, e.path)
			continue
		}
		if !e.parent.ok {
			continue
		}
		ps, ok := r.prefixesOf(e.parent.root)
		if !ok {
			continue
		}
		for _, p := range ps {
			out = append(out, joinRoute(joinRoute(p, e.parent.prefix), e.path))
		}
	}
	ok := len(out) > 0
	if len(rt.edges) == 0 {
		switch rt.origin {
		case originFresh:
			ok = !rt.escapes || rt.consumed || rt.kind == routerGin || rt.kind == routerEcho
		case originDefault:
			ok = true
		case originParam, originField:
			ok = rt.rootType
		}
		if ok {
			out = []string{""}
		}
	}
	sort.Strings(out)
	rt.prefixes, rt.ok, rt.state = dedupStrings(out), ok, 2
	return rt.prefixes, rt.ok
}

func dedupStrings(in []string) []string {
	var out []string
	for i, s := range in {
		if i == 0 || s != in[i-1] {
			out = append(out, s)
		}
	}
	return out
}
