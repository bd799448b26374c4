package load

import (
	"maps"
	"path"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// builtImages returns the images the repository builds itself, by image
// repository (registry and name, without tag or digest), with the
// Dockerfile that builds each (the first build found, in input order):
// docker build commands in Makefiles and GitHub Actions run steps, and
// docker/build-push-action steps (their tags, or the images of a
// docker/metadata-action step of the same job when the tags are its
// output). A compose service that only names such an image runs code of
// this repository (minghsu0107/random-chat-api, built from
// build/Dockerfile.api, run as five services).
func (l *loader) builtImages() map[string]string {
	out := map[string]string{}
	add := func(image, dockerfile string) {
		if repo := imageRepo(image); repo != "" && dockerfile != "" && !strings.Contains(dockerfile, "$") && out[repo] == "" {
			out[repo] = dockerfile
		}
	}
	script := func(text, dir string) {
		if !strings.Contains(text, "build") {
			return // most scripts build no image
		}
		for _, line := range joinContinuations(text) {
			for _, cmd := range shellCommands(line.text) {
				if images, dockerfile := dockerBuild(shellFields(cmd), dir); dockerfile != "" {
					for _, img := range images {
						add(img, dockerfile)
					}
				}
			}
		}
	}
	for _, in := range l.inputs {
		if in.kind != kindMakefile || in.data == nil {
			continue
		}
		mf := parseMakefile(in)
		for _, name := range mf.order {
			for _, rl := range mf.targets[name].recipe {
				script(mf.expand(rl.text), mf.dir)
			}
		}
	}
	for _, d := range l.docs {
		if d.index != 0 || ciKind(d.in.path) != facts.CIGitHub {
			continue
		}
		for _, job := range pairs(get(d.root, "jobs")) {
			steps := items(get(job[1], "steps"))
			var metaImages []string
			for _, st := range steps {
				if strings.HasPrefix(scalar(get(st, "uses")), "docker/metadata-action") {
					metaImages = append(metaImages, listValues(get(get(st, "with"), "images"))...)
				}
			}
			rows := matrixRows(job[1])
			for _, st := range steps {
				if run := scalar(get(st, "run")); run != "" {
					script(run, ".")
				}
				if !strings.HasPrefix(scalar(get(st, "uses")), "docker/build-push-action") {
					continue
				}
				with := get(st, "with")
				for _, row := range rows {
					// a matrix build: the step once per row of the matrix
					file, context := row.expand(scalar(get(with, "file"))), row.expand(scalar(get(with, "context")))
					dockerfile := joinDir(".", file)
					if dockerfile == "" {
						dockerfile = joinDir(joinDir(".", firstNonEmpty(context, ".")), "Dockerfile")
					}
					var tags []string
					for _, t := range listValues(get(with, "tags")) {
						// an expression in the tag (${{ github.sha }}) is no matter
						if t = row.expand(t); imageRepo(t) != "" && !strings.Contains(imageRepo(t), "${{") {
							tags = append(tags, t)
						}
					}
					if len(tags) == 0 {
						tags = metaImages
					}
					for _, t := range tags {
						add(t, dockerfile)
					}
				}
			}
		}
	}
	return out
}

// listValues reads a GitHub Actions input that lists values: a sequence,
// or a string of lines or comma-separated items (metadata-action's images
// also take "name=...,enable=..." entries).
func listValues(n *yaml.Node) []string {
	var raw []string
	if n != nil && n.Kind == yaml.SequenceNode {
		for _, it := range n.Content {
			raw = append(raw, scalar(it))
		}
	} else {
		raw = strings.FieldsFunc(scalar(n), func(r rune) bool { return r == '\n' || r == ',' })
	}
	var out []string
	for _, v := range raw {
		v = strings.TrimSpace(v)
		if name, ok := strings.CutPrefix(v, "name="); ok {
			v = name
		}
		if v != "" && !strings.Contains(v, "=") {
			out = append(out, v)
		}
	}
	return out
}

// valueFlags are the docker build flags that take a value.
var valueFlags = map[string]bool{
	"-t": true, "--tag": true, "-f": true, "--file": true, "--build-arg": true, "--platform": true,
	"--target": true, "--label": true, "--cache-from": true, "--cache-to": true, "--secret": true,
	"-o": true, "--output": true, "--progress": true, "--network": true, "--ssh": true, "--builder": true,
	"--build-context": true, "--iidfile": true, "--metadata-file": true, "--add-host": true, "--shm-size": true,
}

// dockerBuild reads "docker build", "docker buildx build", "docker image
// build" and "podman build" run in dir: the images it tags and the
// Dockerfile it builds (repo-relative; "" when the command is not a build
// or names no context).
func dockerBuild(toks []string, dir string) (images []string, dockerfile string) {
	for len(toks) > 0 && (strings.Contains(toks[0], "=") && !strings.HasPrefix(toks[0], "-") || toks[0] == "sudo") {
		toks = toks[1:]
	}
	if len(toks) < 2 {
		return nil, ""
	}
	if tool := path.Base(toks[0]); tool != "docker" && tool != "podman" {
		return nil, ""
	}
	args := toks[1:]
	switch {
	case args[0] == "build":
		args = args[1:]
	case len(args) > 1 && (args[0] == "buildx" || args[0] == "image") && args[1] == "build":
		args = args[2:]
	default:
		return nil, ""
	}
	ctx := ""
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case valueFlags[a]:
			i++
		case !strings.HasPrefix(a, "-"):
			ctx = a
		}
	}
	if ctx == "" || ctx == "-" || strings.Contains(ctx, "://") {
		return nil, ""
	}
	if f := flagValue(args, "-f", "--file"); f != "" {
		dockerfile = joinDir(dir, f)
	} else {
		dockerfile = joinDir(joinDir(dir, ctx), "Dockerfile")
	}
	return flagValues(args, "-t", "--tag"), dockerfile
}

