package load

import (
	"bytes"
	"encoding/binary"
	"go/token"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// The cheap reading of Go files for scanGo: which words a file holds, and
// its string literals without go/scanner.

// The bits of goMarks.
const (
	// markSQL: a word that introduces a table name (sqlWords), in any ASCII
	// case.
	markSQL = 1 << iota
	// markScan: a byte string without which a Go file holds no DSN
	// ("://", "@tcp(", "@unix(", "@/", "dbname=", "host=", "Server=",
	// "jdbc:"), or "migrat" or "goose".
	markScan
	// markSyntax: a byte string that makes a file worth a full parse
	// ("redis.", "mysql.Config", "TableName", "gorm", "ent.Schema",
	// "Collection(").
	markSyntax
	markMigrat   // "migrat" in any ASCII case
	markGoose    // "goose"
	markNonASCII // a byte above 0x7f
)

// markWord is a word goMarks looks for, and the bits it sets.
type markWord struct {
	w    string
	fold bool // in any ASCII case
	bits uint8
}

// markWords are the words of four bytes or more goMarks looks for; the
// shorter ones, and those starting with '@', are searched for on their own.
var markWords = []markWord{
	{"from", true, markSQL}, {"into", true, markSQL}, {"index", true, markSQL}, {"update", true, markSQL},
	{"table", true, markSQL}, {"truncate", true, markSQL}, {"join", true, markSQL},
	{"migrat", true, markMigrat}, {"migrat", false, markScan}, {"goose", false, markScan | markGoose},
	{"dbname=", false, markScan}, {"host=", false, markScan}, {"Server=", false, markScan}, {"jdbc:", false, markScan},
	{"redis.", false, markSyntax}, {"mysql.Config", false, markSyntax}, {"TableName", false, markSyntax},
	{"gorm", false, markSyntax}, {"ent.Schema", false, markSyntax}, {"Collection(", false, markSyntax},
}

// markTable finds the markWords that may start at a position from the
// position's first four bytes, lower-cased: a perfect hash of those
// prefixes.
type markTable struct {
	mul   uint32
	keys  [256]uint32 // the lower-cased prefix in each slot (0: none)
	words [256][]markWord
}

// lower4 is the four bytes at data[i:], as a little-endian word with each
// byte's 0x20 bit set: ASCII letters lower-cased.
func lower4(data []byte, i int) uint32 {
	return binary.LittleEndian.Uint32(data[i:]) | 0x20202020
}

func (t *markTable) slot(k uint32) uint8 { return uint8((k * t.mul) >> 24) }

var goMarkTable = func() *markTable {
	for mul := uint32(0x9E3779B1); ; mul += 2 {
		t := &markTable{mul: mul}
		ok := true
		for _, w := range markWords {
			k := lower4([]byte(w.w), 0)
			s := t.slot(k)
			if t.keys[s] != 0 && t.keys[s] != k {
				ok = false
				break
			}
			t.keys[s] = k
			t.words[s] = append(t.words[s], w)
		}
		if ok {
			return t
		}
	}
}()

// goMarks is the cheap test run on every Go file before its literals are
// read: in one pass over the file, which of the words that decide what
// scanGo reads it holds.
func goMarks(data []byte) uint8 {
	var m uint8
	t := goMarkTable
	var bytesOr uint32
	i := 0
	for ; i+4 <= len(data); i++ {
		k := binary.LittleEndian.Uint32(data[i:])
		bytesOr |= k
		kl := k | 0x20202020
		s := t.slot(kl)
		if t.keys[s] != kl {
			continue
		}
		for _, w := range t.words[s] {
			if len(data)-i < len(w.w) {
				continue
			}
			if w.fold && asciiFoldEqual(data[i:i+len(w.w)], w.w) || !w.fold && string(data[i:i+len(w.w)]) == w.w {
				m |= w.bits
			}
		}
	}
	for ; i < len(data); i++ {
		bytesOr |= uint32(data[i])
	}
	if bytesOr&0x80808080 != 0 {
		m |= markNonASCII
	}
	if m&(markSQL|markScan|markSyntax) == 0 {
		for _, w := range []string{"://", "@tcp(", "@unix(", "@/"} {
			if bytes.Contains(data, []byte(w)) {
				m |= markScan
				break
			}
		}
	}
	return m
}

// span is the extent src[start:end] of a token.
type span struct{ start, end int }

// callee is the function an open parenthesis calls, as the identifiers of
// its selector chain: lexLiterals' idents[ids.start:ids.end] (start < 0:
// none, a parenthesised expression). keep is how many idents the
// parenthesis holds on to.
type callee struct {
	ids  span
	keep int
}

// lexLiterals is goLiterals over goLexer's tokens: what scanLiterals does,
// without go/scanner's strings for every identifier and literal, and with
// lines counted as the literals come. ok is false when the lexer gave up.
func lexLiterals(in *input) (out []litGroup, ok bool) {
	src := in.data
	lx := goLexer{src: src}
	var (
		cur  = -1     // the index in out of the group a + may extend
		segs []litSeg // the segments of every group, each group's in a run
		// idents holds the identifiers of the selector chain being read
		// (a.b.c), idents[chain:], and, before them, those of the
		// functions of the open parentheses.
		idents  []span
		chain   int
		callees []callee
		prev    token.Token
		before  token.Token // the token before prev
		// The line of offset counted, and where it starts.
		counted, line, lineStart = 0, 1, 0
	)
	name := func(ids []span) string {
		if len(ids) == 1 {
			return string(src[ids[0].start:ids[0].end])
		}
		var b strings.Builder
		for i, sp := range ids {
			if i > 0 {
				b.WriteByte('.')
			}
			b.Write(src[sp.start:sp.end])
		}
		return b.String()
	}
	// At most one group a literal; a literal has two quotes.
	if n := (bytes.Count(src, []byte{'"'}) + bytes.Count(src, []byte{'`'})) / 2; n > 0 {
		out, segs = make([]litGroup, 0, n), make([]litSeg, 0, n)
	}
	idents, callees = make([]span, 0, 32), make([]callee, 0, 32)
	for {
		tok, start, end := lx.scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.STRING:
			v, ok := literalValue(src[start:end])
			if !ok {
				break
			}
			if n := bytes.Count(src[counted:start], []byte("\n")); n > 0 {
				line += n
				lineStart = counted + bytes.LastIndexByte(src[counted:start], '\n') + 1
			}
			counted = start
			seg := litSeg{line: line, raw: src[start] == '`'}
			if cur >= 0 && prev == token.ADD {
				g := &out[cur]
				seg.start = len(g.value)
				g.value += v
				segs = append(segs, seg)
				g.segs = segs[len(segs)-len(g.segs)-1:]
				break
			}
			segs = append(segs, seg)
			g := litGroup{value: v, pos: facts.Position{File: in.path, Line: line, Col: start - lineStart + 1}, segs: segs[len(segs)-1:]}
			switch {
			case (prev == token.DEFINE || prev == token.ASSIGN || prev == token.COLON) && before == token.IDENT:
				g.key = name(idents[len(idents)-1:])
			case len(callees) > 0:
				if c := callees[len(callees)-1].ids; c.start >= 0 {
					g.key = name(idents[c.start:c.end])
				}
			}
			cur = len(out)
			out = append(out, g)
		case token.IDENT:
			if prev != token.PERIOD {
				idents = idents[:0]
				if len(callees) > 0 {
					idents = idents[:callees[len(callees)-1].keep]
				}
				chain = len(idents)
			}
			idents = append(idents, span{start, end})
		case token.LPAREN:
			c := callee{ids: span{-1, -1}, keep: len(idents)}
			if prev == token.IDENT {
				c.ids = span{chain, len(idents)}
			}
			callees = append(callees, c)
		case token.RPAREN:
			if len(callees) > 0 {
				callees = callees[:len(callees)-1]
			}
		}
		if tok != token.STRING && tok != token.ADD {
			cur = -1
		}
		before, prev = prev, tok
	}
	if len(out) == 0 {
		out = nil
	}
	return out, !lx.bail
}

