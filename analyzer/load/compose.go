package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/dotenv"
	interp "github.com/compose-spec/compose-go/v2/interpolation"
	cloader "github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// workload is a facts.Workload with what the datastore scan needs and the
// facts must not keep: the environment in clear.
type workload struct {
	fact *facts.Workload
	env  []envValue
	// files are the config files it mounts from manifests (a ConfigMap's
	// mongodb.yml), with their values in clear
	files []configFile
	// project is the compose file or the Kubernetes namespace the workload
	// lives in: host names resolve within it first.
	project string
}

// envValue is one environment variable with its value in clear. It never
// leaves the loader.
type envValue struct {
	name, value, from string
	pos               facts.Position
}

// composeProject is one compose file with the overrides merged into it.
type composeProject struct {
	dir  string
	docs []*yamlDoc // base first, then overrides in order
	// services indexes each document's services by name (the first
	// entry of a name, as get finds it); built on first use.
	services []map[string][2]*yaml.Node
}

// service returns the key and value nodes of a service in document i.
func (p *composeProject) service(i int, name string) (key, val *yaml.Node) {
	if p.services == nil {
		p.services = make([]map[string][2]*yaml.Node, len(p.docs))
		for j, d := range p.docs {
			kvs := pairs(get(d.root, "services"))
			index := make(map[string][2]*yaml.Node, len(kvs))
			for _, kv := range kvs {
				if _, dup := index[kv[0].Value]; !dup {
					index[kv[0].Value] = kv
				}
			}
			p.services[j] = index
		}
	}
	kv := p.services[i][name]
	return kv[0], kv[1]
}

// parseCompose loads every compose file with compose-go: interpolation with
// the variables of the .env file beside it (never the machine's
// environment), env_file read through the repository root only, profiles
// all enabled. Positions come from the YAML trees already decoded.
func (l *loader) parseCompose(ctx context.Context) {
	projects := composeProjects(l.docsOf(docCompose))
	out := eachWithin(ctx, l, len(projects), func(i int) string { return projects[i].docs[0].in.path },
		func(i int) []*workload { return l.loadCompose(ctx, projects[i]) })
	for _, ws := range out {
		l.work = append(l.work, ws...)
	}
}

// composeProjects groups compose documents: compose.override.yaml (and
// docker-compose.override.yml) merge into the base file of their directory;
// every other file is a project of its own.
func composeProjects(docs []*yamlDoc) []*composeProject {
	var out []*composeProject
	base := map[string]*composeProject{}
	var overrides []*yamlDoc
	for _, d := range docs {
		if d.index > 0 {
			continue // compose files are single documents
		}
		b := strings.ToLower(path.Base(d.in.path))
		if strings.Contains(b, ".override.") {
			overrides = append(overrides, d)
			continue
		}
		p := &composeProject{dir: path.Dir(d.in.path), docs: []*yamlDoc{d}}
		out = append(out, p)
		stem := strings.TrimSuffix(strings.TrimSuffix(b, ".yml"), ".yaml")
		base[p.dir+"\x00"+stem] = p
	}
	for _, d := range overrides {
		b := strings.ToLower(path.Base(d.in.path))
		stem := b[:strings.Index(b, ".override.")]
		if p := base[path.Dir(d.in.path)+"\x00"+stem]; p != nil {
			p.docs = append(p.docs, d)
			continue
		}
		out = append(out, &composeProject{dir: path.Dir(d.in.path), docs: []*yamlDoc{d}})
	}
	return out
}

