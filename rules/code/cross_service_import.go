package code

import "github.com/decouplehq/decouple/analyzer"

// CrossServiceImport reports a service package that imports another
// service's internals.
var CrossServiceImport = &analyzer.Rule{
	ID:       "CODE101",
	Name:     "cross-service-import",
	Title:    "service imports another service's package that is not one of its published contracts",
	Severity: analyzer.Error,
	Default:  true,
	Doc:      crossServiceImportDoc,
	Run:      runCrossServiceImport,
}

func runCrossServiceImport(pass *analyzer.Pass) error {
	for _, c := range crossImports(pass) {
		if c.imp.Test {
			continue // CODE106 reports test-only imports
		}
		c.report(pass, "service {from} imports {kind} package {pkg} of service {to} ({dir}){via}; "+
			"depend on {to}'s published contract (api, client or generated code) instead")
	}
	return nil
}

const crossServiceImportDoc = `When a package of service A imports a package of service B, A is compiled
against B's implementation: B cannot rename a type, change a storage schema or refactor a handler
without rebuilding, retesting and redeploying A. The two services can no longer be released on
their own — the defining trait of a distributed monolith.

Importing B's *published contract* is fine and not reported: packages generated from B's spec (a
"Code generated ... DO NOT EDIT." header from protoc-gen-go, protoc-gen-go-grpc, grpc-gateway,
oapi-codegen, openapi-generator, go-swagger, goctl's zrpc clients, abigen's contract bindings, ...; ent, sqlc, goctl models
and mock output are not contracts, nor is a package whose hand-written files outnumber its
generated ones), and packages under B's api/, proto/, pb/, gen/, client/ or sdk/ directories
(not under internal/).
A ` + "`contracts:`" + ` section in .decouple.yaml replaces the directory convention per service:

    contracts:
      billing: ["services/billing/pkg/invoiceapi/**"]

A shared package that only one service's code imports (directly or through other shared
packages) is in effect that service's code, and its imports count as that service's.
Imports from _test.go files, and from packages only tests use (test helpers such as
pkg/testing), are reported by CODE106 instead; a main package that belongs to no
service and wires several services into one binary (a composition root, e.g. cmd/all) is not a
cross-service import.

Example:

    // services/orders/checkout.go
    import "example.com/shop/services/billing/internal/ledger"   // flagged
    import "example.com/shop/services/billing/client"            // ok: billing's contract

Fix: call B through its API (its generated client or its published client package); move types
both sides need into B's contract, or copy them — a little duplication is cheaper than a
compile-time dependency on another service's internals.`