// literalValue is strconv.Unquote of a string literal as go/scanner reads
// it (a raw string without its carriage returns), without a copy of the
// literal when it has no escapes.
func literalValue(lit []byte) (string, bool) {
	n := len(lit)
	if lit[0] == '`' {
		if n < 2 || lit[n-1] != '`' {
			return "", false // not terminated
		}
		body := lit[1 : n-1]
		if bytes.IndexByte(body, '\r') < 0 {
			return string(body), true
		}
		return string(bytes.ReplaceAll(body, []byte("\r"), nil)), true
	}
	if n >= 2 && lit[n-1] == '"' && bytes.IndexByte(lit, '\\') < 0 && utf8.Valid(lit[1:n-1]) {
		return string(lit[1 : n-1]), true
	}
	v, err := strconv.Unquote(string(lit))
	return v, err == nil
}

// goLexer is the part of go/scanner that goLiterals reads, for ASCII
// source: the kind of every token, the automatic semicolons, and the extent
// of identifiers and string literals. It follows go/scanner's Scan step by
// step, but allocates nothing: tokens are offsets into src. Where it would
// have to decode UTF-8 outside a literal or a comment (a Unicode
// identifier, a byte order mark, an illegal rune), or meets a comment that
// may be a //line directive (which moves positions), it sets bail, and the
// caller reads the file with go/scanner instead.
type goLexer struct {
	src        []byte
	off        int // offset of the next byte to read
	insertSemi bool
	bail       bool
}

