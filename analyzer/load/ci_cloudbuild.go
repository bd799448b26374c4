package load

import (
	"path"
	"strings"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// cloudBuildJobs reads a Cloud Build config: the whole build is one job,
// its steps run in one build.
func (ix *deployIndex) cloudBuildJobs(d *yamlDoc) []*facts.CIJob {
	file := d.in.path
	steps := get(d.root, "steps")
	if steps == nil {
		return nil
	}
	name := strings.TrimSuffix(strings.TrimSuffix(path.Base(file), ".yaml"), ".yml")
	j := &facts.CIJob{System: facts.CICloudBuild, File: file, Name: name, Pos: facts.Position{File: file, Line: 1}}
	for _, kv := range pairs(d.root) {
		if kv[0].Value == "steps" {
			j.Pos = nodePos(file, kv[0])
		}
	}
	vars := varsOf(get(d.root, "substitutions"), nil)
	for _, step := range items(steps) {
		env := &shellEnv{vars: vars, dir: cleanDir(scalar(get(step, "dir")))}
		builder := scalar(get(step, "name"))
		stepName := scalar(get(step, "id"))
		if stepName == "" {
			stepName = builder
		}
		var args []string
		for _, a := range items(get(step, "args")) {
			args = append(args, scalar(a))
		}
		entry := scalar(get(step, "entrypoint"))
		if script := get(step, "script"); script != nil {
			j.Steps = append(j.Steps, ix.stepsOfScalars(file, scriptItems(script), env, stepName)...)
			continue
		}
		if (entry == "bash" || entry == "sh") && len(args) >= 2 && args[0] == "-c" {
			j.Steps = append(j.Steps, ix.analyzeScript(args[1], nodePos(file, step), 0, env, stepName)...)
			continue
		}
		tool := entry
		if tool == "" {
			tool = builderTool(builder)
		}
		line := strings.Join(append([]string{tool}, quoteAll(args)...), " ")
		st := ix.analyzeLine(line, env)
		if st.Verb == "" && len(st.Refs) == 0 {
			continue
		}
		st.Name, st.Pos = stepName, nodePos(file, step)
		j.Steps = append(j.Steps, st)
	}
	// images: Cloud Build pushes each listed image, one step each, placed
	// on its own line
	for _, it := range items(get(d.root, "images")) {
		st := facts.CIStep{Name: "images", Verb: facts.VerbPush, Tool: "cloud-build", Pos: nodePos(file, it)}
		img := ix.subst(scalar(it), &shellEnv{vars: vars})
		if s := ix.imageService(img); s != "" {
			st.Refs = appendRef(st.Refs, facts.ServiceRef{Service: s, How: "image", Text: img})
		}
		j.Steps = append(j.Steps, st)
	}
	return []*facts.CIJob{j}
}

// builderTool names the program a Cloud Build builder image runs.
func builderTool(image string) string {
	base := path.Base(image)
	if i := strings.IndexAny(base, ":@"); i >= 0 {
		base = base[:i]
	}
	switch base {
	case "cloud-sdk", "gcloud":
		return "gcloud"
	}
	return base
}

func quoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " \t") {
			a = "'" + a + "'"
		}
		out[i] = a
	}
	return out
}
