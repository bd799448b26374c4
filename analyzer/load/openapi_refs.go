package load

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Limits of the $ref pre-scan. kin-openapi's loader has no cancellation and
// takes super-linear time on long chains of $refs (a chain of 1,000 direct
// refs takes seconds, 20,000 minutes), so a spec over these limits is
// reported and not loaded.
const (
	maxSpecRefs   = 20000   // $refs in a spec and the files it references
	maxRefDepth   = 128     // longest chain of $ref targets holding further $refs
	maxRefFiles   = 1000    // files a spec references
	maxRefVisits  = 4000000 // YAML nodes walked to measure chains
	refChainLimit = "a chain of more than %d nested $refs starts here; the spec was not loaded (long chains make the loader take minutes)"
)

// refSite is one $ref in a spec or a file it references.
type refSite struct {
	file   string
	key    *yaml.Node // the "$ref" key
	holder *yaml.Node // the mapping holding it
	value  string
	// The target: a repo-relative file and a JSON pointer in it; ok is false
	// for a refused or unreadable target.
	tfile, frag string
	ok          bool
	// inSchema is true for a $ref within a schema, which no rule reads
	inSchema bool
}

// refScan is the pre-scan of one spec's $refs: every file they reach inside
// the repository, read from the inputs already in memory, with refused refs
// reported and pruned before kin-openapi sees the document.
type refScan struct {
	l         *loader
	files     *refFiles
	trees     map[string]*yaml.Node // files of this spec, by path
	sites     []*refSite
	byFile    map[string][]*refSite
	bad       map[*yaml.Node]bool // $ref mappings pruned
	badFiles  map[string]bool
	overrides map[string][]byte // pruned files, re-encoded
	failed    bool

	depthOf   map[string]int
	under     map[*yaml.Node][]*refSite
	siteByKey map[*yaml.Node]*refSite
	visits    int
	intricate bool // the node-visit budget ran out
}

// scanRefs pre-scans the $refs of a spec document.
func (l *loader) scanRefs(d *yamlDoc, files *refFiles) *refScan {
	s := &refScan{
		l: l, files: files,
		trees:  map[string]*yaml.Node{d.in.path: d.root},
		byFile: map[string][]*refSite{}, bad: map[*yaml.Node]bool{}, badFiles: map[string]bool{},
		overrides: map[string][]byte{}, depthOf: map[string]int{}, under: map[*yaml.Node][]*refSite{},
		siteByKey: map[*yaml.Node]*refSite{},
	}
	queue := []string{d.in.path}
	for len(queue) > 0 && !s.failed {
		f := queue[0]
		queue = queue[1:]
		var found []*refSite
		collectRefs(f, s.trees[f], &found)
		s.byFile[f] = found
		for _, site := range found {
			s.sites = append(s.sites, site)
			s.siteByKey[site.key] = site
			if len(s.sites) > maxSpecRefs {
				s.fail(site, "more than %d $refs in this spec and the files it references; the spec was not loaded", maxSpecRefs)
				return s
			}
			if next := s.target(site); next != "" {
				if len(s.trees) > maxRefFiles {
					s.fail(site, "this spec references more than %d files; the spec was not loaded", maxRefFiles)
					return s
				}
				queue = append(queue, next)
			}
		}
	}
	if !s.failed {
		s.checkDepth(d.in.path)
	}
	if !s.failed {
		s.prune()
	}
	return s
}

// target classifies a $ref and loads the file it names. It returns the file
// when it is new to the scan.
func (s *refScan) target(site *refSite) string {
	v := site.value
	if strings.HasPrefix(v, "#") {
		frag, err := url.PathUnescape(v[1:])
		if err != nil {
			frag = v[1:]
		}
		site.tfile, site.frag, site.ok = site.file, frag, true
		return ""
	}
	u, err := url.Parse(v)
	switch {
	case err != nil:
		s.refuse(site, "malformed $ref %q", v)
		return ""
	case (u.Scheme != "" || u.Host != "" || u.Opaque != "" || strings.HasPrefix(v, "//")) && site.inSchema:
		// a schema no rule reads: left out, and nothing to say
		s.bad[site.holder], s.badFiles[site.file] = true, true
		return ""
	case u.Scheme != "" || u.Host != "" || u.Opaque != "" || strings.HasPrefix(v, "//"):
		s.refuse(site, "$ref %q is a URL; decouple never fetches remote references, so it was not read", v)
		return ""
	case strings.HasPrefix(u.Path, "/"):
		s.refuse(site, "$ref %q is an absolute path; only files inside the repository, named relative to the spec, are read", v)
		return ""
	}
	if u.Path == "" {
		site.tfile, site.frag, site.ok = site.file, u.Fragment, true
		return ""
	}
	t := path.Join(path.Dir(site.file), u.Path)
	if t == ".." || strings.HasPrefix(t, "../") {
		s.refuse(site, "$ref %q points outside the repository; it was not read", v)
		return ""
	}
	site.tfile, site.frag = t, u.Fragment
	if _, ok := s.trees[t]; ok {
		site.ok = true
		return ""
	}
	tree, err := s.files.load(t)
	if err != nil {
		s.refuse(site, "$ref %q: %s", v, err)
		return ""
	}
	s.trees[t], site.ok = tree, true
	return t
}

