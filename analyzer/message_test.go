package analyzer

import (
	"fmt"
	"testing"
)

func TestListNames(t *testing.T) {
	var names []string
	for i := range 13 {
		names = append(names, fmt.Sprintf("s%d", i))
	}
	for _, c := range []struct {
		n    int
		want string
	}{
		{0, ""}, {1, "s0"}, {3, "s0, s1, s2"},
		{10, "s0, s1, s2, s3, s4, s5, s6, s7, s8, s9"},
		{13, "s0, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 3 more"},
	} {
		if got := ListNames(names[:c.n]); got != c.want {
			t.Errorf("ListNames(%d names) = %q, want %q", c.n, got, c.want)
		}
	}
}
