package analyzer

import "slices"

// The versioning strategies an API may follow.
const (
	StrategyAny       = "any"
	StrategyPath      = "path"
	StrategyHeader    = "header"
	StrategyMediaType = "media-type"
	StrategyQuery     = "query"
)

// Strategies returns every versioning strategy, the default first.
func Strategies() []string {
	return []string{StrategyAny, StrategyPath, StrategyHeader, StrategyMediaType, StrategyQuery}
}

// ValidStrategy reports whether s names a versioning strategy ("" is the
// default, any).
func ValidStrategy(s string) bool { return s == "" || slices.Contains(Strategies(), s) }

// Versioning is the versioning section of the config.
type Versioning struct {
	// Strategy is how an API carries its major version: any (the default),
	// path, header, media-type or query.
	Strategy string
	// AllowUnversioned holds path globs ("*" within a segment, "**" across
	// segments) of endpoints that need no version, in addition to
	// DefaultAllowUnversioned.
	AllowUnversioned []string
}

// EffectiveStrategy returns the strategy, any when none is set.
func (v Versioning) EffectiveStrategy() string {
	if v.Strategy == "" {
		return StrategyAny
	}
	return v.Strategy
}

// Pinned reports whether the config names one strategy (not any).
func (v Versioning) Pinned() bool { return v.EffectiveStrategy() != StrategyAny }

// Allowed returns the globs of paths allowed without a version: the
// defaults and the configured ones.
func (v Versioning) Allowed() []string {
	return append(DefaultAllowUnversioned(), v.AllowUnversioned...)
}

// DefaultAllowUnversioned returns the paths that are never versioned,
// wherever they are mounted: health (/router-healthz too), readiness,
// metrics and debug (pprof, expvar) endpoints, the API's own documentation
// (Swagger UI, the spec it serves), static files and web assets by their
// file type (/service-worker.js, /main.css; not /assets/, a resource of
// many an API), Kubernetes' API discovery (/apis and /apis/<group>, which
// list a group's versions as the root does), the paths of git's smart HTTP
// protocol (a repository's info/refs, git-upload-pack, git-receive-pack:
// git versions it), and the root "/", which holds an index page or mounts
// a whole handler (a grpc-gateway mux, a file server) and cannot carry a
// version itself.
func DefaultAllowUnversioned() []string {
	return []string{
		"**/health", "**/health/**", "**/healthz", "**/healthz/**", "**/healthcheck", "**/_health", "**/_health/**",
		"**/_healthz", "**/_healthcheck", "**/health-check", "**/health_check", "**/_ready", "**/_live", "**/_metrics",
		"**/live", "**/livez", "**/livez/**", "**/liveness", "**/readyz", "**/readyz/**", "**/readiness", "**/ready",
		"**/healthy", "**/alive", "**/ping", "**/metrics", "**/-/healthy", "**/-/ready", "**/debug", "**/debug/**", "**/version", "**/robots.txt",
		"/", "**/swagger", "**/swagger/**", "**/swagger-ui", "**/swagger-ui/**", "**/swagger.json", "**/swagger.yaml",
		"**/openapi.json", "**/openapi.yaml", "**/api-docs", "**/api-docs/**", "**/static/**", "**/favicon.ico",
		"**/*.js", "**/*.css", "**/*.map", "**/*.html", "**/*.png", "**/*.svg",
		"**/*.ico", "**/*.webmanifest", "**/manifest.json",
		"**/info/refs", "**/git-upload-pack", "**/git-receive-pack",
		"**/*-healthz", "**/*-health", "/apis", "/apis/*",
	}
}
