package load

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// specReader is the only way kin-openapi reads a referenced file. It serves
// files from the inputs already in memory (or the pruned copies of the
// pre-scan), else reads them through the repository's os.Root. It refuses
// every URL, absolute path and path leaving the repository: nothing is ever
// fetched over the network or read outside the root.
func (l *loader) specReader(overrides map[string][]byte) openapi3.ReadFromURIFunc {
	return func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		p, err := confinedRef(u)
		if err != nil {
			return nil, err
		}
		if b, ok := overrides[p]; ok {
			return b, nil
		}
		if in := l.specInput(p); in != nil {
			return in.data, nil
		}
		data, err := readConfined(l.root, p, l.maxSize())
		if err != nil {
			return nil, fmt.Errorf("read $ref %s: %w", p, err)
		}
		return data, nil
	}
}

// confinedRef turns the location kin-openapi asks for into a clean
// repo-relative path, or refuses it.
func confinedRef(u *url.URL) (string, error) {
	if u == nil {
		return "", fmt.Errorf("empty $ref location")
	}
	if u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.User != nil {
		return "", fmt.Errorf("remote $ref %s refused: decouple never fetches over the network", u.Redacted())
	}
	p := u.Path
	switch {
	case p == "":
		return "", fmt.Errorf("empty $ref path")
	case strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\`) || (len(p) > 1 && p[1] == ':'):
		return "", fmt.Errorf("absolute $ref path %q refused", p)
	}
	c := path.Clean(p)
	if c == ".." || strings.HasPrefix(c, "../") {
		return "", fmt.Errorf("$ref %q points outside the repository", p)
	}
	return c, nil
}

// specInput returns the YAML or JSON input at p, whose text the load keeps
// while the specs are read (it lets go of Go and proto sources meanwhile;
// a $ref to one of those is read from the disk).
func (l *loader) specInput(p string) *input {
	if in := l.byPath[p]; in != nil && (in.kind == kindYAML || in.kind == kindJSON) {
		return in
	}
	return nil
}
