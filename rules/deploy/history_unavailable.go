// Package deploy holds the DEPLOY rules: services that change, ship or
// start together.
package deploy

import (
	"fmt"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// HistoryUnavailable reports, once, that git history could not be read, so
// that a silent co-change rule is not mistaken for a clean one.
var HistoryUnavailable = &analyzer.Rule{
	ID:       "DEPLOY100",
	Name:     "history-unavailable",
	Title:    "git history was not analysed, so co-change coupling is not checked",
	Severity: analyzer.Info,
	Default:  true,
	Doc:      historyUnavailableDoc,
	Run:      runHistoryUnavailable,
}

func runHistoryUnavailable(pass *analyzer.Pass) error {
	h := pass.Repo.History
	switch h.State {
	case facts.HistoryShallow, facts.HistoryNoGit, facts.HistoryFailed:
	default:
		return nil // read, turned off, or no repository to read
	}
	pass.Report(analyzer.Finding{
		Pos:     facts.Position{File: ".git"},
		Message: fmt.Sprintf("git history was not analysed (%s): %s; co-change coupling (DEPLOY101) is not checked", h.State, h.Detail),
		Entity:  "history:" + h.State,
	})
	return nil
}

const historyUnavailableDoc = `decouple reads the repository's git history to find services that keep
changing together (DEPLOY101). When the analysed directory is the top of a git work tree
but the history cannot be read — the git command is missing, the clone is shallow, or git
failed — it says so once, as an info finding on .git, instead of reporting a clean history.
Nothing fails. A directory that is not the top of a work tree (a tarball, a subfolder) has
no history to read and gets no finding.

A shallow clone is not analysed because its few commits would give wrong co-change counts.
CI checkouts are shallow by default:

    - uses: actions/checkout@v4
      with:
        fetch-depth: 0        # full history for decouple

Fix: run decouple on a full clone at the top of the work tree, or turn history off on purpose
(` + "`history: {enabled: false}`" + ` in .decouple.yaml), which silences this finding.`
