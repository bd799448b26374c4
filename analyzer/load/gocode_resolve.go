package load

import (
	"path"
	"sort"
	"strings"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// modIndex finds the module of a directory and the repository modules a
// module path names.
type modIndex struct {
	byDir  map[string]*facts.GoModule
	byPath map[string][]*facts.GoModule // sorted by directory
	// work maps a module directory to the go.work that uses it.
	work map[string]*facts.GoWork
}

func newModIndex(mods []*facts.GoModule, works []*facts.GoWork) *modIndex {
	x := &modIndex{byDir: map[string]*facts.GoModule{}, byPath: map[string][]*facts.GoModule{}, work: map[string]*facts.GoWork{}}
	sorted := append([]*facts.GoModule(nil), mods...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Dir < sorted[j].Dir })
	for _, m := range sorted {
		x.byDir[m.Dir] = m
		if m.Path != "" {
			x.byPath[m.Path] = append(x.byPath[m.Path], m)
		}
	}
	ws := append([]*facts.GoWork(nil), works...)
	sort.Slice(ws, func(i, j int) bool { return ws[i].File < ws[j].File })
	for _, w := range ws {
		for _, u := range w.Use {
			if _, taken := x.work[u.Dir]; !u.Outside && !taken {
				x.work[u.Dir] = w
			}
		}
	}
	return x
}

// moduleOf returns the innermost module holding dir, or nil.
func (x *modIndex) moduleOf(dir string) *facts.GoModule {
	for d := dir; ; d = path.Dir(d) {
		if m := x.byDir[d]; m != nil {
			return m
		}
		if d == "." || d == "/" || d == "" {
			return nil
		}
	}
}

// resolver maps import paths to repository package directories.
type resolver struct {
	mods  *modIndex
	dirs  map[string]bool                       // every package directory
	cache map[*facts.GoModule]map[string]string // by importing module, then import path
}

// resolve returns the directory of the repository package that an import
// of path imp from module from names, or "". The longest module path that
// prefixes imp wins; for each, the importer's replace directives come
// first, then its workspace, then itself, then any repository module of
// that path.
func (r *resolver) resolve(from *facts.GoModule, imp string) string {
	c := r.cache[from]
	if c == nil {
		c = map[string]string{}
		r.cache[from] = c
	}
	if d, ok := c[imp]; ok {
		return d
	}
	d := r.lookup(from, imp)
	c[imp] = d
	return d
}

func (r *resolver) lookup(from *facts.GoModule, imp string) string {
	if strings.HasPrefix(imp, ".") || strings.HasPrefix(imp, "/") {
		return "" // relative and absolute imports are invalid in module mode
	}
	for prefix := imp; prefix != ""; {
		rest := strings.TrimPrefix(strings.TrimPrefix(imp, prefix), "/")
		for _, base := range r.candidates(from, prefix) {
			dir := base
			if rest != "" {
				dir = path.Join(base, rest)
			}
			if r.dirs[dir] {
				return dir
			}
		}
		i := strings.LastIndex(prefix, "/")
		if i < 0 {
			break
		}
		prefix = prefix[:i]
	}
	return ""
}

// candidates returns the directories, in order of precedence, that may hold
// the module of path prefix for an importer in module from.
func (r *resolver) candidates(from *facts.GoModule, prefix string) []string {
	var out []string
	if from != nil {
		for _, rp := range from.Replace {
			if rp.Old == prefix && rp.Dir != "" {
				out = append(out, rp.Dir)
			}
		}
		if w := r.mods.work[from.Dir]; w != nil {
			for _, rp := range w.Replace {
				if rp.Old == prefix && rp.Dir != "" {
					out = append(out, rp.Dir)
				}
			}
			for _, u := range w.Use {
				if m := r.mods.byDir[u.Dir]; m != nil && m.Path == prefix {
					out = append(out, m.Dir)
				}
			}
		}
		if from.Path == prefix {
			out = append(out, from.Dir)
		}
	}
	for _, m := range r.mods.byPath[prefix] {
		out = append(out, m.Dir)
	}
	return out
}
