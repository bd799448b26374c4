package analyzer

// HistorySettings tune the co-change rule (the history: section of the
// config; the window itself is a loader option). Zero fields take the
// defaults of WithDefaults.
type HistorySettings struct {
	// MinShared is the least number of shared changes of a flagged pair.
	MinShared int
	// MinChanges is the least number of changes each service of a flagged
	// pair must have.
	MinChanges int
	// MinDegree is the least coupling degree, in percent:
	// shared / average(changes a, changes b).
	MinDegree int
}

// WithDefaults fills zero fields with code-maat's defaults: 5 shared
// changes, 5 changes each, 30 %.
func (h HistorySettings) WithDefaults() HistorySettings {
	if h.MinShared <= 0 {
		h.MinShared = 5
	}
	if h.MinChanges <= 0 {
		h.MinChanges = 5
	}
	if h.MinDegree <= 0 {
		h.MinDegree = 30
	}
	return h
}

// DeploySettings tune the deploy rules (the deploy: section of the config).
type DeploySettings struct {
	// SharedVersionShare is the least share of services whose images must
	// take their tag from one version source for a shared-release-version
	// finding (default 0.8).
	SharedVersionShare float64
}

// WithDefaults fills zero fields with the defaults.
func (d DeploySettings) WithDefaults() DeploySettings {
	if d.SharedVersionShare <= 0 || d.SharedVersionShare > 1 {
		d.SharedVersionShare = 0.8
	}
	return d
}
