package deploy

import (
	"fmt"
	"path"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// SharedGoModule notes that every service lives in one Go module.
var SharedGoModule = &analyzer.Rule{
	ID:       "DEPLOY106",
	Name:     "shared-go-module",
	Title:    "every service is built from one Go module",
	Severity: analyzer.Info,
	Default:  true,
	Doc:      sharedGoModuleDoc,
	Run:      runSharedGoModule,
}

func runSharedGoModule(pass *analyzer.Pass) error {
	mods := pass.Repo.GoModules
	goCode := map[string]bool{} // services owning Go packages
	for _, p := range pass.Repo.GoPackages {
		if p.Service != "" {
			goCode[p.Service] = true
		}
	}
	var owner *facts.GoModule
	var svcs []string
	for _, s := range pass.Repo.Services {
		if s.Root == "" || !goCode[s.Name] {
			continue // no Go code: not built from a Go module at all
		}
		m := enclosingModule(mods, s.Root)
		if m == nil || (owner != nil && m.File != owner.File) {
			return nil // a service outside any module, or in its own
		}
		owner = m
		svcs = append(svcs, s.Name)
	}
	if owner == nil || len(svcs) < 2 {
		return nil
	}
	pass.Report(analyzer.Finding{
		Pos: owner.Pos, Services: svcs,
		Message: fmt.Sprintf("all %d services are built from the one Go module %s (%s): %s; they share one dependency graph",
			len(svcs), owner.Path, owner.File, analyzer.ListNames(svcs)),
		Entity: "module:" + owner.File,
	})
	return nil
}

// enclosingModule returns the module whose go.mod is nearest above dir.
func enclosingModule(mods []*facts.GoModule, dir string) *facts.GoModule {
	var best *facts.GoModule
	bestDir := ""
	for _, m := range mods {
		d := strings.TrimSuffix(path.Dir(m.File), ".")
		if (d == "" || dir == d || strings.HasPrefix(dir, d+"/")) && (best == nil || len(d) > len(bestDir)) {
			best, bestDir = m, d
		}
	}
	return best
}

const sharedGoModuleDoc = `All services live in one Go module: one go.mod, one go.sum, one version of every
dependency (services with no Go code, such as a web front end, are not counted). A dependency bump or a Go version change is a change to every service at once,
and a library upgrade one service needs is forced on the others. This is a common, deliberate
monorepo layout, so it is reported for information only.

Example: go.mod at the root with module example.com/shop, services in cmd/orders and
cmd/billing.

Fix, if the services must move independently: a go.mod per service (with a go.work file for
local development), shared code in versioned library modules.`