func (l *loader) loadCompose(ctx context.Context, p *composeProject) []*workload {
	mainFile := p.docs[0].in.path
	env, envFile := l.projectEnv(p.dir)
	var files []types.ConfigFile
	for _, d := range p.docs {
		files = append(files, types.ConfigFile{Filename: d.in.path, Content: composeContent(d)})
	}
	load := func(unresolved *templateMisses) (*types.Project, error) {
		return cloader.LoadWithContext(ctx, types.ConfigDetails{
			WorkingDir:  p.dir,
			ConfigFiles: files,
			Environment: env,
		}, func(o *cloader.Options) {
			o.SetProjectName("decouple", true)
			o.ResolvePaths = false
			o.SkipConsistencyCheck = true
			o.SkipInclude = true
			o.SkipResolveEnvironment = true
			o.SkipResolveLabels = true
			o.Profiles = []string{"*"}
			o.Interpolate.LookupValue = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
			o.Interpolate.Substitute = unresolved.substitute
			o.Interpolate.TypeCastMapping = unresolved.lenient(castsFor(o.Interpolate.TypeCastMapping, p.docs))
		})
	}
	unresolved := newTemplateMisses(false)
	project, err := load(unresolved)
	if err != nil && !unresolved.empty() {
		// A variable with no value here can leave a colon-separated spec
		// with an empty part ("${DATA_DIR}:/data"), which no compose file
		// has where it runs. Once more with such parts filled, so that the
		// file's other facts stand; the values stay unresolved.
		retry := newTemplateMisses(true)
		if pr, rerr := load(retry); rerr == nil {
			project, err, unresolved = pr, nil, retry
		}
	}
	if err != nil {
		file, line := composeErrorPos(p, err)
		msg := strings.ReplaceAll(err.Error(), "\n", "; ")
		if i := slices.IndexFunc(files, func(f types.ConfigFile) bool { return f.Filename == file }); i >= 0 && strings.HasPrefix(msg, "validating ") {
			if v, ok := composeSchemaViolation(files[i].Content); ok {
				line, msg = v.line, "validating "+file+": "+v.msg
			}
		}
		if unset := unresolved.unset(env); len(unset) > 0 {
			// docker compose would say the same without these values; say
			// which ones are missing, the likely cause.
			if len(unset) > 10 {
				unset = append(unset[:10], fmt.Sprintf("and %d more", len(unset)-10))
			}
			msg += "; variables with no value here (" + noValueSource(envFile) + "): " + strings.Join(unset, ", ")
		}
		l.problem(file, line, 0, "invalid compose file: %s", msg)
		return nil
	}
	var out []*workload
	all := project.AllServices() // builds a new map on every call
	for _, name := range slices.Sorted(maps.Keys(all)) {
		svc := all[name]
		out = append(out, l.composeWorkload(p, mainFile, envFile, env, svc, unresolved))
	}
	return out
}

// castsFor keeps the type casts of compose-go's interpolation that can
// apply to the project: those whose every literal path part is a key
// somewhere in its files. compose-go tries each cast pattern against every
// string value it interpolates; on a file of a few thousand services most
// of its time went to patterns naming keys the file never uses. The casts
// applied are the same.
func castsFor(all map[tree.Path]interp.Cast, docs []*yamlDoc) map[tree.Path]interp.Cast {
	keys := map[string]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || n.Kind == yaml.AliasNode { // an alias's target is walked where it is defined
			return
		}
		for i, c := range n.Content {
			if n.Kind == yaml.MappingNode && i%2 == 0 {
				for part := range strings.SplitSeq(c.Value, ".") {
					keys[part] = true
				}
				continue
			}
			walk(c)
		}
	}
	for _, d := range docs {
		walk(d.root)
	}
	out := map[tree.Path]interp.Cast{}
	for p, cast := range all {
		used := true
		for _, part := range p.Parts() {
			if part != tree.PathMatchAll && part != tree.PathMatchList && !keys[part] {
				used = false
				break
			}
		}
		if used {
			out[p] = cast
		}
	}
	return out
}

// noValueSource words where the missing variables were looked for.
func noValueSource(envFile string) string {
	if envFile == "" {
		return "no .env beside the compose file sets them"
	}
	return envFile + " leaves them unset or empty"
}

// exampleEnvNames are the committed templates of a .env file, in the order
// they are tried when the repository holds no .env (it is usually
// gitignored, and made by copying one of these).
var exampleEnvNames = []string{".env.example", ".env.sample", ".env.dist", ".env.template", ".env.defaults", ".env.default", "example.env", "sample.env"}

// projectEnv reads the .env file beside the compose file, when the
// repository holds one: compose interpolates ${VAR} from it. Without one,
// the example .env the repository commits there stands in for it.
func (l *loader) projectEnv(dir string) (types.Mapping, string) {
	env := types.Mapping{}
	in := l.byPath[joinRel(dir, ".env")]
	for _, name := range exampleEnvNames {
		if in != nil {
			break
		}
		in = l.byPath[joinRel(dir, name)]
	}
	if in == nil {
		return env, ""
	}
	vals, err := dotenv.UnmarshalBytesWithLookup(in.data, nil)
	if err != nil {
		l.problem(in.path, 0, 0, "malformed env file: %s", err)
		return env, ""
	}
	for k, v := range vals {
		env[k] = v
	}
	return env, in.path
}

