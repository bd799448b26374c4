package api

import (
	"strings"
	"testing"
)

// TestVersionFiltersAgreeWithTheExpressions checks that the cheap tests run
// before the versioning expressions never skip a string they match.
func TestVersionFiltersAgreeWithTheExpressions(t *testing.T) {
	segs := []string{"v1", "v2beta1", "v10.0", "V1", "v", "vx1", "{version}", "{API_Version}", "{v}", "", "1v"}
	for _, s := range segs {
		if versionSegment.MatchString(s) && !mayBeVersion(s) {
			t.Errorf("mayBeVersion(%q) is false but the segment is a version", s)
		}
	}
	names := []string{"API-Version", "x-api-version", "Accept-Version", "VERSION", "verſion", "api_version", "ver", "X-Request-Id"}
	for _, s := range names {
		if (versionHeader.MatchString(s) || versionQuery.MatchString(s)) && !containsFold(s, "version") {
			t.Errorf("containsFold(%q, version) is false but the name matches", s)
		}
	}
	types := []string{"application/vnd.acme.v2+json", "APPLICATION/VND.ACME.V2+JSON", "application/json; version=2",
		"application/json;v=1", "application/json", "text/plain", "application/vnd.acme+json"}
	for _, s := range types {
		if vendorVersion.MatchString(s) && !containsFold(s, "/vnd.") && !strings.Contains(s, ";") {
			t.Errorf("the media-type filter skips %q, which is versioned", s)
		}
	}
}
