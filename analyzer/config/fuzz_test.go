package config_test

import (
	"testing"

	"github.com/decouplehq/decouple/analyzer/config"
)

// FuzzParse checks that no config, however broken, panics the parser, and
// that every accepted config yields a policy.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"version: 1\n",
		"version: 1\nservices:\n  - name: a\n    path: a\nrules:\n  use: [standard]\n  severity: {API102: warning}\n",
		"version: 1\nrules:\n  ignore_only: {API102: [x/**]}\n",
		"version: [1\n",
		"a: &a [*a]\n",
		"version: 1\nexclude: 3\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		cfg, err := config.Parse("c.yaml", []byte(src))
		if err != nil {
			return
		}
		if _, err := cfg.Policy(nil); err != nil {
			t.Fatalf("accepted config gives no policy: %v", err)
		}
	})
}
