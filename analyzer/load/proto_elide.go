package load

import (
	"bytes"
	"unicode/utf8"
)

// elideMessageBodies drops the contents of every top-level message and enum
// body of a comment-blanked proto source, keeping the braces and every
// newline, before the source goes to the parser.
//
// decouple's proto facts need only the names and positions of top-level
// messages and enums; their fields make up most of a typical file and most
// of the parser's time (on googleapis, protocompile parses the elided
// sources in about half the time of the comment-blanked ones). The trade: a
// malformed field inside a message body is no longer reported as a LOAD
// problem, since nothing decouple checks depends on it. Everything outside
// the bodies (package, imports, options, services, rpcs and their HTTP
// options) is parsed as before, and keeps its line and column: a body's
// lines are dropped but for their newlines, and the part of the body on the
// line of its closing brace becomes one space per rune.
//
// A body whose closing brace cannot be found (unbalanced braces, an
// unterminated string) is left alone, so the parser reports the error as
// before.
func elideMessageBodies(src []byte) []byte {
	var out []byte // nil until something is dropped
	last := 0      // src[last:] is not yet copied to out
	depth := 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '"' || c == '\'':
			i = skipProtoString(src, i)
		case c == '{':
			depth++
		case c == '}':
			depth--
		case depth == 0 && (c == 'm' || c == 'e') && wordStart(src, i):
			open, ok := bodyOpen(src, i)
			if !ok {
				continue
			}
			end, ok := matchingBrace(src, open)
			if !ok {
				return orSrc(out, src, last)
			}
			out = append(out, src[last:open+1]...)
			out = appendBlank(out, src[open+1:end], true)
			last, i = end, end // the closing brace is copied with the rest
		}
	}
	return orSrc(out, src, last)
}

func orSrc(out, src []byte, last int) []byte {
	if out == nil {
		return src
	}
	return append(out, src[last:]...)
}

var (
	messageWord = []byte("message")
	enumWord    = []byte("enum")
)

// wordStart reports whether src[i] starts a word.
func wordStart(src []byte, i int) bool {
	return i == 0 || !isIdentByte(src[i-1]) && src[i-1] != '.'
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// bodyOpen returns the offset of the brace opening the body of a message or
// enum declaration starting at i: the keyword, space, an identifier, space,
// then "{".
func bodyOpen(src []byte, i int) (int, bool) {
	rest := src[i:]
	var n int
	switch {
	case bytes.HasPrefix(rest, messageWord):
		n = len(messageWord)
	case bytes.HasPrefix(rest, enumWord):
		n = len(enumWord)
	default:
		return 0, false
	}
	j := i + n
	k := skipSpace(src, j)
	if k == j { // the keyword must be followed by space
		return 0, false
	}
	name := k
	for k < len(src) && isIdentByte(src[k]) {
		k++
	}
	if k == name {
		return 0, false
	}
	k = skipSpace(src, k)
	if k >= len(src) || src[k] != '{' {
		return 0, false
	}
	return k, true
}

func skipSpace(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r' || src[i] == '\f' || src[i] == '\v') {
		i++
	}
	return i
}

// matchingBrace returns the offset of the brace closing the one at open,
// skipping string literals.
func matchingBrace(src []byte, open int) (int, bool) {
	depth := 0
	for i := open; i < len(src); i++ {
		switch src[i] {
		case '"', '\'':
			j := skipProtoString(src, i)
			if j >= len(src) {
				return 0, false
			}
			i = j
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i, true
			}
		}
	}
	return 0, false
}

// skipProtoString returns the offset of the quote closing the string
// literal that opens at i, or len(src) when it does not close on its line.
func skipProtoString(src []byte, i int) int {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case q:
			return j
		case '\n':
			return len(src)
		}
	}
	return len(src)
}

// appendBlank appends what stands for text in a blanked source: its
// newlines, and one space per rune of every line that is kept (all of them,
// or only the last when dropLines is set), so that each token after the
// text keeps its line and its column in runes.
func appendBlank(out, text []byte, dropLines bool) []byte {
	for {
		nl := bytes.IndexByte(text, '\n')
		if nl < 0 {
			break
		}
		if !dropLines {
			out = appendSpaces(out, text[:nl])
		}
		out = append(out, '\n')
		text = text[nl+1:]
	}
	return appendSpaces(out, text)
}

// appendSpaces appends one space per rune of text.
func appendSpaces(out, text []byte) []byte {
	n := len(text)
	for _, c := range text {
		if c >= utf8.RuneSelf {
			n = utf8.RuneCount(text)
			break
		}
	}
	for n > len(spaces) {
		out = append(out, spaces...)
		n -= len(spaces)
	}
	return append(out, spaces[:n]...)
}

var spaces = bytes.Repeat([]byte{' '}, 128)
