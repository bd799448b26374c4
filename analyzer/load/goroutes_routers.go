package load

import (
	"go/ast"
	"strings"
)

// constructorOrServe handles the package-level functions of the router
// packages: constructors, net/http's default-mux registrations, servers
// and StripPrefix.
func (r *routeResolver) constructorOrServe(kind, name string, x *ast.CallExpr, fr *frame) (any, bool) {
	fresh := func() (any, bool) { return &rval{root: r.freshRoot(x, kind), ok: true, kind: kind}, true }
	switch kind {
	case routerNetHTTP:
		switch name {
		case "NewServeMux":
			return fresh()
		case "Handle", "HandleFunc":
			r.netHTTP(&rval{root: r.defaultMux, ok: true, kind: kind}, name, x, fr)
			return nil, true
		case "HandlerFunc":
			// http.HandlerFunc(func(w, r) { v2.ServeHTTP(w, r) }): the
			// function only hands the request to a router, which it stands for
			if len(x.Args) == 1 {
				if h := servedThrough(x.Args[0]); h != nil {
					return r.expr(h, fr), true
				}
			}
			return nil, false
		case "StripPrefix":
			args := r.args(x.Args, fr)
			if len(args) < 2 {
				return nil, true
			}
			p, ok := r.str(x.Args[0], fr, 0)
			return &stripVal{prefix: p, ok: ok, inner: args[1]}, true
		case "ListenAndServe", "Serve", "ServeTLS", "ListenAndServeTLS":
			args := r.args(x.Args, fr)
			at := map[string]int{"ListenAndServe": 1, "Serve": 1, "ServeTLS": 1, "ListenAndServeTLS": 3}[name]
			if at < len(args) {
				r.served(args[at])
			}
			return nil, true
		}
	case routerGorilla:
		if name == "NewRouter" {
			return fresh()
		}
	case routerChi:
		if name == "NewRouter" || name == "NewMux" {
			return fresh()
		}
	case routerGin:
		if name == "New" || name == "Default" {
			return fresh()
		}
	case routerEcho, routerFiber:
		if name == "New" {
			return fresh()
		}
	}
	return nil, false
}

// routerCall applies a method of a router (or gorilla route builder).
func (r *routeResolver) routerCall(v *rval, name string, x *ast.CallExpr, fr *frame) any {
	switch v.kind {
	case routerNetHTTP:
		if name == "Handle" || name == "HandleFunc" {
			r.netHTTP(v, name, x, fr)
			return nil
		}
	case routerGorilla:
		if v.builder {
			return r.gorillaRoute(v, name, x, fr)
		}
		return r.gorilla(v, name, x, fr)
	case routerChi:
		return r.chi(v, name, x, fr)
	case routerGin, routerEcho, routerFiber:
		return r.groupRouter(v, name, x, fr)
	}
	r.args(x.Args, fr)
	return nil
}

// netHTTP handles ServeMux.Handle/HandleFunc: a route, or a mount when the
// handler is a router.
func (r *routeResolver) netHTTP(v *rval, name string, x *ast.CallExpr, fr *frame) {
	pat, ok := r.strArg(x, 0, fr)
	method, p := splitPattern(pat)
	args := r.args(x.Args, fr)
	if name == "Handle" && len(args) > 1 && r.mount(v, "", false, args[1]) {
		return
	}
	if name == "HandleFunc" && len(x.Args) > 1 {
		// HandleFunc("/api/", func(w, r) { ...; api.ServeHTTP(w, r) }):
		// the function hands every request to a router, mounted here
		if h := servedThrough(x.Args[1]); h != nil && r.mount(v, "", false, r.expr(h, fr)) {
			return
		}
	}
	if name == "Handle" && strings.HasSuffix(p, "/") && len(x.Args) > 1 && opaqueHandler(x.Args[1]) {
		return // a subtree handed to a handler of its own (a gateway): its paths are that handler's
	}
	r.record(v, p, ok, methodList(method), x)
}

// opaqueHandler reports whether a handler argument is a handler value whose
// routes decouple cannot see (grpc-gateway's ServeMux, a reverse proxy, a
// file server) rather than a function (http.HandlerFunc(f), a literal).
// Mounted on a path prefix, it serves whatever paths it has below it, the
// version among them: the prefix alone is no route.
func opaqueHandler(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		return false
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "HandlerFunc" {
			return false
		}
	}
	return true
}

