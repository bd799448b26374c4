package load

import (
	"context"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// parseDeploy reads the deploy-side inputs: git history (in the background,
// as it runs a child process), CI pipelines, Dockerfiles, process managers
// and release-version sources.
func (l *loader) parseDeploy(ctx context.Context) {
	defer l.stats.parser("deploy", time.Now())
	defer func() {
		if l.history == nil { // a load of one kind of fact, in tests
			l.history = l.startHistory(ctx)
		}
		l.endHistory(l.history)
	}()
	defer func() {
		if p := recover(); p != nil {
			l.problem(".", 0, 0, "reading deploy facts crashed: %v", p)
		}
	}()
	ix := l.deployIndex()
	l.parseCI(ix)
	l.parseDeployFiles(ctx, ix)
	l.repo.Deploy.ImageTags = append(l.repo.Deploy.ImageTags, l.workloadTags()...)
	l.repo.Deploy.Waits = append(l.repo.Deploy.Waits, l.workloadWaits()...)
}

// deployIndex is what CI steps are resolved against: the repository's
// compose files, charts, kustomizations, skaffold configs and Makefiles.
type deployIndex struct {
	l            *loader
	composeFiles []*composeFile
	charts       map[string]*chart // by directory
	kustomize    map[string]*yamlDoc
	skaffold     map[string][]*yamlDoc // the config documents of each file
	makefiles    []*makefile
	makeByPath   map[string]*makefile
	makeMemo     map[string][]facts.CIStep
	dirs         map[string]bool
	// versionTags are image tags that CI steps and recipes read from a
	// VERSION file.
	versionTags []facts.ImageTag
	// kube are the Kubernetes documents with their directories, and the
	// indexes of those in each file and directory (manifestRefs).
	kube                  []kubeDoc
	kubeByPath, kubeByDir map[string][]int
	// services are the names of the repository's services.
	services map[string]string // service names and aliases, to the service's name
	joined   map[string]string // service names without separators, to the service's name ("" for two)
	// values are the first documents of the values.yaml and values.yml
	// files, by path (valuesOf).
	values map[string]*yamlDoc
}

type kubeDoc struct {
	d   *yamlDoc
	dir string
}

type composeFile struct {
	path, dir string
	services  []composeService
}

type composeService struct {
	name    string
	service string // the repo service it runs, "" for none
}

type chart struct {
	dir, name string
	deps      []string
}

func (l *loader) deployIndex() *deployIndex {
	ix := &deployIndex{l: l, charts: map[string]*chart{}, kustomize: map[string]*yamlDoc{},
		skaffold: map[string][]*yamlDoc{}, makeByPath: map[string]*makefile{}, makeMemo: map[string][]facts.CIStep{}}
	ix.kubeByPath, ix.kubeByDir = map[string][]int{}, map[string][]int{}
	ix.values = map[string]*yamlDoc{}
	ix.services = make(map[string]string, len(l.repo.Services))
	for _, s := range l.repo.Services {
		ix.services[s.Name] = s.Name
	}
	for _, s := range l.repo.Services {
		for _, a := range s.Aliases {
			if _, taken := ix.services[a]; !taken {
				ix.services[a] = s.Name
			}
		}
	}
	// names spelled with other separators (skaffold's pre-upgrade-checks
	// for preupgradechecks), when only one service is spelled that way
	ix.joined = map[string]string{}
	for _, s := range l.repo.Services {
		j := joinedName(s.Name)
		if _, taken := ix.joined[j]; taken {
			ix.joined[j] = ""
			continue
		}
		ix.joined[j] = s.Name
	}
	for _, d := range l.docs {
		base := strings.ToLower(path.Base(d.in.path))
		dir := cleanDir(path.Dir(d.in.path))
		if name := path.Base(d.in.path); d.index == 0 && (name == "values.yaml" || name == "values.yml") {
			ix.values[d.in.path] = d
		}
		if d.kind == docKubernetes {
			ix.kubeByPath[d.in.path] = append(ix.kubeByPath[d.in.path], len(ix.kube))
			ix.kubeByDir[dir] = append(ix.kubeByDir[dir], len(ix.kube))
			ix.kube = append(ix.kube, kubeDoc{d: d, dir: dir})
		}
		switch {
		case d.kind == docCompose:
			cf := &composeFile{path: d.in.path, dir: dir}
			for _, kv := range pairs(get(d.root, "services")) {
				cf.services = append(cf.services, composeService{name: kv[0].Value, service: ix.composeServiceOf(d, kv[0].Value, kv[1])})
			}
			ix.composeFiles = append(ix.composeFiles, cf)
		case base == "chart.yaml" || base == "chart.yml":
			c := &chart{dir: dir, name: scalar(get(d.root, "name"))}
			for _, dep := range items(get(d.root, "dependencies")) {
				name := scalar(get(dep, "alias"))
				if name == "" {
					name = scalar(get(dep, "name"))
				}
				c.deps = append(c.deps, name)
			}
			ix.charts[dir] = c
		case base == "kustomization.yaml" || base == "kustomization.yml":
			ix.kustomize[dir] = d
		case strings.HasPrefix(base, "skaffold") && strings.HasPrefix(scalar(get(d.root, "apiVersion")), "skaffold/"):
			ix.skaffold[d.in.path] = append(ix.skaffold[d.in.path], d)
		}
	}
	for _, in := range l.inputs {
		if in.kind == kindMakefile {
			l.guard(in.path, func() {
				mf := parseMakefile(in)
				ix.makefiles = append(ix.makefiles, mf)
				ix.makeByPath[in.path] = mf
			})
		}
	}
	return ix
}

// composeServiceOf names the repo service a compose service runs: one of
// the same name, the owner of its build context, or the service its image
// is named after.
func (ix *deployIndex) composeServiceOf(d *yamlDoc, name string, svc *yaml.Node) string {
	if s := ix.service(name); s != "" {
		return s
	}
	b := get(svc, "build")
	ctx := scalar(b)
	if ctx == "" {
		ctx = scalar(get(b, "context"))
	}
	if ctx != "" {
		if s := ix.l.serviceOf(joinDir(path.Dir(d.in.path), ctx)); s != "" {
			return s
		}
	}
	return ix.imageService(scalar(get(svc, "image")))
}

// compose reads "docker compose [-f file] verb [service...]".
func (ix *deployIndex) compose(args []string, dir string) (verb string, names []string, refs []facts.ServiceRef) {
	files := flagValues(args, "-f", "--file")
	var rest []string
	skip := false
	for _, a := range args {
		switch {
		case skip:
			skip = false
		case a == "-f" || a == "--file" || a == "-p" || a == "--project-name" || a == "--profile" || a == "--env-file":
			skip = true
		case strings.HasPrefix(a, "-"):
		default:
			rest = append(rest, a)
		}
	}
	if len(rest) == 0 {
		return "", nil, nil
	}
	switch rest[0] {
	case "up", "start", "restart", "create", "run":
		verb = facts.VerbDeploy
	case "build":
		verb = facts.VerbBuild
	case "push":
		verb = facts.VerbPush
	default:
		return "", nil, nil
	}
	var cfs []*composeFile
	for _, f := range files {
		for _, cf := range ix.composeFiles {
			if cf.path == joinDir(dir, f) {
				cfs = append(cfs, cf)
			}
		}
	}
	if len(files) == 0 {
		for _, name := range []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"} {
			for _, cf := range ix.composeFiles {
				if len(cfs) == 0 && cf.path == joinDir(dir, name) {
					cfs = append(cfs, cf)
				}
			}
		}
	}
	selected := rest[1:]
	if rest[0] == "run" && len(selected) > 1 {
		selected = selected[:1]
	}
	for _, cf := range cfs {
		for _, s := range cf.services {
			if s.service == "" || (len(selected) > 0 && !contains(selected, s.name)) {
				continue
			}
			refs = appendRef(refs, facts.ServiceRef{Service: s.service, How: "compose", Text: s.name})
		}
	}
	return verb, nil, refs
}

