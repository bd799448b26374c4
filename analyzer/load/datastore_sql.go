package load

import (
	"strings"
)

// sqlTable is one table a SQL text names, with what it does to it.
type sqlTable struct {
	name, schema string
	op           string // read, write, create, alter
	offset       int    // byte offset of the name in the text
	line         int    // 1-based line of the name in the text
}

// sqlToken is one lexical token of SQL.
type sqlToken struct {
	kind   byte // 'w' word, 'q' quoted identifier, 's' string, 'p' punctuation, 'o' other
	text   string
	upper  string // upper-case text of words
	offset int
	line   int
}

// lexSQL splits SQL text into tokens, dropping comments, strings' content
// and dollar-quoted bodies.
func lexSQL(s string) []sqlToken {
	var out []sqlToken
	line := 1
	for i := 0; i < len(s); {
		c := s[i]
		start, startLine := i, line
		switch {
		case c == '\n':
			line++
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			i++
			continue
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				end = len(s) - i - 2
			}
			line += strings.Count(s[i:i+2+end], "\n")
			i += end + 4
			continue
		case c == '\'':
			i = skipQuoted(s, i, '\'')
			line += strings.Count(s[start:min(i, len(s))], "\n")
			out = append(out, sqlToken{kind: 's', offset: start, line: startLine})
			continue
		case c == '"' || c == '`':
			i = skipQuoted(s, i, c)
			text := s[start+1 : max(start+1, min(i, len(s))-1)]
			line += strings.Count(text, "\n")
			out = append(out, sqlToken{kind: 'q', text: text, offset: start + 1, line: startLine})
			continue
		case c == '[':
			if end := strings.IndexByte(s[i:], ']'); end > 1 && isIdentText(s[i+1:i+end]) {
				out = append(out, sqlToken{kind: 'q', text: s[i+1 : i+end], offset: i + 1, line: line})
				i += end + 1
				continue
			}
		case c == '$' && i+1 < len(s) && (s[i+1] == '$' || isIdentStart(s[i+1])):
			if tag, body := dollarQuote(s[i:]); tag != "" {
				line += strings.Count(s[i:i+body], "\n")
				out = append(out, sqlToken{kind: 's', offset: i, line: startLine})
				i += body
				continue
			}
		case isIdentStart(c):
			for i < len(s) && isIdentPart(s[i]) {
				i++
			}
			w := s[start:i]
			out = append(out, sqlToken{kind: 'w', text: w, upper: strings.ToUpper(w), offset: start, line: line})
			continue
		}
		if strings.IndexByte("(),.;", c) >= 0 {
			out = append(out, sqlToken{kind: 'p', text: string(c), offset: i, line: line})
		} else {
			out = append(out, sqlToken{kind: 'o', text: string(c), offset: i, line: line})
		}
		i++
	}
	return out
}

