package api

import (
	"regexp"
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer"
)

// globRegexp is the plain translation of a glob, the reference the
// Allowlist's fast paths must agree with.
func globRegexp(g string) *regexp.Regexp {
	if !strings.HasPrefix(g, "/") && !strings.HasPrefix(g, "**") {
		g = "/" + g
	}
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(g); i++ {
		switch {
		case strings.HasPrefix(g[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case strings.HasPrefix(g[i:], "**"):
			b.WriteString(".*")
			i++
		case g[i] == '*':
			b.WriteString("[^/]*")
		case g[i] == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(g[i : i+1]))
		}
	}
	return regexp.MustCompile(b.String() + "$")
}

// TestAllowlistAgreesWithGlobs checks every glob, alone, against its
// regular expression on paths around each of its forms.
func TestAllowlistAgreesWithGlobs(t *testing.T) {
	globs := append(analyzer.DefaultAllowUnversioned(), "internal/**", "**/admin/*/status", "/ops/?", "**/x.y")
	paths := []string{"", "/", "health", "/health", "/health/", "/v1/health", "/api/health/live", "/healthz/x",
		"/healthcheck", "/xhealth", "/metrics", "/a/metrics/b", "/-/healthy", "/debug/pprof/heap", "/debug/pprofx",
		"/internal/a/b", "/internal", "/admin/1/status", "/a/admin/1/status", "/ops/1", "/ops/12", "/x.y", "/xay", "/ready/"}
	for _, g := range globs {
		fast, ref := NewAllowlist([]string{g}), globRegexp(g)
		for _, p := range paths {
			want := ref.MatchString(p)
			if tr := strings.TrimRight(p, "/"); tr != "" && ref.MatchString(tr) {
				want = true
			}
			if got := fast.Allows(p); got != want {
				t.Errorf("glob %q, path %q: Allows = %v, the glob's expression says %v", g, p, got, want)
			}
		}
	}
}
