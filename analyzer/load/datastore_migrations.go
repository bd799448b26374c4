package load

import (
	"bytes"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer/facts"
)

var (
	migrateFile = regexp.MustCompile(`^\d+_.+\.(up|down)\.sql$`)
	flywayFile  = regexp.MustCompile(`^[VUR]\d+(?:[._]\d+)*__.+\.sql$`)
	numberedSQL = regexp.MustCompile(`^\d+[_\-].+\.sql$`)
)

// findMigrations detects migration folders: golang-migrate
// (N_name.up.sql), goose (-- +goose Up), dbmate (-- migrate:up), flyway
// (V1__name.sql), atlas (atlas.sum), sqlc schema paths, and folders named
// migrations holding SQL.
func (l *loader) findMigrations() map[string]*facts.MigrationDir {
	dirs := map[string]*facts.MigrationDir{}
	for _, dir := range slices.Sorted(maps.Keys(l.byDir)) {
		if ignoredForData(dir + "/") {
			continue
		}
		var sqls []*input
		for _, in := range l.byDir[dir] {
			if in.kind == kindSQL {
				sqls = append(sqls, in)
			}
		}
		if len(sqls) == 0 {
			continue
		}
		tool := ""
		for _, in := range sqls {
			base := path.Base(in.path)
			switch {
			case bytes.Contains(in.data, []byte("+goose Up")) || bytes.Contains(in.data, []byte("+goose up")):
				tool = "goose"
			case bytes.Contains(in.data, []byte("-- migrate:up")):
				tool = "dbmate"
			case migrateFile.MatchString(base):
				tool = firstNonEmpty(tool, "golang-migrate")
			case flywayFile.MatchString(base):
				tool = firstNonEmpty(tool, "flyway")
			case numberedSQL.MatchString(base) && strings.Contains(strings.ToLower(dir), "migrat"):
				tool = firstNonEmpty(tool, "sql")
			}
		}
		if l.skippedAs(joinRel(dir, "atlas.sum"), "not an input decouple reads") || l.hasInput(joinRel(dir, "atlas.sum")) {
			tool = "atlas"
		}
		if tool == "" && (path.Base(dir) == "migrations" || path.Base(dir) == "migrate") {
			tool = "sql"
		}
		if tool == "" {
			continue
		}
		first := sqls[0]
		for _, in := range sqls {
			if !strings.HasSuffix(in.path, ".down.sql") {
				first = in
				break
			}
		}
		dirs[dir] = &facts.MigrationDir{Dir: dir, Tool: tool, Pos: facts.Position{File: first.path, Line: 1}}
	}
	for _, sc := range l.sqlcConfigs() {
		for _, p := range sc.schemas {
			if dirs[p.dir] == nil {
				dirs[p.dir] = &facts.MigrationDir{Dir: p.dir, Tool: "sqlc", Pos: p.first}
			}
		}
	}
	for _, d := range dirs {
		d.Service = l.serviceOf(d.Dir + "/x")
		if d.Service != "" {
			d.Users = append(d.Users, facts.MigrationUse{Service: d.Service, How: "owner", Pos: d.Pos})
		}
	}
	return dirs
}

// sqlcConfig is one sqlc.yaml with the schema paths it compiles against.
type sqlcConfig struct {
	in      *input
	service string
	schemas []sqlcSchema
}

type sqlcSchema struct {
	dir   string // the folder, or the file, holding the schema
	first facts.Position
	pos   facts.Position // where sqlc.yaml names it
}

// sqlcConfigs reads sqlc.yaml / sqlc.json (version 1 packages and version 2
// sql entries).
func (l *loader) sqlcConfigs() []sqlcConfig {
	var out []sqlcConfig
	for _, d := range l.docs {
		base := strings.ToLower(path.Base(d.in.path))
		if !strings.HasPrefix(base, "sqlc.") || ignoredForData(d.in.path) {
			continue
		}
		sc := sqlcConfig{in: d.in, service: l.serviceOf(d.in.path)}
		for _, key := range []string{"sql", "packages"} {
			for _, entry := range items(get(d.root, key)) {
				schema := get(entry, "schema")
				nodes := items(schema)
				if schema != nil && schema.Kind == yaml.ScalarNode {
					nodes = []*yaml.Node{schema}
				}
				for _, n := range nodes {
					p := cleanDir(path.Join(path.Dir(d.in.path), scalar(n)))
					first := l.firstSQL(p)
					if first.File == "" {
						continue
					}
					// a single schema file stands for its own folder
					sc.schemas = append(sc.schemas, sqlcSchema{dir: p, first: first, pos: at(d, n)})
				}
			}
		}
		out = append(out, sc)
	}
	return out
}

