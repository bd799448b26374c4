package load

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strconv"
	"strings"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// goScan is what one Go file says about datastores.
type goScan struct {
	file   string // the Go file read
	refs   []rawRef
	tables []tableHit
	paths  []pathHit // literals that may name a migrations folder
}

// tableHit is a table reference before its database is known.
type tableHit struct {
	ref facts.TableRef
	// mongoDB is the database a collection handle names
	// (client.Database("shop").Collection("orders")).
	mongoDB string
}

// pathHit is a string literal in a file that runs migrations.
type pathHit struct {
	value string
	pos   facts.Position
}

// litGroup is one string literal, or several joined with +.
type litGroup struct {
	value string
	key   string // the call, variable or field the literal is given to
	pos   facts.Position
	segs  []litSeg
}

// litSeg maps an offset of the joined value to a source line.
type litSeg struct {
	start int
	line  int
	raw   bool // a `raw` string: its newlines are source lines
}

func (g *litGroup) lineAt(off int) int {
	seg := g.segs[0]
	for _, s := range g.segs {
		if s.start <= off {
			seg = s
		}
	}
	if !seg.raw {
		return seg.line
	}
	return seg.line + strings.Count(g.value[seg.start:off], "\n")
}

// scanGo reads one Go file: every string literal (DSNs, SQL, migration
// paths), and, when the file mentions an ORM, a driver's option struct or a
// collection, its syntax tree.
func scanGo(in *input, service string) goScan {
	var out goScan
	m := goMarks(in.data)
	if m&(markSQL|markScan|markSyntax) == 0 {
		return out
	}
	migrates := m&(markMigrat|markGoose) != 0 ||
		m&markNonASCII != 0 && bytes.Contains(bytes.ToLower(in.data), []byte("migrat")) // a few non-ASCII capitals, such as İ, lower to ASCII letters
	for _, g := range goLiterals(in) {
		if d, ok := parseDSN(g.value); ok {
			out.refs = append(out.refs, rawRef{service: service, d: d, source: "go", key: firstNonEmpty(g.key, "string literal"), pos: g.pos})
			continue
		}
		var toks []sqlToken
		if hasSQLWord(g.value) {
			toks = lexSQL(g.value)
		}
		if toks != nil && sqlShaped(toks) {
			for _, t := range tablesOf(toks) {
				out.tables = append(out.tables, tableHit{ref: facts.TableRef{Service: service, Name: t.name, Schema: t.schema,
					Kind: "table", Op: t.op, Source: "go-sql", Pos: facts.Position{File: in.path, Line: g.lineAt(t.offset)}}})
			}
			continue
		}
		if migrates && len(g.value) < 256 && !strings.ContainsAny(g.value, " \n\t") && strings.Contains(g.value, "/") || g.value == "migrations" {
			out.paths = append(out.paths, pathHit{value: g.value, pos: g.pos})
		}
	}
	if m&markSyntax != 0 {
		scanGoSyntax(in, service, &out)
	}
	return out
}

// goLiterals returns the string literals of a Go file, with those joined by
// + merged, and the name each is given to.
func goLiterals(in *input) []litGroup {
	if out, ok := lexLiterals(in); ok {
		return out
	}
	return scanLiterals(in)
}

// scanLiterals is goLiterals through go/scanner, for the files goLexer
// leaves to it.
func scanLiterals(in *input) []litGroup {
	fset := token.NewFileSet()
	file := fset.AddFile(in.path, -1, len(in.data))
	var sc scanner.Scanner
	sc.Init(file, in.data, nil, 0)
	var (
		out     []*litGroup
		cur     *litGroup
		chain   []string // the selector chain being read (a.b.c)
		callees []string // the function of each open parenthesis
		prev    token.Token
		before  token.Token // the token before prev
	)
	for {
		pos, tok, lit := sc.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.STRING:
			v, err := strconv.Unquote(lit)
			if err != nil {
				break
			}
			p := fset.Position(pos)
			line := p.Line
			seg := litSeg{line: line, raw: strings.HasPrefix(lit, "`")}
			if cur != nil && prev == token.ADD {
				seg.start = len(cur.value)
				cur.value += v
				cur.segs = append(cur.segs, seg)
				break
			}
			cur = &litGroup{value: v, pos: facts.Position{File: in.path, Line: line, Col: p.Column}, segs: []litSeg{seg}}
			switch {
			case (prev == token.DEFINE || prev == token.ASSIGN || prev == token.COLON) && before == token.IDENT:
				cur.key = chain[len(chain)-1]
			case len(callees) > 0:
				cur.key = callees[len(callees)-1]
			}
			out = append(out, cur)
		case token.IDENT:
			if prev != token.PERIOD {
				chain = chain[:0]
			}
			chain = append(chain, lit)
		case token.LPAREN:
			callee := ""
			if prev == token.IDENT {
				callee = strings.Join(chain, ".")
			}
			callees = append(callees, callee)
		case token.RPAREN:
			if len(callees) > 0 {
				callees = callees[:len(callees)-1]
			}
		}
		if tok != token.STRING && tok != token.ADD {
			cur = nil
		}
		if tok == token.SEMICOLON && lit == "\n" {
			cur = nil
		}
		before, prev = prev, tok
	}
	var res []litGroup
	for _, g := range out {
		res = append(res, *g)
	}
	return res
}

