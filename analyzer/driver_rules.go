package analyzer

// The driver's own rules: findings about the directives that steer the run.
// They have no Run function; Run emits them while applying suppressions.
var (
	UnusedSuppression = &Rule{
		ID:       "LOAD002",
		Name:     "unused-suppression",
		Title:    "decouple:ignore directive that suppresses nothing",
		Severity: Info,
		Default:  true,
		Doc: `A ` + "`decouple:ignore`" + ` directive names a rule that ran but reported nothing on the
lines the directive covers. Stale suppressions hide future problems: when the coupling they
excused comes back, nobody notices.

Fix: delete the directive.`,
	}
	InvalidSuppression = &Rule{
		ID:       "LOAD003",
		Name:     "invalid-suppression",
		Title:    "decouple:ignore directive without a reason or with an unknown rule",
		Severity: Warning,
		Default:  true,
		Doc: `Every suppression must name a rule (by ID, name or area) and give a reason, e.g.

    // decouple:ignore API102 legacy package kept for old clients, removed in Q3

A directive without a reason, or naming no known rule, suppresses nothing and is reported.

Fix: add the reason, or correct the rule name.`,
	}
)

// DriverRules returns the rules the driver implements itself.
func DriverRules() []*Rule { return []*Rule{UnusedSuppression, InvalidSuppression} }

func isDriverRule(r *Rule) bool { return r == UnusedSuppression || r == InvalidSuppression }