// skipQuoted returns the index after the quote closing the one at i;
// a doubled quote is an escape.
func skipQuoted(s string, i int, q byte) int {
	for j := i + 1; j < len(s); j++ {
		if s[j] == q {
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// dollarQuote recognises $tag$ ... $tag$ and returns the tag and the length
// of the whole quoted text.
func dollarQuote(s string) (string, int) {
	end := strings.IndexByte(s[1:], '$')
	if end < 0 {
		return "", 0
	}
	tag := s[:end+2]
	if !isIdentText(tag[1:len(tag)-1]) && len(tag) != 2 {
		return "", 0
	}
	end = strings.Index(s[len(tag):], tag)
	if end < 0 {
		return "", 0
	}
	return tag, len(tag) + end + len(tag)
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentPart(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' || c == '$' }

func isIdentText(s string) bool {
	if s == "" || !isIdentStart(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIdentPart(s[i]) && s[i] != ' ' && s[i] != '-' {
			return false
		}
	}
	return true
}

// sqlReserved are words that are never a table name where one is expected.
var sqlReserved = map[string]bool{
	"SELECT": true, "FROM": true, "WHERE": true, "JOIN": true, "ON": true, "AS": true, "SET": true,
	"VALUES": true, "INTO": true, "AND": true, "OR": true, "NOT": true, "NULL": true, "GROUP": true,
	"ORDER": true, "BY": true, "LIMIT": true, "OFFSET": true, "HAVING": true, "UNION": true,
	"INNER": true, "LEFT": true, "RIGHT": true, "FULL": true, "OUTER": true, "CROSS": true,
	"NATURAL": true, "USING": true, "RETURNING": true, "DEFAULT": true, "TABLE": true, "IF": true,
	"EXISTS": true, "ONLY": true, "LATERAL": true, "WITH": true, "CASE": true, "WHEN": true,
	"THEN": true, "ELSE": true, "END": true, "DISTINCT": true, "ALL": true, "UPDATE": true,
	"DELETE": true, "INSERT": true, "WINDOW": true, "FOR": true, "UNNEST": true, "IN": true,
}

// systemSchemas are schemas and names of system catalogues.
var systemSchemas = map[string]bool{
	"information_schema": true, "pg_catalog": true, "sys": true, "mysql": true, "performance_schema": true,
}

// notTables are names that are no table where one is expected: MySQL's
// DUAL and the English words of prose that happens to start with "select".
var notTables = map[string]bool{
	"dual": true, "the": true, "a": true, "an": true, "this": true, "that": true, "these": true,
	"those": true, "your": true, "our": true, "my": true, "their": true, "its": true, "it": true,
	"them": true, "here": true, "there": true, "which": true,
}

// statementStarts are the keywords that begin a statement worth reading.
var statementStarts = map[string]string{
	"SELECT": "FROM", "INSERT": "INTO", "UPDATE": "SET", "DELETE": "FROM", "WITH": "AS",
	"CREATE": "TABLE|INDEX", "ALTER": "TABLE", "DROP": "TABLE", "TRUNCATE": "", "MERGE": "INTO",
	"REPLACE": "INTO", "UPSERT": "INTO",
}

// looksLikeSQL reports whether a string literal is a SQL statement, or a
// fragment of one written in upper-case keywords (" FROM orders WHERE").
func looksLikeSQL(s string) bool {
	return hasSQLWord(s) && sqlShaped(lexSQL(s))
}

// sqlWords are the words without which a text names no table.
var sqlWords = []string{"from", "into", "update", "table", "join", "truncate", "index"}

// hasSQLWord is a cheap first test: does s hold, in any case, a word that
// introduces a table name?
func hasSQLWord(s string) bool { return hasSQLWordIn(s) }

// asciiFoldEqual reports whether s equals the lower-case ASCII word w in
// any case. For an ASCII w this is what strings.EqualFold says: a window of
// len(w) bytes holding a multi-byte rune has fewer runes than w.
func asciiFoldEqual[T string | []byte](s T, w string) bool {
	for k := 0; k < len(w); k++ {
		if s[k]|0x20 != w[k] {
			return false
		}
	}
	return true
}

// hasSQLWordIn is hasSQLWord for a string or a byte slice, so that whole
// files are tested without a copy.
func hasSQLWordIn[T string | []byte](s T) bool {
	for i := 0; i+4 <= len(s); i++ {
		c := s[i] | 0x20
		if c != 'f' && c != 'i' && c != 'u' && c != 't' && c != 'j' {
			continue
		}
		for _, w := range sqlWords {
			if len(s)-i >= len(w) && asciiFoldEqual(s[i:i+len(w)], w) {
				return true
			}
		}
	}
	return false
}

// sqlShaped is looksLikeSQL over tokens already lexed.
func sqlShaped(toks []sqlToken) bool {
	first := -1
	for i, t := range toks {
		if t.kind == 'w' {
			first = i
			break
		}
		if t.text != "(" {
			return false
		}
	}
	if first < 0 || len(toks) < 2 {
		return false
	}
	if need, ok := statementStarts[toks[first].upper]; ok {
		if need == "" {
			return true
		}
		for _, t := range toks[first+1:] {
			for _, n := range strings.Split(need, "|") {
				if t.upper == n {
					return true
				}
			}
		}
		return false
	}
	// A fragment: an upper-case FROM or JOIN followed by a name, with at
	// least one other upper-case keyword.
	frag, other := false, false
	for i, t := range toks {
		if t.kind != 'w' || t.text != t.upper {
			continue
		}
		switch t.text {
		case "FROM", "JOIN":
			if i+1 < len(toks) && (toks[i+1].kind == 'w' || toks[i+1].kind == 'q') {
				frag = true
			}
		case "WHERE", "SELECT", "ON", "ORDER", "GROUP", "LIMIT", "SET", "VALUES", "AND":
			other = true
		}
	}
	return frag && (other || toks[first].text == "FROM")
}

// noFromFuncs are functions whose arguments use FROM (EXTRACT(YEAR FROM x)).
var noFromFuncs = map[string]bool{"EXTRACT": true, "SUBSTRING": true, "TRIM": true, "POSITION": true, "OVERLAY": true, "SUBSTR": true}

// sqlTables returns the tables a SQL text reads, writes, creates or alters:
// after FROM, JOIN, USING, INTO, UPDATE, DELETE FROM, TRUNCATE,
// REFERENCES, CREATE/ALTER/DROP TABLE and CREATE INDEX ... ON, with schema
// qualification. Common table expressions and temporary tables are left
// out.
func sqlTables(s string) []sqlTable { return tablesOf(lexSQL(s)) }

// tablesOf is sqlTables over tokens already lexed.
func tablesOf(toks []sqlToken) []sqlTable {
	ctes := map[string]bool{}
	for i := 0; i+2 < len(toks); i++ {
		if (toks[i].kind == 'w' || toks[i].kind == 'q') && toks[i+1].upper == "AS" && toks[i+2].text == "(" {
			ctes[strings.ToLower(toks[i].text)] = true
		}
	}
	var out []sqlTable
	var parens []string
	stmt, stmtStart := "", true
	prevWord := func(i int) string {
		if i > 0 && toks[i-1].kind == 'w' {
			return toks[i-1].upper
		}
		return ""
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.text {
		case ";":
			stmt, stmtStart, parens = "", true, parens[:0]
			continue
		case "(":
			parens = append(parens, prevWord(i))
			continue
		case ")":
			if len(parens) > 0 {
				parens = parens[:len(parens)-1]
			}
			continue
		}
		if t.kind != 'w' {
			continue
		}
		if stmtStart {
			stmt, stmtStart = t.upper, false
		}
		switch t.upper {
		case "FROM":
			if len(parens) > 0 && noFromFuncs[parens[len(parens)-1]] || prevWord(i) == "DISTINCT" {
				continue
			}
			op := "read"
			if prevWord(i) == "DELETE" {
				op = "write"
			}
			out = append(out, tableList(toks, i+1, op, ctes, true, true)...)
		case "JOIN", "USING":
			out = append(out, tableList(toks, i+1, "read", ctes, false, true)...)
		case "REFERENCES":
			out = append(out, tableList(toks, i+1, "read", ctes, false, false)...)
		case "INTO":
			if stmt == "INSERT" || stmt == "REPLACE" || stmt == "MERGE" || stmt == "UPSERT" || stmt == "WITH" {
				out = append(out, tableList(toks, i+1, "write", ctes, false, false)...)
			}
		case "UPDATE":
			switch prevWord(i) {
			case "DO", "ON", "FOR", "KEY":
				continue
			}
			out = append(out, tableList(toks, i+1, "write", ctes, false, false)...)
		case "TRUNCATE":
			j := i + 1
			if j < len(toks) && toks[j].upper == "TABLE" {
				j++
			}
			out = append(out, tableList(toks, j, "write", ctes, true, false)...)
		case "TABLE":
			op := ""
			switch {
			case stmt == "CREATE" && !tempTable(toks, i):
				op = "create"
			case stmt == "ALTER" || stmt == "DROP":
				op = "alter"
			}
			if op != "" {
				out = append(out, tableList(toks, i+1, op, ctes, op == "alter" && stmt == "DROP", false)...)
			}
		case "ON":
			if stmt == "CREATE" && hasWordBefore(toks, i, "INDEX") {
				out = append(out, tableList(toks, i+1, "alter", ctes, false, false)...)
			}
		}
	}
	return out
}

// tempTable reports whether the CREATE ... TABLE at i makes a temporary
// table.
func tempTable(toks []sqlToken, i int) bool {
	for j := i - 1; j >= 0 && toks[j].kind == 'w' && toks[j].upper != "CREATE"; j-- {
		if toks[j].upper == "TEMP" || toks[j].upper == "TEMPORARY" {
			return true
		}
	}
	return false
}

// hasWordBefore reports whether word occurs in the statement before i.
func hasWordBefore(toks []sqlToken, i int, word string) bool {
	for j := i - 1; j >= 0 && toks[j].text != ";"; j-- {
		if toks[j].upper == word {
			return true
		}
	}
	return false
}

// tableList reads one table name at j (or, when list is set, a
// comma-separated list of names with aliases). Where a function may stand
// instead of a table (FROM, JOIN), funcs makes a name followed by '(' a
// call rather than a table.
func tableList(toks []sqlToken, j int, op string, ctes map[string]bool, list, funcs bool) []sqlTable {
	var out []sqlTable
	for {
		for j < len(toks) && toks[j].kind == 'w' && (toks[j].upper == "ONLY" || toks[j].upper == "LATERAL" ||
			toks[j].upper == "IF" || toks[j].upper == "NOT" || toks[j].upper == "EXISTS" || toks[j].upper == "IGNORE") {
			j++
		}
		name, next, ok := qualifiedName(toks, j)
		if !ok {
			return out
		}
		if next < len(toks) && toks[next].text == "(" && funcs {
			return out // a function call, not a table
		}
		if !ctes[strings.ToLower(name.name)] || name.schema != "" {
			if !systemSchemas[name.schema] && !strings.HasPrefix(name.name, "pg_") && !notTables[name.name] {
				name.op = op
				out = append(out, name)
			}
		}
		if !list {
			return out
		}
		j = next
		// skip an alias
		if j < len(toks) && toks[j].upper == "AS" {
			j++
		}
		if j < len(toks) && (toks[j].kind == 'w' && !sqlReserved[toks[j].upper] || toks[j].kind == 'q') {
			j++
		}
		if j >= len(toks) || toks[j].text != "," {
			return out
		}
		j++
	}
}

// qualifiedName reads [db.][schema.]name at j.
func qualifiedName(toks []sqlToken, j int) (sqlTable, int, bool) {
	var parts []sqlToken
	for j < len(toks) {
		t := toks[j]
		if t.kind == 'q' || t.kind == 'w' && !sqlReserved[t.upper] && validSQLIdent(t.text) {
			parts = append(parts, t)
			j++
			if j < len(toks) && toks[j].text == "." {
				j++
				continue
			}
		}
		break
	}
	if len(parts) == 0 || j < len(toks) && toks[j].kind == 'o' && (toks[j].text == "%" || toks[j].text == "{") {
		return sqlTable{}, j, false
	}
	norm := func(t sqlToken) string {
		if t.kind == 'q' {
			return t.text
		}
		return strings.ToLower(t.text)
	}
	last := parts[len(parts)-1]
	tb := sqlTable{name: norm(last), offset: last.offset, line: last.line}
	if len(parts) >= 2 {
		tb.schema = norm(parts[len(parts)-2])
	}
	return tb, j, tb.name != ""
}

func validSQLIdent(s string) bool {
	if s == "" || !isIdentStart(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIdentPart(s[i]) {
			return false
		}
	}
	return true
}
