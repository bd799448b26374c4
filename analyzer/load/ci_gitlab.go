package load

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// gitlabReserved are the top-level keys of .gitlab-ci.yml that are not jobs.
var gitlabReserved = map[string]bool{
	"stages": true, "variables": true, "default": true, "include": true, "workflow": true,
	"image": true, "services": true, "before_script": true, "after_script": true, "cache": true,
}

// gitlabJobs reads one GitLab CI file. Hidden jobs (".name") are templates:
// a job that extends one takes the keys it does not set itself.
func (ix *deployIndex) gitlabJobs(d *yamlDoc) []*facts.CIJob {
	file := d.in.path
	global := varsOf(get(d.root, "variables"), nil)
	byName := map[string]*yaml.Node{}
	for _, kv := range pairs(d.root) {
		byName[kv[0].Value] = kv[1]
	}
	var jobs []*facts.CIJob
	for _, kv := range pairs(d.root) {
		name := kv[0].Value
		if gitlabReserved[name] || strings.HasPrefix(name, ".") || kv[1].Kind != yaml.MappingNode {
			continue
		}
		chain := extendsChain(kv[1], byName)
		key := func(k string) *yaml.Node {
			for _, n := range chain {
				if v := get(n, k); v != nil {
					return v
				}
			}
			return nil
		}
		j := &facts.CIJob{System: facts.CIGitLab, File: file, Name: name, Pos: nodePos(file, kv[0])}
		j.Needs = needsOf(file, key("needs"))
		for _, m := range items(getPath(kv[1], "parallel", "matrix")) {
			j.Matrix = mergeAxes(j.Matrix, matrixAxes(m))
		}
		if pm := key("parallel"); pm != nil && len(j.Matrix) == 0 {
			for _, m := range items(get(pm, "matrix")) {
				j.Matrix = mergeAxes(j.Matrix, matrixAxes(m))
			}
		}
		for i := range j.Matrix {
			j.Matrix[i].Pos.File = file
		}
		vars := copyVars(global)
		for i := len(chain) - 1; i >= 0; i-- {
			vars = varsOf(get(chain[i], "variables"), vars)
		}
		env := &shellEnv{vars: vars, matrix: j.Matrix}
		var scripts []string
		for _, k := range []string{"before_script", "script", "after_script"} {
			for _, it := range scriptItems(key(k)) {
				scripts = append(scripts, scalar(it))
			}
			if k != "after_script" {
				j.Steps = append(j.Steps, ix.stepsOfScalars(file, scriptItems(key(k)), env, "")...)
			}
		}
		if ephemeralEnv(scripts) {
			j.Steps = withoutComposeDeploys(j.Steps)
		}
		jobs = append(jobs, j)
	}
	return jobs
}

// extendsChain returns the job and the templates it extends, nearest first.
func extendsChain(job *yaml.Node, byName map[string]*yaml.Node) []*yaml.Node {
	chain := []*yaml.Node{job}
	seen := map[*yaml.Node]bool{job: true}
	for i := 0; i < len(chain) && len(chain) < 16; i++ {
		ext := get(chain[i], "extends")
		names := []string{scalar(ext)}
		for _, it := range items(ext) {
			names = append(names, scalar(it))
		}
		for _, n := range names {
			if t := byName[n]; t != nil && !seen[t] {
				seen[t] = true
				chain = append(chain, t)
			}
		}
	}
	return chain
}