// composeContent returns the file for compose-go with lines kept but
// blanked where compose-go would read another file (top-level include,
// extends with a file) or print a warning (version, external.name, YAML 1.1
// booleans such as yes/no); none of them matters to the analysis.
func composeContent(d *yamlDoc) []byte {
	data := bytes.Clone(d.in.data)
	for _, kv := range pairs(d.root) {
		if kv[0].Value == "include" || kv[0].Value == "version" {
			blankNode(data, kv[0], kv[1])
		}
	}
	for _, kv := range pairs(get(d.root, "services")) {
		fields := pairs(kv[1])
		for _, f := range fields {
			if f[0].Value == "extends" && get(f[1], "file") != nil && blankNode(data, f[0], f[1]) && len(fields) == 1 {
				// the service was only the extension: it stays a service,
				// with nothing of its own ("redis: {}"), not a null one
				copy(data[lineOffset(data, f[0].Line)+f[0].Column-1:], "{}")
			}
		}
	}
	for _, top := range []string{"networks", "volumes", "secrets", "configs"} {
		for _, kv := range pairs(get(d.root, top)) {
			for _, f := range pairs(kv[1]) {
				if f[0].Value == "external" && f[1] != nil && f[1].Kind == yaml.MappingNode {
					blankNode(data, f[0], f[1])
				}
			}
		}
	}
	blankOldBooleans(data, d.root, 0)
	return data
}

// composeBools are the compose keys whose values compose-go casts to
// booleans, warning on YAML 1.1 spellings.
var composeBools = map[string]bool{
	"external": true, "internal": true, "attachable": true, "enable_ipv4": true, "enable_ipv6": true,
	"init": true, "use_service_name_alias": true, "oom_kill_disable": true, "privileged": true,
	"read_only": true, "nocopy": true, "required": true, "restart": true, "disable": true,
	"stdin_open": true, "tty": true,
}

func blankOldBooleans(data []byte, n *yaml.Node, depth int) {
	if n == nil || depth > 16 {
		return
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if composeBools[k.Value] && v.Kind == yaml.ScalarNode && v.Style == 0 {
				switch strings.ToLower(v.Value) {
				case "y", "yes", "on", "n", "no", "off":
					blankNode(data, k, v)
					continue
				}
			}
			blankOldBooleans(data, v, depth+1)
		}
		return
	}
	for _, c := range n.Content {
		blankOldBooleans(data, c, depth+1)
	}
}

// blankNode replaces the lines a key and its value span with spaces, when
// the key starts its line.
func blankNode(data []byte, key, val *yaml.Node) bool {
	last := lastLine(val)
	lines := bytes.SplitAfter(data, []byte("\n"))
	prefix := lines[key.Line-1][:key.Column-1]
	if len(bytes.TrimSpace(prefix)) != 0 {
		return false
	}
	off := 0
	for i, ln := range lines {
		if i+1 >= key.Line && i+1 <= last {
			for j := range ln {
				if ln[j] != '\n' && ln[j] != '\r' {
					data[off+j] = ' '
				}
			}
		}
		off += len(ln)
	}
	return true
}

// lineOffset returns the offset of the start of a 1-based line.
func lineOffset(data []byte, line int) int {
	off := 0
	for i := 1; i < line; i++ {
		j := bytes.IndexByte(data[off:], '\n')
		if j < 0 {
			return len(data)
		}
		off += j + 1
	}
	return off
}

func lastLine(n *yaml.Node) int {
	last := n.Line
	for _, c := range n.Content {
		if ll := lastLine(c); ll > last {
			last = ll
		}
	}
	return last
}

// templateMisses records which values held a variable that the project
// environment does not define (and no default covers).
type templateMisses struct {
	mu  sync.Mutex
	set map[string]bool
	// blank holds the variables set to the empty string.
	blank map[string]bool
	// fillColons fills with "0" the variables with no value whose empty
	// substitution leaves a colon-separated spec with an empty part.
	fillColons bool
}

func newTemplateMisses(fillColons bool) *templateMisses {
	return &templateMisses{set: map[string]bool{}, blank: map[string]bool{}, fillColons: fillColons}
}

var plainVar = regexp.MustCompile(`^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$`)

