// Package code holds the CODE rules: services compiled against each other's
// code — cross-service imports of internals, shared domain models, proto
// imports across services, go.mod replace directives into siblings, and
// cycles in the service dependency graph.
package code

import (
	"slices"
	"sort"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// specGenerators are the code generators whose output is a published
// contract: the code is generated from a proto, OpenAPI or Thrift spec.
// ent, sqlc, mockgen and stringer generate implementation, not contracts.
var specGenerators = map[string]bool{
	"protoc-gen-go": true, "protoc-gen-go-grpc": true, "protoc-gen-grpc-gateway": true,
	"protoc-gen-connect-go": true, "protoc-gen-twirp": true, "protoc-gen-go-vtproto": true,
	"protoc-gen-go-http": true, "protoc-gen-micro": true, "oapi-codegen": true,
	"openapi-generator": true, "go-swagger": true, "swagger": true, "ogen": true, "goa": true,
	"thrift": true, "buf": true, "goctl-rpc": true, "abigen": true,
}

// contractDirs are the directory names under which a service publishes its
// contracts by default.
var contractDirs = map[string]bool{
	"api": true, "apis": true, "proto": true, "protos": true, "pb": true, "gen": true,
	"client": true, "clients": true, "sdk": true,
}

// specGenerated reports whether a package is code generated from a spec: it
// holds such code, and no more hand-written files than generated ones. A
// package of business logic with one generated file in it (biz/ holding a
// job.pb.go) is not a contract.
func specGenerated(p *facts.GoPackage) bool {
	if !slices.ContainsFunc(p.Generators, func(g string) bool { return specGenerators[g] }) {
		return false
	}
	nonTest := 0
	for _, f := range p.Files {
		if !strings.HasSuffix(f, "_test.go") {
			nonTest++
		}
	}
	return p.HandWritten <= nonTest-p.HandWritten
}

// belowService returns the path segments of dir below the directory of
// service svc that holds it.
func belowService(repo *facts.Repo, svc, dir string) []string {
	best := ""
	if s := repo.ServiceByName(svc); s != nil {
		for _, d := range s.Dirs {
			if (dir == d || strings.HasPrefix(dir, d+"/")) && len(d) > len(best) {
				best = d
			}
		}
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(dir, best), "/")
	if rest == "" {
		return nil
	}
	return strings.Split(rest, "/")
}

// isContract reports whether package p of service svc is one of its
// published contracts: generated from a spec, matched by the configured
// contracts globs, or (when none are configured) under an api/, proto/,
// pb/, gen/, client/ or sdk/ directory (a *pb directory too) and not under
// internal/.
func isContract(set *analyzer.Settings, repo *facts.Repo, svc string, p *facts.GoPackage) bool {
	return specGenerated(p) || isContractDir(set, repo, svc, p.Dir)
}

// isContractDir is isContract for a directory, by its path alone.
func isContractDir(set *analyzer.Settings, repo *facts.Repo, svc, dir string) bool {
	if globs, ok := set.ContractGlobs(svc); ok {
		return analyzer.MatchGlobs(globs, dir)
	}
	contract := false
	for _, s := range belowService(repo, svc, dir) {
		if s == "internal" {
			return false
		}
		if contractDirs[s] || (strings.HasSuffix(s, "pb") && len(s) > 2) {
			contract = true
		}
	}
	return contract
}

// underInternal reports whether a package sits in an internal/ directory of
// its service.
func underInternal(repo *facts.Repo, svc, dir string) bool {
	for _, s := range belowService(repo, svc, dir) {
		if s == "internal" {
			return true
		}
	}
	return strings.HasPrefix(dir, "internal/") || strings.Contains(dir, "/internal/")
}

// crossImport is one import of another service's package.
type crossImport struct {
	from *facts.GoPackage
	// fromSvc is the importing service: the package's, or the one its
	// shared package serves
	fromSvc string
	imp     facts.GoImport
	to      *facts.GoPackage
	toSvc   string
	inside  bool // the imported package is under internal/
}

// crossImports returns every import by a service package of a package of
// another service that is not one of its contracts, in position order.
func crossImports(pass *analyzer.Pass) []crossImport {
	repo := pass.Repo
	var out []crossImport
	for _, p := range repo.GoPackages {
		from := p.Service
		if from == "" {
			from = p.Serves // shared code only that service uses
		}
		if from == "" {
			continue
		}
		for _, imp := range p.Imports {
			t := repo.GoPackageByDir(imp.Dir)
			if imp.Dir == "" || t == nil || t.Service == "" || t.Service == from {
				continue
			}
			if isContract(pass.Settings, repo, t.Service, t) {
				continue
			}
			imp.Test = imp.Test || p.TestOnly // a test helper's imports are test code too
			out = append(out, crossImport{from: p, fromSvc: from, imp: imp, to: t, toSvc: t.Service,
				inside: underInternal(repo, t.Service, t.Dir)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].imp.Pos.Less(out[j].imp.Pos) })
	return out
}

// report files one finding for a cross-service import.
func (c crossImport) report(pass *analyzer.Pass, format string) {
	kind := "non-contract"
	if c.inside {
		kind = "internal"
	}
	via := ""
	if c.from.Service == "" {
		via = " from shared package " + c.from.Dir + ", which only " + c.fromSvc + " uses"
	}
	msg := strings.NewReplacer("{from}", c.fromSvc, "{to}", c.toSvc, "{kind}", kind,
		"{pkg}", `"`+c.imp.Path+`"`, "{dir}", c.to.Dir, "{via}", via).Replace(format)
	pass.Report(analyzer.Finding{
		Pos:     c.imp.Pos,
		Service: c.fromSvc,
		Message: msg,
		Related: []analyzer.Related{{Pos: c.to.Pos, Service: c.toSvc,
			Message: "package " + c.to.Name + " of service " + c.toSvc}},
		Entity: "go-import:" + c.imp.Pos.File + "\x00" + c.to.Dir,
	})
}

func sortedSet[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
