package load

import (
	"io/fs"
	"strings"

	ignore "github.com/sabhiram/go-gitignore"
)

// ignoreFrame is one .gitignore in force during the walk.
type ignoreFrame struct {
	dir string // repo-relative directory holding the .gitignore ("" for the root)
	gi  *ignore.GitIgnore
	// negates is true when the file re-includes paths ("!pattern"): then a
	// directory is only pruned when a pattern names the directory itself,
	// so that its re-included files are still found.
	negates bool
	// needles holds, for every pattern that ignores (not "!pattern"), a
	// literal that any path it matches contains; a path holding none of
	// them matches no pattern, and gi's regular expressions are not run.
	// Nil when some pattern has no such literal: then every path is tried.
	needles []string
}

// readGitignore compiles the .gitignore among a directory's entries.
func readGitignore(d *openDir, entries []fs.DirEntry) (ignoreFrame, bool) {
	for _, e := range entries {
		if e.Name() != ".gitignore" || !e.Type().IsRegular() {
			continue
		}
		data, err := readConfined(d.root, ".gitignore", 1<<20)
		if err != nil {
			return ignoreFrame{}, false
		}
		lines := strings.Split(string(data), "\n")
		fr := ignoreFrame{gi: ignore.CompileIgnoreLines(lines...)}
		fr.negates, fr.needles = gitignoreNeedles(lines)
		return fr, true
	}
	return ignoreFrame{}, false
}

func gitignored(frames []ignoreFrame, p string, isDir bool) bool {
	for _, fr := range frames {
		sub := p
		if fr.dir != "" {
			sub = strings.TrimPrefix(p, fr.dir+"/")
		}
		if fr.needles != nil && !containsAny(sub, fr.needles) {
			continue // "sub/" holds no more literals than sub
		}
		if fr.gi.MatchesPath(sub) || (isDir && !fr.negates && fr.gi.MatchesPath(sub+"/")) {
			return true
		}
	}
	return false
}

func containsAny(s string, needles []string) bool {
	for _, n := range needles {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

// gitignoreNeedles reads the lines as go-gitignore does (it turns each
// pattern into a regular expression) and returns whether any line
// re-includes paths, and one needle per ignoring pattern: its longest run
// of name characters outside a bracket expression, which the expression
// matches literally. needles is nil when a pattern has no such run ("*",
// "[ab]") or holds characters the library passes to the expression
// unescaped ('\\', '(', '+', ...), whose meaning is not plainly literal.
// Re-including patterns need no needle: they only clear a match that an
// ignoring pattern made.
func gitignoreNeedles(lines []string) (negates bool, needles []string) {
	always := false
	for _, line := range lines {
		line = strings.TrimRight(line, "\r")
		if strings.HasPrefix(line, "#") {
			continue // a comment; " #x" is a pattern, as in go-gitignore
		}
		if line = strings.Trim(line, " "); line == "" {
			continue
		}
		if line[0] == '!' {
			negates = true
			continue
		}
		run := longestLiteral(line)
		if run == "" {
			always = true
			continue
		}
		needles = append(needles, run)
	}
	if always || needles == nil {
		return negates, nil
	}
	return negates, needles
}

// longestLiteral returns a pattern's longest run of letters, digits, '.',
// '_' and '-' outside brackets, or "" when it has none or holds a
// character other than those, '/', '*', '?' and bracket expressions.
func longestLiteral(pattern string) string {
	best, start := "", -1
	end := func(i int) {
		if start >= 0 && i-start > len(best) {
			best = pattern[start:i]
		}
		start = -1
	}
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == '-':
			if start < 0 {
				start = i
			}
		case c == '/', c == '*', c == '?':
			end(i)
		case c == '[':
			end(i)
			j := strings.IndexByte(pattern[i+1:], ']')
			if j < 0 {
				return ""
			}
			i += j + 1
		default:
			return ""
		}
	}
	end(len(pattern))
	return best
}
