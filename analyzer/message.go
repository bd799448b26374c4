package analyzer

import (
	"fmt"
	"strings"
)

// MessageNames is how many names a finding's message lists. The finding's
// Services and Related carry every one: a database shared by hundreds of
// services makes a message of a few lines, not of pages, in every format.
const MessageNames = 10

// ListNames joins names for a message, "a, b, c", with at most
// MessageNames of them and then how many more: "a, b, ..., j and 5 more".
func ListNames(names []string) string {
	if len(names) > MessageNames {
		return strings.Join(names[:MessageNames], ", ") + fmt.Sprintf(" and %d more", len(names)-MessageNames)
	}
	return strings.Join(names, ", ")
}