// gorilla handles a gorilla/mux Router method.
func (r *routeResolver) gorilla(v *rval, name string, x *ast.CallExpr, fr *frame) any {
	builder := func(prefix string, ok bool, methods []string) *rval {
		return &rval{root: v.root, prefix: prefix, ok: ok, kind: v.kind, builder: true, methods: methods}
	}
	switch name {
	case "HandleFunc", "Handle":
		p, ok := r.strArg(x, 0, fr)
		args := r.args(x.Args, fr)
		if name == "Handle" && len(args) > 1 && r.mount(v, "", false, args[1]) {
			return nil
		}
		b := builder(joinRoute(v.prefix, p), v.ok && ok, nil)
		b.route = r.record(v, p, ok, nil, x)
		return b
	case "Path", "PathPrefix":
		p, ok := r.strArg(x, 0, fr)
		b := builder(joinRoute(v.prefix, p), v.ok && ok, nil)
		b.subtree = name == "PathPrefix"
		return b
	case "Methods":
		return builder(v.prefix, v.ok, r.methodArgs(x.Args, fr))
	case "NewRoute", "Host", "Schemes", "Headers", "HeadersRegexp", "Queries", "MatcherFunc", "Name", "BuildVarsFunc":
		r.args(x.Args, fr)
		return builder(v.prefix, v.ok, nil)
	case "StrictSlash", "SkipClean", "UseEncodedPath":
		r.args(x.Args, fr)
		return v
	}
	r.args(x.Args, fr)
	return nil
}

// gorillaRoute handles a gorilla/mux Route method on a builder.
func (r *routeResolver) gorillaRoute(v *rval, name string, x *ast.CallExpr, fr *frame) any {
	next := *v
	switch name {
	case "Path", "PathPrefix":
		p, ok := r.strArg(x, 0, fr)
		next.prefix, next.ok, next.route = joinRoute(v.prefix, p), v.ok && ok, nil
		next.subtree = name == "PathPrefix"
		return &next
	case "Methods":
		ms := r.methodArgs(x.Args, fr)
		next.methods = append(append([]string(nil), v.methods...), ms...)
		if v.route != nil {
			v.route.methods = append(v.route.methods, ms...)
		}
		return &next
	case "Subrouter":
		return &rval{root: v.root, prefix: v.prefix, ok: v.ok, kind: v.kind}
	case "Handler", "HandlerFunc":
		args := r.args(x.Args, fr)
		if name == "Handler" && len(args) > 0 && r.mount(&rval{root: v.root, prefix: "", ok: true, kind: v.kind}, "", false, args[0]) {
			return nil
		}
		if name == "Handler" && v.subtree && len(x.Args) > 0 && opaqueHandler(x.Args[0]) {
			return nil // PathPrefix("/apis/").Handler(gateway): see opaqueHandler
		}
		next.route = r.record(&rval{root: v.root, ok: true, kind: v.kind}, v.prefix, v.ok, v.methods, x)
		return &next
	case "Name", "Host", "Schemes", "Headers", "HeadersRegexp", "Queries", "MatcherFunc", "BuildVarsFunc":
		r.args(x.Args, fr)
		return v
	}
	r.args(x.Args, fr)
	return nil
}

// chi handles a chi Router method.
func (r *routeResolver) chi(v *rval, name string, x *ast.CallExpr, fr *frame) any {
	if m := verbMethod(name, false); m != "" {
		p, ok := r.strArg(x, 0, fr)
		r.args(x.Args, fr)
		r.record(v, p, ok, []string{m}, x)
		return nil
	}
	switch name {
	case "Handle", "HandleFunc":
		p, ok := r.strArg(x, 0, fr)
		args := r.args(x.Args, fr)
		if name == "Handle" && len(args) > 1 && r.mount(&rval{root: v.root, ok: true, kind: v.kind}, "", false, args[1]) {
			return nil
		}
		r.record(v, p, ok, nil, x)
		return nil
	case "Method", "MethodFunc":
		r.recordMethodFirst(v, x, fr)
		return nil
	case "Route":
		p, ok := r.strArg(x, 0, fr)
		sub := &rval{root: v.root, prefix: joinRoute(v.prefix, p), ok: v.ok && ok, kind: v.kind}
		if len(x.Args) > 1 {
			r.bindFunc(x.Args[1], sub, fr)
		}
		return sub
	case "Group":
		sub := &rval{root: v.root, prefix: v.prefix, ok: v.ok, kind: v.kind}
		if len(x.Args) > 0 {
			r.bindFunc(x.Args[0], sub, fr)
		}
		return sub
	case "With":
		r.args(x.Args, fr)
		return v
	case "Mount":
		p, ok := r.strArg(x, 0, fr)
		args := r.args(x.Args, fr)
		if len(args) > 1 && r.mount(v, p, true, args[1]) {
			return nil
		}
		r.record(v, p, ok, nil, x)
		return nil
	}
	r.args(x.Args, fr)
	return nil
}

