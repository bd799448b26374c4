package load

import (
	"bytes"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// candidate is one piece of evidence that a service exists.
type candidate struct {
	name   string
	root   string // "" when the evidence names no directory
	extra  []string
	reason string
	decl   facts.Position
	// byPrefix lets a deploy name such as "orders-http" join the service
	// "orders" when no service has its exact name.
	byPrefix bool
	// onlyJoin adds evidence to an existing service but never founds one.
	onlyJoin bool
	// mounted is, for a compose service built from an image definition, the
	// repository directory bind-mounted at its working_dir: the code it runs.
	mounted string
	// image is what a deploy workload runs: the image's repository, or the
	// Dockerfile compose builds it from ("" when unknown).
	image string
}

// serviceFolders are the parent folders whose children are services.
var serviceFolders = map[string]bool{"services": true, "apps": true, "svc": true, "microservices": true}

// datastoreImages are image names of databases, caches and brokers: a
// container running one of them is a datastore, not a service.
var datastoreImages = []string{
	"postgres", "postgis", "mysql", "mariadb", "mongo", "redis", "valkey", "cassandra", "scylla",
	"cockroach", "memcached", "elasticsearch", "opensearch", "rabbitmq", "kafka", "zookeeper",
	"nats", "clickhouse", "mssql", "sqlserver", "oracle", "dynamodb", "etcd", "minio", "localstack",
	"timescale", "influxdb", "neo4j", "couchdb", "couchbase", "pulsar", "redpanda", "keydb",
}

// infraImages are platform components (telemetry, proxies, meshes): they
// run beside services but are not services of the repository.
var infraImages = []string{
	"opentelemetry-collector", "otel-collector", "otelcol", "jaeger", "zipkin", "prometheus", "grafana",
	"loki", "tempo", "fluentd", "fluent-bit", "envoy", "istio", "linkerd", "consul", "vault", "traefik",
	"kong", "pgbouncer", "emulator", "firestore", "pubsub", "spanner", "mailhog", "mailpit", "wiremock",
	"coredns", "promtail", "kourier", "cert-manager", "ingress-nginx", "nginx-ingress", "external-dns",
	"metrics-server", "kube-state-metrics", "node-exporter", "alertmanager", "pushgateway", "cadvisor",
	"nginx", "haproxy", "caddy", "httpd", "busybox",
}

// IsDatastoreImage reports whether a container image runs a datastore.
// An image named for its role as one (weaveworksdemos/user-db, orders_db)
// is one too.
func IsDatastoreImage(image string) bool {
	if imageMatches(image, datastoreImages) {
		return true
	}
	base := strings.ToLower(path.Base(image))
	if i := strings.IndexAny(base, ":@"); i >= 0 {
		base = base[:i]
	}
	return strings.HasSuffix(base, "-db") || strings.HasSuffix(base, "_db")
}

// isInfraImage reports whether an image or name is a platform component.
func isInfraImage(image string) bool { return imageMatches(image, infraImages) || platformOwned(image) }

func imageMatches(image string, names []string) bool {
	img := strings.ToLower(image)
	if i := strings.LastIndex(img, "@"); i >= 0 {
		img = img[:i]
	}
	base := path.Base(img)
	if i := strings.Index(base, ":"); i >= 0 {
		base = base[:i]
	}
	for _, d := range names {
		if strings.Contains(base, d) {
			return true
		}
	}
	return false
}

// platformOwners publish only platform images, whatever the image's name
// (jaegertracing/all-in-one, prom/blackbox-exporter, openzipkin/zipkin-slim,
// grafana/agent, gcr.io/knative-releases/..., registry.k8s.io/...).
var platformOwners = map[string]bool{
	"jaegertracing": true, "openzipkin": true, "prom": true, "prometheus": true, "otel": true, "grafana": true,
	"knative-releases": true, "jetstack": true, "bitnami": true, "registry.k8s.io": true, "k8s.gcr.io": true,
}

// platformOwned reports an image of one of those publishers: one of them
// is a part of the image's path before its name.
func platformOwned(image string) bool {
	dir := path.Dir(strings.ToLower(image))
	if dir == "." {
		return false
	}
	for part := range strings.SplitSeq(dir, "/") {
		if platformOwners[part] {
			return true
		}
	}
	return false
}

// isTestHarness reports whether a container name is a test runner (tests,
// e2e, frontendTests, integration-test...), not a service.
func isTestHarness(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "test") || n == "e2e" || strings.HasPrefix(n, "e2e-") || strings.HasSuffix(n, "-e2e")
}

// genericDirs are directory names that say nothing about the service: a
// Dockerfile in services/cart/src/ belongs to cart.
var genericDirs = map[string]bool{
	"src": true, "app": true, "server": true, "service": true, "main": true, "image": true, "container": true,
	"docker-build": true,
}

// The folders that hold no services, nested: exampleFolders ⊂
// toolingFolders ⊂ nonServiceFolders.
var (
	// exampleFolders hold examples, tests and documentation (docs/, a
	// website/ of docs and blog posts): deploy files in them describe demos
	// and test setups, not the repository's services.
	exampleFolders = folderSet(nil, "examples", "example", "test", "tests", "e2e", "docs", "website")
	// toolingFolders add tools, CI set-ups (ci/, docker/github_actions/),
	// test data and monitoring set-ups (dashboards, their generators), as
	// against image definitions (docker/, build/, deploy/...).
	toolingFolders = folderSet(exampleFolders, "tools", "hack", "scripts", "ci", ".github", "github_actions", "github-actions",
		"testdata", "monitoring", "sdk", "sdks")
	// nonServiceFolders hold tooling, tests and image definitions.
	nonServiceFolders = folderSet(toolingFolders, "docker", "build", "deploy", "deployments", "images", "dockerfiles", "dockers")
)

// folderSet is the folders of base and the names given.
func folderSet(base map[string]bool, names ...string) map[string]bool {
	out := maps.Clone(base)
	if out == nil {
		out = map[string]bool{}
	}
	for _, n := range names {
		out[n] = true
	}
	return out
}

// inFolder reports whether a file lies below a folder of the set.
func inFolder(file string, folders map[string]bool) bool {
	return dirIn(path.Dir(file), folders)
}

// dirIn reports whether dir is or lies below a folder of the set.
func dirIn(dir string, folders map[string]bool) bool {
	for part := range strings.SplitSeq(dir, "/") {
		if folders[part] {
			return true
		}
	}
	return false
}

// platformName reports whether a name is exactly that of a datastore or a
// platform component image (cassandra, fluentd): a folder of that name
// builds such an image, not a service.
func platformName(name string) bool {
	return slices.Contains(datastoreImages, name) || slices.Contains(infraImages, name)
}

// inNonServiceFolder reports whether dir is or lies below a tooling, test,
// image-definition or hidden folder.
func inNonServiceFolder(dir string) bool {
	return dirIn(dir, nonServiceFolders) || inHiddenFolder(dir)
}

// inHiddenFolder reports whether dir is or lies below a hidden folder
// (.devcontainer, .github, .circleci): they hold tooling.
func inHiddenFolder(dir string) bool {
	for part := range strings.SplitSeq(dir, "/") {
		if len(part) > 1 && part[0] == '.' && part != ".." {
			return true
		}
	}
	return false
}

