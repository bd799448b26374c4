package load

import (
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// dsn is a connection string normalised to the identity of a logical
// database. It never holds a credential; display is the redacted form.
type dsn struct {
	engine   string // postgres, mysql, mongodb, redis, sqlserver, clickhouse, oracle
	host     string // lower-case; the first host of a multi-host string
	port     int    // the engine's default when the string gives none
	database string
	schema   string
	display  string
	// user is the role it connects as, kept only when the string names
	// no database: Postgres then connects to the database of that name.
	user string
}

// The default port of each engine.
var defaultPorts = map[string]int{
	"postgres": 5432, "mysql": 3306, "mongodb": 27017, "redis": 6379,
	"sqlserver": 1433, "clickhouse": 9000, "oracle": 1521, "cassandra": 9042,
}

// schemeEngines maps URL schemes (and JDBC subprotocols) to engines.
var schemeEngines = map[string]string{
	"postgres": "postgres", "postgresql": "postgres", "pgx": "postgres", "cockroachdb": "postgres",
	"mysql": "mysql", "mariadb": "mysql",
	"mongodb": "mongodb", "mongodb+srv": "mongodb",
	"redis": "redis", "rediss": "redis", "valkey": "redis",
	"sqlserver": "sqlserver", "mssql": "sqlserver",
	"clickhouse": "clickhouse",
	"oracle":     "oracle",
}

// parseDSN normalises a connection string: a URL (postgres://, mysql://,
// mongodb+srv://, redis://, sqlserver://, clickhouse://, ...), a JDBC URL,
// a libpq key=value string, an ADO.NET string (Server=...;Database=...), or
// the go-sql-driver/mysql form user:pass@tcp(host:3306)/db. It reads
// nothing but s: no environment, no service file, no ~/.pgpass. ok is false
// when s is none of these or names no usable host.
func parseDSN(s string) (d dsn, ok bool) {
	// Every form below needs one of these: jdbc: and URLs a colon, the
	// go-sql-driver form "@" or "(", ADO and libpq strings "=". Most string
	// literals of a Go file have none and stop here.
	if !strings.ContainsAny(s, ":=@(") {
		return dsn{}, false
	}
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 4096 || strings.ContainsAny(s, "\n\r") {
		return dsn{}, false
	}
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "jdbc:"):
		d, ok = parseJDBC(s)
	case strings.Contains(s, "://"):
		d, ok = parseURLDSN(s)
	case (strings.Contains(s, ")/") || strings.Contains(s, "@/")) && mysqlForm.MatchString(s): // both forms hold one
		d, ok = parseMySQLDSN(s)
	case strings.Contains(s, ";") && strings.Contains(s, "="):
		d, ok = parseADO(s)
	case strings.Contains(s, "="):
		d, ok = parseLibpq(s)
	}
	if !ok || !validHost(d.host) {
		return dsn{}, false
	}
	if d.port < 0 || d.port > 65535 {
		d.port = 0 // not a port: treated as absent, like one that is not a number
	}
	if d.port == 0 {
		d.port = defaultPorts[d.engine]
	}
	if strings.ContainsAny(d.database, "${}%<> ") {
		d.database = ""
	}
	if strings.ContainsAny(d.schema, "${}%<> ") {
		d.schema = ""
	}
	d.display = redact(s)
	return d, true
}

// looksLikeDSN reports whether s is shaped like a connection string, even
// one whose parts are still templates.
func looksLikeDSN(s string) bool {
	s = strings.TrimSpace(s)
	lower := strings.ToLower(s)
	if i := strings.Index(lower, "://"); i > 0 {
		scheme := strings.TrimPrefix(lower[:i], "jdbc:")
		return schemeEngines[scheme] != ""
	}
	if strings.HasPrefix(lower, "jdbc:") {
		return true
	}
	if mysqlForm.MatchString(s) {
		return true
	}
	_, ok := parseLibpq(s)
	return ok
}

