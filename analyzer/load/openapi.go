package load

import (
	"cmp"
	"context"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// parseOpenAPI loads every OpenAPI and Swagger document in parallel, each
// under the per-file time budget. Each load has its own kin-openapi Loader:
// a Loader keeps unsynchronised state. The inputs classify left to it
// (l.specs) are decoded here, one per worker, and their trees released as
// soon as each is loaded.
func (l *loader) parseOpenAPI(ctx context.Context) {
	defer l.stats.parser("openapi", time.Now())
	docs := l.docsOf(docOpenAPI)
	if len(docs)+len(l.specs) == 0 {
		return
	}
	trees := map[string]*yaml.Node{}
	for _, d := range l.docs {
		// A spec's own tree is released once it is loaded; a $ref into
		// another spec decodes that file again, once for all the specs
		// that reference it (refFiles).
		if d.index == 0 && d.kind != docOpenAPI {
			trees[d.in.path] = d.root
		}
	}
	files := l.newRefFiles(trees)
	type loaded struct {
		specs []*facts.OpenAPISpec
		sups  []facts.Suppression
		other []*yamlDoc // documents of l.specs that are not OpenAPI after all
	}
	load := func(d *yamlDoc, into *loaded) {
		spec, sups := l.loadSpec(d, files)
		d.root = nil
		into.specs, into.sups = append(into.specs, spec), append(into.sups, sups...)
	}
	file := func(i int) string {
		if i < len(docs) {
			return docs[i].in.path
		}
		return l.specs[i-len(docs)].path
	}
	results := eachWithin(ctx, l, len(docs)+len(l.specs), file, func(i int) (r loaded) {
		if i < len(docs) {
			load(docs[i], &r)
			return r
		}
		for _, d := range l.decodeYAML(l.specs[i-len(docs)]) {
			if d.kind == docOpenAPI {
				load(d, &r)
			} else {
				r.other = append(r.other, d)
			}
		}
		return r
	})
	l.specs = nil
	var specs []*facts.OpenAPISpec
	var sups [][]facts.Suppression
	for _, r := range results {
		specs = append(specs, r.specs...)
		sups = append(sups, r.sups)
		l.late = append(l.late, r.other...)
	}
	type key struct {
		pos  facts.Position
		rule string
	}
	seen := map[key]bool{}
	twins := formatTwins(specs)
	for _, s := range specs {
		if s == nil {
			continue
		}
		if of, ok := twins[s]; ok && l.byPath[s.Path] != nil {
			l.byPath[s.Path].unread = "the same OpenAPI document as " + of + " (a copy in another format)"
			continue
		}
		l.repo.OpenAPI = append(l.repo.OpenAPI, s)
	}
	for _, list := range sups {
		// A path item file shared by two specs yields its entries twice.
		for _, sup := range list {
			if k := (key{sup.Pos, sup.Rule}); !seen[k] {
				seen[k] = true
				l.repo.Suppressions = append(l.repo.Suppressions, sup)
			}
		}
	}
}

// mergeLateDocs adds the documents parseOpenAPI decoded that were not
// specs to l.docs, in the input order every later parser reads documents
// in. parseOpenAPI leaves them aside because the workloads read l.docs
// while it runs.
func (l *loader) mergeLateDocs() {
	if len(l.late) == 0 {
		return
	}
	l.docs = append(l.docs, l.late...)
	l.late = nil
	order := make(map[*input]int, len(l.inputs))
	for i, in := range l.inputs {
		order[in] = i
	}
	slices.SortStableFunc(l.docs, func(a, b *yamlDoc) int {
		if a.in != b.in {
			return order[a.in] - order[b.in]
		}
		return a.index - b.index
	})
}

// loadSpec reads one document: its x-decouple-ignore entries from the node
// tree, then, when its $refs pass the pre-scan, the model kin-openapi builds,
// with positions taken from the node tree.
func (l *loader) loadSpec(d *yamlDoc, files *refFiles) (*facts.OpenAPISpec, []facts.Suppression) {
	spec := &facts.OpenAPISpec{Path: d.in.path}
	key, val := keyValue(d.root, "openapi")
	v2 := false
	if key == nil {
		key, val = keyValue(d.root, "swagger")
		v2 = true
	}
	spec.Pos = nodePos(d.in.path, key)
	raw := scalar(val)
	spec.Version = majorMinor(raw)
	sups := specIgnores(d)

	switch {
	case v2 && spec.Version != "2.0":
		l.problem(d.in.path, key.Line, key.Column, "unsupported swagger version %q (want 2.0); document not analysed", raw)
		return spec, sups
	case !v2 && spec.Version != "3" && !strings.HasPrefix(spec.Version, "3."):
		l.problem(d.in.path, key.Line, key.Column, "unsupported openapi version %q (want 3.x); document not analysed", raw)
		return spec, sups
	}

	scan := l.scanRefs(d, files)
	if scan.failed {
		return spec, sups
	}
	var doc *openapi3.T
	if len(scan.overrides) == 0 && !l.opts.openAPIAsWritten {
		// The fast paths: kin reads the document with its schemas emptied,
		// a 3.x document as nodes, a 2.0 one as text. Any error sends it down
		// the usual path, which words and places it.
		if !v2 {
			if n, ok := kinNode(d.root); ok {
				if t, err := l.kinLoadNode(n, d.in.path); err == nil {
					doc = t
				}
			}
		}
		if doc == nil {
			if text, ok := kinText(d.root); ok {
				if t, err := l.kinLoadEmptied(text, d.in.path, v2, scan); err == nil {
					doc = t
				}
			}
		}
	}
	data, err := scan.bytesFor(d)
	if err != nil {
		l.problem(d.in.path, d.root.Line, d.root.Column, "openapi document could not be re-encoded: %s", err)
		return spec, sups
	}
	if doc == nil {
		doc, err = l.kinLoad(data, d.in.path, v2, scan)
	}
	if err != nil {
		line, col := scan.lineOf(err.Error(), d)
		l.problem(d.in.path, line, col, "openapi document could not be loaded: %s", kinError(err))
		return spec, sups
	}
	spec.Loaded = true
	if v2 {
		if k, v := keyValue(d.root, "basePath"); k != nil {
			spec.BasePath, spec.BasePathPos = scalar(v), nodePos(d.in.path, k)
		}
	} else {
		spec.Servers = servers(d.in.path, get(d.root, "servers"), doc.Servers)
	}
	ops, opSups := l.operations(d, doc, scan)
	spec.Operations = ops
	return spec, append(sups, opSups...)
}

// kinLoad builds the kin-openapi model of one document. External $refs are
// read through the confined reader only; validation is skipped (the rules
// need paths, operations, parameters and media types, not conformance).
func (l *loader) kinLoad(data []byte, file string, v2 bool, scan *refScan) (*openapi3.T, error) {
	return l.kinLoadWith(data, file, v2, l.specReader(scan.overrides))
}

// kinLoadEmptied is kinLoad for the text kinText wrote: the files the
// document references are read with their schemas left out too
// (kinTextReferenced; a shared components file is then a fraction of its
// size for kin to decode, for every spec that references it). A file that
// cannot be written so is read as it is. (kin never reads the document's
// own file: a $ref naming it resolves in the document it is loading.)
func (l *loader) kinLoadEmptied(data []byte, file string, v2 bool, scan *refScan) (*openapi3.T, error) {
	raw := l.specReader(nil)
	return l.kinLoadWith(data, file, v2, func(kl *openapi3.Loader, u *url.URL) ([]byte, error) {
		if p, err := confinedRef(u); err == nil {
			if tree := scan.trees[p]; tree != nil {
				if b, ok := scan.files.text(tree); ok {
					return b, nil
				}
			}
		}
		return raw(kl, u)
	})
}

func (l *loader) kinLoadWith(data []byte, file string, v2 bool, read openapi3.ReadFromURIFunc) (*openapi3.T, error) {
	kl := openapi3.NewLoader()
	kl.IsExternalRefsAllowed = true
	kl.ReadFromURIFunc = read
	loc := &url.URL{Path: file}
	if !v2 {
		return kl.LoadFromDataWithPath(data, loc)
	}
	var doc2 openapi2.T
	if err := openapi2.UnmarshalFromData(data, &doc2); err != nil {
		return nil, err
	}
	return openapi2conv.ToV3WithLoader(&doc2, kl, loc)
}

// kinError trims kin-openapi's error text to its useful part.
func kinError(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "failed to unmarshal data: ")
	if len(msg) > 300 {
		msg = msg[:300] + "..."
	}
	return msg
}