// goKeyword returns the keyword token an identifier spells, or IDENT.
func goKeyword(b []byte) token.Token {
	switch string(b) {
	case "break":
		return token.BREAK
	case "case":
		return token.CASE
	case "chan":
		return token.CHAN
	case "const":
		return token.CONST
	case "continue":
		return token.CONTINUE
	case "default":
		return token.DEFAULT
	case "defer":
		return token.DEFER
	case "else":
		return token.ELSE
	case "fallthrough":
		return token.FALLTHROUGH
	case "for":
		return token.FOR
	case "func":
		return token.FUNC
	case "go":
		return token.GO
	case "goto":
		return token.GOTO
	case "if":
		return token.IF
	case "import":
		return token.IMPORT
	case "interface":
		return token.INTERFACE
	case "map":
		return token.MAP
	case "package":
		return token.PACKAGE
	case "range":
		return token.RANGE
	case "return":
		return token.RETURN
	case "select":
		return token.SELECT
	case "struct":
		return token.STRUCT
	case "switch":
		return token.SWITCH
	case "type":
		return token.TYPE
	case "var":
		return token.VAR
	}
	return token.IDENT
}

func goIdentByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || '0' <= c && c <= '9'
}

func isDecimalByte(c byte) bool { return '0' <= c && c <= '9' }

func isHexByte(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f'
}

// scan returns the next token and, for identifiers and strings, its extent
// src[start:end]. A string's literal runs from its opening quote to past
// its closing one, or to the end of the line (or file) when it has none,
// as go/scanner's does. At the end of the input, and after bail, scan
// returns EOF.
func (s *goLexer) scan() (tok token.Token, start, end int) {
	src := s.src
again:
	if s.bail {
		return token.EOF, 0, 0
	}
	i := s.off
	for i < len(src) {
		c := src[i]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' && !s.insertSemi {
			i++
			continue
		}
		break
	}
	if i >= len(src) {
		s.off = i
		if s.insertSemi {
			s.insertSemi = false
			return token.SEMICOLON, i, i
		}
		return token.EOF, i, i
	}
	c := src[i]
	insertSemi := false
	switch {
	case 'a' <= c|0x20 && c|0x20 <= 'z' || c == '_':
		j := i + 1
		for j < len(src) && goIdentByte(src[j]) {
			j++
		}
		if j < len(src) && src[j] >= 0x80 {
			s.bail = true // the identifier may go on in Unicode letters
			return token.EOF, 0, 0
		}
		s.off = j
		tok = token.IDENT
		if j-i > 1 && 'a' <= c && c <= 'z' {
			tok = goKeyword(src[i:j])
		}
		switch tok {
		case token.IDENT, token.BREAK, token.CONTINUE, token.FALLTHROUGH, token.RETURN:
			insertSemi = true
		}
		s.insertSemi = insertSemi
		return tok, i, j
	case isDecimalByte(c) || c == '.' && i+1 < len(src) && isDecimalByte(src[i+1]):
		s.off = s.number(i)
		s.insertSemi = true
		return token.INT, i, s.off
	case c >= 0x80:
		s.bail = true
		return token.EOF, 0, 0
	}
	s.off = i + 1
	next := byte(0) // the byte after c, 0 at the end
	if i+1 < len(src) {
		next = src[i+1]
	}
	switch c {
	case '\n':
		s.insertSemi = false
		return token.SEMICOLON, i, i
	case '"':
		insertSemi, tok = true, token.STRING
		s.off = s.quoted(i+1, '"')
	case '\'':
		insertSemi, tok = true, token.CHAR
		s.off = s.quoted(i+1, '\'')
	case '`':
		insertSemi, tok = true, token.STRING
		if k := bytes.IndexByte(src[i+1:], '`'); k >= 0 {
			s.off = i + 1 + k + 1
		} else {
			s.off = len(src)
		}
	case ':':
		tok = s.switch2(token.COLON, token.DEFINE)
	case '.':
		tok = token.PERIOD
		if next == '.' && i+2 < len(src) && src[i+2] == '.' {
			s.off, tok = i+3, token.ELLIPSIS
		}
	case ',':
		tok = token.COMMA
	case ';':
		tok = token.SEMICOLON
	case '(':
		tok = token.LPAREN
	case ')':
		insertSemi, tok = true, token.RPAREN
	case '[':
		tok = token.LBRACK
	case ']':
		insertSemi, tok = true, token.RBRACK
	case '{':
		tok = token.LBRACE
	case '}':
		insertSemi, tok = true, token.RBRACE
	case '+':
		tok = s.switch3(token.ADD, token.ADD_ASSIGN, '+', token.INC)
		insertSemi = tok == token.INC
	case '-':
		tok = s.switch3(token.SUB, token.SUB_ASSIGN, '-', token.DEC)
		insertSemi = tok == token.DEC
	case '*':
		tok = s.switch2(token.MUL, token.MUL_ASSIGN)
	case '/':
		if next != '/' && next != '*' {
			tok = s.switch2(token.QUO, token.QUO_ASSIGN)
			break
		}
		if bytes.HasPrefix(src[i+2:], []byte("line ")) {
			s.bail = true // perhaps a line directive
			return token.EOF, 0, 0
		}
		if next == '/' {
			if k := bytes.IndexByte(src[i+2:], '\n'); k >= 0 {
				s.off = i + 2 + k // the newline is not the comment's
			} else {
				s.off = len(src)
			}
			goto again
		}
		body := src[i+2:]
		k := bytes.Index(body, []byte("*/"))
		if k >= 0 {
			body, s.off = body[:k], i+2+k+2
		} else {
			s.off = len(src)
		}
		if s.insertSemi && bytes.IndexByte(body, '\n') >= 0 {
			s.insertSemi = false
			return token.SEMICOLON, i, i
		}
		goto again
	case '%':
		tok = s.switch2(token.REM, token.REM_ASSIGN)
	case '^':
		tok = s.switch2(token.XOR, token.XOR_ASSIGN)
	case '<':
		if next == '-' {
			s.off, tok = i+2, token.ARROW
		} else {
			tok = s.switch4(token.LSS, token.LEQ, '<', token.SHL, token.SHL_ASSIGN)
		}
	case '>':
		tok = s.switch4(token.GTR, token.GEQ, '>', token.SHR, token.SHR_ASSIGN)
	case '=':
		tok = s.switch2(token.ASSIGN, token.EQL)
	case '!':
		tok = s.switch2(token.NOT, token.NEQ)
	case '&':
		if next == '^' {
			s.off++
			tok = s.switch2(token.AND_NOT, token.AND_NOT_ASSIGN)
		} else {
			tok = s.switch3(token.AND, token.AND_ASSIGN, '&', token.LAND)
		}
	case '|':
		tok = s.switch3(token.OR, token.OR_ASSIGN, '|', token.LOR)
	case '~':
		tok = token.TILDE
	default:
		insertSemi, tok = s.insertSemi, token.ILLEGAL
	}
	s.insertSemi = insertSemi
	return tok, i, s.off
}

