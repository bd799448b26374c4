package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/decouplehq/decouple/cmd/decouple-synth/synth"
)

// verification is how decouple's findings on a synthetic repository
// compare with what the generator planted.
type verification struct {
	rules    int      // planted rule IDs compared (those decouple runs by default)
	planted  int      // planted (rule, services) pairs compared
	problems []string // mismatches, at most a few
	err      error
}

// verify runs decouple once more (not timed) with a JSON report and
// compares its findings with expected.json, for each planted rule in the
// default rule set: the generator doubles as a large correctness test.
func (c *config) verify(cp *corpus) *verification {
	v := &verification{}
	if cp.expected == nil {
		return nil
	}
	standard, err := defaultRules(c.decouple)
	if err != nil {
		v.err = err
		return v
	}
	out := filepath.Join(c.work, cp.name+"-report.json")
	cmd := exec.Command(c.decouple, "check", "--no-config", "--fail-on", "none", "--format", "json="+out, cp.dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		v.err = fmt.Errorf("decouple check: %w: %s", err, tail(string(b)))
		return v
	}
	data, err := os.ReadFile(out)
	if err != nil {
		v.err = err
		return v
	}
	var rep struct {
		Findings []struct {
			Rule     string   `json:"rule"`
			Services []string `json:"services"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		v.err = fmt.Errorf("read %s: %w", out, err)
		return v
	}
	got := map[string]bool{}
	for _, f := range rep.Findings {
		svcs := append([]string(nil), f.Services...)
		sort.Strings(svcs)
		got[synth.Finding{Rule: f.Rule, Services: svcs}.Key()] = true
	}
	for _, id := range cp.expected.Rules {
		if !standard[id] {
			continue
		}
		v.rules++
		want := map[string]bool{}
		for _, f := range cp.expected.Findings {
			if f.Rule == id {
				want[f.Key()] = true
			}
		}
		v.planted += len(want)
		for k := range want {
			if !got[k] {
				v.problems = append(v.problems, "planted, not reported: "+k)
			}
		}
		for k := range got {
			if strings.HasPrefix(k, id+" ") && !want[k] {
				v.problems = append(v.problems, "reported, not planted: "+k)
			}
		}
	}
	sort.Strings(v.problems)
	return v
}

// defaultRules reads `decouple rules` and returns the IDs of the standard
// preset, the rules check runs without a config.
func defaultRules(bin string) (map[string]bool, error) {
	b, err := exec.Command(bin, "rules").Output()
	if err != nil {
		return nil, fmt.Errorf("decouple rules: %w", err)
	}
	out := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 4 && strings.Contains(","+f[3]+",", ",standard,") {
			out[f[0]] = true
		}
	}
	return out, nil
}

func (v *verification) String() string {
	switch {
	case v.err != nil:
		return "could not be checked: " + v.err.Error()
	case len(v.problems) == 0:
		return fmt.Sprintf("all %d planted findings of %d rules reported, nothing else reported for those rules", v.planted, v.rules)
	}
	shown := v.problems
	if len(shown) > 5 {
		shown = shown[:5]
	}
	return fmt.Sprintf("%d mismatches over %d planted findings of %d rules: %s", len(v.problems), v.planted, v.rules, strings.Join(shown, "; "))
}