// methodOrder is the order operations are listed in when the node tree does
// not give one.
var methodOrder = []string{"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "CONNECT", "QUERY"}

// operations lists the document's operations in document order, each with
// the positions of its path and method keys.
func (l *loader) operations(d *yamlDoc, doc *openapi3.T, scan *refScan) ([]facts.APIOperation, []facts.Suppression) {
	var ops []facts.APIOperation
	var sups []facts.Suppression
	if doc.Paths == nil {
		return nil, nil
	}
	for _, kv := range pairs(get(d.root, "paths")) {
		p, item := kv[0].Value, doc.Paths.Value(kv[0].Value)
		if item == nil || strings.HasPrefix(p, "x-") {
			continue
		}
		pathPos := nodePos(d.in.path, kv[0])
		// The node holding the methods: the path item itself, or the one
		// its $ref points at in another file.
		file, node := d.in.path, kv[1]
		if ref := scalar(get(node, "$ref")); ref != "" {
			if f, n := scan.resolve(d.in.path, ref); n != nil {
				file, node = f, n
				if f != d.in.path {
					sups = append(sups, pathItemIgnores(f, n.Line, n)...)
				}
			}
		}
		kinOps := item.Operations()
		for _, m := range orderedMethods(node, kinOps) {
			op := kinOps[m]
			mk, mv := keyValue(node, strings.ToLower(m))
			at := pathPos
			if mk != nil {
				at = nodePos(file, mk)
			}
			fo := facts.APIOperation{Method: m, Path: p, Pos: at, PathPos: pathPos}
			switch {
			case op.Servers != nil && len(*op.Servers) > 0:
				fo.Servers = servers(file, get(mv, "servers"), *op.Servers)
			case len(item.Servers) > 0:
				fo.Servers = servers(file, get(node, "servers"), item.Servers)
			}
			fo.Parameters = parameters(item.Parameters, op.Parameters)
			fo.RequestMediaTypes, fo.ResponseMediaTypes = mediaTypes(op)
			ops = append(ops, fo)
		}
	}
	return ops, sups
}

// orderedMethods returns the methods of kinOps in the order the node tree
// writes them, then any the tree does not show, in the usual order.
func orderedMethods(node *yaml.Node, kinOps map[string]*openapi3.Operation) []string {
	var out []string
	seen := map[string]bool{}
	for _, kv := range pairs(node) {
		m := strings.ToUpper(kv[0].Value)
		if kinOps[m] != nil && !seen[m] {
			out, seen[m] = append(out, m), true
		}
	}
	for _, m := range methodOrder {
		if kinOps[m] != nil && !seen[m] {
			out, seen[m] = append(out, m), true
		}
	}
	var extra []string
	for m := range kinOps {
		if !seen[m] {
			extra = append(extra, m)
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

// servers turns kin's servers into facts, positioned on the node tree's
// server items when they line up.
func servers(file string, seq *yaml.Node, in openapi3.Servers) []facts.APIServer {
	nodes := items(seq)
	var out []facts.APIServer
	for i, s := range in {
		if s == nil {
			continue
		}
		fs := facts.APIServer{URL: s.URL}
		if i < len(nodes) {
			if k, _ := keyValue(nodes[i], "url"); k != nil {
				fs.Pos = nodePos(file, k)
			} else {
				fs.Pos = nodePos(file, nodes[i])
			}
		}
		names := make([]string, 0, len(s.Variables))
		for n := range s.Variables {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if v := s.Variables[n]; v != nil {
				fs.Variables = append(fs.Variables, facts.ServerVariable{Name: n, Default: v.Default})
			}
		}
		out = append(out, fs)
	}
	return out
}

// parameters merges path-item and operation parameters (the operation's
// win on the same name and location), skipping unresolved ones.
func parameters(item, op openapi3.Parameters) []facts.APIParameter {
	var out []facts.APIParameter
	index := map[string]int{}
	for _, list := range []openapi3.Parameters{item, op} {
		for _, ref := range list {
			if ref == nil || ref.Value == nil || ref.Value.Name == "" {
				continue
			}
			p := ref.Value
			fp := facts.APIParameter{Name: p.Name, In: p.In, Required: p.Required}
			k := p.In + "\x00" + strings.ToLower(p.Name)
			if i, ok := index[k]; ok {
				out[i] = fp
				continue
			}
			index[k] = len(out)
			out = append(out, fp)
		}
	}
	return out
}

// mediaTypes returns the sorted content types of the request body and of
// every response.
func mediaTypes(op *openapi3.Operation) (req, resp []string) {
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		req = contentTypes(nil, op.RequestBody.Value.Content)
	}
	if op.Responses != nil {
		for _, r := range op.Responses.Map() {
			if r != nil && r.Value != nil {
				resp = contentTypes(resp, r.Value.Content)
			}
		}
	}
	return sortedSet(req), sortedSet(resp)
}

func contentTypes(dst []string, c openapi3.Content) []string {
	for mt := range c {
		dst = append(dst, mt)
	}
	return dst
}

func sortedSet(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	sort.Strings(in)
	out := in[:1]
	for _, s := range in[1:] {
		if s != out[len(out)-1] {
			out = append(out, s)
		}
	}
	return out
}

// majorMinor trims a specification version to major.minor.
func majorMinor(v string) string {
	parts := strings.SplitN(strings.TrimSpace(v), ".", 3)
	if len(parts) >= 2 {
		return parts[0] + "." + parts[1]
	}
	return strings.TrimSpace(v)
}

// keyValue returns the key and value nodes of key in a mapping.
func keyValue(n *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], deref(n.Content[i+1])
		}
	}
	return nil, nil
}

