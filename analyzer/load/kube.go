package load

import (
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// podSpecPaths says where each workload kind keeps its pod template.
var podSpecPaths = map[string][]string{
	"Deployment":  {"spec", "template"},
	"StatefulSet": {"spec", "template"},
	"DaemonSet":   {"spec", "template"},
	"Job":         {"spec", "template"},
	"CronJob":     {"spec", "jobTemplate", "spec", "template"},
}

// kubeConfig is a ConfigMap or a Secret: named values for env and envFrom.
type kubeConfig struct {
	kind      string // "configmap" or "secret"
	name      string
	namespace string
	values    map[string]string
	// file and lines place each key: the manifest, the key's line in it;
	// base is, for a value written as text (not base64), the line before
	// its first line
	file        string
	lines, base map[string]int
	// keys are the keys of values, sorted, and from "<kind>:<name>": made
	// once, for every workload that reads the whole config (envFrom).
	keys []string
	from string
}

// kubeObject is one manifest object: a document, or one item of a List.
type kubeObject struct {
	doc  *yamlDoc
	node *yaml.Node
}

// parseWorkloads reads compose files and Kubernetes manifests into
// workloads, and publishes them (with their environment redacted) as facts.
func (l *loader) parseWorkloads(ctx context.Context) {
	defer l.stats.parser("workloads", time.Now())
	l.parseCompose(ctx)
	l.parseKube()
	sortedWorkloads(l.work)
	for _, w := range l.work {
		l.repo.Workloads = append(l.repo.Workloads, w.fact)
	}
}

// parseKube reads Deployments, StatefulSets, DaemonSets, Jobs and CronJobs,
// resolving their environment through the ConfigMaps and Secrets of the
// repository, and records every Service for host name resolution.
func (l *loader) parseKube() {
	var objs []kubeObject
	for _, d := range l.docsOf(docKubernetes) {
		if scalar(get(d.root, "kind")) == "List" {
			for _, it := range items(get(d.root, "items")) {
				objs = append(objs, kubeObject{doc: d, node: it})
			}
			continue
		}
		objs = append(objs, kubeObject{doc: d, node: d.root})
	}
	configs := map[string][]*kubeConfig{}
	for _, o := range objs {
		switch scalar(get(o.node, "kind")) {
		case "ConfigMap", "Secret":
			if c := l.kubeConfigOf(o); c != nil {
				configs[c.kind+"/"+c.name] = append(configs[c.kind+"/"+c.name], c)
			}
		case "Service":
			l.repo.KubeServices = append(l.repo.KubeServices, kubeService(o))
		case "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration":
			for _, wh := range items(get(o.node, "webhooks")) {
				if p := scalar(getPath(wh, "clientConfig", "service", "path")); p != "" {
					l.repo.WebhookPaths = append(l.repo.WebhookPaths, p)
				}
			}
		}
	}
	slices.Sort(l.repo.WebhookPaths)
	l.repo.WebhookPaths = slices.Compact(l.repo.WebhookPaths)
	for _, o := range objs {
		kind := scalar(get(o.node, "kind"))
		if podSpecPaths[kind] == nil {
			continue
		}
		l.guard(o.doc.in.path, func() {
			if w := l.kubeWorkload(o, kind, configs); w != nil {
				l.work = append(l.work, w)
			}
		})
	}
}

func (l *loader) kubeConfigOf(o kubeObject) *kubeConfig {
	kind := strings.ToLower(scalar(get(o.node, "kind")))
	c := &kubeConfig{kind: kind, name: scalar(getPath(o.node, "metadata", "name")),
		namespace: scalar(getPath(o.node, "metadata", "namespace")), values: map[string]string{},
		file: o.doc.in.path, lines: map[string]int{}, base: map[string]int{}}
	if c.name == "" {
		return nil
	}
	var notBase64 []string // keys whose values do not decode; one problem names them all
	var first *yaml.Node
	for _, kv := range pairs(get(o.node, "data")) {
		v := scalar(kv[1])
		if kind == "secret" {
			dec, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(v), ""))
			if err != nil && plainVar.MatchString(strings.TrimSpace(v)) {
				continue // ${CREDENTIALS}: filled in by envsubst before applying
			}
			if err != nil {
				if first == nil {
					first = kv[1]
				}
				notBase64 = append(notBase64, kv[0].Value)
				continue
			}
			v = string(dec)
		}
		c.values[kv[0].Value] = v
		c.lines[kv[0].Value] = kv[0].Line
		if kind != "secret" {
			base := kv[1].Line - 1 // a value on its key's line
			if kv[1].Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
				base = kv[1].Line // a block below it
			}
			c.base[kv[0].Value] = base
		}
	}
	switch {
	case len(notBase64) == 1:
		l.problem(o.doc.in.path, first.Line, first.Column, "secret %s: value of %s is not base64", c.name, notBase64[0])
	case len(notBase64) > 1:
		keys := notBase64
		if len(keys) > 10 {
			keys = append(keys[:10:10], fmt.Sprintf("and %d more", len(notBase64)-10))
		}
		l.problem(o.doc.in.path, first.Line, first.Column, "secret %s: the values of %d keys are not base64 (data holds encoded values; stringData plain ones): %s",
			c.name, len(notBase64), strings.Join(keys, ", "))
	}
	for _, kv := range pairs(get(o.node, "stringData")) {
		c.values[kv[0].Value] = scalar(kv[1])
	}
	c.keys, c.from = slices.Sorted(maps.Keys(c.values)), c.kind+":"+c.name
	return c
}

