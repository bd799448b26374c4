package load

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// githubJobs reads one GitHub Actions workflow.
func (ix *deployIndex) githubJobs(d *yamlDoc) []*facts.CIJob {
	file := d.in.path
	wfEnv := varsOf(get(d.root, "env"), nil)
	var jobs []*facts.CIJob
	for _, kv := range pairs(get(d.root, "jobs")) {
		job := kv[1]
		j := &facts.CIJob{System: facts.CIGitHub, File: file, Name: kv[0].Value, Pos: nodePos(file, kv[0])}
		j.Needs = needsOf(file, get(job, "needs"))
		j.Matrix = matrixAxes(getPath(job, "strategy", "matrix"))
		for i := range j.Matrix {
			j.Matrix[i].Pos.File = file
		}
		jobEnv := varsOf(get(job, "env"), copyVars(wfEnv))
		jobDir := scalar(getPath(job, "defaults", "run", "working-directory"))
		var scripts []string
		for _, step := range items(get(job, "steps")) {
			scripts = append(scripts, scalar(get(step, "run")))
			env := &shellEnv{vars: varsOf(get(step, "env"), copyVars(jobEnv)), matrix: j.Matrix, dir: cleanDir(jobDir)}
			if wd := scalar(get(step, "working-directory")); wd != "" {
				env.dir = cleanDir(wd)
			}
			name := scalar(get(step, "name"))
			if run := get(step, "run"); run != nil {
				j.Steps = append(j.Steps, ix.stepsOfScalars(file, scriptItems(run), env, name)...)
			}
			if uses := scalar(get(step, "uses")); uses != "" {
				if st, ok := ix.actionStep(file, step, uses, env, name); ok {
					j.Steps = append(j.Steps, st)
				}
			}
		}
		if ephemeralEnv(scripts) {
			j.Steps = withoutComposeDeploys(j.Steps)
		}
		jobs = append(jobs, j)
	}
	return jobs
}

// actionStep reads a step that uses an action: the verb comes from the
// action's name, the services from its inputs.
func (ix *deployIndex) actionStep(file string, step *yaml.Node, uses string, env *shellEnv, name string) (facts.CIStep, bool) {
	action, _, _ := strings.Cut(strings.ToLower(uses), "@")
	st := facts.CIStep{Name: name, Tool: action, Pos: nodePos(file, get(step, "uses"))}
	with := get(step, "with")
	switch {
	case strings.Contains(action, "deploy"):
		st.Verb = facts.VerbDeploy
	case strings.Contains(action, "build-push") || strings.Contains(action, "docker/build"):
		st.Verb = facts.VerbBuild
		if p := scalar(get(with, "push")); p == "true" {
			st.Verb = facts.VerbPush
		}
	case strings.Contains(action, "push"):
		st.Verb = facts.VerbPush
	}
	if st.Verb == "" {
		return st, false
	}
	if st.Name == "" {
		st.Name = action
	}
	for _, kv := range pairs(with) {
		v := scalar(kv[1])
		for _, leg := range ix.legsOf(v, env) {
			text := ix.subst(leg.text, env)
			for _, tok := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
				for _, r := range ix.tokenRefs(tok, env.dir) {
					r.Leg = leg.leg
					st.Refs = appendRef(st.Refs, r)
				}
				if kv[0].Value == "service" || kv[0].Value == "release" || kv[0].Value == "app-name" {
					if s := ix.service(tok); s != "" {
						st.Refs = appendRef(st.Refs, facts.ServiceRef{Service: s, How: "name", Text: tok, Leg: leg.leg})
					}
				}
			}
		}
	}
	return st, true
}

// needsOf reads needs: a job name, a list of names, or (GitLab) a list of
// {job: name} mappings.
func needsOf(file string, n *yaml.Node) []facts.CINeed {
	var out []facts.CINeed
	if s := scalar(n); s != "" {
		return []facts.CINeed{{Job: s, Pos: nodePos(file, n)}}
	}
	for _, it := range items(n) {
		name := scalar(it)
		if name == "" {
			name = scalar(get(it, "job"))
		}
		if name != "" {
			out = append(out, facts.CINeed{Job: name, Pos: nodePos(file, it)})
		}
	}
	return out
}
