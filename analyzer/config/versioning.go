package config

import (
	"fmt"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
)

// Versioning is the versioning section: how APIs carry their major version
// and which paths need none.
type Versioning struct {
	Strategy         string   `yaml:"strategy"`
	AllowUnversioned []string `yaml:"allow_unversioned"`
}

// validate checks the strategy; line finds the line of a key path.
func (v Versioning) validate(file string, line func(keys ...string) int) error {
	if !analyzer.ValidStrategy(v.Strategy) {
		return &Error{File: file, Line: line("versioning", "strategy"),
			Msg: fmt.Sprintf("versioning.strategy: unknown strategy %q (want %s)", v.Strategy, strings.Join(analyzer.Strategies(), ", "))}
	}
	for _, g := range v.AllowUnversioned {
		if strings.TrimSpace(g) == "" {
			return &Error{File: file, Line: line("versioning", "allow_unversioned"), Msg: "versioning.allow_unversioned: empty glob"}
		}
	}
	return nil
}

// settings returns the section as rule settings.
func (v Versioning) settings() analyzer.Versioning {
	return analyzer.Versioning{Strategy: v.Strategy, AllowUnversioned: append([]string(nil), v.AllowUnversioned...)}
}
