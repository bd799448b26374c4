// Package scoretest builds repositories and results by hand for the score's
// calibration fixtures, the renderers' benchmarks and the browser test: a
// textbook distributed monolith, a clean system, one shaped like the demo
// shop, and synthetic systems of any size.
package scoretest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"sort"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// Repo returns a repository with the named services, each under its own
// directory and declared by its go.mod.
func Repo(names ...string) *facts.Repo {
	r := &facts.Repo{Root: "fixture"}
	for _, n := range names {
		r.Services = append(r.Services, &facts.Service{Name: n, Root: n, Dirs: []string{n},
			Decl: facts.Position{File: n + "/go.mod", Line: 1}, DiscoveredBy: []string{"go.mod " + n + "/go.mod"}})
	}
	return r
}

// F builds a finding the way the driver stamps it: owner owns pos, others
// are related sides (one related position each, at their go.mod), Services
// is every service named, sorted, and the fingerprint hashes rule, services
// and entity.
func F(id, name string, sev analyzer.Severity, pos facts.Position, owner, entity, msg string, others ...string) analyzer.Finding {
	f := analyzer.Finding{RuleID: id, RuleName: name, Severity: sev, Message: msg, Service: owner, Pos: pos, Entity: entity}
	set := map[string]bool{}
	if owner != "" {
		set[owner] = true
	}
	for _, o := range others {
		set[o] = true
		f.Related = append(f.Related, analyzer.Related{Pos: facts.Position{File: o + "/go.mod", Line: 1}, Service: o,
			Message: "service " + o})
	}
	for s := range set {
		f.Services = append(f.Services, s)
	}
	sort.Strings(f.Services)
	sum := sha256.Sum256([]byte(fmt.Sprint(id, f.Services, entity)))
	f.Fingerprint = hex.EncodeToString(sum[:8])
	return f
}

// Result wraps findings in a result, sorted the way the driver sorts them.
func Result(fs ...analyzer.Finding) *analyzer.Result {
	fs = append([]analyzer.Finding(nil), fs...)
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Pos != fs[j].Pos {
			return fs[i].Pos.Less(fs[j].Pos)
		}
		return fs[i].RuleID < fs[j].RuleID
	})
	return &analyzer.Result{Findings: fs}
}

func at(file string, line int) facts.Position { return facts.Position{File: file, Line: line, Col: 1} }

// Monolith is the textbook distributed monolith of n services: every service
// reads one shared database, imports the next one's internals, exposes an
// unversioned API, and all of them are deployed by one CI job.
func Monolith(n int) (*analyzer.Result, *facts.Repo) {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("svc%02d", i)
	}
	var fs []analyzer.Finding
	fs = append(fs, F("DATA101", "shared-database", analyzer.Error, at(names[0]+"/config.yaml", 3), names[0], "postgres://db:5432/shop",
		fmt.Sprintf("%d services share database shop on db:5432", n), names[1:]...))
	for i, s := range names {
		next := names[(i+1)%n]
		fs = append(fs,
			F("API102", "unversioned-proto-package", analyzer.Error, at(s+"/api/api.proto", 2), s, "proto-package:shop."+s,
				fmt.Sprintf("proto package \"shop.%s\" of service %s is an API without a major version", s, s)),
			F("CODE101", "cross-service-import", analyzer.Error, at(s+"/main.go", 5), s, next+"/internal/store",
				fmt.Sprintf("service %s imports %s/internal/store of service %s", s, next, next), next))
	}
	fs = append(fs, F("DEPLOY102", "joint-deploy", analyzer.Error, at(".github/workflows/deploy.yml", 12), "", "deploy-all",
		fmt.Sprintf("job deploy ships %d services together", n), names...))
	return Result(fs...), Repo(names...)
}

// Clean is a system of n services with their own databases, versioned
// contracts and independent deploys: one internal API is unversioned and one
// test-only import is reported at info severity.
func Clean(n int) (*analyzer.Result, *facts.Repo) {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("svc%02d", i)
	}
	return Result(
		F("API101", "unversioned-openapi", analyzer.Error, at(names[0]+"/api/openapi.yaml", 9), names[0], "openapi:/internal/reindex",
			fmt.Sprintf("operation POST /internal/reindex of service %s has no major version", names[0])),
		F("CODE101", "cross-service-import", analyzer.Info, at(names[1]+"/client_test.go", 4), names[1], names[2]+"/internal/fake",
			fmt.Sprintf("test of service %s imports %s/internal/fake of service %s", names[1], names[2], names[2]), names[2]),
	), Repo(names...)
}

