package api

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// versionSegment is a whole path segment naming a major version: v1, v2,
// v1beta, v2alpha3, or v2.0. Anchored: dev2 and v1x are not versions.
var versionSegment = regexp.MustCompile(`^v([0-9]+)(?:(?:alpha|beta)[0-9]*|\.[0-9]+)?$`)

// versionParam is a path template segment standing for the version.
var versionParam = regexp.MustCompile(`(?i)^\{(api[-_]?)?version\}$`)

// VersionSegment reports whether one path segment is a major version.
func VersionSegment(seg string) bool { return mayBeVersion(seg) && versionSegment.MatchString(seg) }

// mayBeVersion is what versionSegment needs of a segment before its
// regular expression is worth running: a v and a digit.
func mayBeVersion(seg string) bool {
	return len(seg) >= 2 && seg[0] == 'v' && '0' <= seg[1] && seg[1] <= '9'
}

// containsFold reports whether s may contain sub, ASCII letters compared
// without case (sub is lower-case ASCII). It is a cheap test run before a
// case-insensitive expression: a string with non-ASCII bytes is said to,
// since Unicode folding matches more (ſ folds to s).
func containsFold(s, sub string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for ; j < len(sub); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

// PathVersion returns the first major-version segment of a URL path as
// "v<N>" (v2beta1 → v2, v2.0 → v2), "{version}" for a version template
// segment, or "" when the path has none.
func PathVersion(p string) string {
	for seg := range strings.SplitSeq(p, "/") {
		seg = strings.TrimSuffix(seg, "*") // a router's catch-all: /v2* serves /v2/...
		if mayBeVersion(seg) {
			if m := versionSegment.FindStringSubmatch(seg); m != nil {
				return "v" + m[1]
			}
		}
		if strings.HasPrefix(seg, "{") && versionParam.MatchString(seg) {
			return "{version}"
		}
		if v := rpcVersion(seg); v != "" {
			return v
		}
	}
	return ""
}

// rpcVersion returns the major version of a gRPC or Connect path segment,
// a qualified service name (/acme.orders.v1.OrderService/GetOrder): that
// of its proto package, "" when the package has none.
func rpcVersion(seg string) string {
	parts := strings.Split(seg, ".")
	if len(parts) < 3 {
		return ""
	}
	if last := parts[len(parts)-1]; last == "" || last[0] < 'A' || last[0] > 'Z' {
		return ""
	}
	for _, p := range parts[:len(parts)-1] {
		if mayBeVersion(p) {
			if m := versionSegment.FindStringSubmatch(p); m != nil {
				return "v" + m[1]
			}
		}
	}
	return ""
}

// ServerPath returns the path of a server URL with its variables replaced
// by their defaults; relative URLs are paths already.
func ServerPath(s facts.APIServer) string {
	u := s.URL
	for _, v := range s.Variables {
		u = strings.ReplaceAll(u, "{"+v.Name+"}", v.Default)
	}
	if i := strings.Index(u, "://"); i >= 0 {
		rest := u[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			u = rest[j:]
		} else {
			u = ""
		}
	}
	if p, err := url.Parse(u); err == nil && p.Scheme == "" && p.Host == "" {
		return p.Path
	}
	return u
}

// Mechanisms are the ways one operation carries a version.
type Mechanisms struct {
	Path, Header, MediaType, Query bool
	Major                          string // from the URL, when Path
}

// Any reports whether the operation is versioned at all.
func (m Mechanisms) Any() bool { return m.Path || m.Header || m.MediaType || m.Query }

// By reports whether the operation is versioned under a strategy.
func (m Mechanisms) By(strategy string) bool {
	switch strategy {
	case analyzer.StrategyPath:
		return m.Path
	case analyzer.StrategyHeader:
		return m.Header
	case analyzer.StrategyMediaType:
		return m.MediaType
	case analyzer.StrategyQuery:
		return m.Query
	}
	return m.Any()
}

// Primary names the mechanism an operation mainly uses ("" when none).
func (m Mechanisms) Primary() string {
	switch {
	case m.Path:
		return analyzer.StrategyPath
	case m.Header:
		return analyzer.StrategyHeader
	case m.MediaType:
		return analyzer.StrategyMediaType
	case m.Query:
		return analyzer.StrategyQuery
	}
	return ""
}

var (
	versionHeader = regexp.MustCompile(`(?i)^(x-)?(.*-)?api-?version$|^(accept-|x-)?version$`)
	versionQuery  = regexp.MustCompile(`(?i)^(api[-_]?)?version$`)
	vendorVersion = regexp.MustCompile(`(?i)^[a-z]+/vnd\.[^;]*[.\-]v[0-9]+([.+\-;]|$)|;\s*(api-?)?(version|v)=`)
)

// OperationMechanisms works out how an OpenAPI operation is versioned.
func OperationMechanisms(spec *facts.OpenAPISpec, op facts.APIOperation) Mechanisms {
	var m Mechanisms
	for _, prefix := range EffectivePrefixes(spec, op) {
		if v := PathVersion(prefix + "/" + op.Path); v != "" {
			m.Path, m.Major = true, v
			break
		}
	}
	for _, p := range op.Parameters {
		switch {
		case !containsFold(p.Name, "version"): // what both expressions end with
		case p.In == "header" && versionHeader.MatchString(p.Name):
			m.Header = true
		case p.In == "query" && p.Required && versionQuery.MatchString(p.Name):
			m.Query = true
		}
	}
	for _, mt := range append(append([]string(nil), op.RequestMediaTypes...), op.ResponseMediaTypes...) {
		if (containsFold(mt, "/vnd.") || strings.Contains(mt, ";")) && vendorVersion.MatchString(mt) {
			m.MediaType = true
		}
	}
	return m
}

// EffectivePrefixes returns the URL paths an operation's path is appended
// to: its own or its path item's servers, else the document's, else
// Swagger's basePath; [""] when there are none.
func EffectivePrefixes(spec *facts.OpenAPISpec, op facts.APIOperation) []string {
	servers := op.Servers
	if len(servers) == 0 {
		servers = spec.Servers
	}
	var out []string
	for _, s := range servers {
		out = append(out, ServerPath(s))
	}
	if len(out) == 0 && spec.BasePath != "" {
		out = append(out, spec.BasePath)
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// FullPath joins a prefix and a path with one slash.
func FullPath(prefix, p string) string {
	prefix = strings.TrimRight(prefix, "/")
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return prefix + p
}

// Allowlist matches paths that need no version.
type Allowlist struct {
	// The common globs are matched without a regular expression:
	// "**/x" (the path is x or ends in /x) and "**/x/**" (the path starts
	// with x/ or holds /x/), x free of wildcards. Each is kept as the
	// strings it is compared with: x and /x, x/ and /x/.
	suffixes, inner [][2]string
	// ends are the tails of "**/*x" globs (**/*.js): the path's last
	// segment ends in x.
	ends []string
	res  []*regexp.Regexp
}

// NewAllowlist compiles path globs: "*" matches within a segment, "**"
// across segments ("**/" also matches no segment at all).
func NewAllowlist(globs []string) Allowlist {
	var out Allowlist
	for _, g := range globs {
		g = strings.TrimSpace(g)
		if g == "" {
			continue
		}
		if x, ok := strings.CutPrefix(g, "**/"); ok && x != "" && !strings.ContainsAny(x, "*?") {
			out.suffixes = append(out.suffixes, [2]string{x, "/" + x})
			continue
		}
		if x, ok := strings.CutPrefix(g, "**/*"); ok && x != "" && !strings.ContainsAny(x, "*?/") {
			out.ends = append(out.ends, x)
			continue
		}
		if x, ok := strings.CutPrefix(g, "**/"); ok && strings.HasSuffix(x, "/**") {
			if x = strings.TrimSuffix(x, "/**"); x != "" && !strings.ContainsAny(x, "*?") {
				out.inner = append(out.inner, [2]string{x + "/", "/" + x + "/"})
				continue
			}
		}
		if re, err := globRegexp(g); err == nil {
			out.res = append(out.res, re)
		}
	}
	return out
}

// globRegexp translates a path glob into a regular expression: "*" within
// a segment, "**" across segments ("**/" also matching no segment). It is
// the general case the Allowlist falls back on, and the reference its fast
// paths are tested against.
func globRegexp(g string) (*regexp.Regexp, error) {
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
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// Allows reports whether any of the paths is allowed unversioned.
func (a Allowlist) Allows(paths ...string) bool {
	for _, p := range paths {
		trimmed := strings.TrimRight(p, "/")
		if a.matches(p) || (trimmed != "" && a.matches(trimmed)) {
			return true
		}
	}
	return false
}

func (a Allowlist) matches(p string) bool {
	for _, x := range a.suffixes {
		if p == x[0] || strings.HasSuffix(p, x[1]) {
			return true
		}
	}
	for _, x := range a.inner {
		if strings.HasPrefix(p, x[0]) || strings.Contains(p, x[1]) {
			return true
		}
	}
	if len(a.ends) > 0 {
		last := p[strings.LastIndexByte(p, '/')+1:]
		for _, x := range a.ends {
			if strings.HasSuffix(last, x) {
				return true
			}
		}
	}
	for _, re := range a.res {
		if re.MatchString(p) {
			return true
		}
	}
	return false
}

// expectation says what the strategy wants, for messages.
func expectation(strategy string) string {
	switch strategy {
	case analyzer.StrategyPath:
		return "no major version in its URL (server URL or path, e.g. /v1)"
	case analyzer.StrategyHeader:
		return "no version header (e.g. API-Version), as the configured header strategy requires"
	case analyzer.StrategyMediaType:
		return "no versioned media type (e.g. application/vnd.acme.v1+json), as the configured media-type strategy requires"
	case analyzer.StrategyQuery:
		return "no required api-version query parameter, as the configured query strategy requires"
	}
	return "no major version in its URL, a version header, a versioned media type or a required api-version query parameter"
}

// pathFix suggests the usual fix when the strategy accepts path versions.
func pathFix(strategy string) string {
	if strategy == analyzer.StrategyAny || strategy == analyzer.StrategyPath {
		return "; add a major version such as /v1 to the server URL"
	}
	return ""
}

// pathChecked reports whether path-only contracts (proto HTTP mappings, Go
// routes) can be judged under the strategy: not when versions travel in
// headers, media types or query parameters, which they do not show.
func pathChecked(strategy string) bool {
	return strategy == analyzer.StrategyAny || strategy == analyzer.StrategyPath
}

// majority returns the most used mechanism, ties broken path, header,
// media-type, query.
func majority(counts map[string]int) string {
	best := ""
	for _, m := range []string{analyzer.StrategyPath, analyzer.StrategyHeader, analyzer.StrategyMediaType, analyzer.StrategyQuery} {
		if counts[m] > counts[best] {
			best = m
		}
	}
	return best
}

func serviceOrRepo(svc string) string {
	if svc == "" {
		return "the repository"
	}
	return "service " + svc
}

// splitMajor splits "shop.orders.v2beta1" into "shop.orders" and 2.
func splitMajor(pkg string) (string, int) {
	i := strings.LastIndexByte(pkg, '.')
	if i < 0 {
		return pkg, 0
	}
	m := protoVersion.FindStringSubmatch(pkg[i+1:])
	if m == nil {
		return pkg, 0
	}
	n, _ := strconv.Atoi(m[1])
	return pkg[:i], n
}

// SpecMechanism returns the mechanism most of a spec's versioned operations
// use, and the first operation using it ("" when none is versioned).
func SpecMechanism(spec *facts.OpenAPISpec, allow Allowlist) (string, facts.Position) {
	counts, first := map[string]int{}, map[string]facts.Position{}
	for _, op := range spec.Operations {
		m := OperationMechanisms(spec, op).Primary()
		if m == "" || allow.Allows(op.Path) {
			continue
		}
		if counts[m]++; counts[m] == 1 {
			first[m] = op.Pos
		}
	}
	mech := majority(counts)
	return mech, first[mech]
}
