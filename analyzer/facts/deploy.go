package facts

import (
	"sort"
	"time"
)

// The states of history reading.
const (
	// HistoryAnalysed: the window was read.
	HistoryAnalysed = "analysed"
	// HistoryShallow: the clone is shallow, so co-change counts would be
	// wrong; history was not read.
	HistoryShallow = "shallow"
	// HistoryNoGit: the git command is not installed.
	HistoryNoGit = "no-git"
	// HistoryNotRepo: the analysed directory is not the top of a git work
	// tree.
	HistoryNotRepo = "not-a-repo"
	// HistoryFailed: git ran and failed (the detail says why).
	HistoryFailed = "failed"
	// HistoryDisabled: history reading was turned off by the caller.
	HistoryDisabled = "disabled"
)

// History is what the loader read of the repository's git history.
type History struct {
	// State is one of the History* constants; "" when nobody asked.
	State string
	// Detail explains a state other than analysed, in lower case.
	Detail string
	// Since and Until bound the window read (author times); zero when no
	// commit was read. MaxCommits is the cap that applied.
	Since, Until time.Time
	MaxCommits   int
	// Truncated is true when the cap stopped the reading before the window's
	// start.
	Truncated bool
	// Logical names how commits were grouped into logical changes:
	// "commit", "pull-request" or "author-day".
	Logical string

	// Commits are the non-merge commits in the window, newest first.
	Commits []*Commit
	// Changes are the logical changes the commits form, newest first. With
	// Logical "commit" there is one per commit.
	Changes []*Change
	// RepoWide counts the logical changes flagged RepoWide; Chores counts
	// the commits with a Chore.
	RepoWide int
	Chores   int
}

// Change is one logical change: a commit, the commits of one pull request,
// or one author's commits of one day.
type Change struct {
	ID string
	// Commits index History.Commits, newest first.
	Commits []int
	// Services is the union of the services touched by the change's commits
	// that are neither repo-wide nor chores, sorted.
	Services []string
	// RepoWide is true when the change as a whole touches more than the
	// configured share of services.
	RepoWide bool
}

// CoChange counts how often two services changed in the same logical change.
type CoChange struct {
	A, B string // A < B
	// Shared counts the changes touching both; ChangesA and ChangesB count
	// each service's changes. Repo-wide changes are not counted.
	Shared             int
	ChangesA, ChangesB int
	// Examples index History.Changes, newest first (at most three).
	Examples []int
}

// CoChanges counts, for every pair of services that changed together at
// least once, their shared and individual changes, ignoring repo-wide
// changes. The result is sorted by A, then B.
func (h *History) CoChanges() []CoChange {
	per := map[string]int{}
	type key struct{ a, b string }
	pairs := map[key]*CoChange{}
	for ci, c := range h.Changes {
		if c.RepoWide {
			continue
		}
		for i, a := range c.Services {
			per[a]++
			for _, b := range c.Services[i+1:] {
				k := key{a, b}
				p := pairs[k]
				if p == nil {
					p = &CoChange{A: a, B: b}
					pairs[k] = p
				}
				p.Shared++
				if len(p.Examples) < 3 {
					p.Examples = append(p.Examples, ci)
				}
			}
		}
	}
	out := make([]CoChange, 0, len(pairs))
	for _, p := range pairs {
		p.ChangesA, p.ChangesB = per[p.A], per[p.B]
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].A != out[j].A {
			return out[i].A < out[j].A
		}
		return out[i].B < out[j].B
	})
	return out
}

// Commit is one non-merge commit of the history window.
type Commit struct {
	Hash    string
	Short   string // the first 8 hex digits
	Subject string // control characters removed
	Author  string // the author's e-mail, or name when there is none
	Time    time.Time
	// Services are the services whose files the commit touched, sorted;
	// renamed paths are attributed to the service of their newest name.
	Services []string
	// Files counts the paths the commit touched.
	Files int
	// RepoWide is true for a commit touching more than the configured share
	// of services (dependency bumps, reformatting): it says nothing about
	// coupling.
	RepoWide bool
	// Chore is "bot" for a commit by a bot (dependabot, renovate, ...) and
	// "dependencies" for one touching only dependency manifests and lock
	// files; like repo-wide commits, chores say nothing about coupling.
	Chore string
	// Change is the logical change the commit belongs to: its own hash, the
	// hash of the merge that brought it in, or author+day.
	Change string
}

// The deploy verbs of a CI step, in increasing strength.
const (
	VerbBuild  = "build"
	VerbPush   = "push"
	VerbDeploy = "deploy"
)

// VerbRank orders verbs: "" < build < push < deploy.
func VerbRank(v string) int {
	switch v {
	case VerbBuild:
		return 1
	case VerbPush:
		return 2
	case VerbDeploy:
		return 3
	}
	return 0
}

// The CI systems.
const (
	CIGitHub     = "github-actions"
	CIGitLab     = "gitlab-ci"
	CICloudBuild = "cloud-build"
	CIMake       = "makefile"
)

