package load

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// makefile is one parsed Makefile: its variables and targets.
type makefile struct {
	path    string
	dir     string
	vars    map[string]string
	targets map[string]*makeTarget
	order   []string // targets in file order
	first   string   // the default goal
}

type makeTarget struct {
	name    string
	line    int
	prereqs []string
	recipe  []makeLine
}

type makeLine struct {
	text string
	line int
}

var (
	makeAssign = regexp.MustCompile(`^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:::=|:=|\?=|\+=|!=|=)\s*(.*)$`)
	makeRule   = regexp.MustCompile(`^([^:=#\t][^:=#]*?)\s*::?\s*(?:([^=].*)|)$`)
	makeRef    = regexp.MustCompile(`\$[({]([A-Za-z_][A-Za-z0-9_.-]*)[)}]`)
)

// makeDefine opens a multi-line variable (define NAME ... endef).
var makeDefine = regexp.MustCompile(`^define\s+([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:::=|:=|=)?\s*$`)

// makeCall is a recipe line that only calls a defined function:
// $(call build_image,scheduler).
var makeCall = regexp.MustCompile(`^\$\(call\s+([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:,(.*))?\)$`)

// parseMakefile reads targets, prerequisites, recipes and simple variables,
// with the recipe lines that call a defined function ($(call
// build_image,scheduler)) replaced by its lines and their arguments.
// Conditionals, includes and other functions are not evaluated.
func parseMakefile(in *input) *makefile {
	mf := &makefile{path: in.path, dir: cleanDir(path.Dir(in.path)), vars: map[string]string{}, targets: map[string]*makeTarget{}}
	var cur *makeTarget
	lines := strings.Split(string(in.data), "\n")
	defines := makeDefines(lines)
	for i := 0; i < len(lines); i++ {
		line, n := lines[i], i+1
		if m := makeDefine.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			for i < len(lines) && strings.TrimSpace(lines[i]) != "endef" {
				i++
			}
			cur = nil
			continue
		}
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			i++
			line = strings.TrimSuffix(line, "\\") + " " + strings.TrimSpace(lines[i])
		}
		if strings.HasPrefix(line, "\t") {
			if cur != nil {
				text := strings.TrimLeft(strings.TrimSpace(line), "@-+")
				if m := makeCall.FindStringSubmatch(text); m != nil && defines[m[1]] != nil {
					for _, body := range defines[m[1]] {
						cur.recipe = append(cur.recipe, makeLine{text: callArgs(body, m[2]), line: n})
					}
					continue
				}
				cur.recipe = append(cur.recipe, makeLine{text: text, line: n})
			}
			continue
		}
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if m := makeAssign.FindStringSubmatch(trimmed); m != nil && !strings.Contains(strings.SplitN(trimmed, "=", 2)[0], ": ") {
			mf.vars[m[1]] = strings.TrimSpace(m[2])
			cur = nil
			continue
		}
		m := makeRule.FindStringSubmatch(trimmed)
		if m == nil {
			cur = nil
			continue
		}
		deps, recipe, _ := strings.Cut(m[2], ";")
		if i := strings.Index(deps, "#"); i >= 0 {
			deps = deps[:i]
		}
		cur = nil
		for _, name := range strings.Fields(m[1]) {
			if strings.HasPrefix(name, ".") || strings.ContainsAny(name, "%$") {
				continue
			}
			t := mf.targets[name]
			if t == nil {
				t = &makeTarget{name: name, line: n}
				mf.targets[name] = t
				mf.order = append(mf.order, name)
				if mf.first == "" {
					mf.first = name
				}
			}
			t.prereqs = append(t.prereqs, strings.Fields(deps)...)
			if strings.TrimSpace(recipe) != "" {
				t.recipe = append(t.recipe, makeLine{text: strings.TrimSpace(recipe), line: n})
			}
			cur = t
		}
	}
	return mf
}

// makeDefines reads the multi-line variables of a Makefile: each its
// lines, continuations joined and recipe prefixes (@, -, +) dropped.
func makeDefines(lines []string) map[string][]string {
	out := map[string][]string{}
	for i := 0; i < len(lines); i++ {
		m := makeDefine.FindStringSubmatch(strings.TrimSpace(lines[i]))
		if m == nil {
			continue
		}
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "endef"; i++ {
			line := lines[i]
			for strings.HasSuffix(line, "\\") && i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "endef" {
				i++
				line = strings.TrimSuffix(line, "\\") + " " + strings.TrimSpace(lines[i])
			}
			if t := strings.TrimLeft(strings.TrimSpace(line), "@-+"); t != "" {
				body = append(body, t)
			}
		}
		out[m[1]] = body
	}
	return out
}

// callArgs writes a call's arguments into a defined function's line:
// $(1), ${1} and so on.
func callArgs(body, args string) string {
	for i, a := range strings.Split(args, ",") {
		n := strconv.Itoa(i + 1)
		body = strings.NewReplacer("$("+n+")", strings.TrimSpace(a), "${"+n+"}", strings.TrimSpace(a)).Replace(body)
	}
	return body
}

