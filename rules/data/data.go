// Package data holds the DATA rules: services that share a database, its
// tables, its schema migrations or its server.
package data

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// defaultDatabases are the names a client falls back to when it is given
// none worth the name: two services defaulting to them on a loopback host
// share a developer's machine, not a design.
var defaultDatabases = map[string]bool{
	"": true, "postgres": true, "mysql": true, "test": true, "admin": true, "template1": true, "default": true,
	"0": true,
}

// usable reports whether a reference counts as evidence: it belongs to a
// service, and if its host is a loopback address it names a real database
// and comes from code or config (in a container's environment or a file
// mounted into it, localhost is the container itself).
func usable(r *facts.DatastoreRef) bool {
	if r.Service == "" {
		return false
	}
	if !r.Local {
		return true
	}
	return !defaultDatabases[r.Database] && r.Source != "compose-env" && r.Source != "kube-env" && r.Source != "kube-config-file"
}

// usableNodes returns the IDs of the datastores that usable references
// name a database of.
func usableNodes(refs []*facts.DatastoreRef) map[string]*facts.DatastoreRef {
	out := map[string]*facts.DatastoreRef{}
	for _, r := range refs {
		if usable(r) && r.Database != "" {
			if _, ok := out[r.Node]; !ok {
				out[r.Node] = r
			}
		}
	}
	return out
}

// serviceList renders "a", "a and b", "a, b and c"; past
// analyzer.MessageNames names, the first of them and how many more.
func serviceList(names []string) string {
	if len(names) > analyzer.MessageNames {
		names = append(names[:analyzer.MessageNames:analyzer.MessageNames], fmt.Sprintf("%d more", len(names)-analyzer.MessageNames))
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// nameList renders at most five names, then how many more.
func nameList(names []string) string {
	if len(names) > 5 {
		return serviceList(append(append([]string(nil), names[:5]...), fmt.Sprintf("%d more", len(names)-5)))
	}
	return serviceList(names)
}

// sourceNames say where a reference was found, for messages.
var sourceNames = map[string]string{
	"compose-env": "compose environment", "kube-env": "Kubernetes env", "env-file": "env file",
	"kube-config-file": "mounted config file",
	"config":           "config", "helm-values": "Helm values", "go": "Go code", "depends-on": "compose depends_on",
}

// describe says how a service reaches a datastore, without credentials
// (Display is redacted by the loader).
func describe(r *facts.DatastoreRef) string {
	return fmt.Sprintf("%s reaches it through %s %s (%s)", r.Service, sourceNames[r.Source], r.Key, r.Display)
}

// where renders engine database "name" on host:port.
func where(d *facts.Datastore, fallback *facts.DatastoreRef) string {
	engine, host, port, db := fallback.Engine, fallback.Host, fallback.Port, fallback.Database
	if d != nil {
		engine, host, port, db = d.Engine, d.Host, d.Port, d.Database
	}
	return fmt.Sprintf("%s database %q on %s:%d", engine, db, host, port)
}

func datastoreByID(repo *facts.Repo, id string) *facts.Datastore {
	for _, d := range repo.Datastores {
		if d.ID == id {
			return d
		}
	}
	return nil
}

// servicesOf returns the sorted distinct services of some references.
func servicesOf(refs []*facts.DatastoreRef) []string {
	set := map[string]bool{}
	for _, r := range refs {
		set[r.Service] = true
	}
	return sortedSet(set)
}

func sortedSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// tableKey identifies a table within its database; an unqualified
// Postgres name lives in the public schema.
func tableKey(t *facts.TableRef) string {
	schema := t.Schema
	if schema == "" && strings.HasPrefix(t.Database, "postgres://") {
		schema = "public"
	}
	return t.Database + "\x00" + t.Kind + "\x00" + schema + "\x00" + t.Name
}

// tableName renders a table with its schema when it has one.
func tableName(t *facts.TableRef) string {
	if t.Schema != "" && t.Schema != "public" {
		return t.Schema + "." + t.Name
	}
	return t.Name
}

// tableShare is a set of tables of one database touched by the same
// services.
type tableShare struct {
	database string
	services []string
	tables   []string
	refs     [][]*facts.TableRef // per table, in the order of tables
}

// shareTables groups the table references that keep gives by database and
// table, keeps the tables two or more services touch, and joins the tables
// touched by the same set of services.
func shareTables(repo *facts.Repo, keep func(*facts.TableRef) bool) []*tableShare {
	nodes := usableNodes(repo.DatastoreRefs)
	byTable := map[string][]*facts.TableRef{}
	for _, t := range repo.Tables {
		if t.Service != "" && t.Database != "" && nodes[t.Database] != nil && keep(t) {
			byTable[tableKey(t)] = append(byTable[tableKey(t)], t)
		}
	}
	shares := map[string]*tableShare{}
	var order []string
	for _, k := range slices.Sorted(maps.Keys(byTable)) {
		refs := byTable[k]
		set := map[string]bool{}
		for _, t := range refs {
			set[t.Service] = true
		}
		if len(set) < 2 {
			continue
		}
		svcs := sortedSet(set)
		sk := refs[0].Database + "\x00" + strings.Join(svcs, ",")
		s := shares[sk]
		if s == nil {
			s = &tableShare{database: refs[0].Database, services: svcs}
			shares[sk] = s
			order = append(order, sk)
		}
		s.tables = append(s.tables, tableName(refs[0]))
		s.refs = append(s.refs, refs)
	}
	out := make([]*tableShare, 0, len(order))
	for _, k := range order {
		out = append(out, shares[k])
	}
	return out
}

// report emits one finding for a table share: anchored at the first
// service's first reference, with each other service's first reference to
// each table related.
func (s *tableShare) report(pass *analyzer.Pass, entity, format string) {
	var anchor *facts.TableRef
	for _, refs := range s.refs {
		for _, t := range refs {
			if anchor == nil || t.Service < anchor.Service || t.Service == anchor.Service && t.Pos.Less(anchor.Pos) {
				anchor = t
			}
		}
	}
	var related []analyzer.Related
	for i, refs := range s.refs {
		seen := map[string]bool{}
		for _, t := range refs {
			if t == anchor {
				seen[t.Service] = true
			}
		}
		for _, t := range refs {
			if t == anchor || seen[t.Service] {
				continue
			}
			seen[t.Service] = true
			related = append(related, analyzer.Related{Pos: t.Pos, Service: t.Service,
				Message: fmt.Sprintf("%s %s %s %s (%s)", t.Service, opVerb(t.Op), t.Kind, s.tables[i], t.Source)})
		}
	}
	sort.SliceStable(related, func(i, j int) bool { return related[i].Pos.Less(related[j].Pos) })
	noun := anchor.Kind
	if len(s.tables) > 1 {
		noun += "s"
	}
	d := datastoreByID(pass.Repo, s.database)
	loc := s.database
	if d != nil {
		loc = fmt.Sprintf("%s database %q on %s:%d", d.Engine, d.Database, d.Host, d.Port)
	}
	pass.Report(analyzer.Finding{
		Pos:     anchor.Pos,
		Service: anchor.Service,
		Related: related,
		Message: fmt.Sprintf(format, serviceList(s.services), noun, nameList(s.tables), loc),
		Entity:  entity + ":" + s.database + ":" + strings.Join(s.tables, ","),
	})
}

func opVerb(op string) string {
	switch op {
	case "read":
		return "reads"
	case "write":
		return "writes"
	case "create":
		return "creates"
	case "alter":
		return "alters"
	}
	return "uses"
}