func nodePos(file string, n *yaml.Node) facts.Position {
	if n == nil {
		return facts.Position{File: file}
	}
	return facts.Position{File: file, Line: n.Line, Col: n.Column}
}

// sortAPIs puts the API facts in their stable order and attributes them to
// services.
func sortAPIs(repo *facts.Repo) {
	owner := repo.NewServiceIndex()
	sort.Slice(repo.OpenAPI, func(i, j int) bool { return repo.OpenAPI[i].Pos.Less(repo.OpenAPI[j].Pos) })
	for _, s := range repo.OpenAPI {
		s.Service = owner.ServiceOf(s.Path)
	}
	sort.SliceStable(repo.GoRoutes, func(i, j int) bool {
		a, b := repo.GoRoutes[i], repo.GoRoutes[j]
		if a.Pos != b.Pos {
			return a.Pos.Less(b.Pos)
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Method < b.Method
	})
	repo.UnresolvedGoRoutes = 0
	for _, r := range repo.GoRoutes {
		r.Service = owner.ServiceOf(r.Pos.File)
		if !r.Resolved {
			repo.UnresolvedGoRoutes++
		}
	}
}

// formatTwins finds the specs that are copies of another in another format:
// swag and other generators write swagger.json beside swagger.yaml. Of
// specs in one folder with one name that describe the same operations
// (same version, servers, base path, methods and paths), the YAML one is
// kept (the first by path when there are several) and each other is
// mapped to it.
func formatTwins(specs []*facts.OpenAPISpec) map[*facts.OpenAPISpec]string {
	groups := map[string][]*facts.OpenAPISpec{}
	for _, s := range specs {
		if s == nil || !s.Loaded {
			continue
		}
		ext := strings.ToLower(path.Ext(s.Path))
		if ext != ".json" && ext != ".yaml" && ext != ".yml" {
			continue
		}
		stem := strings.TrimSuffix(s.Path, path.Ext(s.Path))
		groups[stem] = append(groups[stem], s)
	}
	out := map[*facts.OpenAPISpec]string{}
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		slices.SortFunc(g, func(a, b *facts.OpenAPISpec) int {
			return cmp.Or(cmp.Compare(formatRank(a.Path), formatRank(b.Path)), cmp.Compare(a.Path, b.Path))
		})
		keep := g[0]
		for _, s := range g[1:] {
			if specShape(s) == specShape(keep) {
				out[s] = keep.Path
			}
		}
	}
	return out
}

// formatRank orders YAML before JSON.
func formatRank(p string) int {
	if strings.EqualFold(path.Ext(p), ".json") {
		return 1
	}
	return 0
}

// specShape is what two copies of one spec share: version, servers, base
// path, and the set of operations (method and path), whatever their order
// (swag writes a path's methods in one order in JSON, sorted in YAML).
func specShape(s *facts.OpenAPISpec) string {
	var b strings.Builder
	b.WriteString(s.Version + "\x00" + s.BasePath)
	for _, sv := range s.Servers {
		b.WriteString("\x00" + sv.URL)
	}
	ops := make([]string, 0, len(s.Operations))
	for _, op := range s.Operations {
		ops = append(ops, op.Method+" "+op.Path)
	}
	slices.Sort(ops)
	for _, op := range ops {
		b.WriteString("\x01" + op)
	}
	return b.String()
}