// Demo is shaped like the bundled demo shop once every detector has run.
func Demo() (*analyzer.Result, *facts.Repo) {
	e, w := analyzer.Error, analyzer.Warning
	return Result(
		F("API102", "unversioned-proto-package", e, at("orders/api/orders.proto", 5), "orders", "proto-package:shop.orders",
			`proto package "shop.orders" of service orders is an API without a major version; rename it to "shop.orders.v1"`),
		F("API105", "unversioned-go-route", e, at("orders/internal/http/routes.go", 12), "orders", "route:/orders",
			"route GET /orders of service orders has no major version"),
		F("API104", "unversioned-http-mapping", e, at("payments/api/shop/payments/v1/payments.proto", 14), "payments", "http:/payments",
			"HTTP mapping POST /payments of rpc Charge of service payments has no major version"),
		F("API101", "unversioned-openapi", e, at("users/api/openapi.yaml", 8), "users", "openapi:/users",
			"operation GET /users of service users has no major version"),
		F("API101", "unversioned-openapi", e, at("notifications/api/swagger.json", 6), "notifications", "openapi:/notify",
			"basePath /notify of service notifications has no major version"),
		F("DATA101", "shared-database", e, at("compose.yaml", 31), "orders", "postgres://orders-db:5432/orders",
			"services orders and payments share database orders on orders-db:5432", "payments"),
		F("DATA102", "shared-table", e, at("payments/internal/billing/billing.go", 21), "payments", "postgres://orders-db:5432/orders",
			"service payments reads table orders owned by orders", "orders"),
		F("CODE101", "cross-service-import", e, at("payments/internal/billing/billing.go", 6), "payments", "orders/internal/store",
			"service payments imports orders/internal/store of service orders", "orders"),
		F("CODE102", "shared-domain-model", w, at("libs/shopmodels/models.go", 1), "", "libs/shopmodels",
			"shared package libs/shopmodels defines domain models used by orders and payments", "orders", "payments"),
		F("DEPLOY102", "joint-deploy", e, at(".github/workflows/deploy.yml", 20), "", "deploy",
			"job deploy builds and deploys 5 services together", "catalog", "notifications", "orders", "payments", "users"),
		F("DEPLOY103", "startup-dependency", w, at("compose.yaml", 12), "orders", "orders->payments",
			"orders starts only after payments (depends_on)", "payments"),
		F("DEPLOY104", "shared-release-version", w, at("compose.yaml", 4), "", "${TAG}",
			"every service image is tagged with ${TAG}", "catalog", "notifications", "orders", "payments", "users"),
	), Repo("catalog", "notifications", "orders", "payments", "users")
}

// Synthetic is a system of n services in domains of about eight: inside a
// domain services share databases, import each other's internals and change
// together; a few CI jobs deploy a dozen services at once; about half the
// services expose an unversioned API. The same n and seed give the same
// system.
func Synthetic(n int, seed uint64) (*analyzer.Result, *facts.Repo) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("svc-%03d", i)
	}
	var fs []analyzer.Finding
	for i, s := range names {
		if rng.IntN(2) == 0 {
			fs = append(fs, F("API101", "unversioned-openapi", analyzer.Error, at(s+"/api/openapi.yaml", 3+rng.IntN(40)), s, "openapi:"+s,
				fmt.Sprintf("operation GET /%s/items of service %s has no major version", s, s)))
		}
		domain := i / 8 * 8
		peer := names[min(n-1, domain+rng.IntN(8))]
		if peer == s {
			continue
		}
		switch rng.IntN(4) {
		case 0:
			fs = append(fs, F("CODE101", "cross-service-import", analyzer.Error, at(s+"/internal/app/app.go", 5+rng.IntN(20)), s, peer+"/internal/store",
				fmt.Sprintf("service %s imports %s/internal/store of service %s", s, peer, peer), peer))
		case 1:
			fs = append(fs, F("DATA101", "shared-database", analyzer.Error, at(s+"/config.yaml", 2+rng.IntN(10)), s, "postgres://db-"+peer+":5432/main",
				fmt.Sprintf("services %s and %s share database main on db-%s:5432", s, peer, peer), peer))
		case 2:
			fs = append(fs, F("DEPLOY101", "co-change-coupling", analyzer.Warning, at(s+"/go.mod", 1), s, s+"+"+peer,
				fmt.Sprintf("services %s and %s changed together in %d of %d commits", s, peer, 5+rng.IntN(20), 40+rng.IntN(40)), peer))
		}
	}
	for j := 0; j+12 <= n && j < 60; j += 20 {
		fs = append(fs, F("DEPLOY102", "joint-deploy", analyzer.Error, at(".github/workflows/deploy.yml", 10+j), "", fmt.Sprintf("deploy-%d", j),
			fmt.Sprintf("job deploy-%d ships 12 services together", j), names[j:j+12]...))
	}
	return Result(fs...), Repo(names...)
}
