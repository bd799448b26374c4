package load

import (
	"strings"
	"testing"
)

func TestParseDSN(t *testing.T) {
	for _, c := range []struct {
		in   string
		want dsn // display not compared here
		ok   bool
	}{
		{"postgres://u:p@db:5432/shop?sslmode=disable", dsn{engine: "postgres", host: "db", port: 5432, database: "shop"}, true},
		{"postgresql://u@DB/shop", dsn{engine: "postgres", host: "db", port: 5432, database: "shop"}, true},
		{"postgres://u:p@db/shop?search_path=billing,public", dsn{engine: "postgres", host: "db", port: 5432, database: "shop", schema: "billing"}, true},
		{"postgres:///shop?host=/var/run/postgresql", dsn{engine: "postgres", host: "localhost", port: 5432, database: "shop"}, true},
		{"host=db port=5433 dbname=shop user=u password='a b'", dsn{engine: "postgres", host: "db", port: 5433, database: "shop"}, true},
		{"dbname=shop sslmode=disable", dsn{engine: "postgres", host: "localhost", port: 5432, database: "shop"}, true},
		{"u:p@tcp(mysql:3307)/shop?parseTime=true", dsn{engine: "mysql", host: "mysql", port: 3307, database: "shop"}, true},
		{"u@tcp(mysql)/shop", dsn{engine: "mysql", host: "mysql", port: 3306, database: "shop"}, true},
		{"u:p@/shop", dsn{engine: "mysql", host: "localhost", port: 3306, database: "shop"}, true},
		{"mysql://u:p@mysql/shop", dsn{engine: "mysql", host: "mysql", port: 3306, database: "shop"}, true},
		{"mariadb://mysql:3306/shop", dsn{engine: "mysql", host: "mysql", port: 3306, database: "shop"}, true},
		{"mongodb://u:p@m1:27017,m2:27017/shop?replicaSet=rs0", dsn{engine: "mongodb", host: "m1", port: 27017, database: "shop"}, true},
		{"mongodb+srv://u:p@cluster0.example.net/shop", dsn{engine: "mongodb", host: "cluster0.example.net", port: 27017, database: "shop"}, true},
		{"redis://:p@cache:6380/2", dsn{engine: "redis", host: "cache", port: 6380, database: "2"}, true},
		{"rediss://cache", dsn{engine: "redis", host: "cache", port: 6379, database: "0"}, true},
		{"sqlserver://u:p@mssql:1433?database=shop", dsn{engine: "sqlserver", host: "mssql", port: 1433, database: "shop"}, true},
		{"Server=tcp:mssql,1433;Database=shop;User Id=u;Password=p;", dsn{engine: "sqlserver", host: "mssql", port: 1433, database: "shop"}, true},
		{"clickhouse://ch:9000/analytics", dsn{engine: "clickhouse", host: "ch", port: 9000, database: "analytics"}, true},
		{"jdbc:postgresql://db:5432/shop?currentSchema=billing", dsn{engine: "postgres", host: "db", port: 5432, database: "shop", schema: "billing"}, true},
		{"jdbc:mysql://mysql/shop?user=u&password=p", dsn{engine: "mysql", host: "mysql", port: 3306, database: "shop"}, true},
		{"jdbc:sqlserver://mssql:1433;databaseName=shop;user=u;password=p", dsn{engine: "sqlserver", host: "mssql", port: 1433, database: "shop"}, true},
		{"jdbc:oracle:thin:@ora:1521/ORCL", dsn{engine: "oracle", host: "ora", port: 1521, database: "ORCL"}, true},
		{"postgres://u:p@${DB_HOST}:5432/shop", dsn{}, false},
		{"postgres://%s:%s@%s/%s", dsn{}, false},
		{"postgres://u:p@db/${DB_NAME}", dsn{engine: "postgres", host: "db", port: 5432}, true},
		{"postgres://app:s3cret@db:5432", dsn{engine: "postgres", host: "db", port: 5432, user: "app"}, true},
		{"postgres://db:5432/?user=app&sslmode=disable", dsn{engine: "postgres", host: "db", port: 5432, user: "app"}, true},
		{"postgres://${PG_USER}:p@db", dsn{engine: "postgres", host: "db", port: 5432}, true},
		{"host=db user=app sslmode=disable", dsn{engine: "postgres", host: "db", port: 5432, user: "app"}, true},
		{"postgres://[::1]:-432/x", dsn{engine: "postgres", host: "::1", port: 5432, database: "x"}, true},
		{"host=db port=70000 dbname=shop", dsn{engine: "postgres", host: "db", port: 5432, database: "shop"}, true},
		{"https://example.com/db", dsn{}, false},
		{"SELECT * FROM orders WHERE a = 1", dsn{}, false},
		{"key=value other=thing", dsn{}, false},
		{"", dsn{}, false},
	} {
		got, ok := parseDSN(c.in)
		got.display = ""
		if ok != c.ok || got != c.want {
			t.Errorf("parseDSN(%q) = %+v, %v; want %+v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:hunter2@db:5432/shop":                "postgres://u:***@db:5432/shop",
		"postgres://u:p@ss/w@rd@db/shop":                   "postgres://u:***@db/shop",
		"redis://:hunter2@cache:6379/0":                    "redis://:***@cache:6379/0",
		"postgres://u@db/shop":                             "postgres://u@db/shop",
		"host=db password=hunter2 dbname=shop":             "host=db password=*** dbname=shop",
		"host=db password='a b c' dbname=shop":             "host=db password=*** dbname=shop",
		"host=db password='a b'c dbname=shop":              "host=db password=*** dbname=shop",
		`Server=h;Pwd="x"0;Database=d`:                     "Server=h;Pwd=***;Database=d",
		"u:hunter2@tcp(db:3306)/shop":                      "u:***@tcp(db:3306)/shop",
		"jdbc:mysql://db/shop?user=u&password=hunter2&x=1": "jdbc:mysql://db/shop?user=u&password=***&x=1",
		"Server=db;Database=shop;Password=hunter2;":        "Server=db;Database=shop;Password=***;",
		"a=1 url=postgres://u:pw@h/db b=2":                 "a=1 url=postgres://u:***@h/db b=2",
		"postgres://app://00@db:5432/shop":                 "postgres://app:***@db:5432/shop",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
	for name, want := range map[string]bool{
		"DB_PASSWORD": true, "PGPASSWORD": true, "apiKey": true, "JWT_SECRET": true, "GITHUB_TOKEN": true,
		"DB_HOST": false, "DATABASE_URL": false, "KEYSPACE": false, "MONKEY": false,
	} {
		if got := isSecretName(name); got != want {
			t.Errorf("isSecretName(%q) = %v, want %v", name, got, want)
		}
	}
	if got := redactEnv("DB_PASSWORD", "hunter2", "literal"); got != redacted {
		t.Errorf("redactEnv(DB_PASSWORD) = %q", got)
	}
	if got := redactEnv("DB_HOST", "db", "secret:db"); got != redacted {
		t.Errorf("redactEnv from a Secret = %q", got)
	}
	if got := redactEnv("URL", "postgres://u:pw@h/db", "secret:db"); got != "postgres://u:***@h/db" {
		t.Errorf("redactEnv of a DSN from a Secret = %q", got)
	}
}

// FuzzParseDSN checks that the parser never panics, that what it accepts
// is a usable identity, and that the display form never holds the
// password of a URL DSN.
func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{
		"postgres://u:p@db:5432/shop?sslmode=disable", "host=db port=5432 dbname=shop password=x",
		"u:p@tcp(db:3306)/shop", "mongodb+srv://u:p@c.example.net/shop", "redis://:p@cache:6379/1",
		"jdbc:postgresql://db/shop?password=p", "jdbc:oracle:thin:@ora:1521:SID", "Server=tcp:h,1433;Database=d;Password=p",
		"sqlserver://u:p@h?database=d", "clickhouse://h/d", "postgres://[::1]:5432/x", "u:p@/db", "tcp()/x",
		"postgres://u:p@@h/d", "postgres://:@/", "jdbc:sqlserver://h;databaseName=", "host='' dbname=''",
		"HOSTADDR=10.0.0.1 DBName=x", "SELECT * FROM t WHERE a = $1",
	} {
		f.Add(s, "Pw-Fuzz-Secret")
	}
	f.Fuzz(func(t *testing.T, s, pw string) {
		if d, ok := parseDSN(s); ok {
			if d.engine == "" || d.port <= 0 || !validHost(d.host) {
				t.Fatalf("parseDSN(%q) accepted an unusable identity %+v", s, d)
			}
		}
		looksLikeDSN(s)
		if _, ok := parseLibpqPairs(s); ok && !mayBeLibpq(s) {
			t.Fatalf("mayBeLibpq(%q) turned away a libpq string", s)
		}
		if r := redact(s); redact(r) != r {
			t.Fatalf("redact is not idempotent on %q: %q then %q", s, r, redact(r))
		}
		if len(pw) < 4 || strings.ContainsAny(pw, " \t\r\n\"'`:") {
			return
		}
		u := "postgres://app:" + pw + "@db:5432/shop"
		if strings.Count(u, pw) != 1 {
			return
		}
		if d, ok := parseDSN(u); ok && strings.Contains(d.display, pw) {
			t.Fatalf("display of %q holds the password: %q", u, d.display)
		}
		if strings.Contains(redact(u), pw) {
			t.Fatalf("redact(%q) holds the password", u)
		}
	})
}
