package load

import (
	"fmt"
	"strings"
	"testing"
)

func TestSQLTables(t *testing.T) {
	for sql, want := range map[string]string{
		"SELECT * FROM orders": "read orders@1",
		"select o.id from shop.orders o join public.customers c on c.id = o.cid":                "read shop.orders@1 read public.customers@1",
		"SELECT * FROM t1, b AS bb, c WHERE t1.x = bb.y":                                        "read t1@1 read b@1 read c@1",
		"INSERT INTO audit_log (x) SELECT x FROM events":                                        "write audit_log@1 read events@1",
		"UPDATE \"Accounts\" SET balance = 0":                                                   "write Accounts@1",
		"DELETE FROM sessions WHERE expires < now()":                                            "write sessions@1",
		"CREATE TABLE IF NOT EXISTS billing.invoices (id bigint REFERENCES orders(id))":         "create billing.invoices@1 read orders@1",
		"CREATE TEMP TABLE scratch (id int)":                                                    "",
		"ALTER TABLE ONLY orders ADD COLUMN note text":                                          "alter orders@1",
		"DROP TABLE IF EXISTS t1, t2":                                                           "alter t1@1 alter t2@1",
		"CREATE UNIQUE INDEX CONCURRENTLY idx ON orders (email)":                                "alter orders@1",
		"TRUNCATE TABLE carts":                                                                  "write carts@1",
		"WITH recent AS (SELECT * FROM orders) SELECT * FROM recent":                            "read orders@1",
		"SELECT EXTRACT(YEAR FROM created_at) FROM orders":                                      "read orders@1",
		"SELECT * FROM generate_series(1, 3)":                                                   "",
		"SELECT * FROM orders FOR UPDATE":                                                       "read orders@1",
		"INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2":                      "write t@1",
		"INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 2":                                "write t@1",
		"SELECT * FROM (SELECT 1) x":                                                            "",
		"SELECT a IS DISTINCT FROM b FROM t":                                                    "read t@1",
		"SELECT * FROM information_schema.tables JOIN pg_class ON true":                         "",
		"SELECT * FROM %s WHERE id = $1":                                                        "",
		"SELECT 'FROM fake' FROM real_one -- FROM comment\n/* FROM c */":                        "read real_one@1",
		"SELECT *\nFROM orders\nJOIN [dbo].[Lines] l ON 1=1":                                    "read orders@2 read dbo.Lines@3",
		"CREATE FUNCTION f() RETURNS void AS $$ DELETE FROM x $$ LANGUAGE sql; SELECT 1 FROM y": "read y@1",
	} {
		var got []string
		for _, tb := range sqlTables(sql) {
			name := tb.name
			if tb.schema != "" {
				name = tb.schema + "." + name
			}
			got = append(got, fmt.Sprintf("%s %s@%d", tb.op, name, tb.line))
		}
		if strings.Join(got, " ") != want {
			t.Errorf("sqlTables(%q) = %q, want %q", sql, strings.Join(got, " "), want)
		}
	}
}

func TestLooksLikeSQL(t *testing.T) {
	for s, want := range map[string]bool{
		"SELECT id FROM orders":           true,
		"select id from orders where x":   true,
		"INSERT INTO t VALUES (1)":        true,
		" FROM orders WHERE id = $1":      true,
		"(SELECT 1 FROM t)":               true,
		"select the best option from the": true,
		"Please select an item":           false,
		"delete the file":                 false,
		"update available":                false,
		"data from the API":               false,
		"postgres://db/shop":              false,
		"":                                false,
	} {
		if got := looksLikeSQL(s); got != want {
			t.Errorf("looksLikeSQL(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestSnakePlural(t *testing.T) {
	for in, want := range map[string]string{
		"Order": "orders", "OrderItem": "order_items", "Category": "categories", "Address": "addresses",
		"Key": "keys", "Box": "boxes", "HTTPLog": "httplogs",
	} {
		if got := snakePlural(in); got != want {
			t.Errorf("snakePlural(%q) = %q, want %q", in, got, want)
		}
	}
}
