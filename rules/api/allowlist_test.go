package api

import (
	"regexp"
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer"
)

// reference is the plain translation of a glob that the Allowlist's fast
// paths must agree with.
func reference(g string) *regexp.Regexp {
	re, err := globRegexp(g)
	if err != nil {
		panic(err)
	}
	return re
}

// TestAllowlistAgreesWithGlobs checks every glob, alone, against its
// regular expression on paths around each of its forms.
func TestAllowlistAgreesWithGlobs(t *testing.T) {
	globs := append(analyzer.DefaultAllowUnversioned(), "internal/**", "**/admin/*/status", "/ops/?", "**/x.y")
	paths := []string{"", "/", "health", "/health", "/health/", "/v1/health", "/api/health/live", "/healthz/x",
		"/healthcheck", "/xhealth", "/metrics", "/a/metrics/b", "/-/healthy", "/debug/pprof/heap", "/debug/pprofx",
		"/internal/a/b", "/internal", "/admin/1/status", "/a/admin/1/status", "/ops/1", "/ops/12", "/x.y", "/xay", "/ready/",
		"/service-worker.js", "/js", "/a.js/b", "/static/app.js.map", "/.js", "/app.css/", "/x/manifest.json"}
	for _, g := range globs {
		fast, ref := NewAllowlist([]string{g}), reference(g)
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
