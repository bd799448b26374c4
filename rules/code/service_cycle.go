package code

import (
	"fmt"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
)

// ServiceCycle reports services whose code depends on each other in a
// cycle.
var ServiceCycle = &analyzer.Rule{
	ID:       "CODE104",
	Name:     "service-cycle",
	Title:    "services depend on each other's code in a cycle",
	Severity: analyzer.Error,
	Default:  true,
	Doc:      serviceCycleDoc,
	Run:      runServiceCycle,
}

func runServiceCycle(pass *analyzer.Pass) error {
	g := graphOf(pass.Repo.CodeEdges)
	for _, comp := range g.components() {
		cycle := g.shortestCycle(comp)
		var rel []analyzer.Related
		var steps []string
		for i := range cycle {
			from, to := cycle[i], cycle[(i+1)%len(cycle)]
			e := g.evidence[[2]string{from, to}]
			steps = append(steps, fmt.Sprintf("%s → %s (%s %s)", from, to, e.Kind, e.Target))
			if i > 0 {
				rel = append(rel, analyzer.Related{Pos: e.Evidence, Service: from, Message: fmt.Sprintf("%s depends on %s here", from, to)})
			}
		}
		first := g.evidence[[2]string{cycle[0], cycle[1%len(cycle)]}]
		cycles := "in a cycle: " + analyzer.ListNames(steps)
		if others := g.offCycle(comp, cycle); len(others) > 0 {
			// builder ⇄ worker is the shortest cycle, mq joins through
			// worker: each of the others gets one of its edges in the group
			var joins []string
			for _, e := range others {
				joins = append(joins, fmt.Sprintf("%s → %s (%s %s)", e.From, e.To, e.Kind, e.Target))
				rel = append(rel, analyzer.Related{Pos: e.Evidence, Service: e.From, Message: fmt.Sprintf("%s depends on %s here", e.From, e.To)})
			}
			cycles = "in cycles, the shortest " + analyzer.ListNames(steps) + ", joined by " + analyzer.ListNames(joins)
		}
		pass.Report(analyzer.Finding{
			Pos: first.Evidence, Service: cycle[0], Services: comp, Related: rel,
			Message: fmt.Sprintf("services %s depend on each other %s; none of them can be built, tested or released without the others",
				analyzer.ListNames(comp), cycles),
			Entity: "cycle:" + strings.Join(comp, ","),
		})
	}
	return nil
}

const serviceCycleDoc = `Services whose code depends on each other in a cycle — A imports B's code,
B imports C's, C imports A's — form one unit: none of them can be built, tested or released
without the others, whatever the deployment diagram says. The graph is built from every code edge
decouple observes: Go imports between services (contract packages included — a cycle through
generated clients is still a cycle of runtime dependencies), proto imports, and go.mod replace and
require directives into sibling services; imports made only by tests do not count.

Each strongly connected component is reported once, at the first edge of its shortest cycle, with
the evidence (file:line) of every edge on that cycle, and, for each service of the component off
that cycle, of its first edge to another service of the component.

Example:

    services/orders   imports services/billing/client
    services/billing  imports services/orders/internal/status     → cycle orders ⇄ billing

Fix: break the weakest edge: invert it with an event (B publishes, A subscribes), move the shared
piece into a library owned by neither, or merge the services if they truly are one.`
