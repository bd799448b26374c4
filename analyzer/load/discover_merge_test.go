package load

import (
	"reflect"
	"testing"
)

// TestMergeJoinsTheFirstMade pins which service a candidate joins when
// several could take it: the one made first, by name prefix and by
// directory alike.
func TestMergeJoinsTheFirstMade(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cands []candidate
		want  map[string][]string // service -> reasons
	}{
		{"prefix", []candidate{
			{name: "a-b", root: "svc/ab", reason: "1"},
			{name: "a", root: "svc/a", reason: "2"},
			{name: "a-b-c", reason: "3", byPrefix: true},
			{name: "a_x", reason: "4", byPrefix: true},
			{name: "b-c", reason: "5", byPrefix: true},
		}, map[string][]string{"a-b": {"1", "3"}, "a": {"2", "4"}, "b-c": {"5"}}},
		{"directory", []candidate{
			{name: "inner", root: "svc/x/in", reason: "1"},
			{name: "outer", root: "svc/x", reason: "2"},
			{name: "late", root: "svc/x/in/deep", reason: "3"},
			{name: "other", root: "svc/xy", reason: "4"},
			{name: "top", root: "svc/x/z", reason: "5"},
		}, map[string][]string{"inner": {"1", "3"}, "outer": {"2", "5"}, "other": {"4"}}},
		{"prefix needs a directory or the same image, in any order", []candidate{
			{name: "shop", reason: "1", byPrefix: true, image: "acme/shop-api"},
			{name: "shop-ui", reason: "2", byPrefix: true, image: "acme/shop-ui"},
			{name: "shop-worker", reason: "3", byPrefix: true},
			{name: "shop-secondary", reason: "4", byPrefix: true, image: "acme/shop-api"},
		}, map[string][]string{"shop": {"1", "4"}, "shop-ui": {"2"}, "shop-worker": {"3"}}},
		{"other separators, root set later", []candidate{
			{name: "metadata-writer", reason: "1", byPrefix: true},
			{name: "metadata_writer", root: "backend/metadata_writer", reason: "2"},
		}, map[string][]string{"metadata-writer": {"1", "2"}}},
		{"the project's name in front", []candidate{
			{name: "webhook", root: "cmd/webhook", reason: "1"},
			{name: "scheduler", root: "cmd/scheduler", reason: "2"},
			{name: "shop-webhook", reason: "3", byPrefix: true},
			{name: "shop_scheduler", reason: "4", byPrefix: true},
			{name: "shop-ui", reason: "5", byPrefix: true},
		}, map[string][]string{"webhook": {"1", "3"}, "scheduler": {"2", "4"}, "shop-ui": {"5"}}},
		{"root set later", []candidate{
			{name: "a", reason: "1"},
			{name: "a", root: "svc/a", reason: "2"},
			{name: "b", root: "svc/a/b", reason: "3"},
		}, map[string][]string{"a": {"1", "2", "3"}}},
	} {
		got := map[string][]string{}
		for _, s := range merge(tc.cands, "shop") {
			got[s.Name] = s.DiscoveredBy
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestIsDatastoreImage: database images by their product's name, and
// images named for the role (user-db) are datastores; services whose
// names only contain "db" are not.
func TestIsDatastoreImage(t *testing.T) {
	for image, want := range map[string]bool{
		"postgres:16":                       true,
		"bitnami/redis@sha256:abc":          true,
		"weaveworksdemos/user-db:0.3.0":     true,
		"registry.example.com/orders_db":    true,
		"weaveworksdemos/catalogue:0.3.5":   false,
		"ghcr.io/acme/dbmigrator:1":         false,
		"ghcr.io/acme/db-proxy:1":           false,
		"ghcr.io/acme/orders-db-sync:1.0.0": false,
	} {
		if got := IsDatastoreImage(image); got != want {
			t.Errorf("IsDatastoreImage(%q) = %v, want %v", image, got, want)
		}
	}
}
