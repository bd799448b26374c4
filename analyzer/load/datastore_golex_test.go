package load

import (
	"bytes"
	"fmt"
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// lexCases are inputs on which goLexer must tokenise as go/scanner does.
var lexCases = []string{
	"package p\nvar a = \"x\" + \"y\"\n",
	"package p\nfunc f() { db.Query(`SELECT *\r\n FROM t` + \"WHERE\" +\n\t\"x\") }\n",
	"x := 1.5e+3 + \"a\"; y = 0x1p-2+\"b\"; z = 0x1e+\"c\"; w = .5+\"d\"; v = 1..2; u = 0b101 + 0o17i + 08 + 1_000",
	"a.b.c(\"k\", x).d(\"v\")\nfoo(bar)(\"z\")\n(x).y(\"q\")\n",
	"s := \"unterminated\nt := \"a\\\"b\" + 'x' + '\\'' + '\"'\n",
	"k = \"\\x4\" + \"\\u00\n\" + \"\\\n\" + \"\\q\"",
	"a /* one */ = \"v\"\nb /* two\n lines */ \"w\"\nc // tail\n\"z\"\n",
	"return \"r\"\ncase \"c\": x++\ny--\n\"after\"\ngo func(){}()\n",
	"x += \"a\"; y == \"b\"; z != \"c\"; w <= \"d\"; u >>= \"e\"; v &^= \"f\"; t <- \"g\"; s ... \"h\"",
	"# $ ? @ \\ \x00 \x7f \x01 \"ill\" egal",
	"a\n.b(\"chain\")\nx). y(\"odd\")",
	"`unterminated raw\nstring",
	"\"\xff\xfe\" + \"ok\"",
	"/* unterminated comment\n \"x\"",
	"x = \"a\" /* c */ + /* d */ \"b\"\n",
	"f(g(\"1\"), \"2\")\n)\n)\n(\"3\")",
	"'unterminated rune\n\"s\"",
	"m := map[string]string{\"k\": \"v\", k2: \"w\"}",
	"",
	"\"",
	"`",
	"/",
	"1e",
	"0x",
	"..",
}

// scanTokens returns go/scanner's tokens of src, with the extent of
// identifiers and strings.
func scanTokens(src []byte) []string {
	fset := token.NewFileSet()
	file := fset.AddFile("f.go", -1, len(src))
	var sc scanner.Scanner
	sc.Init(file, src, nil, 0)
	var out []string
	for {
		pos, tok, lit := sc.Scan()
		if tok == token.EOF {
			return out
		}
		out = append(out, lexToken(tok, file.Offset(pos), lit))
	}
}

func lexToken(tok token.Token, off int, lit string) string {
	switch tok {
	case token.IDENT, token.STRING:
		return tok.String() + "@" + strings.Repeat(".", off) + lit
	case token.INT, token.FLOAT, token.IMAG:
		return "number"
	}
	return tok.String()
}

// lexTokens returns goLexer's tokens of src, or false when it gave up.
func lexTokens(src []byte) ([]string, bool) {
	lx := goLexer{src: src}
	var out []string
	for {
		tok, start, end := lx.scan()
		if tok == token.EOF {
			return out, !lx.bail
		}
		lit := string(src[start:end])
		if tok == token.STRING && src[start] == '`' {
			lit = strings.ReplaceAll(lit, "\r", "")
		}
		out = append(out, lexToken(tok, start, lit))
	}
}

// checkLexer compares goLexer, lexLiterals and goMarks with go/scanner,
// scanLiterals and the plain definitions on src.
func checkLexer(t *testing.T, src []byte) (lexed bool) {
	t.Helper()
	if got, ok := lexTokens(src); ok {
		if want := scanTokens(src); !reflect.DeepEqual(got, want) {
			t.Fatalf("tokens of %q:\n got %q\nwant %q", src, got, want)
		}
	}
	in := &input{path: "p/f.go", kind: kindGo, data: src}
	got, ok := lexLiterals(in)
	if ok {
		if want := scanLiterals(in); !reflect.DeepEqual(got, want) {
			t.Fatalf("literals of %q:\n got %s\nwant %s", src, dumpGroups(got), dumpGroups(want))
		}
	}
	checkMarks(t, src)
	return ok
}

func dumpGroups(gs []litGroup) string {
	var b strings.Builder
	for _, g := range gs {
		fmt.Fprintf(&b, "\n%q key=%q %+v %+v", g.value, g.key, g.pos, g.segs)
	}
	return b.String()
}

// checkMarks compares goMarks with the definitions it folds into one pass.
func checkMarks(t *testing.T, data []byte) {
	t.Helper()
	containsAny := func(ws ...string) bool {
		for _, w := range ws {
			if bytes.Contains(data, []byte(w)) {
				return true
			}
		}
		return false
	}
	m := goMarks(data)
	syntax := containsAny("redis.", "mysql.Config", "TableName", "gorm", "ent.Schema", "Collection(")
	worth := hasSQLWordIn(data) || syntax ||
		containsAny("://", "@tcp(", "@unix(", "@/", "dbname=", "host=", "Server=", "jdbc:", "migrat", "goose")
	migrates := bytes.Contains(bytes.ToLower(data), []byte("migrat")) || bytes.Contains(data, []byte("goose"))
	gotMigrates := m&(markMigrat|markGoose) != 0 ||
		m&markNonASCII != 0 && bytes.Contains(bytes.ToLower(data), []byte("migrat"))
	if got := m&(markSQL|markScan|markSyntax) != 0; got != worth {
		t.Errorf("goMarks(%q): worth scanning %v, want %v", data, got, worth)
	}
	if gotMigrates != migrates {
		t.Errorf("goMarks(%q): migrates %v, want %v", data, gotMigrates, migrates)
	}
	if got := m&markSyntax != 0; got != syntax {
		t.Errorf("goMarks(%q): syntax %v, want %v", data, got, syntax)
	}
}

func TestGoLexerAgrees(t *testing.T) {
	for _, s := range lexCases {
		if !checkLexer(t, []byte(s)) {
			t.Errorf("lexer gave up on %q", s)
		}
	}
	for _, s := range []string{"package p\nvar ä = \"x\"", "\ufeffpackage p", "//line a.go:10\nvar a = \"x\"", "x := \"a\" /*line b.go:3:4*/ + \"b\"", "x\u00a0= \"a\""} {
		if checkLexer(t, []byte(s)) {
			t.Errorf("lexer read %q, which it must leave to go/scanner", s)
		}
	}
}

// TestGoLexerOnSources runs the comparison over the Go files of this
// repository.
func TestGoLexerOnSources(t *testing.T) {
	n := 0
	err := filepath.WalkDir("../..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		checkLexer(t, data)
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("compared %d files", n)
	}
}

func TestFoldHelpers(t *testing.T) {
	for _, s := range []string{"", "migrat", "MIGRATE", "Migrations", "xmIgRaTion", "mig rat", "MİGRAT", "\u212aigrat",
		"SELECT * FROM t", "frOm", "fr\u00f6m", "ſrom", "update", "UPDATE x", "TRUNCATE", "Index", "join", "jo\u0131n",
		"mIGRATe", "gooses", "@unix(", "host=x", "hostaddr=", "Server=", "jdbc:x", "JDBC:", "TableName", "tablename",
		"ent.Schema", "Collection(", "redis.", "gorm", "mysql.Config", "://", "@/", "dbname="} {
		checkMarks(t, []byte(s))
		for _, w := range sqlWords {
			for i := 0; i+len(w) <= len(s); i++ {
				if got, want := asciiFoldEqual(s[i:i+len(w)], w), strings.EqualFold(s[i:i+len(w)], w); got != want {
					t.Errorf("asciiFoldEqual(%q, %q) = %v, want %v", s[i:i+len(w)], w, got, want)
				}
			}
		}
	}
}

// FuzzGoLiterals compares goLexer and lexLiterals with go/scanner and
// scanLiterals, and goMarks with its definitions, on arbitrary input.
func FuzzGoLiterals(f *testing.F) {
	for _, s := range lexCases {
		f.Add([]byte(s))
	}
	f.Add([]byte(benchGoFile("orders", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		checkLexer(t, data)
	})
}

func TestGoKeyword(t *testing.T) {
	for tok := token.ILLEGAL; tok <= token.TILDE; tok++ {
		if tok.IsKeyword() {
			if got := goKeyword([]byte(tok.String())); got != tok {
				t.Errorf("goKeyword(%q) = %v", tok.String(), got)
			}
		}
	}
	for _, s := range []string{"x", "Break", "returns", "gofunc", "_"} {
		if got := goKeyword([]byte(s)); got != token.IDENT {
			t.Errorf("goKeyword(%q) = %v, want IDENT", s, got)
		}
	}
}
