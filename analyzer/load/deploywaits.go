package load

import (
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// waitPatterns find the host a start-up command waits for, with the tool.
var waitPatterns = []struct {
	tool string
	re   *regexp.Regexp
	loop bool // only inside an until, while or for (retry) loop
}{
	{"nc", regexp.MustCompile(`\bnc\b[^;&|]*?\s-[a-y]*z[a-y]*\s+(?:-\S+\s+)*([A-Za-z0-9][A-Za-z0-9.-]*)`), false},
	{"wait-for", regexp.MustCompile(`\bwait-for(?:-it)?(?:\.sh)?\s+(?:-\S+\s+)*([A-Za-z0-9][A-Za-z0-9.-]*):\d+`), false},
	{"dockerize", regexp.MustCompile(`-wait\s+(?:tcp|http|https)://([A-Za-z0-9][A-Za-z0-9.-]*)`), false},
	{"kubectl wait", regexp.MustCompile(`\bkubectl\s+(?:wait|rollout\s+status)\b[^;&|]*?(?:deployment|deploy|statefulset|sts)/([A-Za-z0-9.-]+)`), false},
	{"pg_isready", regexp.MustCompile(`\bpg_isready\b[^;&|]*?-h\s+([A-Za-z0-9.-]+)`), false},
	{"", regexp.MustCompile(`\b(curl|wget)\b[^;&|]*?https?://([A-Za-z0-9][A-Za-z0-9.-]*)`), true}, // the tool is the match's
	{"nslookup", regexp.MustCompile(`\bnslookup\s+([A-Za-z0-9][A-Za-z0-9.-]*)`), true},
}

var waitLoop = regexp.MustCompile(`\b(until|while|for)\b`)

type waitHost struct{ host, tool string }

// waitHosts returns the hosts a command waits for, in order.
func waitHosts(cmd string) []waitHost {
	cmd = strings.NewReplacer(`"`, " ", "'", " ", ",", " ", "[", " ", "]", " ").Replace(cmd)
	var out []waitHost
	seen := map[string]bool{}
	for _, p := range waitPatterns {
		if p.loop && !waitLoop.MatchString(cmd) {
			continue
		}
		for _, m := range p.re.FindAllStringSubmatch(cmd, -1) {
			tool, host := p.tool, m[len(m)-1]
			if tool == "" {
				tool = m[1]
			}
			h := shortHost(host)
			if h != "" && !seen[h] {
				seen[h] = true
				out = append(out, waitHost{host: h, tool: tool})
			}
		}
	}
	return out
}

// shortHost turns a cluster host name (orders.shop.svc.cluster.local,
// orders.shop) into the service name; other dotted names stay as written.
func shortHost(h string) string {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if i := strings.Index(h, ".svc"); i >= 0 {
		h = h[:i]
	}
	if strings.Count(h, ".") == 1 {
		h = h[:strings.Index(h, ".")]
	}
	return h
}

// resolveHost names the repo service a host name reaches, and whether it
// is a datastore: a service of that name, a workload of that name, or the
// workload a Kubernetes Service of that name selects.
func (l *loader) resolveHost(host, file string) (string, bool) {
	if s := l.serviceByName(host); s != nil {
		return s.Name, false
	}
	var best *facts.Workload
	for _, w := range l.repo.Workloads {
		if w.Name == host && (best == nil || w.Pos.File == file) {
			best = w
		}
	}
	if best == nil {
		for _, ks := range l.repo.KubeServices {
			if ks.Name != host || len(ks.Selector) == 0 {
				continue
			}
			for _, w := range l.repo.Workloads {
				if w.Kind != "compose" && matchesSelector(w.Labels, ks.Selector) {
					best = w
					break
				}
			}
		}
	}
	if best != nil {
		return best.Service, best.Datastore
	}
	return "", IsDatastoreImage(host)
}

func matchesSelector(labels, sel map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// workloadWaits reads compose depends_on and Kubernetes init containers
// that wait for another host.
func (l *loader) workloadWaits() []facts.StartupWait {
	var out []facts.StartupWait
	for _, w := range l.repo.Workloads {
		for _, d := range w.DependsOn {
			to, store := l.resolveHost(d.Name, w.Pos.File)
			out = append(out, facts.StartupWait{Kind: "depends_on", From: w.Service, FromWorkload: w.Name,
				To: to, Target: d.Name, Datastore: store, Condition: d.Condition, Pos: d.Pos})
		}
		for _, c := range w.InitContainers {
			for _, h := range waitHosts(c.Command) {
				to, store := l.resolveHost(h.host, w.Pos.File)
				out = append(out, facts.StartupWait{Kind: "init-container", From: w.Service, FromWorkload: w.Name,
					To: to, Target: h.host, Datastore: store, Condition: h.tool, Pos: c.Pos})
			}
		}
	}
	return out
}

// helmHookWaits scans chart templates that declare a Helm hook for
// commands waiting on another host.
func (ix *deployIndex) helmHookWaits() []facts.StartupWait {
	var out []facts.StartupWait
	for _, in := range ix.l.inputs {
		if !strings.Contains("/"+in.path, "/templates/") || !strings.Contains(string(in.data), "helm.sh/hook") {
			continue
		}
		chartDir := cleanDir(path.Dir(path.Dir(in.path)))
		from := ""
		if c := ix.charts[chartDir]; c != nil {
			from = ix.service(c.name)
		}
		for i, line := range strings.Split(string(in.data), "\n") {
			for _, h := range waitHosts(line) {
				to, store := ix.l.resolveHost(h.host, in.path)
				out = append(out, facts.StartupWait{Kind: "helm-hook", From: from, FromWorkload: in.path, To: to,
					Target: h.host, Datastore: store, Condition: h.tool, Pos: facts.Position{File: in.path, Line: i + 1}})
			}
		}
	}
	return out
}

// lockstepEdges joins services that change, ship or start together.
func (l *loader) lockstepEdges() []facts.LockstepEdge {
	type key struct{ kind, from, to string }
	edges := map[key]*facts.LockstepEdge{}
	add := func(kind, from, to string, weight int, detail string, ev ...facts.Position) {
		if from == "" || to == "" || from == to {
			return
		}
		if kind != facts.EdgeStartupOrder && kind != facts.EdgeDeployOrder && to < from {
			from, to = to, from
		}
		k := key{kind, from, to}
		e := edges[k]
		if e == nil {
			e = &facts.LockstepEdge{Kind: kind, From: from, To: to, Detail: detail}
			edges[k] = e
		}
		e.Weight += weight
		for _, p := range ev {
			if p.IsValid() && len(e.Evidence) < 10 {
				e.Evidence = append(e.Evidence, p)
			}
		}
	}
	repo := l.repo
	if repo.History.State == facts.HistoryAnalysed {
		for _, cc := range repo.History.CoChanges() {
			avg := float64(cc.ChangesA+cc.ChangesB) / 2
			var ev []facts.Position
			for _, n := range []string{cc.A, cc.B} {
				if s := repo.ServiceByName(n); s != nil {
					ev = append(ev, s.Decl)
				}
			}
			add(facts.EdgeCoChange, cc.A, cc.B, cc.Shared, "degree "+strconv.Itoa(int(float64(cc.Shared)/avg*100))+"%", ev...)
		}
	}
	jobs := map[string]*facts.CIJob{}
	for _, j := range repo.Deploy.CIJobs {
		jobs[j.File+"\x00"+j.Name] = j
	}
	for _, j := range repo.Deploy.CIJobs {
		if j.System == facts.CIMake && facts.VerbRank(j.Verb) < facts.VerbRank(facts.VerbPush) {
			continue
		}
		for _, svcs := range j.LegServices(facts.VerbBuild) {
			for i, a := range svcs {
				for _, b := range svcs[i+1:] {
					add(facts.EdgeJointDeploy, a, b, 1, "", j.Pos)
				}
			}
		}
		mine := j.LegServices(facts.VerbDeploy)
		for _, n := range j.Needs {
			dep := jobs[j.File+"\x00"+n.Job]
			if dep == nil {
				continue
			}
			for _, a := range flatten(mine) {
				for _, b := range flatten(dep.LegServices(facts.VerbDeploy)) {
					add(facts.EdgeDeployOrder, a, b, 1, "", n.Pos)
				}
			}
		}
	}
	for _, w := range repo.Deploy.Waits {
		if !w.Datastore {
			add(facts.EdgeStartupOrder, w.From, w.To, 1, w.Kind, w.Pos)
		}
	}
	for _, b := range repo.Deploy.Bundles {
		var svcs []string
		for _, m := range b.Members {
			if (m.How != "copy" || b.Manager != "") && !contains(svcs, m.Service) {
				svcs = append(svcs, m.Service)
			}
		}
		sort.Strings(svcs)
		for i, a := range svcs {
			for _, c := range svcs[i+1:] {
				add(facts.EdgeSharedImage, a, c, 1, b.Kind, b.Pos)
			}
		}
	}
	out := make([]facts.LockstepEdge, 0, len(edges))
	for _, e := range edges {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
	return out
}

func flatten(legs map[string][]string) []string {
	set := map[string]bool{}
	for _, l := range legs {
		for _, s := range l {
			set[s] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}