func parseURLDSN(s string) (dsn, bool) {
	i := strings.Index(s, "://")
	scheme := strings.ToLower(s[:i])
	engine := schemeEngines[scheme]
	if engine == "" {
		return dsn{}, false
	}
	rest := s[i+3:]
	// The authority runs to the first '/', '?' or '#' after the last '@'
	// (passwords may hold '/' or '@').
	at := strings.LastIndex(authorityPart(rest), "@")
	hostPart := rest[at+1:]
	end := strings.IndexAny(hostPart, "/?#")
	tail := ""
	if end >= 0 {
		hostPart, tail = hostPart[:end], hostPart[end:]
	}
	u, err := url.Parse(scheme + "://h" + tail)
	if err != nil {
		return dsn{}, false
	}
	q := u.Query()
	d := dsn{engine: engine}
	d.host, d.port = splitHostPort(firstHost(hostPart))
	if d.host == "" {
		d.host = strings.ToLower(q.Get("host"))
		if d.host == "" || strings.HasPrefix(d.host, "/") {
			d.host = "localhost"
		}
	}
	if p, err := strconv.Atoi(q.Get("port")); err == nil && d.port == 0 {
		d.port = p
	}
	db := strings.Trim(u.Path, "/")
	if dec, err := url.PathUnescape(db); err == nil {
		db = dec
	}
	switch engine {
	case "redis":
		if db == "" {
			db = firstNonEmpty(q.Get("db"), "0")
		}
	case "sqlserver":
		// sqlserver://host/instance?database=db
		db = firstNonEmpty(q.Get("database"), q.Get("databaseName"))
	case "clickhouse":
		db = firstNonEmpty(db, q.Get("database"), "default")
	case "postgres":
		d.schema = pgSchema(q.Get("search_path"), q.Get("currentSchema"), q.Get("options"))
		if at >= 0 && db == "" {
			user, _, _ := strings.Cut(rest[:at], ":")
			if dec, err := url.PathUnescape(user); err == nil && validDatabase(dec) {
				d.user = dec
			}
		}
		if db == "" {
			d.user = firstNonEmpty(d.user, q.Get("user"))
		}
	}
	if scheme == "mongodb+srv" && d.port == 0 {
		d.port = defaultPorts["mongodb"]
	}
	d.database = db
	return d, true
}

// authorityPart returns the part of rest that can hold user information:
// everything before the first blank.
func authorityPart(rest string) string {
	if i := strings.IndexFunc(rest, isBlankOrQuote); i >= 0 {
		rest = rest[:i]
	}
	// an '@' after the first '?' belongs to the query
	if q := strings.Index(rest, "?"); q >= 0 && !strings.Contains(rest[:q], "@") {
		return rest[:q]
	}
	return rest
}

// pgSchema reads a schema from search_path=, currentSchema= or
// options=-csearch_path=.
func pgSchema(searchPath, currentSchema, options string) string {
	if searchPath == "" && strings.Contains(options, "search_path=") {
		searchPath = options[strings.Index(options, "search_path=")+len("search_path="):]
		if i := strings.IndexAny(searchPath, " "); i >= 0 {
			searchPath = searchPath[:i]
		}
	}
	s := firstNonEmpty(searchPath, currentSchema)
	if i := strings.Index(s, ","); i >= 0 {
		s = s[:i]
	}
	return strings.Trim(strings.TrimSpace(s), `"`)
}

// jdbcOracle matches jdbc:oracle:thin:@host:port/service and @host:port:SID.
var jdbcOracle = regexp.MustCompile(`(?i)^jdbc:oracle:thin:@(?://)?([^:/]+)(?::(\d+))?[:/]([^?]+)`)

func parseJDBC(s string) (dsn, bool) {
	if m := jdbcOracle.FindStringSubmatch(s); m != nil {
		port, _ := strconv.Atoi(m[2])
		return dsn{engine: "oracle", host: strings.ToLower(m[1]), port: port, database: m[3]}, true
	}
	body := s[len("jdbc:"):]
	i := strings.Index(body, "://")
	if i < 0 {
		return dsn{}, false
	}
	sub := strings.ToLower(body[:i])
	engine := schemeEngines[sub]
	if engine == "" {
		return dsn{}, false
	}
	if engine == "sqlserver" {
		// jdbc:sqlserver://host:1433;databaseName=db;user=...
		rest := body[i+3:]
		parts := strings.Split(rest, ";")
		d := dsn{engine: engine}
		d.host, d.port = splitHostPort(strings.SplitN(parts[0], "\\", 2)[0])
		for _, p := range parts[1:] {
			k, v, _ := strings.Cut(p, "=")
			if k = strings.ToLower(strings.TrimSpace(k)); k == "databasename" || k == "database" {
				d.database = strings.TrimSpace(v)
			}
		}
		return d, d.host != ""
	}
	return parseURLDSN(sub + body[i:])
}

// mysqlForm matches the go-sql-driver/mysql DSN: [user[:pass]@]net(addr)/db
// or user[:pass]@/db.
var mysqlForm = regexp.MustCompile(`^(?:[^\s@]*@)?(?:tcp|tcp6|unix)?\([^)\s]*\)/[^\s/]*$|^[^\s@/]*@/[^\s/]*$`)