// groupRouter handles gin, echo and fiber routers and groups, which share
// one shape: VERB(path, handlers...), Group(prefix, ...).
func (r *routeResolver) groupRouter(v *rval, name string, x *ast.CallExpr, fr *frame) any {
	if m := verbMethod(name, v.kind != routerFiber); m != "" || name == "Any" || (v.kind == routerFiber && name == "All") {
		p, ok := r.strArg(x, 0, fr)
		r.args(x.Args, fr)
		r.record(v, p, ok, methodList(m), x)
		return nil
	}
	switch name {
	case "Group":
		p, ok := r.strArg(x, 0, fr)
		r.args(x.Args, fr)
		return &rval{root: v.root, prefix: joinRoute(v.prefix, p), ok: v.ok && ok, kind: v.kind}
	case "Handle", "Add", "Match":
		// gin Handle(method, path), echo Add(method, path), fiber Add(method(s), path),
		// gin/echo Match(methods, path).
		r.recordMethodFirst(v, x, fr)
		return nil
	case "Route":
		if v.kind == routerFiber {
			p, ok := r.strArg(x, 0, fr)
			sub := &rval{root: v.root, prefix: joinRoute(v.prefix, p), ok: v.ok && ok, kind: v.kind}
			if len(x.Args) > 1 {
				r.bindFunc(x.Args[1], sub, fr)
			}
			return sub
		}
	case "Mount":
		if v.kind == routerFiber {
			p, _ := r.strArg(x, 0, fr)
			args := r.args(x.Args, fr)
			if len(args) > 1 {
				r.mount(v, p, true, args[1])
			}
			return nil
		}
	case "Use":
		args := r.args(x.Args, fr)
		if v.kind == routerFiber && len(args) > 1 {
			if p, ok := r.strArg(x, 0, fr); ok {
				r.mount(v, p, true, args[1])
			}
			return nil
		}
		if v.kind == routerGin {
			return v
		}
		return nil
	}
	r.args(x.Args, fr)
	return nil
}

// bindFunc evaluates the function given to chi Route/Group or fiber Route
// with its router parameter bound to sub.
func (r *routeResolver) bindFunc(e ast.Expr, sub *rval, fr *frame) {
	switch fn := unparen(e).(type) {
	case *ast.FuncLit:
		r.funcLit(fn, fr, []any{sub})
		return
	case *ast.Ident:
		if fi := fr.file.pkg.funcs[fn.Name]; fi != nil {
			r.callFunc(fi, []any{sub}, nil, fr)
			return
		}
	case *ast.SelectorExpr:
		var fi *funcInfo
		if id, ok := fn.X.(*ast.Ident); ok {
			if p := r.byImport[fr.file.imports[id.Name]]; p != nil {
				fi = p.funcs[fn.Sel.Name]
			}
		}
		if fi == nil {
			if t, ok := r.expr(fn.X, fr).(*typeRef); ok {
				fi = t.pkg.methods[t.name+"."+fn.Sel.Name]
			} else if c := fr.file.pkg.byMethod[fn.Sel.Name]; len(c) == 1 {
				fi = c[0]
			}
		}
		if fi != nil {
			r.callFunc(fi, []any{sub}, nil, fr)
			return
		}
	}
	r.expr(e, fr)
}

// mount attaches the router a handler value holds under parent: at the
// mount path when the router strips it (chi and fiber Mount), else at the
// http.StripPrefix prefix, if any. It reports whether the handler was a
// router.
func (r *routeResolver) mount(parent *rval, at string, strips bool, h any) bool {
	child, strip, ok := unwrapRouter(h)
	if child == nil || child.root == parent.root {
		return false
	}
	p := strip
	if strips {
		p = joinRoute(at, strip)
	}
	child.root.edges = append(child.root.edges, edge{parent: parent, path: p, ok: ok && parent.ok, pkg: r.top})
	return true
}

