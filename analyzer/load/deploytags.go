package load

import (
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer/facts"
)

var (
	// helmTemplateTag finds the values key an image line's tag comes from:
	// image: "repo/orders:{{ .Values.global.tag }}".
	helmTemplateTag = regexp.MustCompile(`:\{\{-?\s*\.Values\.([A-Za-z0-9_.-]+)[^}]*\}\}["']?\s*(?:#.*)?$`)
	helmValuesSvc   = regexp.MustCompile(`\.Values\.([A-Za-z0-9_-]+)\.image`)
	helmBraces      = regexp.MustCompile(`\{\{[^}]*\}\}`)
	helmValueRef    = regexp.MustCompile(`\{\{-?\s*\.Values\.([A-Za-z0-9_.-]+)\s*-?\}\}`)
	shellVarName    = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)
)

// topChart returns the outermost chart a chart is a subchart of (itself
// when it is none): globals come from its values.
func (ix *deployIndex) topChart(dir string) string {
	for {
		parent := path.Dir(dir)
		if path.Base(parent) != "charts" || ix.charts[cleanDir(path.Dir(parent))] == nil {
			return dir
		}
		dir = cleanDir(path.Dir(parent))
	}
}

// valuesOf returns the values file of the chart in dir, values.yaml before
// values.yml.
func (ix *deployIndex) valuesOf(dir string) *yamlDoc {
	if d := ix.values[joinRel(dir, "values.yaml")]; d != nil {
		return d
	}
	return ix.values[joinRel(dir, "values.yml")]
}

// globalTag returns the key and node of a chart's global image tag.
func globalTag(values *yamlDoc) (string, *yaml.Node) {
	if values == nil {
		return "", nil
	}
	g := get(values.root, "global")
	for _, key := range []string{"tag", "imageTag", "version", "appVersion"} {
		if n := get(g, key); n != nil && scalar(n) != "" {
			return "global." + key, n
		}
	}
	if n := getPath(g, "image", "tag"); n != nil && scalar(n) != "" {
		return "global.image.tag", n
	}
	return "", nil
}

// helmTags reads where each chart's images take their tag from: a global
// tag its templates read, a per-service tag in an umbrella's values, or
// the chart's own image.tag.
func (ix *deployIndex) helmTags() []facts.ImageTag {
	var out []facts.ImageTag
	templates := ix.chartTemplates()
	for _, dir := range slices.Sorted(maps.Keys(ix.charts)) {
		c := ix.charts[dir]
		top := ix.topChart(dir)
		topValues := ix.valuesOf(top)
		gkey, gnode := globalTag(topValues)
		scope := ""
		if topValues != nil {
			scope = topValues.in.path
		}
		own := ix.service(c.name)
		for _, in := range templates[dir] {
			for i, line := range strings.Split(string(in.data), "\n") {
				m := helmTemplateTag.FindStringSubmatch(line)
				if m == nil || !strings.Contains(line, "image:") {
					continue
				}
				svc := own
				if svc == "" {
					svc = ix.templateService(in.path, resolveValueRefs(line, ix.valuesOf(dir), topValues))
				}
				if svc == "" {
					continue
				}
				// A global resolves in the outermost chart's values, any
				// other key in this chart's own.
				tscope := joinRel(dir, "values.yaml")
				if strings.HasPrefix(m[1], "global.") {
					tscope = scope
				}
				out = append(out, facts.ImageTag{Source: "helm", Service: svc, Var: m[1], Scope: tscope,
					Pos: facts.Position{File: in.path, Line: i + 1}})
			}
		}
		values := ix.valuesOf(dir)
		if values == nil {
			continue
		}
		if own != "" {
			switch n := getPath(values.root, "image", "tag"); {
			case n != nil && n.Tag == "!!null":
				out = append(out, facts.ImageTag{Source: "helm", Service: own, Var: "appVersion", Scope: joinRel(dir, "Chart.yaml"),
					Pos: nodePos(values.in.path, n)})
			case scalar(n) != "":
				out = append(out, facts.ImageTag{Source: "helm", Service: own, Tag: scalar(n), Pos: nodePos(values.in.path, n)})
			}
		}
		for _, kv := range pairs(values.root) {
			svc := ix.service(kv[0].Value)
			img := get(kv[1], "image")
			if svc == "" || img == nil || kv[0].Value == "global" {
				continue
			}
			t := facts.ImageTag{Source: "helm", Service: svc, Image: scalar(get(img, "repository")), Pos: nodePos(values.in.path, kv[0])}
			n := get(img, "tag")
			switch {
			case n != nil && n.Tag == "!!null":
				// tag: ~ takes the chart's appVersion, as the chart's
				// templates default it (kyverno's controllers)
				t.Var, t.Scope, t.Pos = "appVersion", joinRel(dir, "Chart.yaml"), nodePos(values.in.path, n)
			case scalar(n) != "":
				t.Tag, t.Pos = scalar(n), nodePos(values.in.path, n)
			case gnode != nil && dir == top:
				t.Var, t.Scope = gkey, scope
			default:
				continue
			}
			out = append(out, t)
		}
	}
	return out
}