// refFiles are the files the specs of a load reference: the decoded
// inputs, and the other files once a spec's scan has decoded them, shared
// by every spec that references them (a components file used by hundreds
// of specs is decoded once, not once per spec). The trees are read, never
// changed. Safe for concurrent use.
type refFiles struct {
	l    *loader
	docs map[string]*yaml.Node // decoded inputs, by path; read only

	mu    sync.Mutex
	trees map[string]refTree    // the others, decoded on first use
	texts map[*yaml.Node][]byte // kinTextReferenced of a tree; nil when refused
}

type refTree struct {
	n   *yaml.Node
	err error
}

func (l *loader) newRefFiles(docs map[string]*yaml.Node) *refFiles {
	return &refFiles{l: l, docs: docs, trees: map[string]refTree{}, texts: map[*yaml.Node][]byte{}}
}

// load returns the node tree of a referenced repository file: the decoded
// input when there is one, else the file read through the confined root.
func (f *refFiles) load(p string) (*yaml.Node, error) {
	if n := f.docs[p]; n != nil {
		return n, nil
	}
	t := once(&f.mu, f.trees, p, func() refTree {
		n, err := f.decode(p)
		return refTree{n, err}
	})
	return t.n, t.err
}

// once returns m[k], made by mk and stored on first use. mk runs outside
// the lock: two callers may make one value at once, and both get the first
// stored (the values made for one key are equal).
func once[K comparable, V any](mu *sync.Mutex, m map[K]V, k K, mk func() V) V {
	mu.Lock()
	v, ok := m[k]
	mu.Unlock()
	if ok {
		return v
	}
	v = mk()
	mu.Lock()
	defer mu.Unlock()
	if first, ok := m[k]; ok {
		return first
	}
	m[k] = v
	return v
}

func (f *refFiles) decode(p string) (*yaml.Node, error) {
	var data []byte
	if in := f.l.specInput(p); in != nil {
		data = in.data
	} else {
		b, err := readConfined(f.l.root, p, f.l.maxSize())
		if err != nil {
			return nil, fmt.Errorf("%s cannot be read: %s", p, errText(err))
		}
		data = b
	}
	var n yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&n); err != nil {
		return nil, fmt.Errorf("%s is not valid YAML or JSON: %s", p, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		return n.Content[0], nil
	}
	return &n, nil
}

// text returns kinTextReferenced of a referenced file's tree, written once
// per tree; ok is false when it is refused.
func (f *refFiles) text(tree *yaml.Node) ([]byte, bool) {
	b := once(&f.mu, f.texts, tree, func() []byte {
		b, _ := kinTextReferenced(tree)
		return b
	})
	return b, b != nil
}

func (s *refScan) refuse(site *refSite, format string, args ...any) {
	s.l.problem(site.file, site.key.Line, site.key.Column, format, args...)
	s.bad[site.holder], s.badFiles[site.file] = true, true
}

func (s *refScan) fail(site *refSite, format string, args ...any) {
	s.l.problem(site.file, site.key.Line, site.key.Column, format, args...)
	s.failed = true
}

// collectRefs appends every $ref under n in document order. Aliases are not
// followed: the anchored node is walked where it is written.
func collectRefs(file string, n *yaml.Node, out *[]*refSite) {
	collectRefsIn(file, n, out, false)
}

// schemaKeys are the keys whose values are schemas or hold them.
var schemaKeys = map[string]bool{"schema": true, "schemas": true, "definitions": true, "properties": true, "items": true,
	"allOf": true, "oneOf": true, "anyOf": true, "not": true, "additionalProperties": true}

func collectRefsIn(file string, n *yaml.Node, out *[]*refSite, inSchema bool) {
	if n == nil || n.Kind == yaml.AliasNode {
		return
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "$ref" && v.Kind == yaml.ScalarNode {
				*out = append(*out, &refSite{file: file, key: k, holder: n, value: v.Value, inSchema: inSchema})
				continue
			}
			collectRefsIn(file, v, out, inSchema || schemaKeys[k.Value])
		}
		return
	}
	for _, c := range n.Content {
		collectRefsIn(file, c, out, inSchema)
	}
}

// checkDepth measures, from each $ref of the spec's own file, the longest
// chain of targets that hold further $refs, and fails at the first ref
// whose chain is too long.
func (s *refScan) checkDepth(root string) {
	for _, site := range s.byFile[root] {
		if !site.ok {
			continue
		}
		d := s.depth(site.tfile, site.frag, 1)
		switch {
		case s.intricate:
			s.fail(site, "the $refs of this spec are too intricate to measure; the spec was not loaded")
			return
		case d > maxRefDepth:
			s.fail(site, refChainLimit, maxRefDepth)
			return
		}
	}
}

