package synth

import (
	"fmt"
	"sort"
	"strings"
)

// The history spans 330 days from historyStart (2025-02-01 09:00 UTC), so
// the whole of it lies in decouple's default 12-month window and only the
// commit cap (Options.Window) bounds what it reads.
const (
	historyStart = 1738400400
	historySpan  = 330 * 24 * 3600
)

var authors = []string{
	"Ada Lovelace <ada@example.com>", "Grace Hopper <grace@example.com>", "Alan Turing <alan@example.com>",
	"Edsger Dijkstra <edsger@example.com>", "Barbara Liskov <barbara@example.com>", "Ken Thompson <ken@example.com>",
	"Frances Allen <frances@example.com>", "Donald Knuth <don@example.com>",
}

var verbs = []string{"add", "fix", "rename", "validate", "paginate", "cache", "document", "log", "retry", "index"}

// event is one commit after the initial one.
type event struct {
	svcs     []*service
	repoWide bool
}

// history is the planned commits and the co-change findings they imply.
type history struct {
	events   []event
	expected []Finding
}

// history plans the commits. The last min(Commits, Window) commits are the
// ones decouple reads; the planted pairs change together there often
// enough to pass DEPLOY101's thresholds (5 shared changes, 5 each, degree
// 30 %), single-service commits and a few one-off pairs fill the rest, and
// two commits touch every service (repo-wide changes the rule ignores).
func (p *plan) history() (*history, error) {
	o, n := p.opts, len(p.services)
	tail := min(o.Commits, o.Window)
	repoWide := 0
	if tail >= 40 {
		repoWide = 2
	}
	noise := min(n/10+1, tail/20)
	k, solo := coChangeMinShared+1, 0
	for range 4 {
		solo = tail - len(p.coChange)*k - noise - repoWide
		k = max(coChangeMinShared+1, 2*solo/n+3)
	}
	solo = tail - len(p.coChange)*k - noise - repoWide
	if solo < 0 {
		return nil, fmt.Errorf("synth: %d commits are too few to plant %d co-change pairs; give more commits or fewer pairs",
			o.Commits, len(p.coChange))
	}
	planted := map[[2]int]bool{}
	var evs []event
	for _, pr := range p.coChange {
		planted[[2]int{pr[0].i, pr[1].i}] = true
		for range k {
			evs = append(evs, event{svcs: []*service{pr[0], pr[1]}})
		}
	}
	for len(evs) < len(p.coChange)*k+noise {
		a, b := p.rng.IntN(n), p.rng.IntN(n)
		if a == b {
			continue
		}
		a, b = min(a, b), max(a, b)
		if planted[[2]int{a, b}] {
			continue
		}
		planted[[2]int{a, b}] = true // at most once each
		evs = append(evs, event{svcs: []*service{p.services[a], p.services[b]}})
	}
	for range repoWide {
		evs = append(evs, event{svcs: p.services, repoWide: true})
	}
	for range solo {
		evs = append(evs, event{svcs: []*service{p.services[p.rng.IntN(n)]}})
	}
	p.rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
	h := &history{}
	for range o.Commits - tail {
		h.events = append(h.events, event{svcs: []*service{p.services[p.rng.IntN(n)]}})
	}
	h.events = append(h.events, evs...)
	exp, err := p.coChangeFindings(evs)
	if err != nil {
		return nil, err
	}
	h.expected = exp
	return h, nil
}

// coChangeFindings counts the window as DEPLOY101 does and checks that
// exactly the planted pairs pass its thresholds.
func (p *plan) coChangeFindings(window []event) ([]Finding, error) {
	per := map[*service]int{}
	shared := map[[2]*service]int{}
	for _, e := range window {
		if e.repoWide {
			continue
		}
		for i, a := range e.svcs {
			per[a]++
			for _, b := range e.svcs[i+1:] {
				shared[[2]*service{a, b}]++
			}
		}
	}
	var out []Finding
	found := 0
	for pr, c := range shared {
		ca, cb := per[pr[0]], per[pr[1]]
		degree := int(float64(c) / (float64(ca+cb) / 2) * 100)
		if c < coChangeMinShared || ca < coChangeMinChanges || cb < coChangeMinChanges || degree < coChangeMinDegree {
			continue
		}
		found++
		names := []string{pr[0].name, pr[1].name}
		sort.Strings(names)
		out = append(out, Finding{Rule: "DEPLOY101", Name: ruleNames["DEPLOY101"], Services: names})
	}
	for _, pr := range p.coChange {
		if c := shared[pr]; c < coChangeMinShared {
			return nil, fmt.Errorf("synth: planted co-change pair %s/%s has only %d shared commits", pr[0].name, pr[1].name, c)
		}
	}
	if found != len(p.coChange) {
		return nil, fmt.Errorf("synth: %d co-change pairs pass the thresholds, %d were planted", found, len(p.coChange))
	}
	return out, nil
}

// writeHistory streams the commits to git fast-import and leaves every
// changelog on disk as the last commit has it.
func (p *plan) writeHistory(w *writer, h *history) {
	logs := map[*service]string{}
	for _, s := range p.services {
		logs[s] = changelogHeader(s)
	}
	total := int64(len(h.events) + 1)
	for i, e := range h.events {
		subject := p.subject(e)
		at := historyStart + int64(i+1)*historySpan/total
		w.git.commitHeader(authors[p.rng.IntN(len(authors))], at, subject)
		for _, s := range e.svcs {
			logs[s] += "- " + subject + "\n"
			w.git.modify(s.dir()+"/CHANGELOG.md", logs[s])
		}
	}
	for _, s := range p.services {
		w.rewrite(s.dir()+"/CHANGELOG.md", changelogHeader(s), logs[s])
	}
}

func (p *plan) subject(e event) string {
	verb := verbs[p.rng.IntN(len(verbs))]
	if e.repoWide {
		return "all services: " + verb + " the shared build tooling"
	}
	names := make([]string, 0, len(e.svcs))
	for _, s := range e.svcs {
		names = append(names, s.name)
	}
	s := e.svcs[0]
	return fmt.Sprintf("%s: %s %s", strings.Join(names, ", "), verb, s.resources[p.rng.IntN(len(s.resources))])
}