// chartTemplates returns, for each chart directory, the YAML and .tpl
// inputs under its templates/ folder (at any depth), in input order.
func (ix *deployIndex) chartTemplates() map[string][]*input {
	const folder = "templates/"
	charts := make(map[string]string, len(ix.charts)) // "<dir>/templates/" → dir
	for dir := range ix.charts {
		charts[joinRel(dir, folder)] = dir
	}
	out := map[string][]*input{}
	for _, in := range ix.l.inputs {
		if in.kind != kindYAML && !strings.HasSuffix(in.path, ".tpl") {
			continue
		}
		// Every "templates/" that starts a path component may end the
		// templates folder of a chart (a chart can sit in another's).
		for i := 0; ; {
			j := strings.Index(in.path[i:], folder)
			if j < 0 {
				break
			}
			j += i
			if j == 0 || in.path[j-1] == '/' {
				if dir, ok := charts[in.path[:j+len(folder)]]; ok {
					out[dir] = append(out[dir], in)
				}
			}
			i = j + 1
		}
	}
	return out
}

// templateService names the service an image line of an umbrella chart's
// template runs: by a values key named after it, the image name, or the
// template's file name.
// resolveValueRefs replaces each {{ .Values.x.y }} of a template line that
// names a scalar of the chart's values (global.x.y: of the outermost
// chart's) with that scalar: dapr's
// "{{ .Values.global.registry }}/{{ .Values.image.name }}:{{ .Values.global.tag }}"
// with image.name "operator" names the image ghcr.io/dapr/operator.
func resolveValueRefs(line string, values, top *yamlDoc) string {
	return helmValueRef.ReplaceAllStringFunc(line, func(m string) string {
		key := helmValueRef.FindStringSubmatch(m)[1]
		doc := values
		if strings.HasPrefix(key, "global.") {
			doc = top
		}
		if doc == nil {
			return m
		}
		n := getPath(doc.root, strings.Split(key, ".")...)
		if n == nil || n.Kind != yaml.ScalarNode || n.Value == "" {
			return m
		}
		return n.Value
	})
}

func (ix *deployIndex) templateService(file, line string) string {
	for _, vm := range helmValuesSvc.FindAllStringSubmatch(line, -1) {
		if s := ix.service(vm[1]); s != "" {
			return s
		}
	}
	line, _, _ = strings.Cut(line, " #") // a trailing comment
	_, img, _ := strings.Cut(helmBraces.ReplaceAllString(line, ""), "image:")
	if s := ix.imageService(strings.Trim(strings.TrimSpace(img), `"'`) + ":"); s != "" {
		return s
	}
	base := strings.TrimSuffix(strings.TrimSuffix(path.Base(file), ".yaml"), ".yml")
	if s := ix.service(base); s != "" {
		return s
	}
	first, _, _ := strings.Cut(base, "-")
	return ix.service(first)
}

