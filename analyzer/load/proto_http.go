package load

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/yoheimuta/go-protoparser/v4/parser"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// httpBindings reads the google.api.http option of an rpc: the primary
// binding, then each additional_bindings entry, in source order. Each is
// positioned on its path string in src (the comment-blanked source the
// parser read, so offsets match).
func httpBindings(file string, src []byte, opts []*parser.Option) []facts.HTTPBinding {
	var out []facts.HTTPBinding
	for _, o := range opts {
		if o == nil {
			continue
		}
		var found []binding
		switch name := strings.ReplaceAll(o.OptionName, " ", ""); {
		case name == "(google.api.http)":
			parseBindings(optionTokens(o.Constant), &found)
		case strings.HasPrefix(name, "(google.api.http)."):
			// option (google.api.http).get = "/path";
			field := strings.TrimPrefix(name, "(google.api.http).")
			parseBindings([]string{"{", field, ":", strings.TrimSpace(o.Constant), "}"}, &found)
		default:
			continue
		}
		from := o.Meta.Pos.Offset
		for _, b := range found {
			p := facts.Position{File: file, Line: o.Meta.Pos.Line, Col: o.Meta.Pos.Column}
			if from >= 0 && from <= len(src) {
				if i := bytes.Index(src[from:], []byte(b.raw)); i >= 0 {
					from += i
					p.Line = 1 + bytes.Count(src[:from], []byte("\n"))
					p.Col = from - bytes.LastIndexByte(src[:from], '\n')
					from += len(b.raw)
				}
			}
			out = append(out, facts.HTTPBinding{Method: b.method, Path: b.path, Pos: p})
		}
	}
	return out
}

type binding struct {
	method, path string
	raw          string // the path literal as written, quotes included
}

// optionTokens splits an aggregate option constant as go-protoparser joins
// it: identifiers, string literals (quotes kept), and punctuation.
func optionTokens(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(s) && s[j] != c {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(s))
			toks = append(toks, s[i:j])
			i = j
		case strings.IndexByte("{}[]:,;", c) >= 0:
			toks = append(toks, string(c))
			i++
		default:
			j := i
			for j < len(s) && strings.IndexByte(" \t\r\n\"'{}[]:,;", s[j]) < 0 {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks
}

// parseBindings walks the tokens of one HttpRule message and appends its
// bindings: get/put/post/delete/patch fields, custom {kind path}, and
// additional_bindings messages (a message or a list of them).
func parseBindings(toks []string, out *[]binding) {
	depth := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t {
		case "{", "[":
			depth++
			continue
		case "}", "]":
			depth--
			continue
		}
		if depth != 1 {
			continue
		}
		next := i + 1
		if next < len(toks) && toks[next] == ":" {
			next++
		}
		switch t {
		case "get", "put", "post", "delete", "patch":
			if next < len(toks) && isQuoted(toks[next]) {
				*out = append(*out, binding{method: strings.ToUpper(t), path: unquote(toks[next]), raw: toks[next]})
				i = next
			}
		case "custom", "additional_bindings":
			end := matching(toks, next)
			if end < 0 {
				return
			}
			if t == "custom" {
				if b, ok := customBinding(toks[next : end+1]); ok {
					*out = append(*out, b)
				}
			} else {
				for _, m := range messages(toks[next : end+1]) {
					parseBindings(m, out)
				}
			}
			i = end
		}
	}
}

// matching returns the index of the bracket closing the one at i, or -1.
func matching(toks []string, i int) int {
	if i >= len(toks) || (toks[i] != "{" && toks[i] != "[") {
		return -1
	}
	depth := 0
	for j := i; j < len(toks); j++ {
		switch toks[j] {
		case "{", "[":
			depth++
		case "}", "]":
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// messages returns the messages of a field value: the message itself, or
// each message of a list ("[ {...}, {...} ]").
func messages(toks []string) [][]string {
	if len(toks) == 0 || toks[0] != "[" {
		return [][]string{toks}
	}
	var out [][]string
	for i := 1; i < len(toks); i++ {
		if toks[i] == "{" {
			end := matching(toks, i)
			if end < 0 {
				break
			}
			out = append(out, toks[i:end+1])
			i = end
		}
	}
	return out
}

// customBinding reads a custom {kind path} pattern.
func customBinding(toks []string) (binding, bool) {
	var b binding
	for i := 0; i+1 < len(toks); i++ {
		v := i + 1
		if toks[v] == ":" && v+1 < len(toks) {
			v++
		}
		switch {
		case toks[i] == "kind" && isQuoted(toks[v]):
			b.method = strings.ToUpper(unquote(toks[v]))
		case toks[i] == "path" && isQuoted(toks[v]):
			b.path, b.raw = unquote(toks[v]), toks[v]
		}
	}
	return b, b.path != ""
}

func isQuoted(t string) bool {
	return len(t) >= 2 && (t[0] == '"' || t[0] == '\'') && t[len(t)-1] == t[0]
}

func unquote(t string) string {
	if t != "" && t[0] == '\'' {
		return t[1 : len(t)-1]
	}
	if s, err := strconv.Unquote(t); err == nil {
		return s
	}
	return strings.Trim(t, `"'`)
}