// firstSQL returns the first SQL file at p (a file, or a folder's first).
func (l *loader) firstSQL(p string) facts.Position {
	if in := l.byPath[p]; in != nil && in.kind == kindSQL {
		return facts.Position{File: p, Line: 1}
	}
	for _, in := range l.byDir[p] {
		if in.kind == kindSQL {
			return facts.Position{File: in.path, Line: 1}
		}
	}
	return facts.Position{}
}

// inMigrationDir returns the migration folder holding a file, or nil.
func inMigrationDir(dirs map[string]*facts.MigrationDir, file string) *facts.MigrationDir {
	if d := dirs[file]; d != nil {
		return d
	}
	return dirs[path.Dir(file)]
}

// migrationUsers records who applies each folder: Go code naming its path
// (migrate.New("file://..."), goose.Up(db, "...")), Dockerfiles copying it,
// compose services mounting it, sqlc configs compiling against it, and
// Makefiles inside a service naming it.
func (l *loader) migrationUsers(dirs map[string]*facts.MigrationDir, goPaths map[string][]pathHit) {
	if len(dirs) == 0 {
		return
	}
	ix := newMigrationIndex(dirs)
	add := func(dir *facts.MigrationDir, svc, how string, pos facts.Position) {
		if dir == nil || svc == "" {
			return
		}
		for _, u := range dir.Users {
			if u.Service == svc && u.How == how && u.Pos == pos {
				return
			}
		}
		dir.Users = append(dir.Users, facts.MigrationUse{Service: svc, How: how, Pos: pos})
	}
	for _, file := range slices.Sorted(maps.Keys(goPaths)) {
		svc := l.serviceOf(file)
		root := ""
		if s := l.serviceByName(svc); s != nil {
			root = s.Root
		}
		for _, h := range goPaths[file] {
			p := strings.TrimPrefix(h.value, "file://")
			add(ix.match([]string{path.Dir(file), root, ""}, p, true), svc, "go-code", h.pos)
		}
	}
	for _, sc := range l.sqlcConfigs() {
		for _, s := range sc.schemas {
			add(dirs[s.dir], sc.service, "sqlc", s.pos)
		}
	}
	for _, w := range l.work {
		for _, m := range w.fact.Mounts {
			if m.Bind && m.Source != "" {
				add(ix.match([]string{""}, m.Source, false), w.fact.Service, "compose-mount", m.Pos)
			}
		}
	}
	builds := map[string][]int{} // workloads by build context
	for i, w := range l.work {
		if w.fact.Build != "" {
			builds[w.fact.Build] = append(builds[w.fact.Build], i)
		}
	}
	var inputDirs map[string]bool // every folder holding a file, made for the first Dockerfile
	for _, in := range l.inputs {
		switch in.kind {
		case kindDockerfile:
			if inputDirs == nil {
				inputDirs = l.dirSet()
				for _, sk := range l.repo.Skipped { // files and folders decouple does not read are there too
					d := path.Dir(sk.File)
					if strings.HasSuffix(sk.File, "/") {
						d = strings.TrimSuffix(sk.File, "/")
					}
					for ; d != "." && !inputDirs[d]; d = path.Dir(d) {
						inputDirs[d] = true
					}
				}
			}
			l.dockerfileUsers(in, ix, builds, inputDirs, add)
		case kindMakefile:
			svc := l.serviceOf(in.path)
			if svc == "" {
				continue
			}
			for i, ln := range strings.Split(string(in.data), "\n") {
				for _, f := range strings.Fields(ln) {
					f = strings.Trim(f, `"'`)
					if strings.Contains(f, "/") || strings.Contains(f, "migrat") {
						pos := facts.Position{File: in.path, Line: i + 1}
						add(ix.match([]string{path.Dir(in.path)}, strings.TrimPrefix(f, "file://"), false), svc, "makefile", pos)
					}
				}
			}
		}
	}
	for _, d := range dirs {
		sort.SliceStable(d.Users, func(i, j int) bool {
			a, b := d.Users[i], d.Users[j]
			if a.Service != b.Service {
				return a.Service < b.Service
			}
			return a.Pos.Less(b.Pos)
		})
	}
}

