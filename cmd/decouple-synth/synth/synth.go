// Package synth generates deterministic synthetic monorepos of N services
// for decouple's scaling benchmarks and end-to-end correctness tests. Every
// service gets Go code (handlers with net/http routes, storage with SQL on
// its own tables, a generated client, padding business logic), an OpenAPI
// spec, a proto file, a Dockerfile, a compose entry, a Kubernetes manifest
// and a CI workflow; on top of that the generator plants a controlled amount
// of every coupling kind and writes down, in Expected, the findings it
// planted. With Commits > 0 the repository is a git repository whose history
// (written with git fast-import) holds planted co-change pairs.
//
// The same Options (seed included) always give the same bytes, the same
// commit hashes and the same Expected.
package synth

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
)

// The layouts of the Go code.
const (
	// LayoutPackages is one module at the root; each service is a package
	// tree under services/<name>/.
	LayoutPackages = "packages"
	// LayoutModules is a go.mod per service, joined by a go.work at the root.
	LayoutModules = "modules"
)

// Options describe the repository to generate. Zero counts take defaults
// scaled to Services; a negative count plants none of that kind.
type Options struct {
	Services int    // N, at least 3
	Seed     uint64 // the same seed gives the same bytes
	// Commits is the number of commits after the initial one; 0 writes the
	// files without a git repository.
	Commits int
	// Layout is LayoutPackages (default) or LayoutModules.
	Layout string
	// GoFiles is the number of padding Go files of each service's core
	// package (default 8).
	GoFiles int
	// Module is the Go module path of the repository (default
	// example.com/synth).
	Module string
	// Window is the number of newest commits decouple reads for co-change
	// (its history max_commits, default 2000): co-change pairs are planted
	// there and the expected pairs are counted there.
	Window int

	// Shares of the services whose OpenAPI paths, proto package and Go
	// routes carry no major version (default 0.3 each; negative: none).
	UnversionedOpenAPI, UnversionedProto, UnversionedRoutes float64
	// Pair counts (defaults in parentheses): services importing another
	// service's domain package (N/10; the go command forbids importing
	// another service's internal/ package, so the planted import is of a
	// package that is neither internal nor a contract, which CODE101 reports
	// alike), connecting to another service's
	// database (N/20), and also using one of its tables (N/40); compose
	// depends_on edges between application services (N/10); co-changing
	// pairs (N/20).
	CrossImports, SharedDatabases, SharedTables, DependsOn, CoChange int
	// JointDeploys is the number of CI jobs that ship three services at once
	// (default max(1, N/200)).
	JointDeploys int
	// SharedTag is the share of services whose image tag is the one release
	// version (default 0.85; negative: every service has its own tag).
	SharedTag float64
	// Deps is the number of other services whose generated client each
	// service uses (default 2).
	Deps int
}

// The default thresholds of decouple's co-change rule (DEPLOY101) and of
// its shared-release-version rule (DEPLOY104).
const (
	coChangeMinShared  = 5
	coChangeMinChanges = 5
	coChangeMinDegree  = 30
	sharedTagMinShare  = 0.8
	defaultWindow      = 2000
)

func (o Options) withDefaults() (Options, error) {
	n := o.Services
	if n < 3 {
		return o, errors.New("synth: at least 3 services are needed")
	}
	if n > 9999 {
		return o, errors.New("synth: at most 9999 services")
	}
	if o.Layout == "" {
		o.Layout = LayoutPackages
	}
	if o.Layout != LayoutPackages && o.Layout != LayoutModules {
		return o, fmt.Errorf("synth: unknown layout %q (want %s or %s)", o.Layout, LayoutPackages, LayoutModules)
	}
	if o.GoFiles <= 0 {
		o.GoFiles = 8
	}
	if o.Module == "" {
		o.Module = "example.com/synth"
	}
	if o.Window <= 0 {
		o.Window = defaultWindow
	}
	if o.Commits < 0 {
		return o, errors.New("synth: negative commit count")
	}
	share := func(v *float64, def float64) {
		switch {
		case *v == 0:
			*v = def
		case *v < 0:
			*v = 0
		case *v > 1:
			*v = 1
		}
	}
	share(&o.UnversionedOpenAPI, 0.3)
	share(&o.UnversionedProto, 0.3)
	share(&o.UnversionedRoutes, 0.3)
	share(&o.SharedTag, 0.85)
	count := func(v *int, def int) {
		switch {
		case *v == 0:
			*v = max(1, def)
		case *v < 0:
			*v = 0
		}
	}
	count(&o.CrossImports, n/10)
	count(&o.SharedDatabases, n/20)
	count(&o.SharedTables, n/40)
	count(&o.DependsOn, n/10)
	count(&o.CoChange, n/20)
	count(&o.JointDeploys, n/200)
	count(&o.Deps, 2)
	if o.Commits == 0 {
		o.CoChange = 0
	}
	if 2*(o.SharedDatabases+o.SharedTables) > n || 2*o.CrossImports > n || 2*o.DependsOn > n ||
		2*o.CoChange > n || 3*o.JointDeploys > n {
		return o, fmt.Errorf("synth: too many planted pairs for %d services", n)
	}
	return o, nil
}

// service is the plan of one service.
type service struct {
	i    int
	name string
	// resources are the nouns of its API and tables.
	resources []string

	openAPIVersioned, protoVersioned, routesVersioned bool

	deps []*service // services whose generated client it uses
	// dbOwner is the service whose database it connects to (itself unless
	// it shares another's); sharedTable is true when it also uses one of
	// the owner's tables.
	dbOwner     *service
	sharedTable bool
	// importsDomain is the service whose domain package it imports.
	importsDomain *service
	dependsOn     []*service // compose depends_on
	releaseTag    bool       // its image tag is the shared release version
}

