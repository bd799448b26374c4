package api

import (
	"fmt"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// InconsistentVersioning reports APIs that version in different ways, specs
// mixing major versions, and new majors that depend on the old one.
var InconsistentVersioning = &analyzer.Rule{
	ID:       "API103",
	Name:     "inconsistent-versioning",
	Title:    "inconsistent API versioning within a service or repository",
	Severity: analyzer.Warning,
	Default:  true,
	Doc:      inconsistentVersioningDoc,
	Run:      runInconsistentVersioning,
}

func runInconsistentVersioning(pass *analyzer.Pass) error {
	mixedMechanisms(pass)
	serverMajors(pass)
	majorImports(pass)
	return nil
}

// mixedMechanisms compares the main versioning mechanism of each spec with
// the others of its service, or with the pinned strategy across the repo.
func mixedMechanisms(pass *analyzer.Pass) {
	v := pass.Settings.Versioning
	allow := NewAllowlist(v.Allowed())
	type api struct {
		spec *facts.OpenAPISpec
		mech string
		at   facts.Position
	}
	groups, order := map[string][]api{}, []string{}
	for _, spec := range pass.Repo.OpenAPI {
		mech, at := SpecMechanism(spec, allow)
		if mech == "" {
			continue
		}
		key := "service:" + spec.Service
		switch {
		case v.Pinned():
			key = "repo"
		case spec.Service == "":
			key = "spec:" + spec.Path
		}
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], api{spec, mech, at})
	}
	for _, key := range order {
		apis, specs := groups[key], map[string]int{}
		for _, a := range apis {
			specs[a.mech]++
		}
		ref, why := majority(specs), "the other APIs of "+serviceOrRepo(apis[0].spec.Service)+" version by "
		if v.Pinned() {
			ref, why = v.EffectiveStrategy(), "the configured strategy is "
		}
		for _, a := range apis {
			if a.mech == ref || (!v.Pinned() && len(specs) < 2) {
				continue
			}
			pass.Report(analyzer.Finding{
				Pos: a.at, Service: a.spec.Service,
				Message: fmt.Sprintf("OpenAPI spec %s%s versions its operations by %s while %s%s; use one versioning strategy",
					a.spec.Path, ofService(a.spec.Service), a.mech, why, ref),
				Entity: "mechanism:" + a.spec.Path + "\x00" + a.mech,
			})
		}
	}
}

// serverMajors reports a spec whose server URLs name different majors, at
// the first server that differs from the first.
func serverMajors(pass *analyzer.Pass) {
	for _, spec := range pass.Repo.OpenAPI {
		first := ""
		for _, s := range spec.Servers {
			major := PathVersion(ServerPath(s))
			if major == "" || major == "{version}" || major == first {
				continue
			}
			if first == "" {
				first = major
				continue
			}
			pass.Report(analyzer.Finding{
				Pos: s.Pos, Service: spec.Service,
				Message: fmt.Sprintf("OpenAPI spec %s%s lists servers of different major versions (%s and %s); describe each major version in its own spec",
					spec.Path, ofService(spec.Service), first, major),
				Entity: "server-majors:" + spec.Path,
			})
			break
		}
	}
}

// majorImports reports a proto package vN that imports its own v(N-k)
// package (AIP-185).
func majorImports(pass *analyzer.Pass) {
	apis := apiPackages(pass.Repo)
	for _, pf := range pass.Repo.Protos {
		base, n := splitMajor(pf.Package)
		if pf.Vendored || n < 2 || !apis[pf.Package] {
			continue
		}
		for _, imp := range pf.Imports {
			dep := pass.Repo.ResolveProtoImport(pf, imp.Path)
			if dep == nil {
				continue
			}
			if db, dn := splitMajor(dep.Package); db == base && dn > 0 && dn < n {
				pass.Report(analyzer.Finding{
					Pos: imp.Pos, Service: pf.Service,
					Related: []analyzer.Related{{Pos: dep.PackagePos, Service: dep.Service, Message: "the previous major version"}},
					Message: fmt.Sprintf("proto package %s%s imports its previous major version %s (%s); a new major version must not depend on the old one (AIP-185)",
						pf.Package, ofService(pf.Service), dep.Package, dep.Path),
					Entity: "major-import:" + pf.Package + "\x00" + dep.Package,
				})
			}
		}
	}
}

const inconsistentVersioningDoc = `Consumers of a service should find every one of its APIs versioned the same
way. This rule reports three kinds of inconsistency:

- A service whose OpenAPI specs version by different mechanisms: some by path (/v1), others by
  a header, a media type or a query parameter. With versioning.strategy pinned in the config
  the comparison is repository-wide, against the configured strategy.
- A spec whose server URLs name different major versions (https://api.acme.com/v1 and
  .../v2): one document is then two contracts, and changing it changes both.
- A proto package vN that imports its own earlier major package (shop.orders.v2 importing
  shop.orders.v1). Google AIP-185: a new major version must not depend on the previous one,
  or v1 can never be changed or retired without touching v2.

Example:

    # services/orders/public.yaml     servers: [{url: /v1}]
    # services/orders/admin.yaml      parameters: [{in: header, name: API-Version}]   # flagged

Fix: pick one strategy per service (or set versioning.strategy for the repository), split
specs per major version, and copy shared messages into the new major package.`
