package load

import (
	"strings"
	"testing"

	ignore "github.com/sabhiram/go-gitignore"
)

// gitignoreAgrees checks that the needle prefilter never changes
// go-gitignore's answer for one .gitignore text and one path.
func gitignoreAgrees(t *testing.T, text, p string) {
	t.Helper()
	lines := strings.Split(text, "\n")
	fr := ignoreFrame{gi: ignore.CompileIgnoreLines(lines...)}
	fr.negates, fr.needles = gitignoreNeedles(lines)
	for _, isDir := range []bool{false, true} {
		want := fr.gi.MatchesPath(p) || (isDir && !fr.negates && fr.gi.MatchesPath(p+"/"))
		if got := gitignored([]ignoreFrame{fr}, p, isDir); got != want {
			t.Errorf(".gitignore %q, path %q (dir %v): prefiltered %v, go-gitignore %v (needles %q)", text, p, isDir, got, want, fr.needles)
		}
	}
}

func TestGitignoreNeedlesAgree(t *testing.T) {
	texts := []string{
		"/bin/\n*.out",
		"build/\n*.gen.proto\n!keep.gen.proto",
		"**/node_modules\nvendor/**\na/**/b",
		" #x\n# comment\n\n  dist  \r",
		"[Bb]uild\nfoo?\ndocs/*.md",
		"*\n!*.go",
		"\\#hash\nx+y\n(a)",
		"tmp[\n*.log",
		"services/*/secrets.yaml\n/.env",
	}
	paths := []string{
		"bin", "bin/tool", "a/bin/x", "x.out", "a/b/x.out", "out", "build", "build/x", "Build/y",
		"keep.gen.proto", "a/keep.gen.proto", "a.gen.proto", "node_modules", "web/node_modules/x",
		"vendor/a", "a/b", "a/x/b", "a/x/y/b", "b", "x", "a/x", "dist", "dist/app.js", "foo?", "fooa",
		"docs/a.md", "docs/sub/a.md", "main.go", "#hash", "hash", "x+y", "xxy", "a", "(a)", "tmp[", "x.log",
		"services/a/secrets.yaml", "services/a/b/secrets.yaml", ".env", "a/.env",
	}
	for _, text := range texts {
		for _, p := range paths {
			gitignoreAgrees(t, text, p)
		}
	}
}

func TestGitignoreNeedles(t *testing.T) {
	for _, tc := range []struct {
		text    string
		negates bool
		needles []string
	}{
		{"/bin/\n*.out", false, []string{"bin", ".out"}},
		{"*.gen.proto\n!keep.gen.proto", true, []string{".gen.proto"}},
		{"a/**/build-cache\n# x", false, []string{"build-cache"}},
		{"[Bb]uild", false, []string{"uild"}},
		{"*.log\n*", false, nil}, // "*" holds no literal: every path is tried
		{"x+y", false, nil},      // '+' is passed to the expression
		{" #x", false, nil},      // a pattern, "#x" to go-gitignore
		{"# only a comment", false, nil},
	} {
		negates, needles := gitignoreNeedles(strings.Split(tc.text, "\n"))
		if negates != tc.negates || strings.Join(needles, "|") != strings.Join(tc.needles, "|") || (needles == nil) != (tc.needles == nil) {
			t.Errorf("%q: got %v %q, want %v %q", tc.text, negates, needles, tc.negates, tc.needles)
		}
	}
}

func FuzzGitignore(f *testing.F) {
	f.Add("/bin/\n*.out\n!keep.out", "a/keep.out")
	f.Add("**/node_modules\na/**/b", "a/x/b")
	f.Add("[Bb]uild/\ndocs/*.md", "Build/x")
	f.Fuzz(func(t *testing.T, text, p string) {
		if len(text) > 512 || len(p) > 256 {
			return
		}
		gitignoreAgrees(t, text, p)
	})
}