func (t *templateMisses) substitute(tmpl string, mapping template.Mapping) (string, error) {
	missed := false
	out, err := template.SubstituteWithOptions(tmpl, mapping, template.WithoutLogging,
		template.WithReplacementFunction(func(sub string, m template.Mapping, cfg *template.Config) (string, error) {
			v, err := template.DefaultReplacementFunc(sub, m, cfg)
			var req *template.MissingRequiredError
			if errors.As(err, &req) {
				t.miss(tmpl)
				missed = true
				return "", nil
			}
			if mm := plainVar.FindStringSubmatch(sub); mm != nil {
				switch set, ok := m(mm[1]); {
				case !ok:
					t.miss(tmpl)
					missed = true
				case set == "":
					t.mu.Lock()
					t.blank[mm[1]] = true
					t.mu.Unlock()
				}
			}
			return v, err
		}))
	if err != nil || !missed || !t.fillColons || !emptyColonPart(out) {
		return out, err
	}
	fill := func(name string) (string, bool) {
		if v, ok := mapping(name); ok {
			return v, true
		}
		return "0", true
	}
	return template.SubstituteWithOptions(tmpl, fill, template.WithoutLogging)
}

// emptyColonPart reports whether a colon-separated value has an empty part
// (":/data", "host::ro").
func emptyColonPart(s string) bool {
	return strings.Contains(s, ":") && (strings.HasPrefix(s, ":") || strings.HasSuffix(s, ":") || strings.Contains(s, "::"))
}

// varRef matches a variable reference in a compose template.
var varRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// unset returns, sorted, the variables of the missed templates that env
// does not set, and those it sets to the empty string.
func (t *templateMisses) unset(env types.Mapping) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	names := maps.Clone(t.blank)
	for tmpl := range t.set {
		for _, m := range varRef.FindAllStringSubmatch(tmpl, -1) {
			if _, ok := env[m[1]]; !ok {
				names[m[1]] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(names))
}

func (t *templateMisses) miss(tmpl string) {
	t.mu.Lock()
	t.set[tmpl] = true
	t.mu.Unlock()
}

// lenient wraps compose-go's type casts so that a typed value a variable
// with no value here left empty (replicas: ${REPLICAS}) becomes its type's
// zero value instead of failing the whole file: docker compose would run
// with the value from its environment, and the file's other facts stand.
func (t *templateMisses) lenient(casts map[tree.Path]interp.Cast) map[tree.Path]interp.Cast {
	out := make(map[tree.Path]interp.Cast, len(casts))
	for p, cast := range casts {
		out[p] = func(v string) (any, error) {
			got, err := cast(v)
			if err == nil || v != "" || t.empty() {
				return got, err
			}
			for _, zero := range []string{"0", "false"} {
				if z, zerr := cast(zero); zerr == nil {
					return z, nil
				}
			}
			return got, err
		}
	}
	return out
}

func (t *templateMisses) empty() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.set) == 0
}

func (t *templateMisses) has(tmpl string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.set[tmpl]
}

// composeNode returns the node of a service's key, from the last file that
// sets it, following YAML merge keys and extends within the same file.
func composeNode(p *composeProject, service string, keys ...string) (*yamlDoc, *yaml.Node) {
	for i := len(p.docs) - 1; i >= 0; i-- {
		if n := p.serviceNode(i, service, keys, 0); n != nil {
			return p.docs[i], n
		}
	}
	return nil, nil
}

func (p *composeProject) serviceNode(i int, service string, keys []string, depth int) *yaml.Node {
	_, svc := p.service(i, service)
	if svc == nil || depth > 8 {
		return nil
	}
	n := svc
	for _, k := range keys {
		if n = getMerged(n, k, 0); n == nil {
			break
		}
	}
	if n != nil {
		return n
	}
	ext := getMerged(svc, "extends", 0)
	base := scalar(ext)
	if base == "" && get(ext, "file") == nil {
		base = scalar(get(ext, "service"))
	}
	if base == "" || base == service {
		return nil
	}
	return p.serviceNode(i, base, keys, depth+1)
}

// getMerged is get that also looks through YAML merge keys (<<: *anchor).
func getMerged(n *yaml.Node, key string, depth int) *yaml.Node {
	if v := get(n, key); v != nil || depth > 8 {
		return v
	}
	merge := get(n, "<<")
	sources := items(merge)
	if merge != nil && merge.Kind == yaml.MappingNode {
		sources = []*yaml.Node{merge}
	}
	for _, src := range sources {
		if v := getMerged(src, key, depth+1); v != nil {
			return v
		}
	}
	return nil
}

