package load

import (
	"context"
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// parseDatastores finds every service's datastore references (workload
// environments, depends_on, env and config files, Helm values, Go code),
// resolves their hosts to the datastore workloads of the repository, builds
// the datastore nodes and service→datastore edges, and reads the tables
// each service touches and the migration folders it applies. The Go
// sources were read before, by scanGoData.
func (l *loader) parseDatastores(ctx context.Context) {
	defer l.stats.parser("datastores", time.Now())
	hosts := l.storeHosts()
	var raws []rawRef
	for _, w := range l.work {
		if w.fact.Datastore {
			continue
		}
		src := "kube-env"
		if w.fact.Kind == "compose" {
			src = "compose-env"
		}
		raws = append(raws, refsFromSettings(envSettings(w.env), w.fact.Service, src, w.project)...)
		for _, f := range w.files {
			raws = append(raws, refsFromSettings(mountedFileSettings(f), w.fact.Service, "kube-config-file", w.project)...)
		}
		for _, dep := range w.fact.DependsOn {
			if h := hosts.lookup(dep.Name, w.project, nil, true); h != nil {
				raws = append(raws, rawRef{service: w.fact.Service, d: dsn{engine: h.engine, host: dep.Name,
					display: "depends_on " + dep.Name}, source: "depends-on", key: dep.Name, pos: dep.Pos, project: w.project})
			}
		}
	}
	raws = append(raws, l.configRefs()...)

	var sqlFiles []*input
	for _, in := range l.inputs {
		if in.kind == kindSQL && !ignoredForData(in.path) {
			sqlFiles = append(sqlFiles, in)
		}
	}
	goPaths := map[string][]pathHit{}
	var hits []tableHit
	for _, s := range l.goScans {
		// scanGoData ran before the services were known.
		svc := l.serviceOf(s.file)
		for i := range s.refs {
			s.refs[i].service = svc
		}
		for i := range s.tables {
			s.tables[i].ref.Service = svc
		}
		raws = append(raws, s.refs...)
		hits = append(hits, s.tables...)
		if len(s.paths) > 0 {
			goPaths[s.file] = s.paths
		}
	}

	migrations := l.findMigrations()
	l.migrationUsers(migrations, goPaths)
	sqlHits := eachWithin(ctx, l, len(sqlFiles), func(i int) string { return sqlFiles[i].path }, func(i int) []tableHit {
		in := sqlFiles[i]
		svc, source := l.serviceOf(in.path), "sql"
		if d := inMigrationDir(migrations, in.path); d != nil {
			source = "migration"
			if svc == "" {
				svc = soleUser(d)
			}
		}
		var out []tableHit
		for _, t := range sqlTables(string(in.data)) {
			out = append(out, tableHit{ref: facts.TableRef{Service: svc, Name: t.name, Schema: t.schema, Kind: "table",
				Op: t.op, Source: source, Pos: facts.Position{File: in.path, Line: t.line}}})
		}
		return out
	})
	for _, h := range sqlHits {
		hits = append(hits, h...)
	}

	refs, origins := l.resolveRefs(raws, hosts)
	l.repo.DatastoreRefs = refs
	l.repo.Datastores, l.repo.DatastoreEdges = graph(refs, origins)
	l.repo.Tables = attributeTables(hits, refs)
	for _, d := range migrations {
		l.repo.Migrations = append(l.repo.Migrations, d)
	}
}

// soleUser is the only service applying a folder nobody owns, or "".
func soleUser(d *facts.MigrationDir) string {
	svc := ""
	for _, u := range d.Users {
		if svc != "" && u.Service != svc {
			return ""
		}
		svc = u.Service
	}
	return svc
}

// storeHost is a host name that reaches a datastore workload.
type storeHost struct {
	canonical string // the datastore's name in references
	base      string // the workload or Service name
	engine    string
	project   string // compose file, or "namespace:<ns>"
	compose   bool
	workload  string
	pos       facts.Position
}

// hostTable resolves host names to datastore workloads.
type hostTable struct {
	byName   map[string][]*storeHost
	external map[string]string // ExternalName Service → the host it names
}

// engineOfImage maps a datastore image to the engine its clients speak.
func engineOfImage(image string) string {
	img := strings.ToLower(path.Base(strings.SplitN(image, "@", 2)[0]))
	for _, m := range []struct{ word, engine string }{
		{"postgres", "postgres"}, {"postgis", "postgres"}, {"timescale", "postgres"}, {"cockroach", "postgres"},
		{"mysql", "mysql"}, {"mariadb", "mysql"}, {"mongo", "mongodb"}, {"redis", "redis"}, {"valkey", "redis"},
		{"keydb", "redis"}, {"mssql", "sqlserver"}, {"sqlserver", "sqlserver"}, {"clickhouse", "clickhouse"},
		{"cassandra", "cassandra"}, {"scylla", "cassandra"}, {"oracle", "oracle"},
	} {
		if strings.Contains(img, m.word) {
			return m.engine
		}
	}
	return ""
}

// scanGoData reads the datastore references, SQL and migration paths of
// every Go file (scanGo) into l.goScans, for parseDatastores. It runs with
// the other readers of Go sources, before the services are known (so the
// references it finds get their service in parseDatastores), so that their
// text can be let go before the rest of the load.
func (l *loader) scanGoData(ctx context.Context) {
	defer l.stats.parser("go-data", time.Now())
	var goFiles []*input
	for _, in := range l.inputs {
		if in.kind == kindGo && !ignoredForData(in.path) {
			goFiles = append(goFiles, in)
		}
	}
	scans := eachWithin(ctx, l, len(goFiles), func(i int) string { return goFiles[i].path },
		func(i int) goScan { return scanGo(goFiles[i], "") })
	for i := range scans {
		scans[i].file = goFiles[i].path
	}
	l.goScans = scans
}

// storeHosts indexes the names under which the datastore workloads are
// reached: compose service names, Kubernetes workload and Service names
// (with their namespace DNS forms).
func (l *loader) storeHosts() *hostTable {
	t := &hostTable{byName: map[string][]*storeHost{}, external: map[string]string{}}
	var all []*storeHost
	addK8s := func(h *storeHost, ns string) {
		names := []string{h.base}
		if ns != "" {
			names = append(names, h.base+"."+ns, h.base+"."+ns+".svc", h.base+"."+ns+".svc.cluster.local")
		}
		for _, n := range names {
			t.byName[n] = append(t.byName[n], h)
		}
		all = append(all, h)
	}
	for _, w := range l.work {
		if !w.fact.Datastore {
			continue
		}
		e := engineOfImage(w.fact.Image)
		if e == "" {
			continue
		}
		h := &storeHost{base: w.fact.Name, engine: e, project: w.project, compose: w.fact.Kind == "compose",
			workload: w.fact.Name, pos: w.fact.Pos}
		if h.compose {
			t.byName[h.base] = append(t.byName[h.base], h)
			all = append(all, h)
			continue
		}
		addK8s(h, w.fact.Namespace)
	}
	// Kubernetes workloads by namespace and label, so a selector is
	// matched against the workloads carrying one of its labels only.
	byLabel := map[string][]*workload{}
	for _, w := range l.work {
		if w.fact.Kind == "compose" {
			continue
		}
		for k, v := range w.fact.Labels {
			key := w.fact.Namespace + "\x00" + k + "=" + v
			byLabel[key] = append(byLabel[key], w)
		}
	}
	for _, s := range l.repo.KubeServices {
		if s.ExternalName != "" {
			t.external[s.Name] = s.ExternalName
			if s.Namespace != "" {
				t.external[s.Name+"."+s.Namespace+".svc.cluster.local"] = s.ExternalName
			}
			continue
		}
		if len(s.Selector) == 0 {
			continue
		}
		var store *workload
		matched := 0
		first := slices.Min(slices.Collect(maps.Keys(s.Selector)))
		for _, w := range byLabel[s.Namespace+"\x00"+first+"="+s.Selector[first]] {
			if !selects(s.Selector, w.fact.Labels) {
				continue
			}
			matched++
			if w.fact.Datastore && store == nil {
				store = w
			} else if !w.fact.Datastore {
				store = nil
				break
			}
		}
		if store == nil || matched == 0 || engineOfImage(store.fact.Image) == "" {
			continue
		}
		addK8s(&storeHost{base: s.Name, engine: engineOfImage(store.fact.Image), project: store.project,
			workload: store.fact.Name, pos: store.fact.Pos}, s.Namespace)
	}
	// A name defined in several compose files, or several namespaces, names
	// several datastores: qualify it.
	projects := map[string]map[string]bool{}
	for _, h := range all {
		key := fmt.Sprintf("%s\x00%v", h.base, h.compose)
		if projects[key] == nil {
			projects[key] = map[string]bool{}
		}
		projects[key][h.project] = true
	}
	for _, h := range all {
		h.canonical = h.base
		if len(projects[fmt.Sprintf("%s\x00%v", h.base, h.compose)]) > 1 {
			if h.compose {
				h.canonical = h.base + "@" + h.project
			} else {
				h.canonical = h.base + "." + strings.TrimPrefix(h.project, "namespace:")
			}
		}
	}
	return t
}

func selects(selector, labels map[string]string) bool {
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// lookup resolves a host seen in project (a compose file or namespace) by a
// service running in svcProjects. strict limits the match to project.
func (t *hostTable) lookup(host, project string, svcProjects map[string]bool, strict bool) *storeHost {
	cands := t.byName[strings.TrimSuffix(host, ".")]
	if len(cands) == 0 {
		return nil
	}
	pick := func(keep func(*storeHost) bool) []*storeHost {
		var out []*storeHost
		for _, c := range cands {
			if keep(c) {
				out = append(out, c)
			}
		}
		return out
	}
	if same := pick(func(c *storeHost) bool { return c.project == project }); len(same) > 0 || strict {
		cands = same
	} else if mine := pick(func(c *storeHost) bool { return svcProjects[c.project] }); len(mine) > 0 {
		cands = mine
	}
	if len(cands) == 0 {
		return nil
	}
	for _, c := range cands[1:] {
		if c.canonical != cands[0].canonical {
			return nil
		}
	}
	return cands[0]
}

// resolveRefs turns raw references into facts: hosts resolved, engines and
// default ports filled in, guesses that reach no datastore dropped.
func (l *loader) resolveRefs(raws []rawRef, hosts *hostTable) ([]*facts.DatastoreRef, []*storeHost) {
	svcProjects := map[string]map[string]bool{}
	for _, w := range l.work {
		if w.fact.Service == "" {
			continue
		}
		if svcProjects[w.fact.Service] == nil {
			svcProjects[w.fact.Service] = map[string]bool{}
		}
		svcProjects[w.fact.Service][w.project] = true
	}
	type keyed struct {
		ref    *facts.DatastoreRef
		origin *storeHost
	}
	seen := map[string]bool{}
	var out []keyed
	// A host whose engine some reference states lends it to the references
	// that give only host and database (DB_HOST, db.name).
	hostEngines := map[string]map[string]bool{}
	for _, r := range raws {
		if r.d.engine != "" {
			if hostEngines[r.d.host] == nil {
				hostEngines[r.d.host] = map[string]bool{}
			}
			hostEngines[r.d.host][r.d.engine] = true
		}
	}
	for _, r := range raws {
		d := r.d
		if ext, ok := hosts.external[d.host]; ok {
			d.host = ext
		}
		h := hosts.lookup(d.host, r.project, svcProjects[r.service], false)
		switch {
		case h != nil:
			d.host, d.engine = h.canonical, firstNonEmpty(d.engine, h.engine)
		case r.needsStore:
			continue
		}
		if d.engine == "" {
			d.engine = enginePorts[d.port]
		}
		if e := hostEngines[r.d.host]; d.engine == "" && len(e) == 1 {
			d.engine = slices.Sorted(maps.Keys(e))[0]
		}
		if d.engine == "" {
			continue
		}
		if d.port == 0 {
			d.port = defaultPorts[d.engine]
		}
		if d.engine == "redis" && d.database == "" && r.source != "depends-on" {
			d.database = "0"
		}
		if d.engine == "postgres" && d.database == "" && d.user != "" {
			d.database = d.user // Postgres's default database is the role's name
		}
		ref := &facts.DatastoreRef{Service: r.service, Engine: d.engine, Host: d.host, Port: d.port,
			Database: d.database, Schema: d.schema, Display: d.display, Source: r.source, Key: r.key, Pos: r.pos,
			Local: isLoopback(d.host)}
		k := fmt.Sprintf("%s\x00%v\x00%s\x00%s\x00%s", ref.Service, ref.Pos, ref.Key, ref.Display, ref.Source)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, keyed{ref, h})
	}
	sort.SliceStable(out, func(i, j int) bool { return refLess(out[i].ref, out[j].ref) })
	refs := make([]*facts.DatastoreRef, len(out))
	origins := make([]*storeHost, len(out))
	for i, k := range out {
		refs[i], origins[i] = k.ref, k.origin
	}
	return refs, origins
}

func refLess(a, b *facts.DatastoreRef) bool {
	if a.Service != b.Service {
		return a.Service < b.Service
	}
	if a.Pos != b.Pos {
		return a.Pos.Less(b.Pos)
	}
	return a.Key < b.Key
}

// ServerID is the identity of a database server: engine://host:port.
func serverID(r *facts.DatastoreRef) string {
	return fmt.Sprintf("%s://%s:%d", r.Engine, r.Host, r.Port)
}

// graph builds the datastore nodes and the service→datastore edges. A
// reference that names only a server (depends_on, a bare host) joins the
// databases its service uses on that server, when there are any.
func graph(refs []*facts.DatastoreRef, origins []*storeHost) ([]*facts.Datastore, []*facts.DatastoreEdge) {
	dbsOf := map[string][]string{} // service + server → database node IDs
	for _, r := range refs {
		if r.Database != "" {
			id := serverID(r) + "/" + r.Database
			k := r.Service + "\x00" + serverID(r)
			if !contains(dbsOf[k], id) {
				dbsOf[k] = append(dbsOf[k], id)
			}
		}
	}
	nodes := map[string]*facts.Datastore{}
	edges := map[string]*facts.DatastoreEdge{}
	for i, r := range refs {
		targets := []string{serverID(r)}
		if r.Database != "" {
			targets = []string{serverID(r) + "/" + r.Database}
		} else if dbs := dbsOf[r.Service+"\x00"+serverID(r)]; r.Service != "" && len(dbs) > 0 {
			targets = dbs
		}
		r.Node = targets[0]
		for _, id := range targets {
			n := nodes[id]
			if n == nil {
				n = &facts.Datastore{ID: id, Engine: r.Engine, Host: r.Host, Port: r.Port, Server: serverID(r), Pos: r.Pos}
				if id != n.Server {
					n.Database = strings.TrimPrefix(id, n.Server+"/")
				}
				nodes[id] = n
			}
			if o := origins[i]; o != nil && n.Workload == "" {
				n.Workload, n.Pos = o.workload, o.pos
			}
			if r.Service == "" {
				continue
			}
			ek := r.Service + "\x00" + id
			e := edges[ek]
			if e == nil {
				e = &facts.DatastoreEdge{Service: r.Service, Datastore: id}
				edges[ek] = e
			}
			e.Evidence = append(e.Evidence, r.Pos)
			if !contains(e.Sources, r.Source) {
				e.Sources = append(e.Sources, r.Source)
			}
		}
	}
	var ns []*facts.Datastore
	for _, id := range slices.Sorted(maps.Keys(nodes)) {
		ns = append(ns, nodes[id])
	}
	var es []*facts.DatastoreEdge
	for _, k := range slices.Sorted(maps.Keys(edges)) {
		e := edges[k]
		sort.Strings(e.Sources)
		sort.SliceStable(e.Evidence, func(i, j int) bool { return e.Evidence[i].Less(e.Evidence[j]) })
		es = append(es, e)
	}
	return ns, es
}

// sqlEngines speak SQL tables; mongodb has collections.
var sqlEngines = map[string]bool{"postgres": true, "mysql": true, "sqlserver": true, "clickhouse": true, "oracle": true}

// attributeTables settles the database of each table reference: the only
// SQL database (or MongoDB database) its service references, preferring
// deployed hosts over loopback defaults. The schema of an unqualified name
// is the search_path of that reference, when one is given.
func attributeTables(hits []tableHit, refs []*facts.DatastoreRef) []*facts.TableRef {
	type dbInfo struct {
		ids     []string
		schemas map[string]map[string]bool // node → schemas
		servers []string                   // mongodb servers
	}
	byService := map[string][]*facts.DatastoreRef{}
	for _, r := range refs {
		byService[r.Service] = append(byService[r.Service], r)
	}
	pickFrom := func(service string, keep func(*facts.DatastoreRef) bool) dbInfo {
		var local, remote dbInfo
		for _, r := range byService[service] {
			if !keep(r) {
				continue
			}
			info := &remote
			if r.Local {
				info = &local
			}
			if info.schemas == nil {
				info.schemas = map[string]map[string]bool{}
			}
			if !contains(info.servers, serverID(r)) {
				info.servers = append(info.servers, serverID(r))
			}
			if r.Database == "" {
				continue
			}
			id := serverID(r) + "/" + r.Database
			if !contains(info.ids, id) {
				info.ids = append(info.ids, id)
			}
			if info.schemas[id] == nil {
				info.schemas[id] = map[string]bool{}
			}
			info.schemas[id][r.Schema] = true
		}
		if len(remote.servers) > 0 {
			return remote
		}
		return local
	}
	cache := map[string]dbInfo{}
	info := func(service, kind string) dbInfo {
		k := service + "\x00" + kind
		if v, ok := cache[k]; ok {
			return v
		}
		v := pickFrom(service, func(r *facts.DatastoreRef) bool {
			if kind == "collection" {
				return r.Engine == "mongodb"
			}
			return sqlEngines[r.Engine]
		})
		cache[k] = v
		return v
	}
	var out []*facts.TableRef
	seen := map[string]bool{}
	for _, h := range hits {
		t := h.ref
		if t.Service != "" {
			in := info(t.Service, t.Kind)
			switch {
			case t.Kind == "collection" && h.mongoDB != "" && len(in.servers) == 1:
				t.Database = in.servers[0] + "/" + h.mongoDB
			case t.Kind == "collection" && h.mongoDB != "":
			case len(in.ids) == 1:
				t.Database = in.ids[0]
				if t.Schema == "" && len(in.schemas[t.Database]) == 1 {
					for s := range in.schemas[t.Database] {
						t.Schema = s
					}
				}
			}
		}
		k := fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%s\x00%v", t.Service, t.Name, t.Schema, t.Op, t.Source, t.Pos)
		if seen[k] {
			continue
		}
		seen[k] = true
		tt := t
		out = append(out, &tt)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Pos != b.Pos {
			return a.Pos.Less(b.Pos)
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Op < b.Op
	})
	return out
}

// sortDataFacts puts the data facts in their stable order.
func sortDataFacts(repo *facts.Repo) {
	sort.SliceStable(repo.DatastoreRefs, func(i, j int) bool { return refLess(repo.DatastoreRefs[i], repo.DatastoreRefs[j]) })
	sort.SliceStable(repo.Datastores, func(i, j int) bool { return repo.Datastores[i].ID < repo.Datastores[j].ID })
	sort.SliceStable(repo.DatastoreEdges, func(i, j int) bool {
		a, b := repo.DatastoreEdges[i], repo.DatastoreEdges[j]
		if a.Service != b.Service {
			return a.Service < b.Service
		}
		return a.Datastore < b.Datastore
	})
	sort.SliceStable(repo.Migrations, func(i, j int) bool { return repo.Migrations[i].Dir < repo.Migrations[j].Dir })
}