// kubectlRefs resolves -f files or folders and -k kustomizations to the
// services whose manifests they apply.
func (ix *deployIndex) kubectlRefs(args []string, dir string) []facts.ServiceRef {
	var refs []facts.ServiceRef
	recursive := hasFlag(args, "-R") || hasFlag(args, "--recursive")
	for _, f := range flagValues(args, "-f", "--filename") {
		p := joinDir(dir, f)
		if p == "" && f != "." && f != "./" {
			continue
		}
		if ix.kustomize[p] != nil {
			refs = append(refs, ix.kustomizeRefs(p, 0)...)
			continue
		}
		refs = append(refs, ix.manifestRefs(p, recursive, f)...)
	}
	for _, k := range flagValues(args, "-k", "--kustomize") {
		refs = append(refs, ix.kustomizeRefs(joinDir(dir, k), 0)...)
	}
	return refs
}

// manifestRefs returns the services of the Kubernetes manifests in a file,
// or in a folder (and below it when recursive).
func (ix *deployIndex) manifestRefs(p string, recursive bool, text string) []facts.ServiceRef {
	var refs []facts.ServiceRef
	add := func(d *yamlDoc) {
		if s := ix.manifestService(d); s != "" {
			refs = appendRef(refs, facts.ServiceRef{Service: s, How: "manifests", Text: text})
		}
	}
	if !recursive {
		// The file itself or the documents directly in the directory, in
		// document order, through the indexes (one lookup per command
		// instead of a pass over every manifest).
		byPath, byDir := ix.kubeByPath[p], ix.kubeByDir[p]
		for len(byPath)+len(byDir) > 0 {
			switch {
			case len(byDir) > 0 && len(byPath) > 0 && byPath[0] == byDir[0]:
				byPath = byPath[1:]
			case len(byDir) == 0 || len(byPath) > 0 && byPath[0] < byDir[0]:
				add(ix.kube[byPath[0]].d)
				byPath = byPath[1:]
			default:
				add(ix.kube[byDir[0]].d)
				byDir = byDir[1:]
			}
		}
		return refs
	}
	for _, k := range ix.kube {
		dp := k.d.in.path
		if dp != p && k.dir != p && p != "" && !strings.HasPrefix(dp, p+"/") {
			continue
		}
		add(k.d)
	}
	return refs
}

