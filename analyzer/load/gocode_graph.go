package load

import (
	"path"
	"slices"
	"sort"

	"golang.org/x/mod/semver"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// codeEdges collects every cross-service code dependency the loader saw:
// Go imports, proto imports, and go.mod replace and require directives
// naming another service's code. It runs once services and owners are final.
func (l *loader) codeEdges() {
	repo := l.repo
	svcOf := newSvcIndex(repo.Services)
	var edges []facts.CodeEdge
	add := func(kind, from, to, target string, at facts.Position, test bool) {
		if from != "" && to != "" && from != to {
			edges = append(edges, facts.CodeEdge{Kind: kind, From: from, To: to, Target: target, Evidence: at, Test: test})
		}
	}
	for _, p := range repo.GoPackages {
		from := p.Service
		if from == "" {
			from = p.Serves // shared code only that service uses
		}
		for _, imp := range p.Imports {
			if imp.Dir != "" {
				add(facts.EdgeGoImport, from, svcOf.of(imp.Dir), imp.Path, imp.Pos, imp.Test || p.TestOnly)
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
			if r.Dir != "" && replaceApplies(m, r.Old) {
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

// svcIndex maps each service directory to its service: the lookup of
// Repo.ServiceOf (the deepest owning directory wins) in a few map probes.
type svcIndex map[string]string

func newSvcIndex(svcs []*facts.Service) svcIndex {
	x := svcIndex{}
	for _, s := range svcs {
		for _, d := range s.Dirs {
			if _, taken := x[d]; d != "" && !taken {
				x[d] = s.Name
			}
		}
	}
	return x
}

// of returns the service owning the repo-relative path p, or "".
func (x svcIndex) of(p string) string {
	for {
		if s, ok := x[p]; ok {
			return s
		}
		parent := path.Dir(p)
		if parent == p || parent == "." || parent == "/" {
			return ""
		}
		p = parent
	}
}

// replaceApplies reports whether a replace of module old can change m's
// build: from go 1.17 on, go.mod requires every module of the build list
// (indirect ones too), and Go ignores a replace of any other. Before, an
// indirect dependency may be missing from the require lines.
func replaceApplies(m *facts.GoModule, old string) bool {
	if m.GoVersion == "" || semver.Compare("v"+m.GoVersion, "v1.17") < 0 {
		return true
	}
	return slices.ContainsFunc(m.Require, func(r facts.GoRequire) bool { return r.Path == old })
}
