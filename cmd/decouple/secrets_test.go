package main

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/decouplehq/decouple/reports"
	"github.com/decouplehq/decouple/rules/ruletest"
)

// TestPasswordsInNoFormat runs check, report (in every format) and services
// over a repository whose every datastore source holds a password, and
// asserts that none of the passwords reaches any output.
func TestPasswordsInNoFormat(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("..", "..", "testdata", "secrets.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	planted := ruletest.PlantedPasswords(t, ar)
	if len(planted) < 15 {
		t.Fatalf("only %d passwords planted in the fixture", len(planted))
	}
	dir := t.TempDir()
	if err := ruletest.Extract(ar, dir); err != nil {
		t.Fatal(err)
	}
	runs := [][]string{{"check", dir}, {"services", dir}}
	for _, f := range reports.Formats() {
		runs = append(runs, []string{"report", "--format", f, dir}, []string{"check", "--format", f, dir})
	}
	for _, args := range runs {
		_, out, errs := decouple(t, args...)
		if args[0] == "check" && len(args) == 2 && !strings.Contains(out, "DATA101") {
			t.Fatalf("the fixture no longer finds a shared database; the test would prove nothing:\n%s%s", out, errs)
		}
		for _, pw := range planted {
			if strings.Contains(out+errs, pw) {
				t.Errorf("decouple %s: password %q appears in the output", strings.Join(args[:len(args)-1], " "), pw)
			}
		}
	}
}

// plantedPasswords reads the "passwords:" line of the fixture's header.
