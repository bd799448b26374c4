package load

import (
	"bytes"
	"strings"
	"testing"
)

// TestFoldHelpers checks the copy-free case-insensitive tests against the
// standard library's Unicode-aware ones.
func TestFoldHelpers(t *testing.T) {
	for _, s := range []string{"", "migrat", "MIGRATE", "Migrations", "xmIgRaTion", "mig rat", "MİGRAT", "\u212aigrat",
		"SELECT * FROM t", "frOm", "fr\u00f6m", "ſrom", "update", "UPDATE x", "TRUNCATE", "Index", "join", "jo\u0131n"} {
		if got, want := containsFold([]byte(s), "migrat"), bytes.Contains(bytes.ToLower([]byte(s)), []byte("migrat")); got != want {
			t.Errorf("containsFold(%q, migrat) = %v, want %v", s, got, want)
		}
		for _, w := range sqlWords {
			for i := 0; i+len(w) <= len(s); i++ {
				if got, want := asciiFoldEqual(s[i:i+len(w)], w), strings.EqualFold(s[i:i+len(w)], w); got != want {
					t.Errorf("asciiFoldEqual(%q, %q) = %v, want %v", s[i:i+len(w)], w, got, want)
				}
			}
		}
	}
}