// composeKey returns the key node of a service (its declaration).
func composeKey(p *composeProject, service string) (*yamlDoc, *yaml.Node) {
	for i, d := range p.docs {
		if key, _ := p.service(i, service); key != nil {
			return d, key
		}
	}
	return p.docs[0], nil
}

func at(d *yamlDoc, n *yaml.Node) facts.Position {
	if d == nil || n == nil {
		return facts.Position{}
	}
	return facts.Position{File: d.in.path, Line: n.Line, Col: n.Column}
}

func (l *loader) composeWorkload(p *composeProject, mainFile, envFile string, projectEnv types.Mapping,
	svc types.ServiceConfig, misses *templateMisses) *workload {
	kd, key := composeKey(p, svc.Name)
	w := &facts.Workload{Name: svc.Name, Kind: "compose", Pos: at(kd, key), Image: svc.Image}
	if d, n := composeNode(p, svc.Name, "image"); n != nil {
		w.ImagePos, w.ImageRaw = at(d, n), scalar(n)
	}
	w.Datastore = IsDatastoreImage(svc.Image)
	if svc.Build != nil && svc.Build.Context != "" && !isRemoteContext(svc.Build.Context) {
		w.Build = cleanDir(path.Join(p.dir, svc.Build.Context))
		if w.Build == "" {
			w.Build = "."
		}
		w.Target = svc.Build.Target
		switch f := svc.Build.Dockerfile; {
		case f == "":
			w.Dockerfile = joinDir(w.Build, "Dockerfile")
		case !path.IsAbs(f):
			w.Dockerfile = joinDir(w.Build, f)
		}
	}
	if w.Dockerfile == "" && svc.Build == nil {
		w.Dockerfile = l.images[imageRepo(svc.Image)] // an image this repository builds
	}
	w.Service = l.composeService(svc, w, p.dir)
	if len(svc.Labels) > 0 {
		w.Labels = map[string]string(svc.Labels)
	}
	cmd := strings.Join(append(append([]string(nil), svc.Entrypoint...), svc.Command...), " ")
	w.Command = cmd
	w.Containers = []facts.Container{{Name: svc.Name, Image: svc.Image, Command: cmd, Pos: w.Pos}}
	wl := &workload{fact: w, project: mainFile}
	wl.env = l.composeEnv(p, svc, projectEnv, envFile, misses, w.Pos)
	w.DependsOn = composeDeps(p, svc, w.Pos)
	w.Mounts = composeMounts(p, svc, w.Pos)
	w.Env = factEnv(wl.env)
	return wl
}

func isRemoteContext(c string) bool {
	return strings.Contains(c, "://") || strings.HasPrefix(c, "git@") || strings.HasPrefix(c, "github.com/")
}

// composeService names the repo service a compose service runs: the one
// owning its Dockerfile or build context, else the service of the same name,
// the directory its working_dir is mounted from, the service its name
// starts with (orders-api), or the one its image is named after.
func (l *loader) composeService(svc types.ServiceConfig, w *facts.Workload, composeDir string) string {
	if w.Build != "" {
		if svc.Build.Dockerfile != "" && !path.IsAbs(svc.Build.Dockerfile) {
			if s := l.serviceOf(path.Dir(cleanDir(path.Join(w.Build, svc.Build.Dockerfile)))); s != "" {
				return s
			}
		}
		if s := l.serviceOf(w.Build); s != "" {
			return s
		}
	}
	if w.Datastore {
		return ""
	}
	if s := l.serviceByName(svc.Name); s != nil {
		return s.Name
	}
	if s := l.serviceOfWorkdir(svc, composeDir); s != "" {
		return s
	}
	if s := l.serviceByPrefix(svc.Name); s != "" {
		return s
	}
	return l.serviceOfImage(svc.Image)
}

// serviceOfWorkdir maps a container's working_dir back through its bind
// mounts to a repository directory (./internal:/internal with working_dir
// /internal/trainer runs internal/trainer).
func (l *loader) serviceOfWorkdir(svc types.ServiceConfig, composeDir string) string {
	var binds [][2]string
	for _, v := range svc.Volumes {
		if v.Type == types.VolumeTypeBind && v.Target != "" && !path.IsAbs(v.Source) {
			binds = append(binds, [2]string{v.Source, v.Target})
		}
	}
	for _, dir := range workdirSources(svc.WorkingDir, binds, composeDir) {
		if s := l.serviceOf(dir); s != "" {
			return s
		}
	}
	return ""
}