// imageRepo is an image reference without its tag and digest, lower-cased
// ("" for a reference holding an unexpanded variable).
func imageRepo(ref string) string {
	ref = strings.TrimSpace(ref)
	ref, _, _ = strings.Cut(ref, "@")
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i] // the tag, often a variable (:$(VERSION), :${TAG})
	}
	if ref == "" || strings.ContainsAny(ref, "${}() ") {
		return ""
	}
	return strings.ToLower(ref)
}

// matrixRow is one combination of a GitHub Actions job matrix: the value of
// each matrix key (a scalar, or a mapping of fields).
type matrixRow map[string]*yaml.Node

// matrixExpr matches a matrix expression: ${{ matrix.image.dockerfile }}.
var matrixExpr = regexp.MustCompile(`\$\{\{\s*matrix\.([A-Za-z0-9_.-]+)\s*\}\}`)

// expand writes the row's values into a string's matrix expressions; an
// expression the row has no scalar for stays as written.
func (r matrixRow) expand(s string) string {
	if len(r) == 0 || !strings.Contains(s, "matrix.") {
		return s
	}
	return matrixExpr.ReplaceAllStringFunc(s, func(m string) string {
		parts := strings.Split(matrixExpr.FindStringSubmatch(m)[1], ".")
		n := r[parts[0]]
		for _, p := range parts[1:] {
			n = get(n, p)
		}
		if n = deref(n); n == nil || n.Kind != yaml.ScalarNode {
			return m
		}
		return n.Value
	})
}

// maxMatrixRows bounds the combinations a matrix expands to.
const maxMatrixRows = 256

// matrixRows returns the combinations of a job's strategy.matrix: the
// product of its keys' values, then each include entry (its own row when
// it matches no combination's values). A job without a matrix has one
// empty row.
func matrixRows(job *yaml.Node) []matrixRow {
	m := deref(getPath(job, "strategy", "matrix"))
	if m == nil || m.Kind != yaml.MappingNode {
		return []matrixRow{nil}
	}
	rows := []matrixRow{{}}
	var include []*yaml.Node
	for _, kv := range pairs(m) {
		switch kv[0].Value {
		case "include":
			include = items(kv[1])
			continue
		case "exclude":
			continue
		}
		vals := items(kv[1])
		if len(vals) == 0 {
			continue // an expression (fromJSON(...)): unknown here
		}
		var next []matrixRow
		for _, row := range rows {
			for _, v := range vals {
				if len(next) == maxMatrixRows {
					break
				}
				r := maps.Clone(row)
				r[kv[0].Value] = v
				next = append(next, r)
			}
		}
		rows = next
	}
	for _, inc := range include {
		extended := false
		for _, row := range rows {
			if len(row) > 0 && includeMatches(row, inc) {
				for _, f := range pairs(inc) {
					if _, ok := row[f[0].Value]; !ok {
						row[f[0].Value] = f[1]
					}
				}
				extended = true
			}
		}
		if !extended && len(rows) < maxMatrixRows {
			r := matrixRow{}
			for _, f := range pairs(inc) {
				r[f[0].Value] = f[1]
			}
			if len(rows) == 1 && len(rows[0]) == 0 {
				rows = rows[:0]
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// includeMatches reports whether an include entry overwrites none of a
// row's values (then it adds its other keys to that row).
func includeMatches(row matrixRow, inc *yaml.Node) bool {
	for _, f := range pairs(inc) {
		if v, ok := row[f[0].Value]; ok && (deref(v) == nil || deref(v).Kind != yaml.ScalarNode || scalar(v) != scalar(f[1])) {
			return false
		}
	}
	return true
}
