package data

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// SharedDatabaseServer reports servers on which several services keep
// different databases.
var SharedDatabaseServer = &analyzer.Rule{
	ID:       "DATA104",
	Name:     "shared-database-server",
	Title:    "services keep different databases on one server",
	Severity: analyzer.Info,
	Default:  false,
	Doc:      sharedDatabaseServerDoc,
	Run:      runSharedDatabaseServer,
}

func runSharedDatabaseServer(pass *analyzer.Pass) error {
	type server struct {
		refs []*facts.DatastoreRef
		dbs  map[string]map[string]bool // service → databases
	}
	servers := map[string]*server{}
	for _, r := range pass.Repo.DatastoreRefs {
		if !usable(r) || r.Database == "" {
			continue
		}
		id := fmt.Sprintf("%s://%s:%d", r.Engine, r.Host, r.Port)
		s := servers[id]
		if s == nil {
			s = &server{dbs: map[string]map[string]bool{}}
			servers[id] = s
		}
		s.refs = append(s.refs, r)
		if s.dbs[r.Service] == nil {
			s.dbs[r.Service] = map[string]bool{}
		}
		s.dbs[r.Service][r.Database] = true
	}
	for _, id := range slices.Sorted(maps.Keys(servers)) {
		s := servers[id]
		all := map[string]bool{}
		for _, dbs := range s.dbs {
			for db := range dbs {
				all[db] = true
			}
		}
		if len(s.dbs) < 2 || len(all) < 2 {
			continue
		}
		var parts []string
		for _, svc := range slices.Sorted(maps.Keys(s.dbs)) {
			parts = append(parts, fmt.Sprintf("%s (%s)", svc, strings.Join(sortedSet(s.dbs[svc]), ", ")))
		}
		anchor := s.refs[0]
		var related []analyzer.Related
		seen := map[string]bool{anchor.Service + "\x00" + anchor.Database: true}
		for _, r := range s.refs[1:] {
			if k := r.Service + "\x00" + r.Database; !seen[k] {
				seen[k] = true
				related = append(related, analyzer.Related{Pos: r.Pos, Service: r.Service,
					Message: fmt.Sprintf("%s uses database %q (%s %s)", r.Service, r.Database, sourceNames[r.Source], r.Key)})
			}
		}
		pass.Report(analyzer.Finding{
			Pos:     anchor.Pos,
			Service: anchor.Service,
			Related: related,
			Message: fmt.Sprintf("services %s keep different databases on one %s server %s:%d",
				serviceList(parts), anchor.Engine, anchor.Host, anchor.Port),
			Entity: "server:" + id,
		})
	}
	return nil
}

const sharedDatabaseServerDoc = `Several services keep different databases on one database server (same engine, host and
port). Their data is separate, so this is not data coupling, but it is an operational
dependency: one server's outage, upgrade, connection limit or noisy neighbour affects them
all, and they are scaled and backed up together.

The rule is informational and not in the default preset: sharing a server is a common and
often reasonable cost trade-off. Enable it to see which services would be affected by the
server.

Example:

    orders:  DATABASE_URL=postgres://db:5432/orders
    billing: DATABASE_URL=postgres://db:5432/billing    # reported: same server, own database

Fix: nothing is required; when the services need independent operations, give each its own
server or managed instance.`
