package load

import (
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// ciKind tells which CI system a YAML input belongs to, from its path.
func ciKind(p string) string {
	base := strings.ToLower(path.Base(p))
	switch {
	case strings.HasPrefix(p, ".github/workflows/") && (strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")):
		return facts.CIGitHub
	case base == ".gitlab-ci.yml" || base == ".gitlab-ci.yaml" || strings.HasSuffix(base, ".gitlab-ci.yml"):
		return facts.CIGitLab
	case strings.HasPrefix(base, "cloudbuild") && (strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml")):
		return facts.CICloudBuild
	}
	return ""
}

// parseCI reads every CI pipeline and Makefile into CI job facts.
func (l *loader) parseCI(ix *deployIndex) {
	var jobs []*facts.CIJob
	for _, d := range l.docs {
		if d.index != 0 {
			continue
		}
		var js []*facts.CIJob
		l.guard(d.in.path, func() {
			switch ciKind(d.in.path) {
			case facts.CIGitHub:
				js = ix.githubJobs(d)
			case facts.CIGitLab:
				js = ix.gitlabJobs(d)
			case facts.CICloudBuild:
				js = ix.cloudBuildJobs(d)
			}
		})
		jobs = append(jobs, js...)
	}
	for _, mf := range ix.makefiles {
		l.guard(mf.path, func() {
			for _, t := range mf.order {
				jobs = append(jobs, ix.makeJob(mf, mf.targets[t]))
			}
		})
	}
	for _, j := range jobs {
		for _, s := range j.Steps {
			if facts.VerbRank(s.Verb) > facts.VerbRank(j.Verb) {
				j.Verb = s.Verb
			}
		}
	}
	l.repo.Deploy.CIJobs = jobs
}

// shellEnv is what a command is read in: variables to substitute, matrix
// axes, the working directory.
type shellEnv struct {
	vars   map[string]string
	matrix []facts.MatrixAxis
	dir    string // repo-relative working directory, "" for the root
}

var (
	shVar      = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)
	ghExpr     = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)
	forLoop    = regexp.MustCompile(`\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\s+([^;\n]*?)\s*;\s*do\b(.*?)\bdone\b`)
	splitShell = regexp.MustCompile(`&&|\|\||;|\|`)
)

// analyzeScript reads a shell script (one CI script line or block, or one
// recipe line) and returns one step per command line that builds, pushes
// or deploys, or that names services.
func (ix *deployIndex) analyzeScript(script string, pos facts.Position, lineStep int, env *shellEnv, name string) []facts.CIStep {
	var steps []facts.CIStep
	lines := joinContinuations(flattenLoops(script))
	for _, ln := range lines {
		text := strings.TrimSpace(ln.text)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		p := pos
		if lineStep > 0 {
			p.Line = pos.Line + lineStep*ln.index
		}
		st := ix.analyzeLine(text, env)
		if st.Verb == "" && len(st.Refs) == 0 {
			continue
		}
		st.Pos = p
		if m := readsVersion(text); m != nil {
			for _, r := range st.Refs {
				ix.versionTags = append(ix.versionTags, facts.ImageTag{Source: "version-file", Service: r.Service,
					Var: "VERSION", Scope: m[1], Pos: p})
			}
		}
		st.Name = name
		if st.Name == "" {
			st.Name = firstWords(text, 6)
		}
		steps = append(steps, st)
	}
	return steps
}

// blockLoop is a shell for-loop written over several lines.
var blockLoop = regexp.MustCompile(`(?s)\bfor\s+[A-Za-z_][A-Za-z0-9_]*\s+in\s+[^;\n]*?\s*(?:;\s*|\n\s*)do\b.*?\bdone\b`)

// flattenLoops writes every multi-line for-loop on one line (its first),
// keeping the line count, so that the loop is read as one command.
func flattenLoops(script string) string {
	if !strings.Contains(script, "done") { // what every loop ends with
		return script
	}
	return blockLoop.ReplaceAllStringFunc(script, func(m string) string {
		n := strings.Count(m, "\n")
		flat := strings.NewReplacer("\n", " ; ").Replace(m)
		flat = regexp.MustCompile(`;\s*;`).ReplaceAllString(flat, ";")
		flat = strings.Replace(flat, " ; do ", " ; do ", 1)
		flat = regexp.MustCompile(`do\s*;`).ReplaceAllString(flat, "do")
		return flat + strings.Repeat("\n", n)
	})
}

type scriptLine struct {
	text  string
	index int // the line's offset in the script
}

func joinContinuations(s string) []scriptLine {
	var out []scriptLine
	var cur strings.Builder
	start := 0
	for i, l := range strings.Split(s, "\n") {
		if cur.Len() == 0 {
			start = i
		}
		if strings.HasSuffix(strings.TrimRight(l, " \t"), "\\") {
			cur.WriteString(strings.TrimSuffix(strings.TrimRight(l, " \t"), "\\"))
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(l)
		out = append(out, scriptLine{text: cur.String(), index: start})
		cur.Reset()
	}
	if cur.Len() > 0 {
		out = append(out, scriptLine{text: cur.String(), index: start})
	}
	return out
}

// analyzeLine reads one command line (a pipeline or a list of commands).
func (ix *deployIndex) analyzeLine(text string, env *shellEnv) facts.CIStep {
	var st facts.CIStep
	// A shell for-loop deploys every item in one step: expand it.
	text = ix.expandLoops(text, env)
	dir := env.dir
	for _, cmd := range shellCommands(text) {
		toks := shellFields(cmd)
		if len(toks) >= 2 && toks[0] == "cd" {
			dir = cleanDir(path.Join(dir, toks[1]))
			continue
		}
		legs := ix.legsOf(cmd, env)
		for _, leg := range legs {
			toks := shellFields(ix.subst(leg.text, env))
			verb, tool, refs := ix.analyzeCommand(toks, dir)
			if facts.VerbRank(verb) > facts.VerbRank(st.Verb) {
				st.Verb, st.Tool = verb, tool
			} else if st.Tool == "" {
				st.Tool = tool
			}
			for _, r := range refs {
				r.Leg = leg.leg
				st.Refs = appendRef(st.Refs, r)
			}
		}
	}
	return st
}

// shellCommands splits a line at its command separators (&&, ||, ; and |).
func shellCommands(text string) []string {
	if !strings.ContainsAny(text, "&|;") { // what every separator holds
		return []string{text}
	}
	return splitShell.Split(text, -1)
}

// expandLoops writes each shell for-loop of a line as its body once per
// item, joined by " ; ".
func (ix *deployIndex) expandLoops(text string, env *shellEnv) string {
	if !strings.Contains(text, "done") { // what every loop ends with
		return text
	}
	return forLoop.ReplaceAllStringFunc(text, func(m string) string {
		sm := forLoop.FindStringSubmatch(m)
		var parts []string
		for _, item := range strings.Fields(ix.subst(sm[2], env)) {
			parts = append(parts, strings.NewReplacer("${"+sm[1]+"}", item, "$"+sm[1], item).Replace(sm[3]))
		}
		return strings.Join(parts, " ; ")
	})
}

type legText struct{ text, leg string }

// legsOf expands matrix references in a command into one text per leg; a
// command without them is one leg named "".
func (ix *deployIndex) legsOf(cmd string, env *shellEnv) []legText {
	for _, ax := range env.matrix {
		if !strings.Contains(cmd, ax.Name) { // every reference names the axis
			continue
		}
		refs := matrixRefs(ax.Name)
		hit := false
		for _, r := range refs {
			if r.MatchString(cmd) {
				hit = true
			}
		}
		if !hit {
			continue
		}
		var out []legText
		for _, v := range ax.Values {
			t := cmd
			for _, r := range refs {
				t = r.ReplaceAllLiteralString(t, v)
			}
			out = append(out, legText{text: t, leg: ax.Name + "=" + v})
		}
		return out
	}
	return []legText{{text: cmd}}
}

func matrixRefs(axis string) []*regexp.Regexp {
	q := regexp.QuoteMeta(axis)
	return []*regexp.Regexp{
		regexp.MustCompile(`\$\{\{\s*matrix\.` + q + `\s*\}\}`),
		regexp.MustCompile(`\$\{` + q + `\}`),
		regexp.MustCompile(`\$` + q + `\b`),
	}
}

// subst replaces known variables and GitHub expressions; unknown ones stay.
func (ix *deployIndex) subst(s string, env *shellEnv) string {
	if !strings.Contains(s, "$") { // what every variable and expression starts with
		return s
	}
	s = ghExpr.ReplaceAllStringFunc(s, func(m string) string {
		e := ghExpr.FindStringSubmatch(m)[1]
		if v, ok := strings.CutPrefix(e, "env."); ok {
			if val, ok := env.vars[v]; ok {
				return val
			}
		}
		return m
	})
	return shVar.ReplaceAllStringFunc(s, func(m string) string {
		name := shVar.FindStringSubmatch(m)[1]
		if v, ok := env.vars[name]; ok && !strings.Contains(v, "$") {
			return v
		}
		return m
	})
}

// shellFields splits a command into words, dropping quotes.
func shellFields(s string) []string {
	var out []string
	var cur strings.Builder
	quote := byte(0)
	subst := 0 // depth of $( ) inside the current word (an unexpanded $(VERSION))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(' && i > 0 && s[i-1] == '$':
			subst++
			cur.WriteByte(c)
		case c == ')' && subst > 0:
			subst--
			cur.WriteByte(c)
		case c == ' ' && subst > 0:
			cur.WriteByte(c)
		case c == ' ' || c == '\t' || c == '\n' || c == '(' || c == ')':
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteByte(c)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// analyzeCommand reads one simple command: its verb, its tool and the
// services it names.
func (ix *deployIndex) analyzeCommand(toks []string, dir string) (verb, tool string, refs []facts.ServiceRef) {
	for len(toks) > 0 && (strings.Contains(toks[0], "=") && !strings.HasPrefix(toks[0], "-") || toks[0] == "sudo" || toks[0] == "exec" || toks[0] == "time") {
		toks = toks[1:]
	}
	if len(toks) == 0 {
		return "", "", nil
	}
	tool = path.Base(toks[0])
	args := toks[1:]
	sub := positional(args)
	arg := func(i int) string {
		if i < len(sub) {
			return sub[i]
		}
		return ""
	}
	var names []string // positional words that name services
	switch tool {
	case "docker":
		switch arg(0) {
		case "build":
			verb = facts.VerbBuild
		case "push":
			verb = facts.VerbPush
		case "manifest":
			if arg(1) == "push" {
				verb = facts.VerbPush // a multi-arch image list
			}
		case "buildx":
			verb = facts.VerbBuild
			if hasFlag(args, "--push") {
				verb = facts.VerbPush
			}
		case "stack":
			if arg(1) == "deploy" || arg(1) == "up" {
				verb = facts.VerbDeploy
			}
		case "compose":
			verb, names, refs = ix.compose(args[1:], dir)
			tool = "compose"
		}
	case "docker-compose":
		verb, names, refs = ix.compose(args, dir)
		tool = "compose"
	case "kubectl", "oc":
		switch arg(0) {
		case "apply", "create", "replace", "rollout", "set", "patch":
			verb = facts.VerbDeploy
		}
		for _, a := range args {
			if _, n, ok := strings.Cut(a, "/"); ok && (strings.HasPrefix(a, "deployment/") || strings.HasPrefix(a, "deploy/") || strings.HasPrefix(a, "statefulset/")) {
				names = append(names, n)
			}
		}
		refs = append(refs, ix.kubectlRefs(args, dir)...)
	case "helm":
		switch arg(0) {
		case "upgrade", "install":
			verb = facts.VerbDeploy
			names = append(names, arg(1))
			refs = append(refs, ix.chartRefs(joinDir(dir, arg(2)))...)
		case "push":
			verb = facts.VerbPush
		}
	case "skaffold":
		switch arg(0) {
		case "run", "deploy", "apply", "dev":
			verb = facts.VerbDeploy
		case "build":
			verb = facts.VerbBuild
		}
		if verb != "" {
			var modules []string
			for _, m := range flagValues(args, "-m", "--module") {
				modules = append(modules, strings.Split(m, ",")...)
			}
			refs = append(refs, ix.skaffoldRefs(flagValue(args, "-f", "--filename"), dir, modules)...)
		}
	case "gcloud":
		for i, a := range sub {
			if a == "deploy" {
				verb = facts.VerbDeploy
				names = append(names, arg(i+1))
				break
			}
		}
		if arg(0) == "builds" && arg(1) == "submit" {
			verb = facts.VerbPush
		}
	case "gke-deploy":
		verb = facts.VerbDeploy
		refs = append(refs, ix.kubectlRefs(args, dir)...)
	case "ko":
		// ko resolve builds, pushes and prints the manifests; apply and
		// create deploy them. --push=false or --local keep the images local.
		local := slices.ContainsFunc(args, func(a string) bool {
			return a == "--push=false" || a == "--local" || a == "-L" || a == "--local=true"
		})
		switch arg(0) {
		case "build", "publish", "resolve":
			verb = facts.VerbPush
			if local {
				verb = facts.VerbBuild
			}
			if arg(0) == "resolve" {
				refs = append(refs, ix.kubectlRefs(args, dir)...)
			}
		case "apply", "create":
			verb = facts.VerbDeploy
			refs = append(refs, ix.kubectlRefs(args, dir)...)
		}
	case "go":
		if arg(0) == "build" {
			verb = facts.VerbBuild
		}
	case "argocd":
		if arg(0) == "app" && arg(1) == "sync" {
			verb = facts.VerbDeploy
			names = append(names, arg(2))
		}
	case "fly", "flyctl":
		if arg(0) == "deploy" {
			verb = facts.VerbDeploy
		}
	case "make", "gmake":
		return ix.makeCall(args, dir)
	case "kustomize":
		if arg(0) == "build" {
			refs = append(refs, ix.kustomizeRefs(joinDir(dir, arg(1)), 0)...)
		}
	default:
		tool = ""
	}
	for _, n := range names {
		if s := ix.service(n); s != "" {
			refs = appendRef(refs, facts.ServiceRef{Service: s, How: "name", Text: n})
		}
	}
	for _, a := range args {
		for _, r := range ix.tokenRefs(a, dir) {
			refs = appendRef(refs, r)
		}
	}
	return verb, tool, refs
}

// positional returns the arguments that are not flags (nor flag values
// written as --flag=value).
func positional(args []string) []string {
	var out []string
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			out = append(out, a)
		}
	}
	return out
}

func hasFlag(args []string, f string) bool {
	for _, a := range args {
		if a == f || strings.HasPrefix(a, f+"=") {
			return true
		}
	}
	return false
}

// flagValue returns the value of the first of the flags given.
func flagValue(args []string, flags ...string) string {
	for i, a := range args {
		for _, f := range flags {
			if a == f && i+1 < len(args) {
				return args[i+1]
			}
			if v, ok := strings.CutPrefix(a, f+"="); ok {
				return v
			}
		}
	}
	return ""
}

// flagValues returns every value of the flags given.
func flagValues(args []string, flags ...string) []string {
	var out []string
	for i, a := range args {
		for _, f := range flags {
			if a == f && i+1 < len(args) {
				out = append(out, args[i+1])
			} else if v, ok := strings.CutPrefix(a, f+"="); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

var workspacePrefix = regexp.MustCompile(`^(\$\{\{\s*github\.workspace\s*\}\}|\$\{?GITHUB_WORKSPACE\}?|\$\{?CI_PROJECT_DIR\}?|/workspace)/`)

// joinDir turns a path written in a command into a repo-relative path.
func joinDir(dir, p string) string {
	if p == "" {
		return ""
	}
	p = workspacePrefix.ReplaceAllString(p, "")
	if strings.HasPrefix(p, "/") || strings.Contains(p, "://") || strings.Contains(p, "$") {
		return ""
	}
	return cleanDir(path.Join(dir, p))
}

// tokenRefs finds the services one word names: a path into a service's
// directory, or an image whose name is the service's.
func (ix *deployIndex) tokenRefs(tok, dir string) []facts.ServiceRef {
	if i := strings.Index(tok, "="); i >= 0 && strings.HasPrefix(tok, "-") {
		tok = tok[i+1:]
	}
	if tok == "" || strings.HasPrefix(tok, "-") {
		return nil
	}
	var out []facts.ServiceRef
	if p := joinDir(dir, tok); p != "" && !strings.Contains(tok, ":") {
		if s := ix.l.serviceOf(p); s != "" {
			out = append(out, facts.ServiceRef{Service: s, How: "dir", Text: tok})
			return out
		}
	}
	if s := ix.imageService(tok); s != "" {
		out = append(out, facts.ServiceRef{Service: s, How: "image", Text: tok})
	}
	return out
}

// imageService returns the service an image reference names, by its last
// path component ("ghcr.io/acme/orders:1.2" → orders).
func (ix *deployIndex) imageService(ref string) string {
	if !strings.Contains(ref, "/") && !strings.Contains(ref, ":") {
		return ""
	}
	if dir := ix.l.koFolder(ref); dir != "" {
		return ix.l.serviceOf(dir)
	}
	if strings.Contains(ref, "://") {
		return ""
	}
	name := ref
	if i := strings.Index(name, "@"); i >= 0 {
		name = name[:i]
	}
	name = path.Base(name)
	if i := strings.Index(name, ":"); i >= 0 {
		name = name[:i]
	}
	if s := ix.service(name); s != "" {
		return s
	}
	// an image the repository builds: the service of the program its
	// Dockerfile compiles (ghcr.io/acme/scaler from ./cmd/operator)
	if prog := ix.l.imageProgram(ref); prog != "" {
		return ix.l.serviceOf(prog)
	}
	return ""
}

// service returns the name of the repo service called name, or spelled so
// with other separators, or "".
func (ix *deployIndex) service(name string) string {
	if s, ok := ix.services[name]; ok {
		return s
	}
	return ix.joined[joinedName(name)]
}

func appendRef(refs []facts.ServiceRef, r facts.ServiceRef) []facts.ServiceRef {
	for _, x := range refs {
		if x.Service == r.Service && x.Leg == r.Leg {
			return refs
		}
	}
	return append(refs, r)
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = append(f[:n], "…")
	}
	return strings.Join(f, " ")
}

// scriptItems returns the scalars of a script node: a string or a
// (nested) list of strings.
func scriptItems(n *yaml.Node) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return []*yaml.Node{n}
	}
	var out []*yaml.Node
	for _, it := range items(n) {
		switch it.Kind {
		case yaml.ScalarNode:
			out = append(out, it)
		case yaml.SequenceNode:
			out = append(out, scriptItems(it)...)
		}
	}
	return out
}

// scalarPos returns the position of the first line of a scalar's text:
// for block scalars (| and >) the line after the indicator.
func scalarPos(file string, n *yaml.Node) (facts.Position, int) {
	p := facts.Position{File: file, Line: n.Line, Col: n.Column}
	if n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle {
		p.Line++
		return p, 1
	}
	return p, 0
}

// stepsOfScalars analyses script nodes.
func (ix *deployIndex) stepsOfScalars(file string, nodes []*yaml.Node, env *shellEnv, name string) []facts.CIStep {
	var out []facts.CIStep
	for _, n := range nodes {
		p, step := scalarPos(file, n)
		out = append(out, ix.analyzeScript(n.Value, p, step, env, name)...)
	}
	return out
}

// matrixAxes reads a matrix mapping (GitHub strategy.matrix) into axes,
// ignoring include/exclude.
func matrixAxes(n *yaml.Node) []facts.MatrixAxis {
	var out []facts.MatrixAxis
	for _, kv := range pairs(n) {
		if kv[0].Value == "include" || kv[0].Value == "exclude" {
			continue
		}
		ax := facts.MatrixAxis{Name: kv[0].Value, Pos: facts.Position{Line: kv[0].Line, Col: kv[0].Column}}
		for _, v := range items(kv[1]) {
			if s := scalar(v); s != "" {
				ax.Values = append(ax.Values, s)
			}
		}
		if s := scalar(kv[1]); s != "" {
			ax.Values = append(ax.Values, s)
		}
		if len(ax.Values) > 0 {
			out = append(out, ax)
		}
	}
	return out
}

func mergeAxes(axes []facts.MatrixAxis, more []facts.MatrixAxis) []facts.MatrixAxis {
	for _, m := range more {
		found := false
		for i := range axes {
			if axes[i].Name == m.Name {
				found = true
				for _, v := range m.Values {
					if !contains(axes[i].Values, v) {
						axes[i].Values = append(axes[i].Values, v)
					}
				}
			}
		}
		if !found {
			axes = append(axes, m)
		}
	}
	return axes
}

// varsOf reads a variables/env mapping of scalars.
func varsOf(n *yaml.Node, into map[string]string) map[string]string {
	if into == nil {
		into = map[string]string{}
	}
	for _, kv := range pairs(n) {
		v := scalar(kv[1])
		if v == "" {
			v = scalar(get(kv[1], "value"))
		}
		into[kv[0].Value] = v
	}
	return into
}

func copyVars(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func sortCIJobs(jobs []*facts.CIJob) {
	sort.SliceStable(jobs, func(i, j int) bool {
		if jobs[i].File != jobs[j].File {
			return jobs[i].File < jobs[j].File
		}
		return jobs[i].Pos.Less(jobs[j].Pos)
	})
}

// teardown and testRun find, in a job's scripts, a compose environment
// taken down again or a test suite run: the job starts its services to test
// them on the runner.
var (
	teardown = regexp.MustCompile(`\bdocker[- ]compose\b[^\n;&|]*\s(down|stop|rm)\b`)
	testRun  = regexp.MustCompile(`\b(go test|gotestsum|pytest|npm (run )?test|yarn (run )?test|pnpm (run )?test|bundle exec rspec|make (test|e2e|integration)\S*)\b`)
)

// ephemeralEnv reports whether a job's scripts start its compose services
// only for the job: they are taken down again or tests run against them,
// on a runner that does not outlive the job.
func ephemeralEnv(scripts []string) bool {
	for _, sc := range scripts {
		if teardown.MatchString(sc) || testRun.MatchString(sc) {
			return true
		}
	}
	return false
}

// withoutComposeDeploys returns the steps with the deploy verb of every
// compose step cleared (a copy: make targets' steps are shared): a
// docker compose up in a test job or a local target starts the services
// where it runs, which ships nothing.
func withoutComposeDeploys(steps []facts.CIStep) []facts.CIStep {
	return withoutDeploys(steps, "compose")
}

// withoutDeploys returns the steps with the deploy verb of every step of
// tool ("" for any) cleared (a copy).
func withoutDeploys(steps []facts.CIStep, tool string) []facts.CIStep {
	out := slices.Clone(steps)
	for i := range out {
		if (tool == "" || out[i].Tool == tool) && out[i].Verb == facts.VerbDeploy {
			out[i].Verb = ""
		}
	}
	return out
}

// devClusterTarget reports a make target named for a developer's own
// environment (dev-apply, local-deploy-kind, e2e-install): a word of its
// name, split at - _ : and /, is dev, local, kind, minikube, k3d, test,
// e2e or demo, and none says it ships (prod, release, publish).
func devClusterTarget(name string) bool {
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '-' || r == '_' || r == ':' || r == '/' || r == '.' })
	local := false
	for _, w := range words {
		switch w {
		case "prod", "production", "release", "publish", "staging", "live":
			return false
		case "dev", "local", "kind", "minikube", "k3d", "test", "e2e", "demo":
			local = true
		}
	}
	return local
}

// localTarget reports a make target whose name says it runs the system
// where make runs (up, start, run, dev, local, test, e2e, docker-compose)
// rather than shipping it (deploy, release, publish, prod, rollout).
func localTarget(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"deploy", "release", "publish", "prod", "rollout", "ship"} {
		if strings.Contains(n, w) {
			return false
		}
	}
	for _, w := range []string{"up", "start", "run", "dev", "local", "test", "e2e", "compose", "demo"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
