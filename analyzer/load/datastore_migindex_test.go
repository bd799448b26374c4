package load

import (
	"testing"

	"github.com/decouplehq/decouple/analyzer/facts"
)

func TestMigrationIndexMatch(t *testing.T) {
	dirs := map[string]*facts.MigrationDir{}
	for _, p := range []string{"db/migrations", "db/seeds", "services/orders/migrations", "services/orders-v2/migrations"} {
		dirs[p] = &facts.MigrationDir{Dir: p}
	}
	ix := newMigrationIndex(dirs)
	cases := []struct {
		bases []string
		p     string
		loose bool
		want  string
	}{
		{[]string{""}, "db/migrations/", false, "db/migrations"},
		{[]string{""}, "db", false, "db/migrations"}, // the first folder inside, in path order
		{[]string{"services"}, "orders", false, "services/orders/migrations"},
		{[]string{""}, "services/orders", false, "services/orders/migrations"}, // not orders-v2
		{[]string{""}, "services/order", false, ""},
		{[]string{"services/orders"}, "migrations/*.sql", false, "services/orders/migrations"},
		{[]string{""}, "db/${DIR}", false, ""},
		{[]string{"cmd/api"}, "../../orders/migrations", true, "services/orders/migrations"}, // loose: the end of a path
		{[]string{"cmd/api"}, "migrations", true, ""},                                        // one part is not enough
		{[]string{"x"}, "../../..", false, ""},
	}
	for _, c := range cases {
		got := ""
		if d := ix.match(c.bases, c.p, c.loose); d != nil {
			got = d.Dir
		}
		if got != c.want {
			t.Errorf("match(%v, %q, %v) = %q, want %q", c.bases, c.p, c.loose, got, c.want)
		}
	}
}