// CIJob is one job of a CI pipeline (a GitHub Actions job, a GitLab CI
// job, a whole Cloud Build file) or one Makefile target.
type CIJob struct {
	System string // one of the CI* constants
	File   string
	Name   string   // the job id or target name
	Pos    Position // the job's key or the target's line
	// Needs are the jobs this one waits for (GitHub and GitLab needs:,
	// Makefile prerequisites).
	Needs []CINeed
	// Matrix holds the axes of a matrix job; each value is one leg.
	Matrix []MatrixAxis
	Steps  []CIStep
	// Verb is the strongest verb of the job's steps.
	Verb string
}

// CINeed is one needs: entry or prerequisite.
type CINeed struct {
	Job string
	Pos Position
}

// MatrixAxis is one axis of a job matrix.
type MatrixAxis struct {
	Name   string
	Values []string
	Pos    Position
}

// CIStep is one step, script line or recipe line that does something.
type CIStep struct {
	Name string   // the step's name, or its first words
	Pos  Position // the line of the command
	// Verb is build, push, deploy or "" for anything else (tests, lint).
	Verb string
	// Tool is the program doing it: docker, compose, kubectl, helm,
	// skaffold, gcloud, make, ko, go, or the action used.
	Tool string
	// Refs are the services the step names.
	Refs []ServiceRef
}

// ServiceRef is one service named by a CI step.
type ServiceRef struct {
	Service string
	// How the step names it: dir, image, chart, compose, manifests,
	// skaffold, make, name.
	How string
	// Text is the evidence as written (a path, an image, a target).
	Text string
	// Leg is "axis=value" when the reference comes from one matrix leg.
	Leg string
}

// ImageTag is one service image whose tag comes from a version source.
type ImageTag struct {
	// Source is compose, kubernetes, helm, kustomize, skaffold or
	// version-file.
	Source  string
	Pos     Position
	Service string
	Image   string // as written, possibly empty (a Helm chart's values)
	Tag     string // the literal tag, or "" when it is a variable
	// Var names the variable or key the tag is read from: "TAG" for
	// ${TAG}, "global.tag", "image.tag", "tagPolicy:gitCommit", "VERSION".
	// "" for a literal tag.
	Var string
	// Scope is the file that binds Var (a values file, a kustomization)
	// or "" when the variable is an environment variable.
	Scope string
}

// Bundle is one deployable that runs several services: an image, a
// process manager configuration, a Procfile.
type Bundle struct {
	// Kind is dockerfile, supervisord, modd or procfile, or image for one
	// compose build run as several services.
	Kind    string
	File    string
	Pos     Position
	Members []BundleMember
	// Manager is the process manager an image starts, if any.
	Manager string
}

// BundleMember is one service inside a bundle.
type BundleMember struct {
	Service string
	// How is copy (a COPY/ADD of its directory), build (compiled in the
	// image), start (started by CMD, ENTRYPOINT or a process entry).
	How  string
	Pos  Position
	Text string
}

// StartupWait is one workload that does not start until another is up.
type StartupWait struct {
	// Kind is depends_on, init-container or helm-hook.
	Kind string
	// From is the service that waits ("" when the waiter runs no service);
	// FromWorkload names the workload or template.
	From         string
	FromWorkload string
	// To is the service waited for, "" when the target is not one of the
	// repository's services (a database, a cache, an external host).
	To string
	// Target is the workload or host as written.
	Target string
	// Datastore is true when the target runs a database, cache or broker.
	Datastore bool
	Condition string // compose condition, or the waiting tool
	Pos       Position
}

// The kinds of lockstep edges.
const (
	EdgeCoChange     = "co-change"
	EdgeJointDeploy  = "joint-deploy"
	EdgeDeployOrder  = "deploy-order"
	EdgeStartupOrder = "startup-order"
	EdgeSharedImage  = "single-deployable"
)

// LockstepEdge joins two services that change, ship or start together.
// For co-change, joint-deploy and single-deployable edges From < To; for
// ordering edges From waits for To.
type LockstepEdge struct {
	Kind     string
	From, To string
	// Weight counts the pieces of evidence (shared changes for co-change).
	Weight   int
	Evidence []Position
	Detail   string
}

// Deploy holds the deploy-side observations of a repository.
type Deploy struct {
	CIJobs    []*CIJob
	ImageTags []ImageTag
	Bundles   []*Bundle
	Waits     []StartupWait
	Edges     []LockstepEdge
}

// LegServices returns the services that the job's steps with at least the
// given verb name, per matrix leg: references outside any leg belong to
// every leg. A job whose steps name no leg has the single leg "". Each list
// is sorted.
func (j *CIJob) LegServices(minVerb string) map[string][]string {
	common := map[string]bool{}
	legs := map[string]map[string]bool{}
	for _, s := range j.Steps {
		if VerbRank(s.Verb) < VerbRank(minVerb) || s.Verb == "" {
			continue
		}
		for _, r := range s.Refs {
			if r.Leg == "" {
				common[r.Service] = true
				continue
			}
			if legs[r.Leg] == nil {
				legs[r.Leg] = map[string]bool{}
			}
			legs[r.Leg][r.Service] = true
		}
	}
	if len(legs) == 0 {
		legs[""] = map[string]bool{}
	}
	out := map[string][]string{}
	for leg, set := range legs {
		for s := range common {
			set[s] = true
		}
		list := make([]string, 0, len(set))
		for s := range set {
			list = append(list, s)
		}
		sort.Strings(list)
		if len(list) > 0 {
			out[leg] = list
		}
	}
	return out
}