// manifestService names the repo service a manifest deploys.
func (ix *deployIndex) manifestService(d *yamlDoc) string {
	switch scalar(get(d.root, "kind")) {
	case "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Service", "Rollout":
		if s := ix.service(scalar(getPath(d.root, "metadata", "name"))); s != "" {
			return s
		}
		for _, c := range items(getPath(d.root, "spec", "template", "spec", "containers")) {
			if s := ix.imageService(scalar(get(c, "image"))); s != "" {
				return s
			}
		}
		return ix.l.serviceOf(d.in.path)
	}
	return ""
}

// kustomizeRefs follows a kustomization's resources to the services they
// deploy.
func (ix *deployIndex) kustomizeRefs(dir string, depth int) []facts.ServiceRef {
	k := ix.kustomize[dir]
	if k == nil || depth > 8 {
		return ix.manifestRefs(dir, false, dir)
	}
	var refs []facts.ServiceRef
	for _, key := range []string{"resources", "bases"} {
		for _, r := range items(get(k.root, key)) {
			p := joinDir(dir, scalar(r))
			if p == "" {
				continue
			}
			for _, ref := range ix.kustomizeRefs(p, depth+1) {
				refs = appendRef(refs, ref)
			}
		}
	}
	for _, img := range items(get(k.root, "images")) {
		if s := ix.service(path.Base(scalar(get(img, "name")))); s != "" {
			refs = appendRef(refs, facts.ServiceRef{Service: s, How: "manifests", Text: dir})
		}
	}
	for i := range refs {
		refs[i].Text = dir
	}
	return refs
}

