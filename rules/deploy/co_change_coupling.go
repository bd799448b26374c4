package deploy

import (
	"fmt"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// CoChangeCoupling reports pairs of services that keep changing in the same
// commits (or logical changes).
var CoChangeCoupling = &analyzer.Rule{
	ID:       "DEPLOY101",
	Name:     "co-change-coupling",
	Title:    "two services keep changing together in the git history",
	Severity: analyzer.Warning,
	Default:  true,
	Doc:      coChangeCouplingDoc,
	Run:      runCoChangeCoupling,
}

func runCoChangeCoupling(pass *analyzer.Pass) error {
	h := &pass.Repo.History
	if h.State != facts.HistoryAnalysed {
		return nil
	}
	set := pass.Settings.History.WithDefaults()
	unit := changeUnit(h.Logical)
	for _, cc := range h.CoChanges() {
		if cc.Shared < set.MinShared || cc.ChangesA < set.MinChanges || cc.ChangesB < set.MinChanges {
			continue
		}
		degree := Degree(cc)
		if degree < set.MinDegree {
			continue
		}
		a, b := pass.Repo.ServiceByName(cc.A), pass.Repo.ServiceByName(cc.B)
		if a == nil || b == nil {
			continue
		}
		at, other := declOf(a), declOf(b)
		var ex []string
		for _, i := range cc.Examples {
			c := h.Commits[h.Changes[i].Commits[0]]
			ex = append(ex, fmt.Sprintf("%s %q", c.Short, c.Subject))
		}
		pass.Report(analyzer.Finding{
			Pos:     at,
			Service: a.Name,
			Related: []analyzer.Related{{Pos: other, Service: b.Name, Message: "changes with " + a.Name}},
			Message: fmt.Sprintf("services %s and %s changed together in %d %s (degree %d%%; %d and %d %s each), e.g. %s",
				a.Name, b.Name, cc.Shared, unit, degree, cc.ChangesA, cc.ChangesB, unit, strings.Join(ex, ", ")),
			Entity: "co-change:" + a.Name + "\x00" + b.Name,
		})
	}
	return nil
}

// Degree is code-maat's coupling degree in whole percent: shared changes
// over the average of both services' changes.
func Degree(cc facts.CoChange) int {
	avg := float64(cc.ChangesA+cc.ChangesB) / 2
	if avg == 0 {
		return 0
	}
	return int(float64(cc.Shared) / avg * 100)
}

// declOf anchors a finding about a whole service: its declaration, or else
// its root folder.
func declOf(s *facts.Service) facts.Position {
	if s.Decl.IsValid() {
		return s.Decl
	}
	return facts.Position{File: s.Root}
}

func changeUnit(logical string) string {
	switch logical {
	case "pull-request":
		return "pull requests"
	case "author-day":
		return "author-days"
	}
	return "commits"
}

const coChangeCouplingDoc = `Two services that keep changing in the same commits are not independent: a
change to one needs a change to the other, so they are built, reviewed and released together.
This is logical (change) coupling, measured as code-maat does, at the level of services:

    degree = shared changes / average(changes of a, changes of b)

A pair is flagged with at least 5 shared changes, 5 changes each and a degree of 30 % or more
(history: min_shared, min_changes, min_degree). The window is the last 12 months before the
newest commit, at most 2,000 commits (history: months, max_commits); merges are skipped.
Commits touching most services (at least three and over half of those with a folder, or more than 30) are
repo-wide changes — dependency bumps, reformatting — and do not count; nor do chores:
commits by bots (dependabot, renovate, ...) and commits touching only dependency manifests,
lock files and Dockerfiles (go.mod, go.sum, package.json, lock files, base image bumps...). With
` + "`history: {logical: pull-request}`" + ` the commits a merge brought in count as one change; with
` + "`author-day`" + ` one author's commits of one day do (CodeScene's logical commits).

Example: orders and billing changed together in 14 of their 20 and 16 commits (degree 77 %),
e.g. "add discount field" touching services/orders/api.go and services/billing/invoice.go.

Fix: find what the shared changes have in common — usually a shared model or an unversioned
contract — and give it one owner and a versioned interface, so that each side can change alone.`
