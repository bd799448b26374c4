package analyzer

// Settings carries the config sections that tune individual rules. Every
// field has a usable zero value; DefaultSettings fills the documented
// defaults.
type Settings struct {
	// Options holds per-rule string options (rules.options in the config),
	// keyed by rule ID.
	Options map[string]map[string]string
	// Code holds the contracts and common protos of the CODE rules.
	Code CodeSettings
	// Versioning is how APIs are expected to carry their major version.
	Versioning Versioning

	History HistorySettings // settings_deploy.go
	Deploy  DeploySettings
}

// DefaultSettings returns the settings used when the config says nothing.
func DefaultSettings() *Settings {
	return &Settings{}
}