// scanGoSyntax parses the file and reads driver option structs (redis,
// go-sql-driver/mysql), gorm models (TableName methods, gorm.Model,
// AutoMigrate, Table), ent schemas and MongoDB collections.
func scanGoSyntax(in *input, service string, out *goScan) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, in.path, in.data, parser.SkipObjectResolution)
	if err != nil {
		return
	}
	pos := func(n ast.Node) facts.Position {
		p := fset.Position(n.Pos())
		return facts.Position{File: in.path, Line: p.Line, Col: p.Column}
	}
	var gormFile, mongoFile bool
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		gormFile = gormFile || strings.Contains(p, "gorm")
		mongoFile = mongoFile || strings.Contains(p, "mongo-driver") || strings.Contains(p, "mongo-go-driver")
	}
	dbVars := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
			for i, r := range as.Rhs {
				if id, ok := as.Lhs[i].(*ast.Ident); ok {
					if db := stringArgOf(r, "Database"); db != "" {
						dbVars[id.Name] = db
					}
				}
			}
		}
		return true
	})
	tableOf := map[string]string{}  // type → TableName() result
	entTable := map[string]string{} // ent schema type → annotated table
	type model struct {
		typ, source, op string
		pos             facts.Position
	}
	var models []model
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CompositeLit:
			if r, ok := driverOptions(n, service, pos(n)); ok {
				out.refs = append(out.refs, r)
			}
			if sel, ok := n.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Annotation" {
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok && identName(kv.Key) == "Table" {
						if s := stringLit(kv.Value); s != "" {
							entTable[enclosingRecv(f, n)] = s
						}
					}
				}
			}
		case *ast.FuncDecl:
			if n.Name.Name == "TableName" && n.Recv != nil && len(n.Recv.List) == 1 && n.Body != nil {
				for _, st := range n.Body.List {
					if ret, ok := st.(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
						if s := stringLit(ret.Results[0]); s != "" {
							tableOf[recvType(n.Recv.List[0].Type)] = s
							schema, name := splitSchema(s)
							out.tables = append(out.tables, tableHit{ref: facts.TableRef{Service: service, Name: name, Schema: schema,
								Kind: "table", Op: "use", Source: "gorm", Pos: pos(ret.Results[0])}})
						}
					}
				}
			}
		case *ast.TypeSpec:
			st, ok := n.Type.(*ast.StructType)
			if !ok {
				return true
			}
			for _, fld := range st.Fields.List {
				if len(fld.Names) != 0 {
					continue
				}
				switch selName(fld.Type) {
				case "gorm.Model":
					models = append(models, model{n.Name.Name, "gorm", "use", pos(n.Name)})
				case "ent.Schema":
					models = append(models, model{n.Name.Name, "ent", "use", pos(n.Name)})
				}
			}
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			switch {
			case gormFile && sel.Sel.Name == "AutoMigrate":
				for _, a := range n.Args {
					if t := typeOfArg(a); t != "" {
						models = append(models, model{t, "gorm", "create", pos(a)})
					}
				}
			case gormFile && sel.Sel.Name == "Table" && len(n.Args) == 1:
				if s := stringLit(n.Args[0]); s != "" && validSQLIdent(strings.ReplaceAll(s, ".", "_")) {
					schema, name := splitSchema(s)
					out.tables = append(out.tables, tableHit{ref: facts.TableRef{Service: service, Name: name, Schema: schema,
						Kind: "table", Op: "use", Source: "gorm", Pos: pos(n.Args[0])}})
				}
			case mongoFile && sel.Sel.Name == "Collection" && len(n.Args) >= 1:
				if s := stringLit(n.Args[0]); s != "" {
					db := stringArgOf(sel.X, "Database")
					if id, ok := sel.X.(*ast.Ident); ok && db == "" {
						db = dbVars[id.Name]
					}
					out.tables = append(out.tables, tableHit{ref: facts.TableRef{Service: service, Name: s,
						Kind: "collection", Op: "use", Source: "mongo", Pos: pos(n.Args[0])}, mongoDB: db})
				}
			}
		}
		return true
	})
	for _, m := range models {
		name := tableOf[m.typ]
		if m.source == "ent" {
			name = entTable[m.typ]
		}
		if name == "" {
			name = snakePlural(m.typ)
		}
		schema, name := splitSchema(name)
		out.tables = append(out.tables, tableHit{ref: facts.TableRef{Service: service, Name: name, Schema: schema,
			Kind: "table", Op: m.op, Source: m.source, Pos: m.pos}})
	}
}