func (s *service) dir() string { return "services/" + s.name }

// plan is the whole repository before it is written.
type plan struct {
	opts     Options
	rng      *rand.Rand
	services []*service
	joint    [][]*service // services of each joint deploy job
	coChange [][2]*service
	findings []Finding
}

func newPlan(o Options) *plan {
	p := &plan{opts: o, rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))}
	n := o.Services
	for i := range n {
		s := &service{i: i, name: fmt.Sprintf("svc%04d", i+1)}
		s.dbOwner = s
		k := 2 + p.rng.IntN(3)
		for _, j := range p.rng.Perm(len(nouns))[:k] {
			s.resources = append(s.resources, nouns[j])
		}
		sort.Strings(s.resources)
		s.openAPIVersioned = p.rng.Float64() >= o.UnversionedOpenAPI
		s.protoVersioned = p.rng.Float64() >= o.UnversionedProto
		s.routesVersioned = p.rng.Float64() >= o.UnversionedRoutes
		p.services = append(p.services, s)
	}
	// Client dependencies point to lower-numbered services, preferring the
	// first ones (hubs), so the dependency graph is acyclic.
	for _, s := range p.services[1:] {
		seen := map[int]bool{}
		for range min(o.Deps, s.i) {
			j := int(float64(s.i) * p.rng.Float64() * p.rng.Float64())
			if !seen[j] {
				seen[j] = true
				s.deps = append(s.deps, p.services[j])
			}
		}
		sort.Slice(s.deps, func(a, b int) bool { return s.deps[a].i < s.deps[b].i })
	}
	// Each kind of pair is drawn from its own permutation, so that a service
	// takes part in at most one pair of a kind; the guest is always the
	// higher-numbered service.
	for k, pr := range p.pairs(o.SharedDatabases + o.SharedTables) {
		pr[1].dbOwner = pr[0]
		pr[1].sharedTable = k >= o.SharedDatabases
	}
	for _, pr := range p.pairs(o.CrossImports) {
		pr[1].importsDomain = pr[0]
	}
	for _, pr := range p.pairs(o.DependsOn) {
		pr[1].dependsOn = append(pr[1].dependsOn, pr[0])
	}
	p.coChange = p.pairs(o.CoChange)
	perm := p.rng.Perm(n)
	for j := range o.JointDeploys {
		var job []*service
		for _, i := range perm[3*j : 3*j+3] {
			job = append(job, p.services[i])
		}
		sort.Slice(job, func(a, b int) bool { return job[a].i < job[b].i })
		p.joint = append(p.joint, job)
	}
	tagged := int(o.SharedTag * float64(n))
	for _, i := range p.rng.Perm(n)[:tagged] {
		p.services[i].releaseTag = true
	}
	return p
}

// pairs draws k disjoint pairs of services, lower-numbered first.
func (p *plan) pairs(k int) [][2]*service {
	perm := p.rng.Perm(len(p.services))
	out := make([][2]*service, 0, k)
	for j := range k {
		a, b := p.services[perm[2*j]], p.services[perm[2*j+1]]
		if a.i > b.i {
			a, b = b, a
		}
		out = append(out, [2]*service{a, b})
	}
	return out
}

// expect records the findings the plan implies (DEPLOY101 is added from
// the written history).
func (p *plan) expect() {
	var tagged []string
	for _, s := range p.services {
		if !s.openAPIVersioned {
			p.add("API101", s)
		}
		if !s.protoVersioned {
			p.add("API102", s)
		}
		if !s.routesVersioned {
			p.add("API105", s)
		}
		if s.importsDomain != nil {
			p.add("CODE101", s, s.importsDomain)
		}
		if s.dbOwner != s {
			p.add("DATA101", s, s.dbOwner)
			if s.sharedTable {
				p.add("DATA102", s, s.dbOwner)
			}
		}
		for _, d := range s.dependsOn {
			p.add("DEPLOY103", s, d)
		}
		if s.releaseTag {
			tagged = append(tagged, s.name)
		}
	}
	for _, job := range p.joint {
		p.add("DEPLOY102", job...)
	}
	if len(tagged) >= 2 && float64(len(tagged)) >= sharedTagMinShare*float64(len(p.services)) {
		p.findings = append(p.findings, Finding{Rule: "DEPLOY104", Name: ruleNames["DEPLOY104"], Services: tagged})
	}
}

func (p *plan) add(rule string, svcs ...*service) {
	names := make([]string, 0, len(svcs))
	for _, s := range svcs {
		names = append(names, s.name)
	}
	sort.Strings(names)
	p.findings = append(p.findings, Finding{Rule: rule, Name: ruleNames[rule], Services: names})
}

// ruleNames are the names of the rules the generator plants findings of.
var ruleNames = map[string]string{
	"API101":    "unversioned-openapi",
	"API102":    "unversioned-proto-package",
	"API105":    "unversioned-go-route",
	"CODE101":   "cross-service-import",
	"DATA101":   "shared-database",
	"DATA102":   "shared-table",
	"DEPLOY101": "co-change-coupling",
	"DEPLOY102": "joint-deploy",
	"DEPLOY103": "startup-dependency",
	"DEPLOY104": "shared-release-version",
}

// nouns name the resources of the services' APIs and tables.
var nouns = []string{
	"accounts", "addresses", "alerts", "assets", "baskets", "batches", "bookings", "carts",
	"claims", "coupons", "credits", "devices", "discounts", "documents", "events", "files",
	"invoices", "items", "jobs", "ledgers", "members", "messages", "orders", "parcels",
	"payments", "payouts", "plans", "prices", "profiles", "quotes", "refunds", "reports",
	"reviews", "routes", "schedules", "sessions", "shipments", "stocks", "tickets", "visits",
}
