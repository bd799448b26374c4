package code

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// SharedDomainModel reports a shared package of domain or persistence
// models that several services compile against.
var SharedDomainModel = &analyzer.Rule{
	ID:       "CODE102",
	Name:     "shared-domain-model",
	Title:    "shared package of domain or persistence models used by several services",
	Severity: analyzer.Warning,
	Default:  true,
	Doc:      sharedDomainModelDoc,
	Run:      runSharedDomainModel,
}

// modelPackageNames are package names that say "domain model".
var modelPackageNames = map[string]bool{
	"model": true, "models": true, "entity": true, "entities": true, "domain": true,
	"schema": true, "store": true, "repository": true,
}

func runSharedDomainModel(pass *analyzer.Pass) error {
	repo := pass.Repo
	users := sharedUsers(repo)
	for _, p := range repo.GoPackages {
		if p.Service != "" || p.Main || specGenerated(p) || len(users[p.Dir]) < 2 {
			continue
		}
		what, at := "", p.Pos
		var names []string
		tags := map[string]bool{}
		for _, m := range p.Models {
			if m.Generic {
				continue // ListResult[T]: a container of any service's records
			}
			if len(names) == 0 {
				at = m.Pos
			}
			names = append(names, m.Name)
			for _, t := range m.Tags {
				tags[t] = true
			}
		}
		switch {
		case len(names) > 0:
			what = fmt.Sprintf("defines persistence models (%s with %s tags)", listNames(names, 3), strings.Join(sortedSet(tags), "/"))
		case modelPackageNames[p.Name] && !genericCode(p.Dir) && p.Structs:
			what = fmt.Sprintf("is a %s package", p.Name)
		default:
			continue
		}
		svcs := sortedSet(users[p.Dir])
		var rel []analyzer.Related
		for _, s := range svcs {
			rel = append(rel, analyzer.Related{Pos: users[p.Dir][s], Service: s, Message: "service " + s + " depends on it here"})
		}
		pass.Report(analyzer.Finding{
			Pos:     at,
			Related: rel,
			Message: fmt.Sprintf("shared package %q %s and is used by services %s; a change to it ships all of them together — give each service its own model and exchange data through APIs",
				p.Dir, what, analyzer.ListNames(svcs)),
			Entity: "shared-model:" + p.Dir,
		})
	}
	return nil
}

// genericWords are folder names of generic shared code: a models package
// below one (pkg/logger/models) holds that code's settings, not a domain.
var genericWords = map[string]bool{
	"log": true, "logger": true, "logging": true, "config": true, "configs": true, "errors": true,
	"middleware": true, "middlewares": true, "tracing": true, "telemetry": true, "otel": true,
	"metrics": true, "monitoring": true, "observability": true, "types": true,
}

// genericCode reports whether a directory lies below a folder of generic
// shared code.
func genericCode(dir string) bool {
	parts := strings.Split(dir, "/")
	for _, p := range parts[:len(parts)-1] {
		if genericWords[strings.ToLower(p)] {
			return true
		}
	}
	return false
}

// sharedUsers maps each shared package to the services whose packages
// import it from production code, directly or through other shared
// packages, with the service's import that leads to it.
func sharedUsers(repo *facts.Repo) map[string]map[string]facts.Position {
	users := map[string]map[string]facts.Position{}
	// reach holds, per shared dir, every shared dir reachable from it
	// (itself included), each once: a breadth-first walk that takes the
	// whole set of a dir walked before instead of walking it again. (Lists
	// built from the children's lists grew with the number of import paths,
	// exponential in a dense graph.)
	reach := map[string][]string{}
	closure := func(start string) []string {
		if r, ok := reach[start]; ok {
			return r
		}
		set := map[string]bool{start: true}
		queue := []string{start}
		for len(queue) > 0 {
			d := queue[0]
			queue = queue[1:]
			p := repo.GoPackageByDir(d)
			if p == nil {
				continue
			}
			for _, imp := range p.Imports {
				t := repo.GoPackageByDir(imp.Dir)
				if imp.Test || t == nil || t.Service != "" || set[t.Dir] {
					continue
				}
				if r, ok := reach[t.Dir]; ok {
					for _, x := range r {
						set[x] = true
					}
					continue
				}
				set[t.Dir] = true
				queue = append(queue, t.Dir)
			}
		}
		out := slices.Sorted(maps.Keys(set))
		reach[start] = out
		return out
	}
	for _, p := range repo.GoPackages {
		if p.Service == "" || p.TestOnly {
			continue
		}
		for _, imp := range p.Imports {
			t := repo.GoPackageByDir(imp.Dir)
			if imp.Test || t == nil || t.Service != "" {
				continue
			}
			for _, d := range closure(t.Dir) {
				if users[d] == nil {
					users[d] = map[string]facts.Position{}
				}
				if old, ok := users[d][p.Service]; !ok || imp.Pos.Less(old) {
					users[d][p.Service] = imp.Pos
				}
			}
		}
	}
	return users
}

func listNames(names []string, limit int) string {
	if len(names) > limit {
		return strings.Join(names[:limit], ", ") + fmt.Sprintf(" and %d more", len(names)-limit)
	}
	return strings.Join(names, ", ")
}

const sharedDomainModelDoc = `A package that belongs to no service but defines domain or persistence models
(struct types with gorm, db, bson, sql or dynamodbav tags, or a package named model(s),
entity/entities, domain, schema, store or repository that declares an exported struct type), imported by
two or more services, makes
those services share one data model. Adding a column for one service changes the type every other
service compiles against; usually the services also end up sharing the tables behind it. They
can no longer change or ship on their own.

Generic shared code — logging, config, errors, middleware, shared value types, generated contract
code — is fine and not reported: a models package below such a folder (pkg/logger/models,
business/types/domain) holds its settings or vocabulary, and a
generic type with tags (ListResult[T]) holds any service's records. Services count when any of their production packages imports the model package,
directly or through other shared packages.

Example:

    pkg/models/order.go:   type Order struct { ID int ` + "`gorm:\"primaryKey\"`" + ` }   // flagged
    services/orders  imports pkg/models
    services/billing imports pkg/models

Fix: give each service its own model of the data it owns, and exchange data through the owning
service's API (its proto or OpenAPI messages), not through a shared struct.`