// peekIs reports whether the byte at s.off is c.
func (s *goLexer) peekIs(c byte) bool { return s.off < len(s.src) && s.src[s.off] == c }

func (s *goLexer) switch2(tok0, tok1 token.Token) token.Token {
	if s.peekIs('=') {
		s.off++
		return tok1
	}
	return tok0
}

func (s *goLexer) switch3(tok0, tok1 token.Token, ch2 byte, tok2 token.Token) token.Token {
	if s.peekIs('=') {
		s.off++
		return tok1
	}
	if s.peekIs(ch2) {
		s.off++
		return tok2
	}
	return tok0
}

func (s *goLexer) switch4(tok0, tok1 token.Token, ch2 byte, tok2, tok3 token.Token) token.Token {
	if s.peekIs('=') {
		s.off++
		return tok1
	}
	if s.peekIs(ch2) {
		s.off++
		if s.peekIs('=') {
			s.off++
			return tok3
		}
		return tok2
	}
	return tok0
}

// quoted returns the end of a string or rune literal whose opening quote
// is before src[i]: past the closing quote, or at the newline or end of
// file that cuts it short. After a backslash the next byte is part of the
// escape unless it is a newline (go/scanner's scanEscape stops there too).
func (s *goLexer) quoted(i int, quote byte) int {
	src := s.src
	for i < len(src) {
		c := src[i]
		if c == '\n' {
			return i
		}
		i++
		if c == quote {
			return i
		}
		if c == '\\' && i < len(src) && src[i] != '\n' {
			i++
		}
	}
	return i
}

// number returns the end of the number literal starting at src[i], as
// go/scanner's scanNumber consumes it.
func (s *goLexer) number(i int) int {
	src := s.src
	at := func(k int) byte {
		if k < len(src) {
			return src[k]
		}
		return 0
	}
	digits := func(k int, hex bool) int {
		for k < len(src) && (isDecimalByte(src[k]) || src[k] == '_' || hex && isHexByte(src[k])) {
			k++
		}
		return k
	}
	hex := false
	if src[i] != '.' {
		if src[i] == '0' {
			i++
			switch at(i) | 0x20 {
			case 'x':
				i++
				hex = true
			case 'o', 'b':
				i++
			}
		}
		i = digits(i, hex)
	}
	if at(i) == '.' {
		i = digits(i+1, hex)
	}
	if e := at(i) | 0x20; e == 'e' || e == 'p' {
		i++
		if c := at(i); c == '+' || c == '-' {
			i++
		}
		i = digits(i, false)
	}
	if at(i) == 'i' {
		i++
	}
	return i
}