func kubeService(o kubeObject) *facts.KubeService {
	name := getPath(o.node, "metadata", "name")
	s := &facts.KubeService{Name: scalar(name), Namespace: scalar(getPath(o.node, "metadata", "namespace")),
		ExternalName: strings.ToLower(scalar(getPath(o.node, "spec", "externalName"))),
		Pos:          at(o.doc, name)}
	for _, kv := range pairs(getPath(o.node, "spec", "selector")) {
		if s.Selector == nil {
			s.Selector = map[string]string{}
		}
		s.Selector[kv[0].Value] = scalar(kv[1])
	}
	for _, p := range items(getPath(o.node, "spec", "ports")) {
		if n, err := strconv.Atoi(scalar(get(p, "port"))); err == nil {
			s.Ports = append(s.Ports, n)
		}
	}
	return s
}

func (l *loader) kubeWorkload(o kubeObject, kind string, configs map[string][]*kubeConfig) *workload {
	nameNode := getPath(o.node, "metadata", "name")
	tmpl := getPath(o.node, podSpecPaths[kind]...)
	spec := get(tmpl, "spec")
	containers := items(get(spec, "containers"))
	if scalar(nameNode) == "" || len(containers) == 0 {
		return nil
	}
	ns := scalar(getPath(o.node, "metadata", "namespace"))
	w := &facts.Workload{Name: scalar(nameNode), Kind: kind, Pos: at(o.doc, nameNode), Namespace: ns}
	for _, kv := range pairs(getPath(tmpl, "metadata", "labels")) {
		if w.Labels == nil {
			w.Labels = map[string]string{}
		}
		w.Labels[kv[0].Value] = scalar(kv[1])
	}
	wl := &workload{fact: w, project: "namespace:" + ns}
	w.Datastore = true
	for i, c := range containers {
		fc := kubeContainer(o.doc, c)
		w.Containers = append(w.Containers, fc)
		if !IsDatastoreImage(fc.Image) {
			w.Datastore = false
		}
		if i == 0 {
			w.Image, w.ImageRaw, w.ImagePos, w.Command = fc.Image, fc.Image, at(o.doc, get(c, "image")), fc.Command
		}
		wl.env = append(wl.env, l.kubeEnv(o.doc, c, ns, configs)...)
	}
	for _, c := range items(get(spec, "initContainers")) {
		w.InitContainers = append(w.InitContainers, kubeContainer(o.doc, c))
	}
	wl.files = mountedConfigFiles(get(spec, "volumes"), ns, configs)
	w.Service = l.kubeServiceOf(w)
	w.Env = factEnv(wl.env)
	return wl
}

// mountedConfigFiles returns the config files a pod mounts from ConfigMaps
// and Secrets of the repository: the keys of a mounted one that name a
// YAML, JSON or env file (openim's mongodb.yml in ConfigMap openim-config,
// mounted at /config by every Deployment).
func mountedConfigFiles(volumes *yaml.Node, ns string, configs map[string][]*kubeConfig) []configFile {
	var out []configFile
	add := func(kind, name string) {
		cfg := findConfig(configs, kind, name, ns)
		if cfg == nil {
			return
		}
		for _, key := range slices.Sorted(maps.Keys(cfg.values)) {
			if configFileKind(key) != "" {
				base, text := cfg.base[key]
				out = append(out, configFile{name: key, data: cfg.values[key], pos: facts.Position{File: cfg.file, Line: cfg.lines[key]},
					base: base, text: text})
			}
		}
	}
	for _, v := range items(volumes) {
		if ref := get(v, "configMap"); ref != nil {
			add("configmap", scalar(get(ref, "name")))
		}
		if ref := get(v, "secret"); ref != nil {
			add("secret", scalar(get(ref, "secretName")))
		}
		for _, src := range items(getPath(v, "projected", "sources")) {
			if ref := get(src, "configMap"); ref != nil {
				add("configmap", scalar(get(ref, "name")))
			}
			if ref := get(src, "secret"); ref != nil {
				add("secret", scalar(get(ref, "name")))
			}
		}
	}
	return out
}

func kubeContainer(d *yamlDoc, c *yaml.Node) facts.Container {
	var cmd []string
	for _, key := range []string{"command", "args"} {
		for _, it := range items(get(c, key)) {
			cmd = append(cmd, scalar(it))
		}
	}
	name := get(c, "name")
	pos := at(d, name)
	if name == nil {
		pos = at(d, c)
	}
	command := strings.Join(cmd, " ")
	if strings.Contains(command, "$") {
		// the values the container's env sets literally, as the shell and
		// Kubernetes ($(X)) expand them: wget http://${FRONTEND_ADDR}
		var pairs []string
		for _, e := range items(get(c, "env")) {
			if n, v := scalar(get(e, "name")), get(e, "value"); n != "" && v != nil {
				pairs = append(pairs, "${"+n+"}", scalar(v), "$("+n+")", scalar(v))
			}
		}
		if len(pairs) > 0 {
			command = strings.NewReplacer(pairs...).Replace(command)
		}
	}
	return facts.Container{Name: scalar(name), Image: scalar(get(c, "image")), Command: command, Pos: pos}
}