// serviceByPrefix matches names such as orders-api or orders_worker to the
// service orders (the longest service name that prefixes the name).
func (l *loader) serviceByPrefix(name string) string {
	best := ""
	for _, s := range l.repo.Services {
		if len(s.Name) > len(best) && len(name) > len(s.Name) && strings.HasPrefix(name, s.Name) &&
			(name[len(s.Name)] == '-' || name[len(s.Name)] == '_') {
			best = s.Name
		}
	}
	return best
}

// serviceOfImage matches an image's repository base name to a service.
func (l *loader) serviceOfImage(image string) string {
	if image == "" || IsDatastoreImage(image) {
		return ""
	}
	if dir := l.koFolder(image); dir != "" {
		return l.serviceOf(dir)
	}
	base := path.Base(strings.SplitN(image, "@", 2)[0])
	if i := strings.Index(base, ":"); i >= 0 {
		base = base[:i]
	}
	if s := l.serviceByName(base); s != nil {
		return s.Name
	}
	return ""
}

// composeEnv resolves a service's environment: env_file entries first (in
// order), then environment, which wins.
func (l *loader) composeEnv(p *composeProject, svc types.ServiceConfig, projectEnv types.Mapping,
	envFile string, misses *templateMisses, svcPos facts.Position) []envValue {
	vals := map[string]envValue{}
	for _, ef := range svc.EnvFiles {
		file := cleanDir(path.Join(p.dir, ef.Path))
		for _, v := range l.readEnvFile(file, projectEnv) {
			vals[v.name] = v
		}
	}
	d, envNode := composeNode(p, svc.Name, "environment")
	type entry struct {
		pos      *yaml.Node
		raw      string
		hasValue bool
	}
	raw := map[string]entry{}
	for _, kv := range pairs(envNode) {
		raw[kv[0].Value] = entry{kv[0], scalar(kv[1]), kv[1] != nil && kv[1].Tag != "!!null"}
	}
	for _, it := range items(envNode) {
		name, val, ok := strings.Cut(scalar(it), "=")
		raw[name] = entry{it, val, ok}
	}
	for name, v := range svc.Environment {
		e, known := raw[name]
		ev := envValue{name: name, pos: at(d, e.pos), from: "literal"}
		switch {
		case known && !e.hasValue:
			// KEY alone: the value comes from the environment compose runs
			// in, of which only the project .env is known.
			if pv, ok := projectEnv[name]; ok {
				ev.value, ev.from = pv, "env_file:"+envFile
			} else {
				ev.from = "unresolved"
			}
		case v == nil:
			ev.from = "unresolved"
		default:
			ev.value = *v
			if misses.has(e.raw) {
				ev.from = "unresolved"
			}
		}
		vals[name] = ev
	}
	out := make([]envValue, 0, len(vals))
	for _, name := range slices.Sorted(maps.Keys(vals)) {
		v := vals[name]
		if v.pos.File == "" {
			v.pos = svcPos
		}
		out = append(out, v)
	}
	return out
}

// readEnvFile reads an env_file that the repository holds. Files the walker
// left out on purpose (gitignored, excluded) are not read: their content is
// the machine's, not the repository's.
func (l *loader) readEnvFile(file string, lookup types.Mapping) []envValue {
	var data []byte
	if in := l.byPath[file]; in != nil {
		data = in.data
	} else if l.skippedAs(file, "not an input decouple reads") {
		b, err := readConfined(l.root, file, l.maxSize())
		if err != nil {
			return nil
		}
		data = b
	} else {
		return nil
	}
	vals, err := dotenv.UnmarshalBytesWithLookup(data, func(k string) (string, bool) { v, ok := lookup[k]; return v, ok })
	if err != nil {
		l.problem(file, 0, 0, "malformed env file: %s", err)
		return nil
	}
	lines := envLines(data)
	out := make([]envValue, 0, len(vals))
	for _, k := range slices.Sorted(maps.Keys(vals)) {
		out = append(out, envValue{name: k, value: vals[k], from: "env_file:" + file,
			pos: facts.Position{File: file, Line: lines[k]}})
	}
	return out
}

var envLine = regexp.MustCompile(`^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\-]*)\s*[=:]`)

