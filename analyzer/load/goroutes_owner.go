package load

import (
	"path"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// serveSharedRoutes gives a route registered in a shared package to the
// one service whose code imports that package, directly or through other
// shared packages: the service that serves it (open-im's internal/api,
// which cmd/openim-api alone imports). Test files do not count. A package
// that several services reach, or none, keeps its routes shared.
func serveSharedRoutes(repo *facts.Repo) {
	need := map[string]bool{}
	for _, r := range repo.GoRoutes {
		if r.Service == "" {
			need[path.Dir(r.Pos.File)] = true
		}
	}
	if len(need) == 0 {
		return
	}
	importers := map[string][]*facts.GoPackage{}
	for _, p := range repo.GoPackages {
		if p.TestOnly {
			continue
		}
		for _, imp := range p.Imports {
			if imp.Dir != "" && !imp.Test && imp.Dir != p.Dir {
				importers[imp.Dir] = append(importers[imp.Dir], p)
			}
		}
	}
	servedBy := map[string]string{}
	for dir := range need {
		services := map[string]bool{}
		seen := map[string]bool{dir: true}
		for queue := []string{dir}; len(queue) > 0 && len(services) < 2; queue = queue[1:] {
			for _, p := range importers[queue[0]] {
				switch {
				case p.Service != "":
					services[p.Service] = true // its service's code: no further up
				case !seen[p.Dir]:
					seen[p.Dir] = true
					queue = append(queue, p.Dir)
				}
			}
		}
		if len(services) == 1 {
			for s := range services {
				servedBy[dir] = s
			}
		}
	}
	for _, r := range repo.GoRoutes {
		if r.Service == "" {
			r.Service = servedBy[path.Dir(r.Pos.File)]
		}
	}
}
