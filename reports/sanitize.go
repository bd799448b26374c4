package reports

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean makes untrusted text safe for a terminal or a line-oriented log:
// invalid UTF-8 becomes U+FFFD, and control and bidi characters (CR, LF,
// ESC, ...) are written as escapes, so a file name cannot forge an output
// line or a workflow command.
func Clean(s string) string {
	return escapeControls(s, func(rune) bool { return false })
}

// escapeControls makes s valid UTF-8 and writes every control or bidi
// character that keep does not keep as a visible escape (\n, \x1b, \u202e).
func escapeControls(s string, keep func(rune) bool) string {
	if isPlain(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	for _, r := range s {
		switch {
		case keep(r):
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case unicode.IsControl(r) || isBidi(r):
			if r <= 0xFF {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isBidi(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}

func sortStrings(s []string) { sort.Strings(s) }
