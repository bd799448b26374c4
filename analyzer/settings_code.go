package analyzer

import (
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/bmatcuk/doublestar/v4"
)

// CodeSettings tune the CODE rules (the contracts and common_protos
// sections of the config).
type CodeSettings struct {
	// Contracts lists, per service name, repo-relative doublestar globs of
	// the package directories that are the service's published contracts.
	// A directory glob covers everything below it. The key "*" applies to
	// every service. A service listed here has exactly these contracts (and
	// its generated-from-spec packages) instead of the default directories.
	Contracts map[string][]string
	// CommonProtos holds globs of .proto files that any service may import
	// (shared type packages), besides google/* and common/types folders.
	CommonProtos []string
}

// ContractGlobs returns the configured contract globs of a service and
// whether any are configured for it.
func (s *Settings) ContractGlobs(service string) ([]string, bool) {
	if s == nil {
		return nil, false
	}
	own, ok := s.Code.Contracts[service]
	all, okAll := s.Code.Contracts["*"]
	return append(append([]string(nil), own...), all...), ok || okAll
}

// MatchGlobs reports whether a repo-relative path matches one of the globs
// (doublestar syntax; a glob naming a directory covers everything below).
func MatchGlobs(globs []string, p string) bool { return matchAny(globs, p) }

// Validate checks every glob of the code settings.
func (c CodeSettings) Validate() error {
	for _, svc := range slices.Sorted(maps.Keys(c.Contracts)) {
		for _, g := range c.Contracts[svc] {
			if !doublestar.ValidatePattern(g) {
				return fmt.Errorf("contracts.%s: bad glob %q", svc, g)
			}
		}
	}
	globs := append([]string(nil), c.CommonProtos...)
	sort.Strings(globs)
	for _, g := range globs {
		if !doublestar.ValidatePattern(g) {
			return fmt.Errorf("common_protos: bad glob %q", g)
		}
	}
	return nil
}