// expand substitutes the Makefile's variables (a few levels deep) and
// unescapes $$.
func (mf *makefile) expand(s string) string {
	for range 4 {
		next := makeRef.ReplaceAllStringFunc(s, func(m string) string {
			if v, ok := mf.vars[makeRef.FindStringSubmatch(m)[1]]; ok {
				return v
			}
			return m
		})
		if next == s {
			break
		}
		s = next
	}
	return strings.ReplaceAll(s, "$$", "$")
}

// targetSteps returns the steps of a target: its recipe lines, then, for
// each prerequisite that builds, pushes or deploys, one step standing for
// it. Results are memoised; cycles end.
func (ix *deployIndex) targetSteps(mf *makefile, name string) []facts.CIStep {
	key := mf.path + "\x00" + name
	if st, ok := ix.makeMemo[key]; ok {
		return st
	}
	ix.makeMemo[key] = nil // a cycle sees no steps
	t := mf.targets[name]
	if t == nil {
		return nil
	}
	var steps []facts.CIStep
	env := &shellEnv{dir: mf.dir}
	for _, rl := range t.recipe {
		steps = append(steps, ix.analyzeScript(mf.expand(rl.text), facts.Position{File: mf.path, Line: rl.line}, 0, env, "")...)
	}
	switch {
	case devClusterTarget(name):
		steps = withoutDeploys(steps, "") // a developer's cluster (make dev-apply): nothing ships
	case localTarget(name):
		steps = withoutComposeDeploys(steps) // the system runs where make runs
	}
	for _, p := range t.prereqs {
		st := facts.CIStep{Name: "make " + p, Tool: "make", Pos: facts.Position{File: mf.path, Line: t.line}}
		st.Verb, st.Refs = strongestSteps(ix.targetSteps(mf, p), p)
		if st.Verb != "" || len(st.Refs) > 0 {
			steps = append(steps, st)
		}
	}
	ix.makeMemo[key] = steps
	return steps
}

// makeJob turns a target into a CI job fact.
func (ix *deployIndex) makeJob(mf *makefile, t *makeTarget) *facts.CIJob {
	j := &facts.CIJob{System: facts.CIMake, File: mf.path, Name: t.name, Pos: facts.Position{File: mf.path, Line: t.line}}
	for _, p := range t.prereqs {
		j.Needs = append(j.Needs, facts.CINeed{Job: p, Pos: j.Pos})
	}
	j.Steps = ix.targetSteps(mf, t.name)
	return j
}

// makeCall resolves "make [-C dir] [-f file] target..." run from a CI step
// or a recipe to the targets' verbs and services.
func (ix *deployIndex) makeCall(args []string, dir string) (verb, tool string, refs []facts.ServiceRef) {
	tool = "make"
	if d := flagValue(args, "-C", "--directory"); d != "" {
		dir = joinDir(dir, d)
	}
	var mf *makefile
	if f := flagValue(args, "-f", "--file", "--makefile"); f != "" {
		mf = ix.makeByPath[joinDir(dir, f)]
	}
	for _, name := range []string{"Makefile", "GNUmakefile", "makefile"} {
		if mf == nil {
			mf = ix.makeByPath[joinDir(dir, name)]
		}
	}
	if mf == nil {
		return "", tool, nil
	}
	var goals []string
	skip := false
	for _, a := range args {
		switch {
		case skip:
			skip = false
		case a == "-C" || a == "-f" || a == "--file" || a == "--directory" || a == "-j":
			skip = a != "-j"
		case strings.HasPrefix(a, "-") || strings.Contains(a, "="):
		default:
			goals = append(goals, a)
		}
	}
	if len(goals) == 0 && mf.first != "" {
		goals = []string{mf.first}
	}
	var all []facts.CIStep
	for _, g := range goals {
		for _, s := range ix.targetSteps(mf, g) {
			s.Refs = slices.Clone(s.Refs)
			for i := range s.Refs {
				s.Refs[i].Text = g
			}
			all = append(all, s)
		}
	}
	verb, refs = strongestSteps(all, "")
	return verb, tool, refs
}

// strongestSteps sums up steps as one make call: the strongest verb among
// them (deploy over push over build) and the services of the steps that
// have it, or of all the steps when those name none. A target that builds
// five images and then deploys three deploys those three. text names the goal in each
// reference ("" keeps the steps' own).
func strongestSteps(steps []facts.CIStep, text string) (verb string, refs []facts.ServiceRef) {
	for _, s := range steps {
		if facts.VerbRank(s.Verb) > facts.VerbRank(verb) {
			verb = s.Verb
		}
	}
	collect := func(all bool) {
		for _, s := range steps {
			if !all && facts.VerbRank(s.Verb) < facts.VerbRank(verb) {
				continue
			}
			for _, r := range s.Refs {
				t := text
				if t == "" {
					t = r.Text
				}
				refs = appendRef(refs, facts.ServiceRef{Service: r.Service, How: "make", Text: t, Leg: r.Leg})
			}
		}
	}
	collect(false)
	if len(refs) == 0 {
		// the strongest steps name no service (docker push of an image a
		// sub-make built): the services the others name are theirs
		collect(true)
	}
	return verb, refs
}
