package load

import (
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// rawRef is a datastore reference before its host is resolved. It holds no
// credential: d.display is already redacted.
type rawRef struct {
	service string
	d       dsn
	source  string
	key     string
	pos     facts.Position
	// project is the compose file or Kubernetes namespace the reference was
	// found in ("" for files and code).
	project string
	// needsStore marks references guessed from key names that say nothing
	// of a database (SERVICE_HOST + SERVICE_NAME): they count only when the
	// host turns out to run a datastore.
	needsStore bool
}

// setting is one named value: an environment variable or a flattened
// config key.
type setting struct {
	name, value string
	pos         facts.Position
}

// Roles a setting can play in a host/port/database group, by the last word
// of its name.
var settingRoles = map[string]string{
	"HOST": "host", "HOSTNAME": "host", "SERVER": "host", "ADDR": "host", "ADDRESS": "host",
	"ENDPOINT": "host", "URL": "host", "URI": "host", "PORT": "port",
	"NAME": "database", "DB": "database", "DATABASE": "database", "DBNAME": "database",
	"SCHEMA": "schema", "SEARCHPATH": "schema", "USER": "user", "USERNAME": "user",
}

// storeWords are name parts that say a group is about a datastore, with the
// engine they imply ("" when they imply none).
var storeWords = map[string]string{
	"DB": "", "DATABASE": "", "SQL": "", "DATASOURCE": "", "RDS": "", "STORE": "", "CACHE": "",
	"PG": "postgres", "POSTGRES": "postgres", "POSTGRESQL": "postgres", "PSQL": "postgres",
	"AURORA": "", "COCKROACH": "postgres", "MYSQL": "mysql", "MARIADB": "mysql",
	"MONGO": "mongodb", "MONGODB": "mongodb", "REDIS": "redis", "VALKEY": "redis", "KEYDB": "redis",
	"MSSQL": "sqlserver", "SQLSERVER": "sqlserver", "CLICKHOUSE": "clickhouse",
	"CASSANDRA": "cassandra", "SCYLLA": "cassandra", "ORACLE": "oracle",
}

// enginePorts guesses an engine from a well-known port.
var enginePorts = map[int]string{
	5432: "postgres", 26257: "postgres", 3306: "mysql", 27017: "mongodb", 6379: "redis",
	1433: "sqlserver", 9000: "clickhouse", 8123: "clickhouse", 1521: "oracle", 9042: "cassandra",
}

// nameWords splits DB_HOST, db.host, dbHost, PGHOST into upper-case words.
func nameWords(name string) []string {
	words := strings.FieldsFunc(camelToSnake(name), func(r rune) bool {
		return r == '_' || r == '.' || r == '-' || r == '/' || r == ' '
	})
	for i, w := range words {
		words[i] = strings.ToUpper(w)
	}
	if len(words) == 1 && strings.HasPrefix(words[0], "PG") && len(words[0]) > 2 {
		return []string{"PG", words[0][2:]}
	}
	if n := len(words); n >= 2 && words[n-2] == "SEARCH" && words[n-1] == "PATH" {
		words = append(words[:n-2], "SEARCHPATH")
	}
	return words
}

// refsFromSettings finds the datastore references in a set of settings:
// every value that is a connection string, and every group of settings
// sharing a prefix that gives a host (DB_HOST, DB_PORT, DB_NAME; db.host,
// db.name; PGHOST, PGDATABASE).
func refsFromSettings(settings []setting, service, source, project string) []rawRef {
	var out []rawRef
	type group struct {
		host, port, database, schema, user setting
		words                              []string
	}
	groups := map[string]*group{}
	urls := map[string]int{} // the key prefix of each connection string without a database, to its index in out
	for _, s := range settings {
		if d, ok := parseDSN(s.value); ok {
			if words := nameWords(s.name); d.database == "" && len(words) >= 2 {
				urls[strings.Join(words[:len(words)-1], "_")] = len(out)
			}
			out = append(out, rawRef{service: service, d: d, source: source, key: s.name, pos: s.pos, project: project})
			continue
		}
		words := nameWords(s.name)
		if len(words) < 2 {
			continue
		}
		last := words[len(words)-1]
		role := settingRoles[last]
		if role == "" || strings.TrimSpace(s.value) == "" || (last == "URL" || last == "URI") && strings.Contains(s.value, "://") {
			continue // a URL of another scheme (http://) is no host of a datastore; MYSQL_URL: mysql:3306 is
		}
		prefix := strings.Join(words[:len(words)-1], "_")
		g := groups[prefix]
		if g == nil {
			g = &group{words: words[:len(words)-1]}
			groups[prefix] = g
		}
		switch role {
		case "host":
			g.host = s
		case "port":
			g.port = s
		case "database":
			g.database = s
		case "schema":
			g.schema = s
		case "user":
			g.user = s
		}
	}
	// db.dbName and db.db_name split into db_db + name, and db.databaseName
	// into db_database + name: the database belongs to the db group.
	for _, prefix := range slices.Sorted(maps.Keys(groups)) {
		g := groups[prefix]
		n := len(g.words)
		if g.host.name != "" || g.database.name == "" || n < 2 || g.words[n-1] != "DB" && g.words[n-1] != "DATABASE" {
			continue
		}
		if owner := groups[strings.Join(g.words[:n-1], "_")]; owner != nil && owner.database.name == "" {
			owner.database, g.database = g.database, setting{}
		}
	}
	for _, prefix := range slices.Sorted(maps.Keys(groups)) {
		g := groups[prefix]
		if i, ok := urls[prefix]; ok && g.host.name == "" && g.database.name != "" && validDatabase(g.database.value) {
			// mongo.uri: mongodb://mongo:27017 with mongo.database: products.
			out[i].d.database = strings.TrimSpace(g.database.value)
			continue
		}
		if g.host.name == "" {
			continue
		}
		host, port := splitHostPort(strings.TrimSpace(g.host.value))
		if !validHost(host) {
			continue
		}
		if p, err := strconv.Atoi(strings.TrimSpace(g.port.value)); err == nil && port == 0 {
			port = p
		}
		engine, store := "", false
		for _, w := range g.words {
			if e, ok := storeWords[w]; ok {
				store = true
				if e != "" {
					engine = e
				}
			}
		}
		d := dsn{engine: engine, host: host, port: port, database: strings.TrimSpace(g.database.value),
			schema: strings.TrimSpace(g.schema.value)}
		if !validDatabase(d.database) {
			d.database = ""
		}
		if u := strings.TrimSpace(g.user.value); g.database.name == "" && validDatabase(u) {
			d.user = u
		}
		d.display = groupDisplay(d)
		out = append(out, rawRef{service: service, d: d, source: source, key: g.host.name, pos: g.host.pos,
			project: project, needsStore: !store})
	}
	return out
}

// validDatabase reports whether a configured database name is a name, not
// a template or an expression.
func validDatabase(name string) bool {
	return !strings.ContainsAny(strings.TrimSpace(name), "${}%<> ")
}

// groupDisplay renders a host/port/database group as key=value text.
func groupDisplay(d dsn) string {
	parts := []string{"host=" + d.host}
	if d.port != 0 {
		parts = append(parts, "port="+strconv.Itoa(d.port))
	}
	if d.database != "" {
		parts = append(parts, "dbname="+d.database)
	} else if d.user != "" {
		parts = append(parts, "user="+d.user)
	}
	if d.schema != "" {
		parts = append(parts, "schema="+d.schema)
	}
	return strings.Join(parts, " ")
}

// envSettings turns a workload environment into settings.
func envSettings(env []envValue) []setting {
	out := make([]setting, 0, len(env))
	for _, e := range env {
		if e.from == "unresolved" && e.value == "" {
			continue
		}
		out = append(out, setting{name: e.name, value: e.value, pos: e.pos})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}