// discover finds the services: from the config when it declares them,
// otherwise from the repository's layout and deploy files, strongest
// evidence first.
func (l *loader) discover() {
	l.images = l.builtImages()
	l.mainDirs = l.mainPackageDirs()
	var cands []candidate
	if len(l.opts.Services) > 0 {
		for _, s := range l.opts.Services {
			c := candidate{name: s.Name, reason: "config " + s.File, decl: facts.Position{File: s.File, Line: s.Line}}
			if len(s.Paths) > 0 {
				c.root, c.extra = cleanDir(s.Paths[0]), nil
				for _, p := range s.Paths[1:] {
					c.extra = append(c.extra, cleanDir(p))
				}
			}
			cands = append(cands, c)
		}
		l.repo.Services = merge(cands, "")
		return
	}
	dirs, below := l.dirSet(), l.belowDirs()
	mods, hosts := l.goModServices(below)
	deployed := append(append(l.composeServices(below), l.kubernetesServices(below)...), l.dockerfileServices(below)...)
	deployed = append(deployed, l.stageServices()...)
	deployedNames := map[string]bool{}
	for _, c := range deployed {
		deployedNames[c.name] = true
	}
	layout := append(append(l.folderServices(dirs, below, deployedNames), l.cmdServices(dirs, below)...), l.topServices(dirs, below)...)
	mains := l.mainServices(deployed, append(slices.Clone(mods), layout...), below)
	layout = append(layout, l.appServices(dirs, below, mains)...)
	layout = append(layout, l.moduleServices(below, mains)...)
	for _, h := range hosts {
		if !slices.ContainsFunc(mains, func(m candidate) bool { return under(m.root, h.root) }) {
			mods = append(mods, h)
		}
	}
	sort.SliceStable(mods, func(i, j int) bool { return mods[i].decl.File < mods[j].decl.File })
	cands = append(cands, mods...)
	cands = append(cands, layout...)
	cands = append(cands, mains...)
	cands = append(cands, deployed...)
	generators := l.generateTargets()
	// a program an image ships beside the one it starts is part of that
	// program's service, unless deployed on its own
	helpers := l.helperPrograms()
	for _, q := range slices.Sorted(maps.Keys(helpers)) {
		if deployedNames[path.Base(q)] {
			delete(helpers, q)
			continue
		}
		for i := range cands {
			if cands[i].root == helpers[q] && !slices.Contains(cands[i].extra, q) {
				cands[i].extra = append(cands[i].extra, q)
			}
		}
	}
	cands = slices.DeleteFunc(cands, func(c candidate) bool {
		return codeGenerator(c.name) || helpers[c.root] != "" ||
			(commandLineTool(c.name) || cliSubcommand(c.root) || generators[c.root]) && !deployedNames[c.name]
	})
	l.repo.Services = merge(cands, l.projectName())
}

// projectName is the last element of the root module's path, without a
// major version (github.com/karmada-io/karmada is karmada): the prefix a
// project's deploy files often give its programs' names.
func (l *loader) projectName() string {
	in := l.byPath["go.mod"]
	if in == nil {
		return ""
	}
	mod := modulePath(in.data)
	if base := path.Base(mod); len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		mod = path.Dir(mod)
	}
	return strings.ToLower(path.Base(mod))
}

// generateTargets returns the folders of the programs //go:generate
// directives go run (../cmd/codegen, example.com/shop/cmd/codegen): code
// generators, run at build time, no services.
func (l *loader) generateTargets() map[string]bool {
	out := map[string]bool{}
	for _, f := range l.codeFiles {
		if f == nil { // a file with no usable package clause
			continue
		}
		for _, r := range f.runs {
			if !strings.Contains(r, ".") || strings.HasPrefix(r, ".") || !strings.Contains(r, "/") {
				out[r] = true // already a folder
				continue
			}
			for _, m := range l.repo.GoModules {
				if rest, ok := strings.CutPrefix(r, m.Path); ok && (rest == "" || rest[0] == '/') {
					out[cleanDir(path.Join(m.Dir, rest))] = true
				}
			}
		}
	}
	return out
}

// commandLineTool reports a program named like a command-line client,
// utility or example (nuctl, kumactl, shop-cli, openim-cmdutils, db-tool,
// a kubectl-karmada plugin, detector-example): a tool people run against
// the system, or a demonstration, not a part of it, unless a deploy file
// runs it.
func commandLineTool(name string) bool {
	n := strings.ToLower(name)
	for _, suffix := range []string{"ctl", "cli", "utils", "util", "tool", "tools", "-example", "_example"} {
		if strings.HasSuffix(n, suffix) {
			return true
		}
	}
	return strings.HasPrefix(n, "kubectl-")
}

// cliSubcommand reports a program in a command-line client's folder
// (volcano's cmd/cli/vsub, the vcctl subcommands as programs of their own).
func cliSubcommand(dir string) bool {
	parent := path.Base(path.Dir(dir))
	return dir != "" && path.Dir(dir) != "." && (parent == "cli" || parent == "ctl" || commandLineTool(parent))
}

// codeGenerator reports a protoc plugin's name (protoc-gen-go-errors): a
// build tool with a main package and often a go.mod, never deployed.
func codeGenerator(name string) bool {
	return strings.HasPrefix(strings.ToLower(name), "protoc-gen-")
}

// demoFile reports whether a deploy file describes a demo, a development
// environment or a test rather than the system: it lies in an example,
// docs, tooling (tools/, hack/, scripts/, ci/) or test folder, or in a
// hidden one (.devcontainer/docker-compose.yml). Its
// workloads only join services found elsewhere.
func demoFile(file string) bool {
	return inFolder(file, toolingFolders) || inHiddenFolder(path.Dir(file)) || testFolder(path.Dir(file))
}

// testFolder reports whether dir is or lies below a folder of tests or
// test fixtures: one a word of whose name (split at - _ .) is test, tests,
// testing, qa or e2e, or starts with test (testimages) or ends in tests
// (e2etests). attestation is no such word.
func testFolder(dir string) bool {
	for part := range strings.SplitSeq(dir, "/") {
		for _, w := range strings.FieldsFunc(strings.ToLower(part), func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
			switch {
			case w == "qa" || w == "e2e" || w == "testing",
				strings.HasPrefix(w, "test"), strings.HasSuffix(w, "tests"):
				return true
			}
		}
	}
	return false
}