// envLines maps each variable of a dotenv file to the line defining it (the
// last one wins, as in the parser).
func envLines(data []byte) map[string]int {
	out := map[string]int{}
	for i, ln := range strings.Split(string(data), "\n") {
		if m := envLine.FindStringSubmatch(ln); m != nil {
			out[m[1]] = i + 1
		}
	}
	return out
}

// skippedAs reports whether the walker skipped file for the given reason.
func (l *loader) skippedAs(file, reason string) bool {
	for _, s := range l.repo.Skipped {
		if s.File == file {
			return s.Reason == reason
		}
	}
	return false
}

func composeDeps(p *composeProject, svc types.ServiceConfig, svcPos facts.Position) []facts.Dependency {
	var out []facts.Dependency
	d, deps := composeNode(p, svc.Name, "depends_on")
	declared := map[string]facts.Position{}
	for _, it := range items(deps) {
		declared[scalar(it)] = at(d, it)
	}
	for _, kv := range pairs(deps) {
		declared[kv[0].Value] = at(d, kv[0])
	}
	ld, links := composeNode(p, svc.Name, "links")
	linked := map[string]facts.Position{}
	for _, it := range items(links) {
		name, _, _ := strings.Cut(scalar(it), ":")
		linked[name] = at(ld, it)
	}
	for _, name := range slices.Sorted(maps.Keys(svc.DependsOn)) {
		pos, ok := declared[name]
		if _, link := linked[name]; !ok && link {
			continue // compose-go adds links to depends_on
		}
		if !ok {
			pos = svcPos // declared through a merge key or extends we cannot place
		}
		out = append(out, facts.Dependency{Name: name, Condition: svc.DependsOn[name].Condition, Pos: pos})
	}
	for _, it := range items(links) {
		name, _, _ := strings.Cut(scalar(it), ":")
		out = append(out, facts.Dependency{Name: name, Condition: "link", Pos: linked[name]})
	}
	return out
}

func composeMounts(p *composeProject, svc types.ServiceConfig, svcPos facts.Position) []facts.Mount {
	d, vols := composeNode(p, svc.Name, "volumes")
	nodes := items(vols)
	var out []facts.Mount
	for i, v := range svc.Volumes {
		m := facts.Mount{Source: v.Source, Target: v.Target, Bind: v.Type == types.VolumeTypeBind}
		if m.Bind && !path.IsAbs(m.Source) && !strings.HasPrefix(m.Source, "~") {
			m.Source = cleanDir(path.Join(p.dir, m.Source))
		}
		m.Pos = svcPos
		if i < len(nodes) {
			m.Pos = at(d, nodes[i])
		}
		out = append(out, m)
	}
	return out
}

// factEnv is the redacted environment a fact keeps.
func factEnv(env []envValue) []facts.EnvVar {
	out := make([]facts.EnvVar, 0, len(env))
	for _, e := range env {
		out = append(out, facts.EnvVar{Name: e.name, Value: redactEnv(e.name, e.value, e.from), Pos: e.pos, From: e.from})
	}
	return out
}

var composeErrService = regexp.MustCompile(`services\.([A-Za-z0-9_.\-]+?)(?:\.([A-Za-z_]+))?(?:\s|$|\[|:|,)`)

// composeErrorPos finds the file and line a compose-go error is about: the
// line it names, or the service and key it names, or the first line.
func composeErrorPos(p *composeProject, err error) (string, int) {
	msg := err.Error()
	file := p.docs[0].in.path
	for _, d := range p.docs {
		if strings.Contains(msg, d.in.path) {
			file = d.in.path
		}
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return file, n
	}
	if m := composeErrService.FindStringSubmatch(msg); m != nil {
		keys := []string{m[1]}
		if m[2] != "" {
			keys = append(keys, m[2])
		}
		for i := len(keys); i > 0; i-- {
			if d, n := composeNode(p, keys[0], keys[1:i]...); n != nil {
				return d.in.path, n.Line
			}
		}
		if d, n := composeKey(p, keys[0]); n != nil {
			return d.in.path, n.Line
		}
	}
	return file, 1
}

// sortedWorkloads orders workloads by position, then name.
func sortedWorkloads(ws []*workload) {
	sort.SliceStable(ws, func(i, j int) bool {
		a, b := ws[i].fact, ws[j].fact
		if a.Pos != b.Pos {
			return a.Pos.Less(b.Pos)
		}
		return a.Name < b.Name
	})
}
