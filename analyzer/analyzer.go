// Package analyzer is decouple's contract and driver.
//
// A Rule is data plus one function: it receives a Pass over the repository
// facts and reports Findings. The driver (Run) owns policy: which rules run,
// severities, suppressions, ignores, de-duplication and order. Rules only
// report. The package imports neither the loader nor the rule set: it is
// handed both, as multichecker.Main is handed its analyzers.
package analyzer

import (
	"fmt"
	"strings"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// Severity is how serious a finding is.
type Severity int

// The severities, least serious first.
const (
	Info Severity = iota + 1
	Warning
	Error
)

// String returns the lower-case name of the severity.
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity parses error, warning or info.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// A Rule describes one coupling check.
type Rule struct {
	// ID is the stable code: an area prefix and three digits, e.g. API102.
	// IDs are never renamed or reused.
	ID string
	// Name is a unique kebab-case slug, accepted wherever an ID is.
	Name string
	// Title is one line: lower-case start, no trailing period.
	Title string
	// Doc is Markdown: why it couples services, an example, how to fix it.
	Doc string
	// Severity is the default severity; the config may override it.
	Severity Severity
	// Default reports whether the rule belongs to the default preset.
	Default bool
	// Run performs the check. A returned error means the rule itself broke:
	// the other rules still run and the exit code becomes 3.
	Run func(*Pass) error
}

// Area returns the rule's area prefix (API, DATA, CODE, DEPLOY or LOAD).
func (r *Rule) Area() string { return strings.TrimRight(r.ID, "0123456789") }

// A Pass is one rule's view of one repository.
type Pass struct {
	Rule     *Rule
	Repo     *facts.Repo // read-only
	Settings *Settings   // rule settings from the config, never nil
	report   func(Finding)
}

// Report records a finding. The driver stamps the rule and severity.
func (p *Pass) Report(f Finding) { p.report(f) }

// Reportf records a finding at pos owned by service.
func (p *Pass) Reportf(pos facts.Position, service, format string, args ...any) {
	p.report(Finding{Pos: pos, Service: service, Message: fmt.Sprintf(format, args...)})
}

// A Finding is one reported coupling.
type Finding struct {
	RuleID   string   // set by the driver
	RuleName string   // set by the driver
	Severity Severity // set by the driver

	// Message: lower-case start, no trailing period; names the services and
	// the evidence.
	Message string
	// Service owns Pos; Services are every service involved, sorted (set by
	// the driver from Service and Related when left empty).
	Service  string
	Services []string
	Pos      facts.Position
	Related  []Related

	// Entity identifies what the finding is about independently of positions
	// (a package name, a service pair, a table). With the rule ID and the
	// services it makes the fingerprint. When empty the driver uses the file
	// and the message.
	Entity string
	// Fingerprint is a stable hash of rule, services and entity (set by the
	// driver); it never depends on line numbers.
	Fingerprint string
}

// Related is another position that takes part in a finding.
type Related struct {
	Pos     facts.Position
	Service string
	Message string
}
