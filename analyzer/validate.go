package analyzer

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var (
	idPattern   = regexp.MustCompile(`^(API|DATA|CODE|DEPLOY|LOAD)[0-9]{3}$`)
	namePattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
)

// Validate checks the metadata of a rule set: well-formed unique IDs and
// names, a title and docs, a known severity, and a Run function (except for
// the driver's own rules).
func Validate(rules []*Rule) error {
	var errs []error
	ids := map[string]bool{}
	names := map[string]bool{}
	for i, r := range rules {
		if r == nil {
			errs = append(errs, fmt.Errorf("rule %d is nil", i))
			continue
		}
		if !idPattern.MatchString(r.ID) {
			errs = append(errs, fmt.Errorf("rule %q: ID must match %s", r.ID, idPattern))
		}
		if !namePattern.MatchString(r.Name) {
			errs = append(errs, fmt.Errorf("rule %s: name %q is not kebab-case", r.ID, r.Name))
		}
		if ids[r.ID] {
			errs = append(errs, fmt.Errorf("rule %s: duplicate ID", r.ID))
		}
		if names[r.Name] {
			errs = append(errs, fmt.Errorf("rule %s: duplicate name %q", r.ID, r.Name))
		}
		ids[r.ID], names[r.Name] = true, true
		if strings.TrimSpace(r.Title) == "" || strings.TrimSpace(r.Doc) == "" {
			errs = append(errs, fmt.Errorf("rule %s: title and doc are required", r.ID))
		}
		if t := r.Title; t != "" && (strings.HasSuffix(t, ".") || strings.ToLower(t[:1]) != t[:1]) {
			errs = append(errs, fmt.Errorf("rule %s: title must start lower-case and have no trailing period", r.ID))
		}
		if r.Severity < Info || r.Severity > Error {
			errs = append(errs, fmt.Errorf("rule %s: unknown severity %d", r.ID, r.Severity))
		}
		if r.Run == nil && !isDriverRule(r) {
			errs = append(errs, fmt.Errorf("rule %s: Run is nil", r.ID))
		}
	}
	return errors.Join(errs...)
}
