package load

import (
	"sort"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// codeEdges collects every cross-service code dependency the loader saw:
// Go imports, proto imports, and go.mod replace and require directives
// naming another service's code. It runs once services and owners are final.
func (l *loader) codeEdges() {
	repo := l.repo
	var edges []facts.CodeEdge
	add := func(kind, from, to, target string, at facts.Position, test bool) {
		if from != "" && to != "" && from != to {
			edges = append(edges, facts.CodeEdge{Kind: kind, From: from, To: to, Target: target, Evidence: at, Test: test})
		}
	}
	for _, p := range repo.GoPackages {
		for _, imp := range p.Imports {
			if imp.Dir != "" {
				add(facts.EdgeGoImport, p.Service, repo.ServiceOf(imp.Dir), imp.Path, imp.Pos, imp.Test)
			}
		}
	}
	for _, pf := range repo.Protos {
		for _, imp := range pf.Imports {
			if dep := repo.ResolveProtoImport(pf, imp.Path); dep != nil {
				add(facts.EdgeProtoImport, pf.Service, dep.Service, dep.Path, imp.Pos, false)
			}
		}
	}
	modsByPath := map[string][]*facts.GoModule{}
	for _, m := range repo.GoModules {
		m.Service = repo.ServiceOf(m.Dir)
		if m.Dir == "." {
			m.Service = ""
		}
		modsByPath[m.Path] = append(modsByPath[m.Path], m)
	}
	for _, m := range repo.GoModules {
		for _, r := range m.Replace {
			if r.Dir != "" {
				add(facts.EdgeGoReplace, m.Service, repo.ServiceOf(r.Dir), r.Old, r.Pos, false)
			}
		}
		for _, r := range m.Require {
			for _, dep := range modsByPath[r.Path] {
				add(facts.EdgeGoRequire, m.Service, dep.Service, r.Path, r.Pos, false)
			}
		}
	}
	sort.Slice(edges, func(i, j int) bool {
		a, b := edges[i], edges[j]
		if a.Evidence != b.Evidence {
			return a.Evidence.Less(b.Evidence)
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.To < b.To
	})
	repo.CodeEdges = edges
	sort.Slice(repo.GoModules, func(i, j int) bool { return repo.GoModules[i].Dir < repo.GoModules[j].Dir })
	sort.Slice(repo.GoWorks, func(i, j int) bool { return repo.GoWorks[i].File < repo.GoWorks[j].File })
	sort.Slice(repo.CompositionRoots, func(i, j int) bool {
		return repo.CompositionRoots[i].Package < repo.CompositionRoots[j].Package
	})
}