func parseMySQLDSN(s string) (dsn, bool) {
	at := mysqlAt(s)
	rest := s
	if at >= 0 {
		rest = s[at+1:]
	}
	d := dsn{engine: "mysql", host: "localhost"}
	if open := strings.Index(rest, "("); open >= 0 && strings.Index(rest, "/") > open {
		closeIdx := strings.Index(rest, ")")
		netw := rest[:open]
		addr := rest[open+1 : closeIdx]
		rest = rest[closeIdx+1:]
		if netw != "unix" && addr != "" {
			d.host, d.port = splitHostPort(addr)
		}
	}
	db := strings.TrimPrefix(rest, "/")
	if i := strings.Index(db, "?"); i >= 0 {
		db = db[:i]
	}
	d.database = db
	return d, true
}

// libpqKey matches one key=value pair of a libpq connection string.
var libpqKey = regexp.MustCompile(`([A-Za-z_]+)\s*=\s*('(?:[^'\\]|\\.)*'|\S*)`)

var libpqKnown = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "password": true,
	"sslmode": true, "options": true, "search_path": true, "connect_timeout": true, "application_name": true,
}

// parseLibpq parses host=db port=5432 dbname=shop ...: at least two known
// keys, one of them host or dbname, and no unknown words between them.
func parseLibpq(s string) (dsn, bool) {
	if !mayBeLibpq(s) {
		return dsn{}, false
	}
	return parseLibpqPairs(s)
}

// mayBeLibpq is parseLibpq's cheap first test. Keys are ASCII, compared
// lower-cased: without "host" or "dbname" in any case there is no host,
// hostaddr or dbname key. Most strings with an "=" (SQL, format strings)
// stop here, before the regexp.
func mayBeLibpq(s string) bool {
	return containsFoldASCII(s, "host") || containsFoldASCII(s, "dbname")
}

// parseLibpqPairs is parseLibpq without its first test.
func parseLibpqPairs(s string) (dsn, bool) {
	pairs := libpqKey.FindAllStringSubmatch(s, -1)
	if len(pairs) < 2 {
		return dsn{}, false
	}
	if strings.TrimSpace(libpqKey.ReplaceAllString(s, "")) != "" {
		return dsn{}, false
	}
	vals := map[string]string{}
	for _, p := range pairs {
		k := strings.ToLower(p[1])
		if !libpqKnown[k] {
			return dsn{}, false
		}
		vals[k] = strings.Trim(p[2], "'")
	}
	if vals["host"] == "" && vals["hostaddr"] == "" && vals["dbname"] == "" {
		return dsn{}, false
	}
	d := dsn{engine: "postgres"}
	d.host = strings.ToLower(firstNonEmpty(strings.Split(vals["host"], ",")[0], vals["hostaddr"], "localhost"))
	if strings.HasPrefix(d.host, "/") {
		d.host = "localhost"
	}
	d.port, _ = strconv.Atoi(strings.Split(vals["port"], ",")[0])
	d.database = vals["dbname"]
	if _, named := vals["dbname"]; !named {
		d.user = vals["user"]
	}
	d.schema = pgSchema(vals["search_path"], "", vals["options"])
	return d, true
}

// parseADO parses Server=tcp:host,1433;Database=db;User Id=...
func parseADO(s string) (dsn, bool) {
	d := dsn{engine: "sqlserver"}
	found := false
	for _, part := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "server", "data source", "address", "addr":
			v = strings.TrimPrefix(strings.TrimPrefix(v, "tcp:"), "TCP:")
			host, port, _ := strings.Cut(v, ",")
			d.host = strings.ToLower(strings.SplitN(host, "\\", 2)[0])
			d.port, _ = strconv.Atoi(port)
			found = true
		case "database", "initial catalog":
			d.database = v
		}
	}
	return d, found && d.host != ""
}

// firstHost returns the first host of a comma-separated host list.
func firstHost(hosts string) string {
	if i := strings.Index(hosts, ","); i >= 0 {
		return hosts[:i]
	}
	return hosts
}

// splitHostPort splits host[:port], [v6]:port; the host is lower-cased.
func splitHostPort(hp string) (string, int) {
	hp = strings.TrimSpace(hp)
	if h, p, err := net.SplitHostPort(hp); err == nil {
		port, _ := strconv.Atoi(p)
		return strings.ToLower(h), port
	}
	return strings.ToLower(strings.Trim(hp, "[]")), 0
}

// validHost accepts DNS names and IP addresses, nothing with template
// syntax in it.
func validHost(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	if net.ParseIP(h) != nil {
		return true
	}
	for i, r := range h {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_'
		if !ok || (i == 0 && (r == '.' || r == '-')) {
			return false
		}
	}
	return true
}

// isLoopback reports whether a host is this machine.
func isLoopback(h string) bool {
	if h == "localhost" || strings.HasSuffix(h, ".localhost") || h == "0.0.0.0" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// containsFoldASCII reports whether s holds the lower-case ASCII word w in
// any ASCII case.
func containsFoldASCII(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i]|0x20 == w[0] && asciiFoldEqual(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}
