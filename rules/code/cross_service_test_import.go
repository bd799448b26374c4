package code

import "github.com/decouplehq/decouple/analyzer"

// CrossServiceTestImport reports a _test.go file that imports another
// service's internals.
var CrossServiceTestImport = &analyzer.Rule{
	ID:       "CODE106",
	Name:     "cross-service-test-import",
	Title:    "test file imports another service's package that is not one of its published contracts",
	Severity: analyzer.Info,
	Default:  true,
	Doc:      crossServiceTestImportDoc,
	Run:      runCrossServiceTestImport,
}

func runCrossServiceTestImport(pass *analyzer.Pass) error {
	for _, c := range crossImports(pass) {
		if !c.imp.Test {
			continue // CODE101 reports the imports of production code
		}
		c.report(pass, "test of service {from} imports {kind} package {pkg} of service {to} ({dir}){via}; "+
			"test against {to}'s published contract or a fake instead")
	}
	return nil
}

const crossServiceTestImportDoc = `The test-only side of CODE101: a _test.go file of service A imports a
package of service B that is not one of B's published contracts (see CODE101 for what counts as a
contract). The production binaries stay independent, so this is information, not an error — but
A's test suite now breaks whenever B refactors its internals, and such tests tend to grow into the
shared fixtures and end-to-end set-ups that tie two services' release trains together.

Example:

    // services/orders/checkout_test.go
    import "example.com/shop/services/billing/internal/ledger"   // reported (info)

Fix: test A against B's contract — its generated client with a fake server, or a contract test —
and keep B's internals out of A's tests.`