// depth returns the length of the longest chain of $refs starting at the
// target, or a value over maxRefDepth as soon as one is found (level counts
// the targets above). Cycles count once.
func (s *refScan) depth(file, frag string, level int) int {
	if level > maxRefDepth || s.intricate {
		return level
	}
	key := file + "#" + frag
	if d, ok := s.depthOf[key]; ok {
		return max(d, 0)
	}
	s.depthOf[key] = -1
	best := 0
	for _, site := range s.refsUnder(file, frag) {
		if !site.ok {
			continue
		}
		d := s.depth(site.tfile, site.frag, level+1)
		if d > maxRefDepth {
			return d
		}
		best = max(best, d)
	}
	s.depthOf[key] = best + 1
	return best + 1
}

// refsUnder returns the $refs inside the target of a pointer.
func (s *refScan) refsUnder(file, frag string) []*refSite {
	tree := s.trees[file]
	n := pointer(tree, frag)
	if n == nil {
		return nil
	}
	if n == tree {
		return s.byFile[file]
	}
	if sites, ok := s.under[n]; ok {
		return sites
	}
	s.visits += countNodes(n, maxRefVisits-s.visits)
	if s.visits >= maxRefVisits {
		s.intricate = true
		return nil
	}
	var found, sites []*refSite
	collectRefs(file, n, &found)
	// The scan's own sites carry the targets.
	for _, site := range found {
		if k := s.siteByKey[site.key]; k != nil {
			sites = append(sites, k)
		}
	}
	s.under[n] = sites
	return sites
}

// countNodes counts the nodes under n, stopping at limit.
func countNodes(n *yaml.Node, limit int) int {
	if n == nil || n.Kind == yaml.AliasNode || limit <= 0 {
		return 0
	}
	c := 1
	for _, k := range n.Content {
		c += countNodes(k, limit-c)
		if c >= limit {
			return limit
		}
	}
	return c
}

// childNode returns the entry a path token names in a node: a mapping's
// key and value, or a sequence's item (with no key); nils when there is
// none.
func childNode(n *yaml.Node, tok string) (key, val *yaml.Node) {
	n = deref(n)
	switch {
	case n == nil:
		return nil, nil
	case n.Kind == yaml.MappingNode:
		return keyValue(n, tok)
	case n.Kind == yaml.SequenceNode:
		i, err := strconv.Atoi(tok)
		if err != nil || i < 0 || i >= len(n.Content) {
			return nil, nil
		}
		return nil, n.Content[i]
	}
	return nil, nil
}

// pointer resolves a JSON pointer in a node tree; nil when it names nothing.
func pointer(n *yaml.Node, frag string) *yaml.Node {
	if frag == "" || frag == "/" {
		return n
	}
	if !strings.HasPrefix(frag, "/") {
		return nil
	}
	for _, tok := range strings.Split(frag[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		if _, n = childNode(n, tok); n == nil {
			return nil
		}
	}
	return deref(n)
}

// resolve returns the file and node a $ref written in file names, when the
// scan reached it.
func (s *refScan) resolve(file, ref string) (string, *yaml.Node) {
	for _, site := range s.byFile[file] {
		if site.value == ref && site.ok {
			return site.tfile, pointer(s.trees[site.tfile], site.frag)
		}
	}
	return "", nil
}

// prune re-encodes every file holding a refused $ref with that $ref's
// mapping emptied, so the loader never sees it. Shared trees are copied,
// never changed.
func (s *refScan) prune() {
	for f := range s.badFiles {
		out, err := yaml.Marshal(pruned(s.trees[f], s.bad))
		if err != nil {
			s.l.problem(f, 1, 0, "openapi document could not be re-encoded without its refused $refs: %s", err)
			s.failed = true
			return
		}
		s.overrides[f] = out
	}
}

// pruned copies a node tree, emptying the mappings in bad.
func pruned(n *yaml.Node, bad map[*yaml.Node]bool) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	if bad[n] {
		c.Content = nil
		c.Style = yaml.FlowStyle
		return &c
	}
	if n.Kind == yaml.AliasNode {
		return &c
	}
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = pruned(k, bad)
	}
	return &c
}

// bytesFor returns what kin-openapi loads for the spec's own document.
func (s *refScan) bytesFor(d *yamlDoc) ([]byte, error) {
	if b, ok := s.overrides[d.in.path]; ok {
		return b, nil
	}
	if d.index == 0 {
		return d.in.data, nil
	}
	return yaml.Marshal(d.root)
}

// lineOf finds the $ref a loader error names, for its position.
func (s *refScan) lineOf(msg string, d *yamlDoc) (line, col int) {
	for _, site := range s.sites {
		if site.file == d.in.path && strings.Contains(msg, site.value) {
			return site.key.Line, site.key.Column
		}
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil && len(s.overrides) == 0 {
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
			return n, 0
		}
	}
	return d.root.Line, d.root.Column
}
