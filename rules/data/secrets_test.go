package data_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/rules"
	"github.com/decouplehq/decouple/rules/ruletest"
)

func TestPasswordsNeverAppear(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("..", "..", "testdata", "secrets.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	passwords := ruletest.PlantedPasswords(t, ar)
	dir := t.TempDir()
	if err := ruletest.Extract(ar, dir); err != nil {
		t.Fatal(err)
	}
	repo, pol := ruletest.LoadDir(t, dir)
	pol.Use = []string{"all"}
	res, err := analyzer.Run(repo, rules.All(), pol)
	if err != nil {
		t.Fatal(err)
	}
	if len(repo.DatastoreRefs) < 15 || len(res.Findings) == 0 {
		t.Fatalf("the secrets repo found %d references and %d findings; the test would prove nothing",
			len(repo.DatastoreRefs), len(res.Findings))
	}
	var texts []string
	for _, f := range res.Findings {
		texts = append(texts, f.Message, f.Entity)
		for _, r := range f.Related {
			texts = append(texts, r.Message)
		}
	}
	texts = append(texts, ruletest.String(res.Findings))
	for _, v := range []any{repo, res.Findings} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	all := strings.Join(texts, "\n")
	for _, pw := range passwords {
		if strings.Contains(all, pw) {
			i := strings.Index(all, pw)
			t.Errorf("password %q leaked: ...%s...", pw, all[max(0, i-80):min(len(all), i+40)])
		}
	}
	// the repo's own files are still there: the secrets were read, not missed
	b, err := os.ReadFile(filepath.Join(dir, "compose.yaml"))
	if err != nil || !strings.Contains(string(b), "Pw-Compose-Url") {
		t.Fatalf("fixture not written: %v", err)
	}
}

// plantedPasswords reads the "passwords:" line of the fixture's header.
