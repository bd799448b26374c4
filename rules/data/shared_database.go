package data

import (
	"fmt"
	"maps"
	"slices"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// SharedDatabase reports logical databases that two or more services
// connect to.
var SharedDatabase = &analyzer.Rule{
	ID:       "DATA101",
	Name:     "shared-database",
	Title:    "two or more services connect to the same database",
	Severity: analyzer.Error,
	Default:  true,
	Doc:      sharedDatabaseDoc,
	Run:      runSharedDatabase,
}

func runSharedDatabase(pass *analyzer.Pass) error {
	byNode := map[string][]*facts.DatastoreRef{}
	for _, r := range pass.Repo.DatastoreRefs {
		if usable(r) && r.Database != "" {
			byNode[r.Node] = append(byNode[r.Node], r)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(byNode)) {
		refs := byNode[id] // in service, then position order
		services := servicesOf(refs)
		if len(services) < 2 {
			continue
		}
		anchor := refs[0]
		var related []analyzer.Related
		for _, r := range refs[1:] {
			related = append(related, analyzer.Related{Pos: r.Pos, Service: r.Service, Message: describe(r)})
		}
		pass.Report(analyzer.Finding{
			Pos:     anchor.Pos,
			Service: anchor.Service,
			Related: related,
			Message: fmt.Sprintf("services %s share the %s; %s", serviceList(services),
				where(datastoreByID(pass.Repo, id), anchor), describe(anchor)),
			Entity: "database:" + id,
		})
	}
	return nil
}

const sharedDatabaseDoc = `Two or more services connect to the same logical database: the same engine, host,
port and database name once every connection string is normalised. Connection strings are
read from compose ` + "`environment`" + ` and ` + "`env_file`" + `, Kubernetes env resolved through
ConfigMaps and Secrets, the config files (YAML, JSON, env) a pod mounts from a ConfigMap or
Secret (mongodb.yml: its name gives the engine), .env and config files inside a service or in
a shared folder compose bind-mounts into its container, Helm values and Go code
(` + "`sql.Open`" + `, gorm, pgx, mongo and redis options, DSN literals). URL DSNs, libpq
` + "`key=value`" + ` strings, the go-sql-driver ` + "`user@tcp(host:3306)/db`" + ` form and JDBC URLs
all normalise to one identity, and a host that names a compose service or a Kubernetes
Service running a database resolves to that datastore. A Postgres connection that names no
database connects to the one named like its user, as Postgres does.

A shared database is the most common way microservices end up a distributed monolith:
neither service owns the data, a schema change in one breaks the other at run time, and the
two can no longer be deployed, scaled or migrated apart.

Example (compose.yaml):

    orders:
      environment:
        DATABASE_URL: postgres://app@db:5432/shop   # flagged
    billing:
      environment:
        DB_HOST: db
        DB_NAME: shop                               # the same database

Different databases on one server are not this rule (see DATA104). A loopback host
(localhost) counts only with a database name other than a client default.

Fix: give each service its own database (or schema with its own credentials) and make the
other services go through its API or events for the data they need.`
