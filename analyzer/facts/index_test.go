package facts

import "testing"

// TestServiceIndex checks that the index answers exactly as ServiceOf.
func TestServiceIndex(t *testing.T) {
	r := &Repo{Services: []*Service{
		{Name: "orders", Dirs: []string{"services/orders", "internal/orders"}},
		{Name: "billing", Dirs: []string{"services/billing"}},
		{Name: "ledger", Dirs: []string{"services/billing/ledger"}},
		{Name: "shadow", Dirs: []string{"services/orders"}}, // a tie: the first service wins
		{Name: "empty", Dirs: []string{""}},
		{Name: "orders", Dirs: []string{"legacy/orders"}}, // a second of a name: the first wins
	}}
	idx := r.NewServiceIndex()
	for _, p := range []string{
		"services/orders/main.go", "services/orders", "internal/orders/x/y.go", "services/ordersx/main.go",
		"services/billing/ledger/l.go", "services/billing/ledger", "services/billing/b.go", "services/billing",
		"go.mod", "", "services", "internal/ordersx", "services/billing/ledgerx/a.go",
	} {
		if got, want := idx.ServiceOf(p), r.ServiceOf(p); got != want {
			t.Errorf("ServiceOf(%q) = %q, Repo.ServiceOf says %q", p, got, want)
		}
	}
	for _, name := range []string{"orders", "billing", "ledger", "shadow", "empty", "", "nope"} {
		if got, want := idx.ServiceByName(name), r.ServiceByName(name); got != want {
			t.Errorf("ServiceByName(%q) = %p, Repo.ServiceByName says %p", name, got, want)
		}
	}
}
