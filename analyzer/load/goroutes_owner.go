package load

import (
	"path"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// servedShared sets Serves on the shared packages that matter to the rules
// (those registering routes, those importing a service's package): the
// one service whose code imports the package, directly or through other
// shared packages (open-im's internal/api, which cmd/openim-api alone
// imports). Test files and packages only tests use do not count.
func servedShared(repo *facts.Repo) {
	need := map[string]bool{}
	for _, r := range repo.GoRoutes {
		if r.Service == "" {
			need[path.Dir(r.Pos.File)] = true
		}
	}
	byDir := make(map[string]*facts.GoPackage, len(repo.GoPackages))
	for _, p := range repo.GoPackages {
		byDir[p.Dir] = p
	}
	importers := map[string][]*facts.GoPackage{}
	for _, p := range repo.GoPackages {
		if p.TestOnly {
			continue
		}
		for _, imp := range p.Imports {
			if imp.Dir == "" || imp.Test || imp.Dir == p.Dir {
				continue
			}
			importers[imp.Dir] = append(importers[imp.Dir], p)
			if t := byDir[imp.Dir]; p.Service == "" && t != nil && t.Service != "" {
				need[p.Dir] = true
			}
		}
	}
	for dir := range need {
		p := byDir[dir]
		if p == nil || p.Service != "" {
			continue
		}
		services := map[string]bool{}
		seen := map[string]bool{dir: true}
		for queue := []string{dir}; len(queue) > 0 && len(services) < 2; queue = queue[1:] {
			for _, q := range importers[queue[0]] {
				switch {
				case q.Service != "":
					services[q.Service] = true // its service's code: no further up
				case !seen[q.Dir]:
					seen[q.Dir] = true
					queue = append(queue, q.Dir)
				}
			}
		}
		if len(services) == 1 {
			for s := range services {
				p.Serves = s
			}
		}
	}
}

// serveSharedRoutes gives a route registered in a shared package to the
// service the package serves.
func serveSharedRoutes(repo *facts.Repo) {
	for _, r := range repo.GoRoutes {
		if p := repo.GoPackageByDir(path.Dir(r.Pos.File)); r.Service == "" && p != nil {
			r.Service = p.Serves
		}
	}
}