// kubeServiceOf names the repo service a workload runs: by its name, its
// app labels, the directory of its manifest, its image, or the service its
// name starts with (orders-worker).
func (l *loader) kubeServiceOf(w *facts.Workload) string {
	if w.Datastore {
		return ""
	}
	for _, n := range []string{w.Name, w.Labels["app.kubernetes.io/name"], w.Labels["app"]} {
		if s := l.serviceByName(n); n != "" && s != nil {
			return s.Name
		}
	}
	if s := l.serviceOf(w.Pos.File); s != "" {
		return s
	}
	if s := l.serviceOfImage(w.Image); s != "" {
		return s
	}
	return l.serviceByPrefix(w.Name)
}

// dependentVar is a $(VAR) reference inside an env value.
var dependentVar = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_.\-]*)\)`)

// kubeEnv resolves one container's environment: envFrom first, then env,
// with $(VAR) references expanded as the kubelet does.
func (l *loader) kubeEnv(d *yamlDoc, c *yaml.Node, ns string, configs map[string][]*kubeConfig) []envValue {
	env := items(get(c, "env"))
	var froms []*kubeConfig
	var fromAt []*yaml.Node
	for _, ef := range items(get(c, "envFrom")) {
		for _, kind := range []string{"configMapRef", "secretRef"} {
			if ref := get(ef, kind); ref != nil {
				if cfg := findConfig(configs, strings.ToLower(strings.TrimSuffix(kind, "Ref")), scalar(get(ref, "name")), ns); cfg != nil {
					froms, fromAt = append(froms, cfg), append(fromAt, ef)
				}
			}
		}
	}
	n := len(env)
	for _, cfg := range froms {
		n += len(cfg.keys)
	}
	// The values in out, each name once, where index says: a later value of
	// a name replaces the earlier in place.
	index, out := make(map[string]int, n), make([]envValue, 0, n)
	set := func(v envValue) {
		if i, ok := index[v.name]; ok {
			out[i] = v
			return
		}
		index[v.name] = len(out)
		out = append(out, v)
	}
	for i, cfg := range froms {
		ef := fromAt[i]
		prefix, pos := scalar(get(ef, "prefix")), at(d, ef)
		for _, k := range cfg.keys {
			set(envValue{name: prefix + k, value: cfg.values[k], from: cfg.from, pos: pos})
		}
	}
	vals := func(name string) (envValue, bool) {
		i, ok := index[name]
		if !ok {
			return envValue{}, false
		}
		return out[i], true
	}
	for _, e := range env {
		nameNode := get(e, "name")
		v := envValue{name: scalar(nameNode), pos: at(d, nameNode), from: "literal"}
		if v.name == "" {
			continue
		}
		if val := get(e, "value"); val != nil {
			v.value = dependentVar.ReplaceAllStringFunc(scalar(val), func(m string) string {
				if prev, ok := vals(m[2 : len(m)-1]); ok {
					return prev.value
				}
				return m
			})
		} else {
			v.from = "unresolved"
			for _, kind := range []string{"configMapKeyRef", "secretKeyRef"} {
				ref := getPath(e, "valueFrom", kind)
				if ref == nil {
					continue
				}
				cfg := findConfig(configs, strings.ToLower(strings.TrimSuffix(kind, "KeyRef")), scalar(get(ref, "name")), ns)
				if cfg == nil {
					continue
				}
				if val, ok := cfg.values[scalar(get(ref, "key"))]; ok {
					v.value, v.from = val, cfg.kind+":"+cfg.name
				}
			}
		}
		set(v)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// findConfig finds a ConfigMap or Secret by name: in the workload's
// namespace, else the only one of that name.
func findConfig(configs map[string][]*kubeConfig, kind, name, ns string) *kubeConfig {
	cands := configs[kind+"/"+name]
	for _, c := range cands {
		if c.namespace == ns {
			return c
		}
	}
	if len(cands) == 1 {
		return cands[0]
	}
	return nil
}

// sortWorkloadFacts puts the workload facts in their stable order.
func sortWorkloadFacts(repo *facts.Repo) {
	sort.SliceStable(repo.Workloads, func(i, j int) bool {
		a, b := repo.Workloads[i], repo.Workloads[j]
		if a.Pos != b.Pos {
			return a.Pos.Less(b.Pos)
		}
		return a.Name < b.Name
	})
	sort.SliceStable(repo.KubeServices, func(i, j int) bool {
		a, b := repo.KubeServices[i], repo.KubeServices[j]
		if a.Pos != b.Pos {
			return a.Pos.Less(b.Pos)
		}
		return a.Name < b.Name
	})
}
