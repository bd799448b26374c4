package data

import (
	"fmt"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// SharedSchemaMigrations reports migration folders applied by several
// services, and tables that several services create or alter.
var SharedSchemaMigrations = &analyzer.Rule{
	ID:       "DATA103",
	Name:     "shared-schema-migrations",
	Title:    "one schema is migrated by several services",
	Severity: analyzer.Warning,
	Default:  true,
	Doc:      sharedSchemaMigrationsDoc,
	Run:      runSharedSchemaMigrations,
}

func runSharedSchemaMigrations(pass *analyzer.Pass) error {
	for _, m := range pass.Repo.Migrations {
		set := map[string]bool{}
		for _, u := range m.Users {
			set[u.Service] = true
		}
		if len(set) < 2 {
			continue
		}
		anchor := m.Users[0].Service
		if m.Service != "" {
			anchor = m.Service
		}
		var related []analyzer.Related
		for _, u := range m.Users {
			if u.How == "owner" {
				continue
			}
			related = append(related, analyzer.Related{Pos: u.Pos, Service: u.Service,
				Message: fmt.Sprintf("%s applies it (%s)", u.Service, u.How)})
		}
		pass.Report(analyzer.Finding{
			Pos:     m.Pos,
			Service: anchor,
			Related: related,
			Message: fmt.Sprintf("migrations folder %s (%s) is applied by services %s", m.Dir, m.Tool, serviceList(sortedSet(set))),
			Entity:  "migrations:" + m.Dir,
		})
	}
	ddl := func(t *facts.TableRef) bool { return t.Op == "create" || t.Op == "alter" }
	for _, s := range shareTables(pass.Repo, ddl) {
		s.report(pass, "ddl", "services %s both create or alter %s %s of the %s")
	}
	return nil
}

const sharedSchemaMigrationsDoc = `One schema is migrated by several services: a migrations folder (golang-migrate, goose,
atlas, dbmate, flyway, or an sqlc schema) that two services apply, or two services that
both create or alter the same table of the same database. A service applies a folder when
the folder lies inside it, when its Go code names the folder's path (migrate.New,
goose.Up), when its Dockerfile copies the folder, when its compose service mounts it, when
its sqlc config compiles against it, or when its Makefile names it.

Whoever migrates a schema owns it. With two owners, every migration must be coordinated
and released in lockstep, and the order of deploys decides what the schema looks like.

Example:

    db/migrations/0001_init.up.sql      # flagged: applied by orders and billing
    services/orders/Dockerfile:   COPY db/migrations /migrations
    services/billing/main.go:     migrate.New("file://db/migrations", dsn)

Fix: move the folder into the one service that owns the schema, and let only that service
run it; other services stop touching the tables or get their own.`
