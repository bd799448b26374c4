// Package rules is decouple's rule set: one explicit list, sorted by ID,
// and the preset table. Rules live one per file in the area packages.
package rules

import (
	"sort"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/rules/api"
	"github.com/decouplehq/decouple/rules/code"
	"github.com/decouplehq/decouple/rules/data"
	"github.com/decouplehq/decouple/rules/deploy"
	"github.com/decouplehq/decouple/rules/load"
)

// All returns every rule, sorted by ID. The driver's own rules are included
// so that the catalogue, the config and SARIF know them.
func All() []*analyzer.Rule {
	all := []*analyzer.Rule{
		api.UnversionedOpenAPI, api.UnversionedProtoPackage, api.InconsistentVersioning, api.UnversionedHTTPMapping, api.UnversionedGoRoute,
		data.SharedDatabase, data.SharedTable, data.SharedSchemaMigrations, data.SharedDatabaseServer,
		code.CrossServiceImport, code.SharedDomainModel, code.CrossServiceProtoImport, code.ServiceCycle, code.ReplaceIntoService, code.CrossServiceTestImport,
		deploy.HistoryUnavailable, deploy.CoChangeCoupling, deploy.JointDeploy, deploy.StartupDependency,
		deploy.SharedReleaseVersion, deploy.SingleDeployable, deploy.SharedGoModule,
		load.UnreadableInput,
	}
	all = append(all, analyzer.DriverRules()...)
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}

// The presets, smallest first: minimal ⊂ standard ⊂ all.
const (
	PresetMinimal  = "minimal"
	PresetStandard = "standard"
	PresetAll      = "all"
)

// minimal holds the rules a CI gate wants on day one: unversioned contracts
// and unreadable inputs.
var minimal = []string{"API101", "API102", "API104", "API105", "LOAD001", "LOAD003"}

// Presets maps each preset to its rule IDs. standard is the rules marked
// Default; all is every rule.
func Presets() map[string][]string {
	var standard, all []string
	for _, r := range All() {
		all = append(all, r.ID)
		if r.Default {
			standard = append(standard, r.ID)
		}
	}
	return map[string][]string{
		PresetMinimal:  append([]string(nil), minimal...),
		PresetStandard: standard,
		PresetAll:      all,
	}
}

// PresetsOf returns the presets that hold a rule, smallest first.
func PresetsOf(id string) []string {
	var out []string
	table := Presets()
	for _, name := range []string{PresetMinimal, PresetStandard, PresetAll} {
		for _, x := range table[name] {
			if x == id {
				out = append(out, name)
				break
			}
		}
	}
	return out
}
