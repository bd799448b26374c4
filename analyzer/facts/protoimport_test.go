package facts

import "testing"

func TestResolveProtoImport(t *testing.T) {
	own := &ProtoFile{Path: "services/orders/proto/common/money.proto", Service: "orders"}
	shared := &ProtoFile{Path: "proto/common/money.proto"}
	other := &ProtoFile{Path: "services/billing/common/money.proto", Service: "billing"}
	from := &ProtoFile{Path: "services/orders/proto/orders.proto", Service: "orders"}
	exact := &ProtoFile{Path: "types.proto", Service: "billing"}
	near := &ProtoFile{Path: "xtypes.proto"}
	repo := &Repo{Protos: []*ProtoFile{other, shared, own, from, exact, near}}
	cases := []struct {
		from *ProtoFile
		imp  string
		want *ProtoFile
	}{
		{from, "common/money.proto", own},                                            // own service first
		{&ProtoFile{Path: "a.proto", Service: "cart"}, "common/money.proto", shared}, // then shared
		{&ProtoFile{Path: "a.proto", Service: "cart"}, "billing/common/money.proto", other},
		{from, "types.proto", exact},              // the whole path, not a suffix of another name
		{from, "money.proto", own},                // any suffix after a slash
		{from, "oney.proto", nil},                 // never part of a name
		{own, "proto/common/money.proto", shared}, // never the importer itself
		{from, "missing.proto", nil},
	}
	for _, c := range cases {
		if got := repo.ResolveProtoImport(c.from, c.imp); got != c.want {
			t.Errorf("ResolveProtoImport(%s, %q) = %v, want %v", c.from.Path, c.imp, got, c.want)
		}
	}
	// The index follows the slice: a proto added later is found.
	late := &ProtoFile{Path: "late/extra.proto"}
	repo.Protos = append(repo.Protos, late)
	if got := repo.ResolveProtoImport(from, "extra.proto"); got != late {
		t.Errorf("after append: got %v, want %v", got, late)
	}
}