// chartRefs returns the services a chart deploys: itself, or for an
// umbrella chart, its dependencies and subcharts.
func (ix *deployIndex) chartRefs(dir string) []facts.ServiceRef {
	c := ix.charts[dir]
	if c == nil {
		return nil
	}
	var refs []facts.ServiceRef
	add := func(name string) {
		if s := ix.service(name); s != "" {
			refs = appendRef(refs, facts.ServiceRef{Service: s, How: "chart", Text: dir})
		}
	}
	add(c.name)
	for _, d := range c.deps {
		add(d)
	}
	for _, sub := range slices.Sorted(maps.Keys(ix.charts)) {
		if path.Dir(sub) == dir+"/charts" {
			add(ix.charts[sub].name)
		}
	}
	return refs
}

// skaffoldRefs returns the services a skaffold config builds and deploys.
// Modules, when given, select configs by name (skaffold -m).
func (ix *deployIndex) skaffoldRefs(file, dir string, modules []string) []facts.ServiceRef {
	if file == "" {
		file = "skaffold.yaml"
	}
	var refs []facts.ServiceRef
	for _, d := range ix.skaffoldConfigs(joinDir(dir, file), nil, map[string]bool{}) {
		if len(modules) > 0 && !contains(modules, scalar(getPath(d.root, "metadata", "name"))) {
			continue
		}
		for _, s := range skaffoldArtifacts(ix, d) {
			refs = appendRef(refs, facts.ServiceRef{Service: s.service, How: "skaffold", Text: s.image})
		}
	}
	return refs
}

// skaffoldConfigs returns the config documents of a skaffold file (only
// those named, when names are given) and, through requires:, of the files
// they depend on.
func (ix *deployIndex) skaffoldConfigs(file string, names []string, seen map[string]bool) []*yamlDoc {
	var out []*yamlDoc
	for _, d := range ix.skaffold[file] {
		name := scalar(getPath(d.root, "metadata", "name"))
		key := file + "\x00" + name
		if seen[key] || (len(names) > 0 && !contains(names, name)) {
			continue
		}
		seen[key] = true
		out = append(out, d)
		for _, r := range items(get(d.root, "requires")) {
			p := scalar(get(r, "path"))
			if p == "" {
				continue
			}
			var want []string
			for _, c := range items(get(r, "configs")) {
				want = append(want, scalar(c))
			}
			req := joinDir(path.Dir(file), p)
			if ix.skaffold[req] == nil {
				req = joinDir(req, "skaffold.yaml")
			}
			out = append(out, ix.skaffoldConfigs(req, want, seen)...)
		}
	}
	return out
}

type skaffoldArtifact struct {
	image, service string
	pos            facts.Position
}

func skaffoldArtifacts(ix *deployIndex, d *yamlDoc) []skaffoldArtifact {
	var out []skaffoldArtifact
	for _, a := range items(getPath(d.root, "build", "artifacts")) {
		img := get(a, "image")
		s := ix.service(path.Base(scalar(img)))
		if ctx := scalar(get(a, "context")); s == "" && ctx != "" {
			s = ix.l.serviceOf(joinDir(path.Dir(d.in.path), ctx))
		}
		if s != "" {
			out = append(out, skaffoldArtifact{image: scalar(img), service: s, pos: nodePos(d.in.path, img)})
		}
	}
	return out
}

// finishDeploy derives the facts that need every other parser's output
// (workloads) and sorts the deploy facts.
func (l *loader) finishDeploy() {
	d := &l.repo.Deploy
	sortCIJobs(d.CIJobs)
	sort.SliceStable(d.ImageTags, func(i, j int) bool { return d.ImageTags[i].Pos.Less(d.ImageTags[j].Pos) })
	sort.SliceStable(d.Bundles, func(i, j int) bool { return d.Bundles[i].Pos.Less(d.Bundles[j].Pos) })
	sort.SliceStable(d.Waits, func(i, j int) bool { return d.Waits[i].Pos.Less(d.Waits[j].Pos) })
	l.guard(".", func() { d.Edges = l.lockstepEdges() })
}