// dirSet returns every directory that holds an input, with its parents.
func (l *loader) dirSet() map[string]bool {
	dirs := map[string]bool{}
	for _, in := range l.inputs {
		for d := path.Dir(in.path); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	return dirs
}

// dirBelow holds, for a directory, what discovery asks of the inputs in it
// and the directories below it.
type dirBelow struct {
	first      string // the first of them, in input order
	dockerfile bool   // one of them is a Dockerfile
	program    bool   // one of them is a Dockerfile, a go.mod or a main package's file
}

// belowDirs indexes every directory that holds an input (with its parents,
// the root left out) by what is below it, in one pass over the inputs.
func (l *loader) belowDirs() map[string]*dirBelow {
	out := map[string]*dirBelow{}
	for _, in := range l.inputs {
		docker := in.kind == kindDockerfile
		prog := docker || in.kind == kindGoMod || in.kind == kindGo && l.goPkgs[in] == "main" && !strings.HasSuffix(in.path, "_test.go")
		for d := path.Dir(in.path); d != "."; d = path.Dir(d) {
			b := out[d]
			if b == nil {
				out[d] = &dirBelow{first: in.path, dockerfile: docker, program: prog}
				continue
			}
			// Every parent of d is indexed already, and marked when d is.
			if (!docker || b.dockerfile) && (!prog || b.program) {
				break
			}
			b.dockerfile = b.dockerfile || docker
			b.program = b.program || prog
		}
	}
	return out
}

// goModServices: a nested module is a service when it has a main package,
// a Dockerfile, or sits in a services-style folder. Other nested modules are
// shared libraries. The modules that are services only for a Dockerfile
// somewhere below them are returned apart, as hosts: when main packages in
// one of them are deployed services of their own (mainServices), the
// module holds several services and is none itself.
func (l *loader) goModServices(below map[string]*dirBelow) (mods, hosts []candidate) {
	for _, in := range l.inputs {
		if in.kind != kindGoMod {
			continue
		}
		dir := path.Dir(in.path)
		if dir == "." {
			continue
		}
		inFolder := serviceFolders[path.Base(path.Dir(dir))]
		main := l.hasMain(dir)
		if !main && !inFolder {
			switch mains := l.moduleMains(dir); {
			case len(mains) == 1 && under(mains[0], dir+"/cmd"):
				main = true // collector/cmd/main.go: the module's one program
			case len(mains) > 1:
				continue // several programs: moduleServices makes each a service
			}
		}
		if !inFolder && (inNonServiceFolder(dir) || !main && (below[dir] == nil || !below[dir].dockerfile)) {
			continue
		}
		c := candidate{name: path.Base(dir), root: dir, reason: "go.mod " + in.path,
			decl: facts.Position{File: in.path, Line: 1}}
		if inFolder || main {
			mods = append(mods, c)
		} else {
			hosts = append(hosts, c)
		}
	}
	return mods, hosts
}

// mainServices: a main package whose folder has the name of a service the
// deploy files build or run (a Dockerfile's folder, a compose service, a
// Kubernetes workload) is that service's code, wherever its image is
// defined: goharbor/harbor builds src/core from make/photon/core/Dockerfile.
// Main packages already in a directory of that service's evidence, or in a
// service the layout gives (owners), are left alone.
func (l *loader) mainServices(deployed, owners []candidate, below map[string]*dirBelow) []candidate {
	roots := map[string][]string{} // the directories each deployed name gives
	for _, c := range deployed {
		if c.onlyJoin && c.decl.File != "" && inFolder(c.decl.File, toolingFolders) ||
			platformName(c.name) {
			continue // tools/swagger/Dockerfile builds a tool, cassandra/Dockerfile a database
		}
		roots[c.name] = append(roots[c.name], c.root)
	}
	owned := map[string]bool{}
	for _, c := range owners {
		owned[c.root] = c.root != ""
	}
	ownedDir := func(d string) bool {
		for ; d != "."; d = path.Dir(d) {
			if owned[d] {
				return true
			}
		}
		return false
	}
	var dirs []string
	for in, name := range l.goPkgs {
		if name == "main" && !strings.HasSuffix(in.path, "_test.go") {
			dirs = append(dirs, path.Dir(in.path))
		}
	}
	slices.Sort(dirs)
	dirs = slices.Compact(dirs)
	var out []candidate
	named := map[string]int{}
	for _, d := range dirs {
		if d == "." || inNonServiceFolder(d) || ownedDir(d) {
			continue
		}
		name, root := deployedFolder(d, roots)
		if name == "" || slices.ContainsFunc(roots[name], func(r string) bool { return under(d, r) }) ||
			slices.ContainsFunc(out, func(c candidate) bool { return c.name == name && c.root == root }) {
			continue
		}
		named[name]++
		out = append(out, candidate{name: name, root: root, reason: "main package " + d + "/ of a deployed service",
			decl: l.declIn(root, below)})
	}
	// Two folders of one name: which one the image runs is unknown.
	return slices.DeleteFunc(out, func(c candidate) bool { return named[c.name] > 1 })
}

// deployedFolder returns the nearest folder from dir up whose name, or
// whose last two or three path parts joined by dashes, is a deployed name
// (src/core: core; app/cart/service: cart-service), with that name.
func deployedFolder(dir string, names map[string][]string) (name, folder string) {
	for a := dir; a != "."; a = path.Dir(a) {
		n := ""
		for k, b := 0, a; k < 3 && b != "."; k, b = k+1, path.Dir(b) {
			if n == "" {
				n = path.Base(b)
			} else {
				n = path.Base(b) + "-" + n
			}
			if _, ok := names[n]; ok {
				return n, a
			}
		}
	}
	return "", ""
}

// folderServices: every child of a services/, apps/, svc/ folder that holds
// input files; in such a folder one level down, every child that holds a
// program (a main package, a Dockerfile or a go.mod) or has the name of a
// service the deploy files run (internal/services/geo, run by a compose
// service geo from a binary built elsewhere).
func (l *loader) folderServices(dirs map[string]bool, below map[string]*dirBelow, deployed map[string]bool) []candidate {
	var children []string
	for d := range dirs {
		parent := path.Dir(d)
		program := below[d] != nil && below[d].program
		if !serviceFolders[path.Base(parent)] || strings.Count(parent, "/") > 1 {
			continue
		}
		// One level down (backend/services/orders), the folder must hold a
		// program: argo-cd's applicationset/services/ and
		// resource_customizations/apps/ hold packages and data.
		if strings.Contains(parent, "/") && !program && !deployed[path.Base(d)] {
			continue
		}
		children = append(children, d)
	}
	slices.Sort(children)
	var out []candidate
	for _, d := range children {
		out = append(out, candidate{name: path.Base(d), root: d,
			reason: "folder " + d + "/", decl: l.declIn(d, below)})
	}
	return out
}

// appServices: go-zero's app/order/cmd/{api,rpc}: each folder of a
// top-level app/ whose programs are its own (in its cmd/ or itself) is a
// service; one whose programs lie in subfolders (kratos' app/shop/admin,
// app/shop/interface, each with its cmd/) holds one service per subfolder,
// named like kratos' deploy names (shop-admin). Elsewhere app/ is one
// application's code (app/handlers, app/config). Folders holding the main
// package of a service the deploy files name (mains) are left to it.
func (l *loader) appServices(dirs map[string]bool, below map[string]*dirBelow, mains []candidate) []candidate {
	program := func(d string) bool { return below[d] != nil && below[d].program }
	claimed := func(d string) bool {
		return slices.ContainsFunc(mains, func(m candidate) bool { return under(m.root, d) })
	}
	var out []candidate
	add := func(name, d string) {
		if !claimed(d) {
			out = append(out, candidate{name: name, root: d, reason: "folder " + d + "/", decl: l.declIn(d, below)})
		}
	}
	var app []string // the folders below app/, sorted
	for d := range dirs {
		if strings.HasPrefix(d, "app/") {
			app = append(app, d)
		}
	}
	slices.Sort(app)
	for _, d := range app {
		name := path.Base(d)
		if path.Dir(d) != "app" || !program(d) || genericDirs[name] || name == "cmd" || inNonServiceFolder(d) {
			continue
		}
		if program(d+"/cmd") || l.hasMain(d) {
			add(name, d)
			continue
		}
		for _, c := range app {
			if path.Dir(c) == d && program(c) && !inNonServiceFolder(c) {
				add(name+"-"+path.Base(c), c)
			}
		}
	}
	return out
}

// moduleMains returns the folders of main packages inside a nested module
// (below its root, not in tooling, test or example folders, not in a
// nested module of their own), sorted.
func (l *loader) moduleMains(mod string) []string {
	var out []string
	for _, m := range l.mainDirs {
		d := m.dir
		if m.module == mod && d != mod && !inNonServiceFolder(strings.TrimPrefix(d, mod+"/")) &&
			!strings.Contains("/"+strings.TrimPrefix(d, mod+"/"), "/_") {
			out = append(out, d)
		}
	}
	return out
}

// moduleServices: a nested Go module holding several main packages and none
// at its root (easy_note/cmd/{api,note,user}, book-shop/app/{item,order})
// holds one service per program, named by its folder (by the folder above
// a generic one: shop/server gives shop), as cmd/ does in a root module.
// A module whose programs the deploy files name (mains: harbor's src/core,
// src/jobservice) is left to those, its other programs being tools.
func (l *loader) moduleServices(below map[string]*dirBelow, mains []candidate) []candidate {
	var out []candidate
	for _, in := range l.inputs {
		mod := path.Dir(in.path)
		if in.kind != kindGoMod || mod == "." || l.hasMain(mod) || serviceFolders[path.Base(path.Dir(mod))] || inNonServiceFolder(mod) ||
			slices.ContainsFunc(l.byDir[mod], func(in *input) bool { return in.kind == kindDockerfile }) {
			continue // a Dockerfile at its root builds the module as one service
		}
		programs := slices.DeleteFunc(l.moduleMains(mod), func(d string) bool { return migrationTool(strings.TrimPrefix(d, mod+"/")) })
		if len(programs) < 2 || slices.ContainsFunc(mains, func(m candidate) bool { return under(m.root, mod) }) {
			continue
		}
		for _, d := range programs {
			name := path.Base(d)
			for (genericDirs[name] || name == "cmd" || versionName(name)) && path.Dir(d) != mod {
				d = path.Dir(d)
				name = path.Base(d)
			}
			if name == "cmd" || versionName(name) {
				continue // cmd/app of a module: its one program, no name of its own
			}
			out = append(out, candidate{name: name, root: d, reason: "main package " + d + "/ in module " + mod, decl: l.declIn(d, below)})
		}
	}
	return out
}

// versionName reports a folder named only by a version (v2, v1beta1).
func versionName(name string) bool { return versionFolder.MatchString(name) }

var versionFolder = regexp.MustCompile(`^v[0-9]+(?:(?:alpha|beta)[0-9]*)?$`)

// migrationTool reports a program path below a migration or seed folder
// (cmd/migration/v2, tools/seed): a one-off job, no service.
func migrationTool(rel string) bool {
	for part := range strings.SplitSeq(rel, "/") {
		switch part {
		case "migrate", "migration", "migrations", "migrator", "seed", "seeder", "seeds":
			return true
		}
	}
	return false
}

// cmdServices: in a repository whose root is a Go module, each main
// package below cmd/ (cmd/<name>, cmd/microservices/<name>) is a service,
// owning internal/<name> and pkg/<name> too.
func (l *loader) cmdServices(dirs map[string]bool, below map[string]*dirBelow) []candidate {
	if !l.hasInput("go.mod") {
		return nil
	}
	var cmdDirs []string
	for d := range dirs {
		if strings.HasPrefix(d, "cmd/") {
			cmdDirs = append(cmdDirs, d)
		}
	}
	slices.Sort(cmdDirs)
	// internal/<group>/<name> folders by name: a program's code grouped
	// under internal/ (internal/tools/gittar) when only one has its name,
	// and under cmd/ (testkube's cmd/tcl/testworkflow-toolkit, the code of
	// cmd/testworkflow-toolkit), folders that hold no program themselves
	grouped := map[string][]string{}
	for d := range dirs {
		rest, ok := strings.CutPrefix(d, "internal/")
		if !ok {
			// not a program, nor a folder of one (cmd/tempo-query/tempo is
			// tempo-query's, not tempo's)
			if rest, ok = strings.CutPrefix(d, "cmd/"); ok && (l.hasMain(d) || l.hasMain(path.Dir(d))) {
				continue
			}
		}
		if ok && strings.Count(rest, "/") == 1 {
			grouped[path.Base(rest)] = append(grouped[path.Base(rest)], d)
		}
	}
	stems := programStems(slices.DeleteFunc(slices.Clone(cmdDirs), func(d string) bool { return !l.hasMain(d) }))
	var out []candidate
	for _, d := range cmdDirs {
		if !l.hasMain(d) || inNonServiceFolder(strings.TrimPrefix(d, "cmd/")) {
			continue // cmd/tools/gendynamicconfig: a tool
		}
		name := path.Base(d)
		c := candidate{name: name, root: d, reason: "main package " + d + "/", decl: l.declIn(d, below)}
		var extras []string
		for _, n := range nameForms(name) {
			extras = append(extras, "internal/"+n, "pkg/"+n)
			if !layoutFolders[n] && !nonServiceFolders[n] && !l.hasInput(n+"/go.mod") {
				extras = append(extras, n) // dragonfly's cmd/manager and manager/
			}
			if g := grouped[n]; len(g) == 1 {
				extras = append(extras, g[0]) // erda's cmd/gittar and internal/tools/gittar
			}
		}
		if st := stems[d]; st.stem != "" {
			// the stem is a shorter, more common name: only folders where
			// the program's name puts it (internal/rpc/user for
			// openim-rpc-user, not internal/services/admin for
			// hatchet-admin)
			for _, n := range nameForms(st.stem) {
				extras = append(extras, "internal/"+n, "pkg/"+n)
				for _, g := range st.words {
					extras = append(extras, "internal/"+g+"/"+n)
				}
			}
		}
		for _, extra := range extras {
			if dirs[extra] && !contains(c.extra, extra) {
				c.extra = append(c.extra, extra)
			}
		}
		out = append(out, c)
	}
	return out
}

// programStems returns the names of programs without the prefix they
// share with all their siblings, when the programs of one folder share one
// (open-im's cmd/openim-rpc/openim-rpc-user is user, its code in
// internal/rpc/user): the project's name, not the program's. A stem that
// only says what any program is (server, service) is none.
func programStems(dirs []string) map[string]programStem {
	byParent := map[string][]string{}
	for _, d := range dirs {
		byParent[path.Dir(d)] = append(byParent[path.Dir(d)], path.Base(d))
	}
	out := map[string]programStem{}
	for parent, names := range byParent {
		if len(names) < 2 {
			continue
		}
		prefix := names[0]
		for _, n := range names[1:] {
			for !strings.HasPrefix(n, prefix) {
				prefix = prefix[:len(prefix)-1]
			}
		}
		prefix = prefix[:strings.LastIndexAny(prefix, "-_")+1] // whole words only
		if prefix == "" {
			continue
		}
		words := strings.FieldsFunc(prefix, func(r rune) bool { return r == '-' || r == '_' })
		for _, n := range names {
			if stem := n[len(prefix):]; stem != "" && !genericStems[stem] {
				out[path.Join(parent, n)] = programStem{stem: stem, words: words}
			}
		}
	}
	return out
}

// programStem is a program's name without its siblings' prefix, and the
// words of that prefix.
type programStem struct {
	stem  string
	words []string
}

var genericStems = map[string]bool{"server": true, "service": true, "svc": true, "app": true, "main": true, "daemon": true}

// layoutFolders are the top-level folders of the usual Go project layout:
// a folder of one of these names holds every service's files of its kind
// (api/ their specs), never one program's code.
var layoutFolders = folderSet(nil, "api", "apis", "proto", "protos", "web", "configs", "config", "cmd", "internal", "pkg",
	"assets", "migrations", "charts", "helm", "vendor", "third_party", "third-party", "bin", "lib", "src", "common", "shared")

// topServices: in a repository whose root is a Go module, when several
// top-level folders each hold a main package of their own, each is a
// service (micro/services: address/, avatar/, cache/... each with its
// main.go, handlers and proto). The same holds for the folders of a
// top-level src/, with or without a go.mod (a GOPATH-era layout:
// src/user-microservice/main.go, src/movie-microservice/main.go). Tooling,
// test, example and hidden folders are left out, as are folders starting
// with an underscore (_examples).
func (l *loader) topServices(dirs map[string]bool, below map[string]*dirBelow) []candidate {
	var top, src []string
	for d := range dirs {
		if !strings.Contains(d, "/") {
			top = append(top, d)
		} else if rest, ok := strings.CutPrefix(d, "src/"); ok && !strings.Contains(rest, "/") {
			src = append(src, d)
		}
	}
	var out []candidate
	if l.hasInput("go.mod") {
		out = l.mainFolders(top, below)
	}
	return append(out, l.mainFolders(src, below)...)
}

// mainFolders returns the folders of a list that hold a main package, as
// services, when there are two or more.
func (l *loader) mainFolders(list []string, below map[string]*dirBelow) []candidate {
	slices.Sort(list)
	var out []candidate
	for _, d := range list {
		name := path.Base(d)
		if name == "cmd" || name == "src" || strings.HasPrefix(name, "_") || inNonServiceFolder(name) ||
			exampleFolders[name] {
			continue
		}
		if main := l.ownMain(d); main != "" && (main == d || !codeFolders[name]) {
			out = append(out, candidate{name: name, root: d, reason: "main package " + main + "/", decl: l.declIn(d, below)})
			continue
		}
		if codeFolders[name] {
			continue
		}
		// several programs in its cmd/ (scanner/cmd/{scanner,updater}):
		// each is a service, as cmd/<name> is in the root
		for _, m := range l.cmdPrograms(d + "/cmd") {
			out = append(out, candidate{name: path.Base(m), root: m, reason: "main package " + m + "/", decl: l.declIn(m, below)})
		}
	}
	if len(out) < 2 {
		return nil // one program beside a library: not a repository of services
	}
	return out
}

// cmdPrograms returns the main packages directly in the folders of cmd
// (cmd/<name>), command-line clients and migration jobs left out.
func (l *loader) cmdPrograms(cmd string) []string {
	var out []string
	i, _ := slices.BinarySearchFunc(l.mainDirs, cmd+"/", func(m mainDir, d string) int { return strings.Compare(m.dir, d) })
	for ; i < len(l.mainDirs); i++ {
		rest, ok := strings.CutPrefix(l.mainDirs[i].dir, cmd+"/")
		if !ok {
			break
		}
		if !strings.Contains(rest, "/") && !commandLineTool(rest) && !migrationTool(rest) {
			out = append(out, l.mainDirs[i].dir)
		}
	}
	return out
}

// codeFolders are the top-level folders of one program's or a library's
// code: a cmd/ in them (internal/cmd/gen) holds the repository's tools.
var codeFolders = map[string]bool{"internal": true, "pkg": true, "lib": true, "libs": true, "common": true,
	"shared": true, "util": true, "utils": true, "api": true, "apis": true, "proto": true}

// ownMain returns the folder of a program of dir's own: dir itself, its
// cmd/, or the one folder of its cmd/ (addsvc/cmd/addsvc, actions/cmd);
// "" for none.
func (l *loader) ownMain(dir string) string {
	if l.hasMain(dir) {
		return dir
	}
	cmd := dir + "/cmd"
	if l.hasMain(cmd) {
		return cmd
	}
	// One program in cmd/ (command-line clients aside) makes the folder
	// its service; several (disperser/cmd/{apiserver,batcher,encoder})
	// are services of their own, found by their deploy files.
	found := ""
	i, _ := slices.BinarySearchFunc(l.mainDirs, cmd+"/", func(m mainDir, d string) int { return strings.Compare(m.dir, d) })
	for ; i < len(l.mainDirs); i++ {
		rest, ok := strings.CutPrefix(l.mainDirs[i].dir, cmd+"/")
		if !ok {
			break
		}
		if strings.Contains(rest, "/") || commandLineTool(rest) {
			continue
		}
		if found != "" {
			return ""
		}
		found = l.mainDirs[i].dir
	}
	return found
}

// separators drops a name's dashes and underscores.
var separators = strings.NewReplacer("-", "", "_", "")

// joinedName is a name lower-cased without its dashes and underscores.
func joinedName(name string) string {
	return strings.ToLower(separators.Replace(name))
}

// nameForms returns a service name, the name without its dashes and
// underscores, and, when it ends in a service suffix, its stem:
// order-service owns pkg/order and pkg/orderservice as well as
// pkg/order-service.
func nameForms(name string) []string {
	forms := []string{name}
	if joined := separators.Replace(name); joined != name {
		forms = append(forms, joined) // cmd/chaos-daemon owns pkg/chaosdaemon
	}
	for _, suffix := range []string{"-service", "_service", "-svc", "_svc", "service", "svc"} {
		if stem := strings.TrimSuffix(name, suffix); stem != name && stem != "" {
			return append(forms, stem)
		}
	}
	return forms
}

// composeServices: compose services with a build context.
func (l *loader) composeServices(below map[string]*dirBelow) []candidate {
	var out []candidate
	for _, d := range l.docsOf(docCompose) {
		var found []candidate
		contexts := map[string]int{}
		jobs := composeJobs(d)
		for _, kv := range pairs(get(d.root, "services")) {
			name := kv[0].Value
			root, built := composeContext(d, kv[1])
			if root != "" && !l.dirExists(root) {
				root = l.nearestFolder(root) // ../auth written from a folder one level too deep
			}
			reason := fmt.Sprintf("compose service %s in %s", name, d.in.path)
			df := composeDockerfile(d, kv[1])
			if img := l.images[imageRepo(scalar(get(kv[1], "image")))]; !built && img != "" {
				// runs an image this repository builds: code of its own,
				// in the Dockerfile's folder unless that only holds images
				built, reason, df = true, reason+" (image built from "+img+")", img
				if dir := path.Dir(img); dir != "." && !inNonServiceFolder(dir) {
					root = dir
				}
			}
			if built && (root == "" || !l.hasMain(root) && (below[root] == nil || !below[root].dockerfile)) {
				// the one program its Dockerfile compiles (go build ./cmd/ledgerd)
				if prog := l.dockerfileProgram(df); prog != "" && (root == "" || under(prog, root)) {
					root = prog
				}
			}
			if !built || isTestHarness(name) || IsDatastoreImage(name) || isInfraImage(name) ||
				isInfraImage(scalar(get(kv[1], "image"))) {
				continue
			}
			c := candidate{name: name, root: root, byPrefix: true, onlyJoin: demoFile(d.in.path) || jobs[name],
				reason: reason, image: firstNonEmpty(imageRepo(scalar(get(kv[1], "image"))), df),
				decl: facts.Position{File: d.in.path, Line: kv[0].Line, Col: kv[0].Column}}
			if root != "" && inNonServiceFolder(root) {
				// built from an image definition (docker/web), run from the
				// code mounted at its working_dir (./web:/web): that code.
				c.mounted = mountedWorkdir(d, kv[1])
			}
			contexts[root]++
			found = append(found, c)
		}
		// A build context shared by several compose services (one image
		// built many ways, or the whole repository) belongs to none of them,
		// unless each runs the code mounted at its working_dir.
		for _, c := range found {
			switch {
			case c.mounted != "":
				c.root = c.mounted
			case contexts[c.root] > 1:
				c.root = ""
			}
			out = append(out, c)
		}
	}
	return out
}

// composeJobs returns the compose services that are one-shot jobs: those
// another service waits on to complete (depends_on with condition
// service_completed_successfully: a migration, a seed). A job runs a
// service's image to prepare for it; it is no service of its own.
func composeJobs(d *yamlDoc) map[string]bool {
	jobs := map[string]bool{}
	for _, kv := range pairs(get(d.root, "services")) {
		for _, dep := range pairs(get(kv[1], "depends_on")) {
			if scalar(get(dep[1], "condition")) == "service_completed_successfully" {
				jobs[dep[0].Value] = true
			}
		}
	}
	return jobs
}

// nearestFolder returns, for a build context that does not exist
// (deploy/auth, written ../auth from a folder one level too deep), the
// folder its path names from higher up (auth), "" when there is none.
func (l *loader) nearestFolder(dir string) string {
	parts := strings.Split(dir, "/")
	for i := 1; i < len(parts); i++ {
		if d := strings.Join(parts[i:], "/"); l.dirExists(d) {
			return d
		}
	}
	return ""
}

// dirExists reports whether a repo-relative folder exists.
func (l *loader) dirExists(dir string) bool {
	fi, err := l.root.Stat(dir)
	return err == nil && fi.IsDir()
}

// buildContext returns a compose service's build node and its context as
// written ("" when it builds nothing; build: {dockerfile: ...} builds from
// the compose file's folder, ".").
func buildContext(svc *yaml.Node) (build *yaml.Node, ctx string) {
	b := get(svc, "build")
	if b == nil {
		return nil, ""
	}
	ctx = scalar(b)
	if ctx == "" {
		ctx = firstNonEmpty(scalar(get(b, "context")), ".")
	}
	return b, ctx
}

// composeDockerfile returns the repo-relative path of the Dockerfile a
// compose service builds with, "" when it builds none or one outside.
func composeDockerfile(d *yamlDoc, svc *yaml.Node) string {
	b, ctx := buildContext(svc)
	if ctx == "" || strings.Contains(ctx, "://") {
		return ""
	}
	name := firstNonEmpty(scalar(get(b, "dockerfile")), "Dockerfile")
	if path.IsAbs(name) {
		return ""
	}
	p := cleanDir(path.Join(path.Dir(d.in.path), ctx, name))
	if strings.HasPrefix(p, "../") {
		return ""
	}
	return p
}

// composeContext returns a compose service's build context as a
// repo-relative directory ("" for the repository root or a context outside
// it), and whether the service is built at all.
func composeContext(d *yamlDoc, svc *yaml.Node) (root string, ok bool) {
	b, ctx := buildContext(svc)
	if ctx == "" || strings.Contains(ctx, "://") {
		return "", false
	}
	root = cleanDir(path.Join(path.Dir(d.in.path), ctx))
	if strings.HasPrefix(root, "../") || root == ".." {
		return "", true // built from outside the repository: known by name only
	}
	// build: {context: ., dockerfile: ./openapi/Dockerfile} builds what
	// openapi/ holds, unless that is a folder of image definitions
	// (docker/, build/) or the Dockerfile lies outside the context.
	if f := scalar(get(b, "dockerfile")); f != "" && !path.IsAbs(f) {
		if dir := path.Dir(path.Clean(f)); dir != "." && !strings.HasPrefix(dir, "..") && !inNonServiceFolder(dir) {
			return cleanDir(path.Join(root, dir)), true
		}
	}
	return root, true
}

// mountedWorkdir maps a compose service's working_dir back through its
// bind mounts to a repository directory (./web:/web with working_dir /web
// runs web/), or "".
func mountedWorkdir(d *yamlDoc, svc *yaml.Node) string {
	var binds [][2]string
	for _, v := range items(get(svc, "volumes")) {
		if v.Kind == yaml.ScalarNode {
			if parts := strings.Split(v.Value, ":"); len(parts) >= 2 {
				binds = append(binds, [2]string{parts[0], parts[1]})
			}
		} else if t := scalar(get(v, "type")); t == "bind" || t == "" {
			binds = append(binds, [2]string{scalar(get(v, "source")), scalar(get(v, "target"))})
		}
	}
	if dirs := workdirSources(scalar(get(svc, "working_dir")), binds, path.Dir(d.in.path)); len(dirs) > 0 {
		return dirs[0]
	}
	return ""
}

// workdirSources returns, in mount order, the repository directories a
// container's working_dir comes from through its bind mounts (source,
// target; sources relative to the compose file's folder dir): ./internal
// mounted at /internal with working_dir /internal/trainer gives
// internal/trainer. Named volumes and host paths outside the repository
// give none.
func workdirSources(workingDir string, binds [][2]string, dir string) []string {
	wd := path.Clean(workingDir)
	if workingDir == "" || !path.IsAbs(wd) {
		return nil
	}
	var out []string
	for _, b := range binds {
		src, target := b[0], b[1]
		if !strings.HasPrefix(src, ".") || !path.IsAbs(target) {
			continue
		}
		t := path.Clean(target)
		if wd != t && !strings.HasPrefix(wd, t+"/") {
			continue
		}
		if d := cleanDir(path.Join(dir, src, strings.TrimPrefix(wd, t))); d != "" && !strings.HasPrefix(d, "..") {
			out = append(out, d)
		}
	}
	return out
}

// baseImageFile reports a Dockerfile named as building a base image
// (Dockerfile.base, base.Dockerfile): other images build on it.
func baseImageFile(p string) bool {
	b := strings.ToLower(path.Base(p))
	return b == "dockerfile.base" || b == "base.dockerfile"
}

// datastoreBase reports a Dockerfile whose last stage builds on a datastore
// image (FROM postgres:16) or declares a database's data volume (VOLUME
// /var/lib/postgresql/data, harbor's db image on its own base): a database
// with the repository's schema or settings, not a service.
func datastoreBase(data []byte) bool {
	last := ""
	for _, ins := range dockerInstructions(data) {
		if ins.cmd == "VOLUME" {
			for _, v := range []string{"/var/lib/postgresql", "/var/lib/mysql", "/data/db", "/var/lib/redis", "/bitnami/"} {
				if strings.Contains(ins.args, v) {
					return true
				}
			}
		}
		if ins.cmd == "FROM" {
			last = ""
			for _, f := range strings.Fields(ins.args) {
				if !strings.HasPrefix(f, "--") { // --platform=...
					last = f
					break
				}
			}
		}
	}
	return last != "" && (IsDatastoreImage(last) || migrationImage(last))
}

// toolchainImages are the images of toolchains and bare systems: run as
// they are, they start a shell or an interpreter, nothing of the
// repository's.
var toolchainImages = map[string]bool{"golang": true, "python": true, "node": true, "ubuntu": true, "debian": true,
	"alpine": true, "buildpack-deps": true, "rust": true, "openjdk": true, "maven": true, "gradle": true, "centos": true,
	"fedora": true, "amazonlinux": true, "bash": true}

// runsNothing reports a Dockerfile whose last stage builds on a toolchain
// or a bare system (FROM golang, FROM ubuntu), sets no CMD or ENTRYPOINT
// and builds nothing of the repository's (no go build, go run or make; a
// go install of a published tool@version is no build of its own): an image
// of tools (kubeflow's protoc code generator). An image that builds a
// program and leaves the command to its deploy file is not one.
func runsNothing(data []byte) bool {
	if bytes.Contains(data, []byte("go build")) {
		return false // the common case, told without reading the instructions
	}
	from, starts := "", false
	for _, ins := range dockerInstructions(data) {
		switch ins.cmd {
		case "FROM":
			from, starts = "", false
			for _, f := range strings.Fields(ins.args) {
				if !strings.HasPrefix(f, "--") {
					from = strings.ToLower(f)
					break
				}
			}
		case "CMD", "ENTRYPOINT":
			starts = true
		case "RUN":
			if localBuild.MatchString(ins.args) {
				return false
			}
		}
	}
	if i := strings.IndexAny(from, ":@"); i >= 0 {
		from = from[:i]
	}
	from = strings.TrimPrefix(strings.TrimPrefix(from, "docker.io/"), "library/")
	return !starts && toolchainImages[from]
}

// localBuild matches a command building the repository's code: go build,
// go run, make, or go install of a local package.
var localBuild = regexp.MustCompile(`\bgo\s+(build|run)\b|\bmake\b|\bgo\s+install\s+(-\S+\s+)*\.`)

// migrationTools are the images of schema migration tools: an image built
// on one (FROM migrate/migrate, COPY the migrations) is a job that
// migrates a database, no service.
var migrationTools = []string{"migrate/migrate", "flyway/flyway", "liquibase/liquibase", "liquibase", "arigaio/atlas",
	"amacneil/dbmate", "ghcr.io/amacneil/dbmate", "sqitch/sqitch", "boxfuse/flyway", "redgate/flyway"}

// migrationImage reports an image of a schema migration tool.
func migrationImage(image string) bool {
	img := strings.ToLower(image)
	if i := strings.LastIndex(img, "@"); i >= 0 {
		img = img[:i]
	}
	if i := strings.LastIndex(img, ":"); i > strings.LastIndex(img, "/") {
		img = img[:i]
	}
	return slices.Contains(migrationTools, strings.TrimPrefix(img, "docker.io/"))
}

// imageProgram returns the folder of the program an image runs: the one
// program the Dockerfile the repository builds it from compiles, else the
// one main package named like the image (acme/ledgerd is cmd/ledgerd).
// "" when neither or several.
func (l *loader) imageProgram(image string) string {
	repo := imageRepo(image)
	if repo == "" {
		return ""
	}
	if df := l.images[repo]; df != "" {
		if dir := path.Dir(df); dir != "." && !inNonServiceFolder(dir) && l.hasMain(dir) {
			return dir // the program's own folder holds its Dockerfile
		}
		if prog := l.dockerfileProgram(df); prog != "" {
			return prog
		}
	}
	if l.mainByName == nil {
		l.mainByName = map[string][]string{}
		for _, m := range l.mainDirs {
			if !inNonServiceFolder(m.dir) {
				b := path.Base(m.dir)
				l.mainByName[b] = append(l.mainByName[b], m.dir)
			}
		}
	}
	if dirs := l.mainByName[path.Base(repo)]; len(dirs) == 1 {
		return dirs[0]
	}
	return ""
}

// koFolder returns the folder of the repository's Go package a ko image
// reference names (ko://github.com/tektoncd/pipeline/cmd/controller is
// cmd/controller in that module), "" for any other image.
func (l *loader) koFolder(image string) string {
	pkg, ok := strings.CutPrefix(image, "ko://")
	if !ok {
		return ""
	}
	var best *facts.GoModule
	for _, m := range l.repo.GoModules {
		if rest, ok := strings.CutPrefix(pkg, m.Path); ok && (rest == "" || rest[0] == '/') &&
			(best == nil || len(m.Path) > len(best.Path)) {
			best = m
		}
	}
	if best == nil {
		return ""
	}
	dir := cleanDir(path.Join(best.Dir, strings.TrimPrefix(pkg, best.Path)))
	if dir == "" || len(l.byDir[dir]) == 0 {
		return ""
	}
	return dir
}

// templatedDoc reports whether a document that parsed is a template that
// some program renders: it holds a value that is one whole template action,
// bare ({{ .Namespace }} parses as a flow mapping keyed by a flow mapping)
// or quoted ("{{ .Values.image }}"). Text that merely mentions an action,
// such as an alert's "{{ $labels.instance }} is down", is no template.
func templatedDoc(n *yaml.Node, depth int) bool {
	if n == nil || depth > 64 {
		return false
	}
	switch n.Kind {
	case yaml.ScalarNode:
		v := strings.TrimSpace(n.Value)
		return strings.HasPrefix(v, "{{") && strings.HasSuffix(v, "}}")
	case yaml.MappingNode:
		if n.Style&yaml.FlowStyle != 0 && len(n.Content) > 0 && n.Content[0].Kind == yaml.MappingNode && n.Content[0].Style&yaml.FlowStyle != 0 {
			return true
		}
	}
	for _, c := range n.Content {
		if templatedDoc(c, depth+1) {
			return true
		}
	}
	return false
}

// kubernetesServices: Deployments and StatefulSets whose containers do not
// run a datastore image.
func (l *loader) kubernetesServices(below map[string]*dirBelow) []candidate {
	var out []candidate
	for _, d := range l.docsOf(docKubernetes) {
		kind := scalar(get(d.root, "kind"))
		if kind != "Deployment" && kind != "StatefulSet" {
			continue
		}
		nameNode := getPath(d.root, "metadata", "name")
		name := scalar(nameNode)
		if !kubeName.MatchString(name) || isTestHarness(name) || IsDatastoreImage(name) || isInfraImage(name) {
			continue // ${SERVICE_NAME}: a placeholder some tool fills in
		}
		containers := items(getPath(d.root, "spec", "template", "spec", "containers"))
		store := len(containers) > 0
		images := false
		for _, c := range containers {
			img := scalar(get(c, "image"))
			if !IsDatastoreImage(img) && !isInfraImage(img) {
				store = false
			}
			images = images || img != ""
		}
		if store {
			continue
		}
		root := folderNamed(d.in.path, name)
		if root != "" && root == path.Dir(d.in.path) && (below[root] == nil || !below[root].program) {
			root = "" // config/server/server.yaml: the manifest's own folder, no code
		}
		for _, c := range containers {
			if dir := l.koFolder(scalar(get(c, "image"))); dir != "" {
				root = dir // the program ko builds is the workload's code
				break
			}
		}
		if root == "" {
			// kubebuilder's op/config/manager/manager.yaml deploys op
			root = l.programFolder(path.Dir(d.in.path))
		}
		for _, c := range containers {
			if root != "" {
				break
			}
			root = l.imageProgram(scalar(get(c, "image")))
		}
		if dir := path.Dir(d.in.path); root == "" && !inNonServiceFolder(dir) && l.hasMain(dir) {
			root = dir // erda's cmd/loghub/log-exporter.deployment.yaml, beside loghub's main
		}
		image := ""
		if len(containers) > 0 {
			image = imageRepo(scalar(get(containers[0], "image")))
		}
		out = append(out, candidate{name: name, byPrefix: true, root: root, image: image,
			// a manifest a program renders (kumactl install demo); a
			// kustomize patch (no container names an image) changes a
			// workload defined elsewhere
			onlyJoin: demoFile(d.in.path) || bytes.Contains(d.in.data, []byte("{{")) && templatedDoc(d.root, 0) || !images,
			reason:   fmt.Sprintf("kubernetes %s %s in %s", kind, name, d.in.path),
			decl:     facts.Position{File: d.in.path, Line: nameNode.Line, Col: nameNode.Column}})
	}
	return out
}

// programFolder returns the nearest folder at or above dir, below the
// repository root, that holds a program of its own (a go.mod or a
// Dockerfile directly in it), or "". A deploy or tooling folder ends the
// search: a central deploy/ folder names no program.
func (l *loader) programFolder(dir string) string {
	if inNonServiceFolder(dir) {
		return "" // deploy/kubernetes/Dockerfile builds a deploy tool
	}
	for d := dir; d != "." && d != "/" && d != ""; d = path.Dir(d) {
		if l.hasInput(d+"/go.mod") || l.hasInput(d+"/Dockerfile") {
			return d
		}
	}
	return ""
}

// kubeName matches a Kubernetes object name (an RFC 1123 subdomain).
var kubeName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`)

// folderNamed returns the nearest folder above a manifest that has the
// workload's name, when the manifest lives in its service's folder
// (src/ledger/balancereader/k8s/base/balancereader.yaml); "" when there is
// none, or when that folder is a deploy or tooling folder (deploy/orders/).
func folderNamed(file, name string) string {
	for d := path.Dir(file); d != "."; d = path.Dir(d) {
		if path.Base(d) == name {
			if inNonServiceFolder(d) {
				return ""
			}
			return d
		}
	}
	return ""
}

// dockerfileServices: every directory below the root holding a Dockerfile.
func (l *loader) dockerfileServices(below map[string]*dirBelow) []candidate {
	// imageChildren counts, per folder, the child folders holding a
	// Dockerfile: a folder with two or more holds several images.
	imageChildren := map[string]int{}
	for d, b := range below {
		if b.dockerfile {
			imageChildren[path.Dir(d)]++
		}
	}
	programsIn := l.programsByDockerfileFolder()
	var out []candidate
	for _, in := range l.inputs {
		if in.kind != kindDockerfile {
			continue
		}
		dir := path.Dir(in.path)
		if programsIn[dir] >= 2 {
			// backend/Dockerfile and backend/Dockerfile.persistenceagent
			// each compile a program of their own: each is the service of
			// its program, and the folder of none (nor of another image
			// of it: Dockerfile.migrate)
			if prog := l.dockerfileProgram(in.path); prog != "" && !inNonServiceFolder(dir) && !inNonServiceFolder(prog) &&
				!testImage(in) && !migrationTool(path.Base(prog)) {
				out = append(out, candidate{name: path.Base(prog), root: prog, reason: "Dockerfile " + in.path + " builds " + prog + "/",
					decl: facts.Position{File: in.path, Line: 1}})
			}
			continue
		}
		if up := path.Dir(dir); genericDirs[path.Base(dir)] && up != "." && imageChildren[up] < 2 && path.Base(up) != "cmd" {
			dir = up // services/cart/server/Dockerfile, but not components/server/ nor cmd/server/
		}
		if dir == "." {
			continue
		}
		c := candidate{name: path.Base(dir), root: dir, reason: "Dockerfile " + in.path,
			decl: facts.Position{File: in.path, Line: 1}}
		if platformName(c.name) && !l.hasMain(dir) || datastoreBase(in.data) || baseImageFile(in.path) || testImage(in) || testFolder(dir) ||
			packagingImage(dir, l.hasMain(dir)) || runsNothing(in.data) {
			// cassandra/Dockerfile: a database image with a schema;
			// make/photon/db/Dockerfile FROM postgres: one too;
			// backend/api/Dockerfile FROM golang with no CMD: tools;
			// fluentd/Dockerfile: a platform component with its config
			// (unless the folder holds a program: fluent-bit/main.go is
			// the repository's plugin).
			// Evidence for the repository's own service of that name
			// (cmd/jaeger/Dockerfile in jaeger), never a service itself.
			c.onlyJoin = true
		}
		if imageChildren[dir] >= 2 {
			// components/leeway.Dockerfile above components/orders/ and
			// components/billing/, each with its own image: the folder
			// holds services, and its own image (a tool, a base) founds
			// none that would swallow them.
			c.onlyJoin = true
		}
		if inNonServiceFolder(dir) {
			// An image definition kept apart from the code: evidence for
			// a service of that name, or for the program it compiles
			// (build/gateway/Dockerfile builds ./cmd/api-server), never a
			// service of its own.
			c.root, c.onlyJoin = "", true
			if prog := l.dockerfileProgram(in.path); prog != "" && !inNonServiceFolder(prog) {
				c.root = prog
			}
		}
		out = append(out, c)
	}
	return out
}

// programsByDockerfileFolder counts, per folder that is no module root,
// the distinct programs its Dockerfiles compile (Dockerfile builds
// src/apiserver, Dockerfile.persistenceagent src/agent/persistence).
func (l *loader) programsByDockerfileFolder() map[string]int {
	dockerfiles := map[string]int{}
	for _, in := range l.inputs {
		if in.kind == kindDockerfile {
			dockerfiles[path.Dir(in.path)]++
		}
	}
	progs := map[string]map[string]bool{}
	for _, in := range l.inputs {
		if in.kind != kindDockerfile {
			continue
		}
		dir := path.Dir(in.path)
		if dir == "." || dockerfiles[dir] < 2 || l.hasInput(joinRel(dir, "go.mod")) {
			continue
		}
		if prog := l.dockerfileProgram(in.path); prog != "" {
			if progs[dir] == nil {
				progs[dir] = map[string]bool{}
			}
			progs[dir][prog] = true
		}
	}
	out := make(map[string]int, len(progs))
	for dir, ps := range progs {
		out[dir] = len(ps)
	}
	return out
}

// packagingImage reports a Dockerfile folder below image/ holding no
// program (image/rhel, image/bundle): an image that packages programs
// built elsewhere, evidence for them, never a service of its own.
func packagingImage(dir string, program bool) bool {
	return !program && strings.Contains("/"+dir+"/", "/image/")
}

// testImage reports a Dockerfile whose image runs tests (Dockerfile.test,
// Dockerfile.memtest, an ENTRYPOINT or CMD running go test): a test
// harness for its folder's code, no service.
func testImage(in *input) bool {
	name := strings.ToLower(path.Base(in.path))
	if strings.Contains(strings.ReplaceAll(name, "dockerfile", ""), "test") {
		return true
	}
	if !bytes.Contains(in.data, []byte("test")) {
		return false
	}
	for _, ins := range dockerInstructions(in.data) {
		if (ins.cmd == "CMD" || ins.cmd == "ENTRYPOINT") && goTest.MatchString(ins.args) {
			return true
		}
	}
	return false
}

// goTest matches a go test command line, shell or exec form.
var goTest = regexp.MustCompile(`\bgo"?\s*,?\s*"?test\b`)

// merge joins candidates into services. A candidate joins an existing
// service with the same name, or one whose root contains its root;
// otherwise it founds a new service.
func merge(cands []candidate, project string) []*facts.Service {
	var out []*facts.Service
	ix := &mergeIndex{pos: map[*facts.Service]int{}, byName: map[string]*facts.Service{}, byJoined: map[string]*facts.Service{},
		byRoot: map[string][]*facts.Service{}, images: map[*facts.Service]map[string]bool{}, project: project}
	for _, c := range cands {
		s := ix.find(c)
		if s == nil && c.onlyJoin {
			continue
		}
		if s != nil && c.root != "" && c.root == s.Root && ix.byName[c.name] == nil {
			// Another name for the same directory (compose service shipment
			// built from neocargo-service-shipment): later evidence of that
			// name joins this service too.
			ix.byName[c.name] = s
		}
		if s != nil && s.Name != c.name && c.byPrefix {
			c.root, c.extra = "", nil // joined by name only: its directory may be shared
		}
		if s == nil {
			s = &facts.Service{Name: c.name, Root: c.root, Decl: c.decl}
			if c.root != "" {
				s.Dirs = []string{c.root}
			}
			ix.add(s, len(out))
			out = append(out, s)
		} else if s.Root == "" && c.root != "" {
			s.Root = c.root
			s.Dirs = append([]string{c.root}, s.Dirs...)
			ix.byRoot[s.Root] = append(ix.byRoot[s.Root], s)
		}
		for _, d := range append([]string{c.root}, c.extra...) {
			if d != "" && !contains(s.Dirs, d) && !under(d, s.Root) {
				s.Dirs = append(s.Dirs, d)
			}
		}
		if !contains(s.DiscoveredBy, c.reason) {
			s.DiscoveredBy = append(s.DiscoveredBy, c.reason)
		}
		if c.image != "" {
			if ix.images[s] == nil {
				ix.images[s] = map[string]bool{}
			}
			ix.images[s][c.image] = true
		}
		if c.name != s.Name && (c.root == "" || c.root == s.Root) && !contains(s.Aliases, c.name) {
			// the name deploy files know it by: later evidence of that
			// name (depends_on: [da-server]) is this service's
			s.Aliases = append(s.Aliases, c.name)
		}
	}
	names := map[string]bool{}
	for _, s := range out {
		names[s.Name] = true
	}
	for _, s := range out {
		s.Aliases = slices.DeleteFunc(s.Aliases, func(a string) bool { return names[a] })
		slices.Sort(s.Aliases)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// mergeIndex finds the service a candidate joins among those merge has
// made so far, by name, by name prefix and by directory.
type mergeIndex struct {
	pos    map[*facts.Service]int // the order services were made in
	byName map[string]*facts.Service
	// byJoined finds a service by its name without dashes and underscores
	// (da-server is daserver)
	byJoined map[string]*facts.Service
	byRoot   map[string][]*facts.Service
	// images are the images each service's deploy evidence runs
	images map[*facts.Service]map[string]bool
	// project is the project's name, which deploy names may start with
	// (karmada-webhook is webhook)
	project string
}

func (ix *mergeIndex) add(s *facts.Service, pos int) {
	ix.pos[s], ix.byName[s.Name] = pos, s
	if j := joinedName(s.Name); ix.byJoined[j] == nil {
		ix.byJoined[j] = s
	}
	if s.Root != "" {
		ix.byRoot[s.Root] = append(ix.byRoot[s.Root], s)
	}
}

// find returns the service c joins: the one of its name, or of its name
// spelled with other separators; else, when c joins by prefix, the first
// made with a directory whose name and a dash or underscore start c's;
// else the first made whose directory holds c's.
func (ix *mergeIndex) find(c candidate) *facts.Service {
	if s := ix.byName[c.name]; s != nil {
		// Another name of a service (kubebuilder's controller-manager of
		// backup-operator/) does not take a candidate from another folder
		// (cert-operator/'s controller-manager): its folder decides.
		if s.Name == c.name || c.root == "" || under(c.root, s.Root) {
			return s
		}
	} else if s := ix.byJoined[joinedName(c.name)]; s != nil && (c.root == "" || s.Root == "" || under(c.root, s.Root)) {
		return s
	} else if s := ix.withoutProject(c); s != nil {
		return s
	}
	var best *facts.Service
	pick := func(s *facts.Service) {
		if s != nil && (best == nil || ix.pos[s] < ix.pos[best]) {
			best = s
		}
	}
	if c.byPrefix {
		// only a service with a directory, or one running the same image,
		// takes a deploy name by prefix: a workload found by its manifest
		// alone (Deployment shop) is no program that shop-ui and
		// shop-worker, with images of their own, could be replicas of;
		// cadence-secondary, running cadence's image, is one
		for i := 0; i < len(c.name); i++ {
			if s := ix.byName[c.name[:i]]; (c.name[i] == '-' || c.name[i] == '_') && s != nil && (s.Root != "" || c.image != "" && ix.images[s][c.image]) {
				pick(s)
			}
		}
		if best != nil {
			return best
		}
	}
	if c.root == "" {
		return nil
	}
	for dir := c.root; ; {
		for _, s := range ix.byRoot[dir] {
			pick(s)
		}
		i := strings.LastIndexByte(dir, '/')
		if i < 0 {
			break
		}
		dir = dir[:i]
	}
	return best
}

// withoutProject returns the service a deploy name names once the
// project's name is taken off its front (karmada-webhook: webhook).
func (ix *mergeIndex) withoutProject(c candidate) *facts.Service {
	if !c.byPrefix || ix.project == "" {
		return nil
	}
	for _, sep := range []string{"-", "_"} {
		rest, ok := strings.CutPrefix(c.name, ix.project+sep)
		if !ok || rest == "" {
			continue
		}
		s := ix.byName[rest]
		if s == nil {
			s = ix.byJoined[joinedName(rest)]
		}
		if s != nil && (c.root == "" || s.Root == "" || under(c.root, s.Root)) {
			return s
		}
	}
	return nil
}

// under reports whether dir is root or below it.
func under(dir, root string) bool {
	return root != "" && (dir == root || strings.HasPrefix(dir, root+"/"))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func cleanDir(p string) string {
	p = path.Clean(strings.TrimPrefix(strings.ReplaceAll(p, "\\", "/"), "./"))
	if p == "." || p == "/" {
		return ""
	}
	return strings.TrimPrefix(p, "/")
}

// hasMain reports whether dir (not its subdirectories) holds a Go file of
// package main.
func (l *loader) hasMain(dir string) bool {
	for _, in := range l.byDir[dir] {
		if in.kind != kindGo || strings.HasSuffix(in.path, "_test.go") {
			continue
		}
		if l.packageName(in) == "main" {
			return true
		}
	}
	return false
}

// mainDir is a folder holding a main package, with the folder of the
// module holding it ("" for none).
type mainDir struct{ dir, module string }

// mainPackageDirs returns every folder holding a main package, sorted.
func (l *loader) mainPackageDirs() []mainDir {
	var dirs []string
	for _, in := range l.inputs {
		if in.kind == kindGo && !strings.HasSuffix(in.path, "_test.go") && l.packageName(in) == "main" {
			dirs = append(dirs, path.Dir(in.path))
		}
	}
	slices.Sort(dirs)
	mods := newModIndex(l.repo.GoModules, l.repo.GoWorks)
	out := make([]mainDir, 0, len(dirs))
	for _, d := range slices.Compact(dirs) {
		m := mainDir{dir: d}
		if mod := mods.moduleOf(d); mod != nil {
			m.module = mod.Dir
		}
		out = append(out, m)
	}
	return out
}

// packageName returns the package a Go input declares: read by
// parseGoFiles, which runs before discovery, or from its text.
func (l *loader) packageName(in *input) string {
	if name, ok := l.goPkgs[in]; ok {
		return name
	}
	return packageClause(in)
}

func (l *loader) hasInput(p string) bool { return l.byPath[p] != nil }

// declIn picks the file that best declares a service rooted at dir (not
// the root): its go.mod, Dockerfile, a main.go, or else its first input
// file.
func (l *loader) declIn(dir string, below map[string]*dirBelow) facts.Position {
	for _, name := range []string{"go.mod", "Dockerfile", "main.go"} {
		if l.hasInput(dir + "/" + name) {
			return facts.Position{File: dir + "/" + name, Line: 1}
		}
	}
	if b := below[dir]; b != nil {
		return facts.Position{File: b.first, Line: 1}
	}
	return facts.Position{}
}
