package code

import (
	"fmt"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// ReplaceIntoService reports a service's go.mod that replaces a module with
// another service's directory, or requires another service's module.
var ReplaceIntoService = &analyzer.Rule{
	ID:       "CODE105",
	Name:     "replace-into-service",
	Title:    "go.mod of a service replaces or requires another service's module",
	Severity: analyzer.Error,
	Default:  true,
	Doc:      replaceIntoServiceDoc,
	Run:      runReplaceIntoService,
}

func runReplaceIntoService(pass *analyzer.Pass) error {
	repo := pass.Repo
	for _, e := range repo.CodeEdges {
		var msg string
		switch e.Kind {
		case facts.EdgeGoReplace:
			msg = fmt.Sprintf("go.mod of service %s replaces %s with a directory of service %s; %s now builds against %s's working tree — depend on %s's published contract module instead",
				e.From, e.Target, e.To, e.From, e.To, e.To)
		case facts.EdgeGoRequire:
			msg = fmt.Sprintf("go.mod of service %s requires module %s of service %s; a service module is not a library — depend on %s's published contract module instead",
				e.From, e.Target, e.To, e.To)
		default:
			continue
		}
		m := moduleOf(repo, e.To, e.Target)
		if m != nil && isContractModule(pass.Settings, repo, m) {
			continue
		}
		f := analyzer.Finding{Pos: e.Evidence, Service: e.From, Message: msg, Entity: e.Kind + ":" + e.Evidence.File + "\x00" + e.Target}
		if m != nil {
			f.Related = []analyzer.Related{{Pos: m.Pos, Service: e.To, Message: "module " + m.Path + " of service " + e.To}}
		} else if s := repo.ServiceByName(e.To); s != nil && s.Decl.IsValid() {
			f.Related = []analyzer.Related{{Pos: s.Decl, Service: e.To, Message: "service " + e.To}}
		}
		pass.Report(f)
	}
	return nil
}

// moduleOf returns the module of path owned by svc, or nil.
func moduleOf(repo *facts.Repo, svc, path string) *facts.GoModule {
	for _, m := range repo.GoModules {
		if m.Service == svc && m.Path == path {
			return m
		}
	}
	return nil
}

// isContractModule reports whether a module is a service's published
// contract: in a contract directory, or holding spec-generated code.
func isContractModule(set *analyzer.Settings, repo *facts.Repo, m *facts.GoModule) bool {
	if isContractDir(set, repo, m.Service, m.Dir) {
		return true
	}
	p := repo.GoPackageByDir(m.Dir)
	return p != nil && specGenerated(p)
}

const replaceIntoServiceDoc = `A service's go.mod that replaces a module with another service's directory
(` + "`replace example.com/billing => ../billing`" + `), or requires another service's module, compiles
the first service against the second one's code. With a replace it is the sibling's working tree:
every commit to the sibling changes what the first service ships, and neither can be built from
its own directory alone. Replacing a module with a shared library directory (one that belongs to
no service), or depending on a service's contract module (under its api/, client/, sdk/, ...
directories or the configured contracts, or holding generated code), is fine and not reported,
and so is a replace of a module the go.mod does not require (from go 1.17 on, Go ignores it).

Example:

    // services/orders/go.mod
    require example.com/shop/billing v0.0.0                        // flagged
    replace example.com/shop/billing => ../billing                 // flagged
    replace example.com/shop/kit => ../../libs/kit                 // ok: a shared library

Fix: publish what the services share as a contract module of its own (generated clients, API
types), versioned and released independently, and depend on that — or talk over the API.`