// kustomizeTags reads the images: overrides of every kustomization.
func (ix *deployIndex) kustomizeTags() []facts.ImageTag {
	var out []facts.ImageTag
	for _, dir := range slices.Sorted(maps.Keys(ix.kustomize)) {
		k := ix.kustomize[dir]
		for _, img := range items(get(k.root, "images")) {
			name := scalar(get(img, "name"))
			svc := ix.service(path.Base(name))
			if svc == "" {
				svc = ix.imageService(scalar(get(img, "newName")) + ":")
			}
			tag := get(img, "newTag")
			if svc == "" || scalar(tag) == "" {
				continue
			}
			out = append(out, facts.ImageTag{Source: "kustomize", Service: svc, Image: name, Tag: scalar(tag),
				Scope: k.in.path, Pos: nodePos(k.in.path, tag)})
		}
	}
	return out
}

// sharedTagPolicies are skaffold tag policies that give every artifact of
// one build the same tag (inputDigest and sha256 tag each image by its own
// content).
var sharedTagPolicies = map[string]bool{"gitCommit": true, "envTemplate": true, "dateTime": true, "customTemplate": true}

// skaffoldTags reads every artifact's tag policy.
func (ix *deployIndex) skaffoldTags() []facts.ImageTag {
	var out []facts.ImageTag
	for _, file := range slices.Sorted(maps.Keys(ix.skaffold)) {
		for _, d := range ix.skaffold[file] {
			policy := "gitCommit" // skaffold's default
			for _, kv := range pairs(getPath(d.root, "build", "tagPolicy")) {
				policy = kv[0].Value
			}
			for _, a := range skaffoldArtifacts(ix, d) {
				t := facts.ImageTag{Source: "skaffold", Service: a.service, Image: a.image, Scope: file, Pos: a.pos}
				if sharedTagPolicies[policy] {
					t.Var = "tagPolicy:" + policy
				}
				out = append(out, t)
			}
		}
	}
	return out
}

// workloadTags reads the tag of every service's compose or Kubernetes
// image: a variable (${TAG}) or a literal.
func (l *loader) workloadTags() []facts.ImageTag {
	var out []facts.ImageTag
	for _, w := range l.repo.Workloads {
		if w.Service == "" || w.Datastore {
			continue
		}
		img := w.ImageRaw
		if img == "" {
			img = w.Image
		}
		tag, ok := imageTag(img)
		if !ok {
			continue
		}
		src := "kubernetes"
		if w.Kind == "compose" {
			src = "compose"
		}
		t := facts.ImageTag{Source: src, Service: w.Service, Image: img, Pos: w.ImagePos}
		if !t.Pos.IsValid() {
			t.Pos = w.Pos
		}
		if m := shellVarName.FindStringSubmatch(tag); m != nil {
			t.Var = m[1]
		} else {
			t.Tag = tag
		}
		out = append(out, t)
	}
	return out
}

// imageTag returns the tag part of an image reference.
func imageTag(img string) (string, bool) {
	if img == "" || strings.Contains(img, "@") {
		return "", false
	}
	slash := strings.LastIndex(img, "/")
	colon := strings.LastIndex(img, ":")
	if strings.Contains(img, "${") {
		// ${REGISTRY:-x}/orders:${TAG:-latest}: the tag is after the last
		// colon outside a variable.
		depth := 0
		colon = -1
		for i := 0; i < len(img); i++ {
			switch img[i] {
			case '{':
				depth++
			case '}':
				depth--
			case ':':
				if depth == 0 {
					colon = i
				}
			}
		}
	}
	if colon < 0 || colon < slash {
		return "", false
	}
	return img[colon+1:], true
}
