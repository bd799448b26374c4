package load_test

import (
	"testing"

	"github.com/decouplehq/decouple/rules/load"
	"github.com/decouplehq/decouple/rules/ruletest"
)

func TestUnreadableInput(t *testing.T) { ruletest.Run(t, load.UnreadableInput) }
