package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/config"
	"github.com/decouplehq/decouple/analyzer/load"
)

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"unknown key", "version: 1\nrulez: {}\n", "c.yaml:2: field rulez is not a config key"},
		{"unknown nested key", "version: 1\nrules:\n  uze: [all]\n", "c.yaml:3: field uze is not a key of rules"},
		{"wrong type", "version: 1\nexclude: 3\n", "c.yaml:2: cannot unmarshal"},
		{"no version", "fail_on: error\n", "c.yaml:1: version must be 1, got 0"},
		{"bad fail_on", "version: 1\nfail_on: sometimes\n", "c.yaml:2: fail_on: unknown threshold"},
		{"bad severity", "version: 1\nrules:\n  severity:\n    API102: fatal\n", "c.yaml:4: unknown severity"},
		{"nameless service", "version: 1\nservices:\n  - path: a\n", "c.yaml:3: service without a name"},
		{"escaping service", "version: 1\nservices:\n  - name: a\n    path: ../x\n", "must be inside the repository"},
		{"empty", "", "empty config"},
		{"malformed", "version: [1\n", "c.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Parse("c.yaml", []byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestPolicyAndLoad(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.Parse(filepath.Join(dir, ".decouple.yaml"), []byte(`version: 1
services:
  - name: orders
    path: services/orders
rules:
  use: [standard]
  except: [LOAD002]
  ignore: [legacy/]
  ignore_only: {API102: [protos/old/**]}
  severity: {API102: warning}
fail_on: warning
exclude: [gen/**]
include: [examples/shop]
`))
	if err != nil {
		t.Fatal(err)
	}
	pol, err := cfg.Policy(map[string][]string{"standard": {"API102"}})
	if err != nil {
		t.Fatal(err)
	}
	if pol.Severity["API102"] != analyzer.Warning || pol.Use[0] != "standard" || pol.IgnoreOnly["API102"][0] != "protos/old/**" {
		t.Errorf("policy %+v", pol)
	}
	if sev, _ := config.ParseFailOn(cfg.FailOn); sev != analyzer.Warning {
		t.Errorf("fail_on %v", sev)
	}
	opts := load.DefaultOptions()
	if err := cfg.ApplyLoad(&opts, dir); err != nil {
		t.Fatal(err)
	}
	if len(opts.Services) != 1 || opts.Services[0].Paths[0] != "services/orders" || opts.Services[0].Line != 3 ||
		opts.Exclude[0] != "gen/**" || len(opts.Include) != 1 || opts.Include[0] != "examples/shop" {
		t.Errorf("load options %+v", opts)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if p, _ := config.Find(sub); p != "" {
		t.Errorf("found %q with no config", p)
	}
	cfg := filepath.Join(root, ".decouple.yaml")
	if err := os.WriteFile(cfg, []byte("version: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if p, _ := config.Find(sub); p != cfg {
		t.Errorf("found %q, want %q", p, cfg)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(root), ".decouple.yaml"), []byte("version: 1\n"), 0o644); err == nil {
		defer os.Remove(filepath.Join(filepath.Dir(root), ".decouple.yaml"))
	}
	if err := os.Remove(cfg); err != nil {
		t.Fatal(err)
	}
	if p, _ := config.Find(sub); p != "" {
		t.Errorf("the search went past the repository root: %q", p)
	}
}
