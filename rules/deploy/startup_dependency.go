package deploy

import (
	"fmt"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// StartupDependency reports application services that do not start until
// another application service is up.
var StartupDependency = &analyzer.Rule{
	ID:       "DEPLOY103",
	Name:     "startup-dependency",
	Title:    "a service waits for another service to start",
	Severity: analyzer.Warning,
	Default:  true,
	Doc:      startupDependencyDoc,
	Run:      runStartupDependency,
}

var waitWords = map[string]string{
	"depends_on":     "compose depends_on",
	"init-container": "an init container",
	"helm-hook":      "a Helm hook",
}

func runStartupDependency(pass *analyzer.Pass) error {
	// one finding per kind of wait and pair of services, at its first
	// place; the same wait in other files (a compose file per environment
	// or release) is listed with it
	type group struct {
		first facts.StartupWait
		also  []facts.StartupWait
	}
	var order []string
	groups := map[string]*group{}
	for _, w := range pass.Repo.Deploy.Waits {
		if w.From == "" || w.To == "" || w.From == w.To || w.Datastore {
			continue
		}
		entity := "startup:" + w.Kind + "\x00" + w.From + "\x00" + w.To
		if g := groups[entity]; g != nil {
			g.also = append(g.also, w)
			continue
		}
		groups[entity] = &group{first: w}
		order = append(order, entity)
	}
	workloads := map[[2]string]facts.Position{} // by file and name
	for _, wl := range pass.Repo.Workloads {
		if k := [2]string{wl.Pos.File, wl.Name}; !workloads[k].IsValid() {
			workloads[k] = wl.Pos
		}
	}
	for _, entity := range order {
		g := groups[entity]
		w := g.first
		how := waitWords[w.Kind]
		if w.Condition != "" {
			how += " (" + w.Condition + ")"
		}
		var rel []analyzer.Related
		if at, ok := targetDecl(pass.Repo, workloads, w); ok {
			rel = append(rel, analyzer.Related{Pos: at, Service: w.To, Message: w.From + " waits for it"})
		}
		for _, o := range g.also {
			rel = append(rel, analyzer.Related{Pos: o.Pos, Service: w.From, Message: fmt.Sprintf("%s waits for %s here too", w.From, o.Target)})
		}
		pass.Report(analyzer.Finding{
			Pos: w.Pos, Service: w.From, Services: sorted(w.From, w.To), Related: rel,
			Message: fmt.Sprintf("service %s does not start until service %s is up: %s waits for %s", w.From, w.To, how, w.Target),
			Entity:  entity,
		})
	}
	return nil
}

// targetDecl places the service a wait is for: the workload of that name
// in the waiting file (the compose service it names; workloads by file and
// name), else the service's declaration.
func targetDecl(repo *facts.Repo, workloads map[[2]string]facts.Position, w facts.StartupWait) (facts.Position, bool) {
	if at := workloads[[2]string{w.Pos.File, w.Target}]; at.IsValid() {
		return at, true
	}
	if to := repo.ServiceByName(w.To); to != nil && to.Decl.IsValid() {
		return to.Decl, true
	}
	return facts.Position{}, false
}

const startupDependencyDoc = `An application service that will not start until another application service
is up cannot be deployed, restarted or scaled on its own: an outage of the dependency becomes
an outage of both, and every environment must start them in order. Databases, caches and
brokers are infrastructure and are not flagged; waiting on another team's service is.

Read from compose ` + "`depends_on`" + ` (any condition, and ` + "`links`" + `), Kubernetes init containers
that wait for a host (` + "`until nc -z payments 8080`" + `, ` + "`wait-for payments:8080`" + `, ` + "`dockerize -wait tcp://payments:8080`" + `,
` + "`kubectl wait deployment/payments`" + `, curl/wget in an until loop), and Helm hook templates running
such commands. A host is matched to a service by name, by compose service, or through a
Kubernetes Service's selector. The same wait in several files (a compose file per environment
or release) is one finding, at its first place, with the others listed.

Example:

    orders:
      depends_on:
        payments:                     # flagged: orders waits for payments
          condition: service_started
        postgres:                     # not flagged: a database
          condition: service_healthy

Fix: let the service start without its peers and retry (with backoff) or degrade while they
are unavailable; health checks should cover the service itself, not its dependencies.`
