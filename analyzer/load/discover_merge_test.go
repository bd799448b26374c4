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
		{"root set later", []candidate{
			{name: "a", reason: "1"},
			{name: "a", root: "svc/a", reason: "2"},
			{name: "b", root: "svc/a/b", reason: "3"},
		}, map[string][]string{"a": {"1", "2", "3"}}},
	} {
		got := map[string][]string{}
		for _, s := range merge(tc.cands) {
			got[s.Name] = s.DiscoveredBy
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