// served marks the router a handler value holds as served at the root.
func (r *routeResolver) served(h any) {
	if child, strip, ok := unwrapRouter(h); child != nil {
		child.root.edges = append(child.root.edges, edge{path: strip, ok: ok, pkg: r.top})
	}
}

// unwrapRouter finds the router inside a handler value, through
// StripPrefix and middleware.
func unwrapRouter(h any) (*rval, string, bool) {
	for depth := 0; depth < 8; depth++ {
		switch v := h.(type) {
		case *rval:
			if v.builder {
				return nil, "", false
			}
			return v, "", true
		case *stripVal:
			child, strip, ok := unwrapRouter(v.inner)
			if !v.ok {
				// a prefix known only at run time (a configured base
				// path): the router's own paths are the API's, wherever a
				// deployment mounts them
				return child, strip, ok
			}
			return child, joinRoute(v.prefix, strip), ok
		case *wrapVal:
			h = v.inner
			continue
		}
		return nil, "", false
	}
	return nil, "", false
}

// recordMethodFirst records a registration whose first argument is the
// method(s) and whose second is the path: gorilla Method, gin Handle, echo
// Add, fiber Add, gin/echo Match.
func (r *routeResolver) recordMethodFirst(v *rval, x *ast.CallExpr, fr *frame) {
	p, ok := r.strArg(x, 1, fr)
	var ms []string
	if len(x.Args) > 0 {
		ms = r.methodArgs(x.Args[:1], fr)
	}
	if len(x.Args) > 2 {
		r.args(x.Args[2:], fr)
	}
	r.record(v, p, ok, ms, x)
}

// record registers a route on v's root at v's prefix plus p.
func (r *routeResolver) record(v *rval, p string, ok bool, methods []string, x *ast.CallExpr) *routeRec {
	rec := &routeRec{root: v.root, rel: joinRoute(v.prefix, p), ok: ok && v.ok, methods: methods, pos: x.Pos(), kind: v.kind, pkg: r.top}
	if sel, isSel := x.Fun.(*ast.SelectorExpr); isSel {
		rec.pos = sel.Sel.Pos()
	}
	if r.recording {
		r.routes = append(r.routes, rec)
	}
	return rec
}

// strArg evaluates call argument i as a constant string.
func (r *routeResolver) strArg(x *ast.CallExpr, i int, fr *frame) (string, bool) {
	if i >= len(x.Args) {
		return "", false
	}
	return r.str(x.Args[i], fr, 0)
}

// methodArgs reads HTTP methods: string constants, http.MethodGet-style
// names, echo's GET-style constants, or a []string literal of them.
func (r *routeResolver) methodArgs(args []ast.Expr, fr *frame) []string {
	var out []string
	for _, a := range args {
		if cl, ok := a.(*ast.CompositeLit); ok {
			out = append(out, r.methodArgs(cl.Elts, fr)...)
			continue
		}
		if s, ok := r.str(a, fr, 0); ok {
			out = append(out, strings.ToUpper(s))
			continue
		}
		if sel, ok := a.(*ast.SelectorExpr); ok {
			n := strings.TrimPrefix(sel.Sel.Name, "Method")
			if m := strings.ToUpper(n); verbMethod(n, true) != "" || verbMethod(n, false) != "" {
				out = append(out, m)
			}
		}
	}
	return out
}

// verbMethod maps a router method name to its HTTP method: upper-case for
// gin and echo (GET), capitalised for chi and fiber (Get).
func verbMethod(name string, upper bool) string {
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"} {
		if (upper && name == m) || (!upper && name == m[:1]+strings.ToLower(m[1:])) {
			return m
		}
	}
	return ""
}

func methodList(m string) []string {
	if m == "" {
		return nil
	}
	return []string{m}
}

// servedThrough returns the handler a function literal ends by forwarding
// its request to (func(w, r) { r.Header.Del(...); h.ServeHTTP(w, r) }),
// or nil.
func servedThrough(e ast.Expr) ast.Expr {
	fn, ok := e.(*ast.FuncLit)
	if !ok || fn.Body == nil || len(fn.Body.List) == 0 || fn.Type.Params == nil || fn.Type.Params.NumFields() != 2 {
		return nil
	}
	st, ok := fn.Body.List[len(fn.Body.List)-1].(*ast.ExprStmt)
	if !ok {
		return nil
	}
	call, ok := st.X.(*ast.CallExpr)
	if !ok || len(call.Args) != 2 {
		return nil
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "ServeHTTP" {
		return nil
	}
	return sel.X
}
