package deploy

import (
	"fmt"

	"github.com/decouplehq/decouple/analyzer"
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
	for _, w := range pass.Repo.Deploy.Waits {
		if w.From == "" || w.To == "" || w.From == w.To || w.Datastore {
			continue
		}
		how := waitWords[w.Kind]
		if w.Condition != "" {
			how += " (" + w.Condition + ")"
		}
		var rel []analyzer.Related
		if to := pass.Repo.ServiceByName(w.To); to != nil && to.Decl.IsValid() {
			rel = append(rel, analyzer.Related{Pos: to.Decl, Service: to.Name, Message: w.From + " waits for it"})
		}
		pass.Report(analyzer.Finding{
			Pos: w.Pos, Service: w.From, Services: sorted(w.From, w.To), Related: rel,
			Message: fmt.Sprintf("service %s does not start until service %s is up: %s waits for %s", w.From, w.To, how, w.Target),
			Entity:  "startup:" + w.Kind + "\x00" + w.From + "\x00" + w.To,
		})
	}
	return nil
}

const startupDependencyDoc = `An application service that will not start until another application service
is up cannot be deployed, restarted or scaled on its own: an outage of the dependency becomes
an outage of both, and every environment must start them in order. Databases, caches and
brokers are infrastructure and are not flagged; waiting on another team's service is.

Read from compose ` + "`depends_on`" + ` (any condition, and ` + "`links`" + `), Kubernetes init containers
that wait for a host (` + "`until nc -z payments 8080`" + `, ` + "`wait-for payments:8080`" + `, ` + "`dockerize -wait tcp://payments:8080`" + `,
` + "`kubectl wait deployment/payments`" + `, curl/wget in an until loop), and Helm hook templates running
such commands. A host is matched to a service by name, by compose service, or through a
Kubernetes Service's selector.

Example:

    orders:
      depends_on:
        payments:                     # flagged: orders waits for payments
          condition: service_started
        postgres:                     # not flagged: a database
          condition: service_healthy

Fix: let the service start without its peers and retry (with backoff) or degrade while they
are unavailable; health checks should cover the service itself, not its dependencies.`