// dockerfileUsers reads the COPY and ADD sources of a Dockerfile, relative
// to every build context that uses it, its own folder and the root. A
// source that is a folder or file beside the Dockerfile (COPY ./src ./src
// in src/cart/Dockerfile) is read there only: the folder is the build
// context, and the root's src/ is not what it copies.
func (l *loader) dockerfileUsers(in *input, ix *migrationIndex, builds map[string][]int, inputDirs map[string]bool,
	add func(*facts.MigrationDir, string, string, facts.Position)) {
	svc := l.serviceOf(in.path)
	bases := []string{path.Dir(in.path), ""}
	// The workloads built from a context holding the Dockerfile: "." or the
	// Dockerfile's folder or one of its parents, in workload order.
	var users []int
	dir := path.Dir(in.path)
	users = append(users, builds["."]...)
	for d := dir; d != "." && d != "/" && d != ""; d = path.Dir(d) {
		users = append(users, builds[d]...)
	}
	slices.Sort(users)
	for _, i := range users {
		w := l.work[i]
		if w.fact.Dockerfile != "" && w.fact.Dockerfile != in.path {
			continue // built from that context with another Dockerfile
		}
		bases = append(bases, w.fact.Build)
		if svc == "" {
			svc = w.fact.Service
		}
	}
	if svc == "" {
		return
	}
	for i, ln := range strings.Split(string(in.data), "\n") {
		f := strings.Fields(ln)
		if len(f) < 3 || (!strings.EqualFold(f[0], "COPY") && !strings.EqualFold(f[0], "ADD")) {
			continue
		}
		args := f[1:]
		skip := false
		var srcs []string
		for _, a := range args[:len(args)-1] {
			if strings.HasPrefix(a, "--from") {
				skip = true
			}
			if !strings.HasPrefix(a, "--") {
				srcs = append(srcs, strings.Trim(a, `[]",`))
			}
		}
		if skip {
			continue
		}
		for _, s := range srcs {
			if s == "." || s == "./" || s == "" {
				continue
			}
			from := bases
			if local := cleanDir(path.Join(dir, s)); dir != "." && !strings.HasPrefix(local, "..") &&
				(inputDirs[local] || l.byPath[local] != nil) {
				from = []string{dir}
			}
			add(ix.match(from, s, false), svc, "dockerfile", facts.Position{File: in.path, Line: i + 1})
		}
	}
}

// migrationIndex is the migration folders, with their paths sorted once.
type migrationIndex struct {
	dirs map[string]*facts.MigrationDir
	keys []string // sorted
}

func newMigrationIndex(dirs map[string]*facts.MigrationDir) *migrationIndex {
	return &migrationIndex{dirs: dirs, keys: slices.Sorted(maps.Keys(dirs))}
}

// match resolves p against each base and returns the migration folder it
// is, or holds. When loose is set (a path in code, relative to a working
// directory nobody knows), a path of two or more parts also matches the end
// of a folder's path.
func (ix *migrationIndex) match(bases []string, p string, loose bool) *facts.MigrationDir {
	p = strings.TrimSuffix(strings.TrimSpace(p), "/")
	if p == "" || strings.ContainsAny(p, "*?%{}$") && !strings.HasSuffix(p, "*.sql") {
		return nil
	}
	p = strings.TrimSuffix(p, "/*.sql")
	for _, b := range bases {
		c := cleanDir(path.Join(b, p))
		if c == "" || strings.HasPrefix(c, "..") {
			continue
		}
		if d := ix.dirs[c]; d != nil {
			return d
		}
		// The first folder, in path order, inside c.
		if i, _ := slices.BinarySearch(ix.keys, c+"/"); i < len(ix.keys) && strings.HasPrefix(ix.keys[i], c+"/") {
			return ix.dirs[ix.keys[i]]
		}
	}
	if loose {
		trimmed := p
		for strings.HasPrefix(trimmed, "../") || strings.HasPrefix(trimmed, "./") {
			trimmed = strings.TrimPrefix(strings.TrimPrefix(trimmed, "../"), "./")
		}
		if strings.Count(trimmed, "/") >= 1 {
			for _, k := range ix.keys {
				if k == trimmed || strings.HasSuffix(k, "/"+trimmed) {
					return ix.dirs[k]
				}
			}
		}
	}
	return nil
}