// driverOptions reads redis.Options{Addr, DB}, redis.UniversalOptions{Addrs}
// and mysql.Config{Addr, DBName} literals.
func driverOptions(n *ast.CompositeLit, service string, at facts.Position) (rawRef, bool) {
	sel, ok := n.Type.(*ast.SelectorExpr)
	if !ok {
		return rawRef{}, false
	}
	pkg := identName(sel.X)
	var d dsn
	switch {
	case pkg == "redis" && strings.HasSuffix(sel.Sel.Name, "Options"):
		d = dsn{engine: "redis", database: "0"}
	case pkg == "mysql" && sel.Sel.Name == "Config":
		d = dsn{engine: "mysql"}
	default:
		return rawRef{}, false
	}
	for _, e := range n.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		switch identName(kv.Key) {
		case "Addr":
			d.host, d.port = splitHostPort(stringLit(kv.Value))
		case "Addrs":
			if cl, ok := kv.Value.(*ast.CompositeLit); ok && len(cl.Elts) > 0 {
				d.host, d.port = splitHostPort(stringLit(cl.Elts[0]))
			}
		case "DB":
			if b, ok := kv.Value.(*ast.BasicLit); ok && b.Kind == token.INT {
				d.database = b.Value
			}
		case "DBName":
			d.database = stringLit(kv.Value)
		}
	}
	if !validHost(d.host) {
		return rawRef{}, false
	}
	if d.port == 0 {
		d.port = defaultPorts[d.engine]
	}
	d.display = groupDisplay(d)
	return rawRef{service: service, d: d, source: "go", key: pkg + "." + sel.Sel.Name, pos: at}, true
}

// stringArgOf returns the string argument of a call x.<method>("s").
func stringArgOf(e ast.Expr, method string) string {
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) < 1 {
		return ""
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == method {
		return stringLit(call.Args[0])
	}
	return ""
}

func stringLit(e ast.Expr) string {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return ""
	}
	s, err := strconv.Unquote(b.Value)
	if err != nil {
		return ""
	}
	return s
}

func identName(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

func selName(e ast.Expr) string {
	if sel, ok := e.(*ast.SelectorExpr); ok {
		return identName(sel.X) + "." + sel.Sel.Name
	}
	return ""
}

// recvType is the type name of a method receiver (T or *T).
func recvType(e ast.Expr) string {
	if st, ok := e.(*ast.StarExpr); ok {
		e = st.X
	}
	return identName(e)
}

// typeOfArg reads &T{}, T{} and new(T).
func typeOfArg(e ast.Expr) string {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	switch e := e.(type) {
	case *ast.CompositeLit:
		return identName(e.Type)
	case *ast.CallExpr:
		if identName(e.Fun) == "new" && len(e.Args) == 1 {
			return identName(e.Args[0])
		}
	}
	return ""
}

// enclosingRecv returns the receiver type of the method holding n.
func enclosingRecv(f *ast.File, n ast.Node) string {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil && len(fd.Recv.List) == 1 &&
			fd.Pos() <= n.Pos() && n.End() <= fd.End() {
			return recvType(fd.Recv.List[0].Type)
		}
	}
	return ""
}

func splitSchema(s string) (schema, name string) {
	if i := strings.LastIndex(s, "."); i >= 0 {
		return strings.ToLower(s[:i]), strings.ToLower(s[i+1:])
	}
	return "", strings.ToLower(s)
}

// snakePlural is the default table name of a model type: OrderItem →
// order_items, Category → categories, Address → addresses.
func snakePlural(typ string) string {
	var b strings.Builder
	for i, r := range typ {
		if r >= 'A' && r <= 'Z' {
			if i > 0 && (typ[i-1] < 'A' || typ[i-1] > 'Z') {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	s := b.String()
	switch {
	case strings.HasSuffix(s, "y") && len(s) > 1 && !strings.ContainsRune("aeiou", rune(s[len(s)-2])):
		return s[:len(s)-1] + "ies"
	case strings.HasSuffix(s, "s") || strings.HasSuffix(s, "x") || strings.HasSuffix(s, "z") ||
		strings.HasSuffix(s, "ch") || strings.HasSuffix(s, "sh"):
		return s + "es"
	}
	return s + "s"
}
