// Package baseline reads, writes and applies .decouple-baseline.json: the
// findings a team has accepted for now, keyed on the content fingerprint
// (rule, services and entity, never a line number), so reformatting or
// moving code never brings a baselined finding back. Each entry may carry a
// reason and an expiry date, after which it stops suppressing.
package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/decouplehq/decouple/analyzer"
)

// FileName is the default name of the baseline, at the repository root.
const FileName = ".decouple-baseline.json"

// Version is the version of the file format.
const Version = 1

// DateLayout is the format of Entry.Expires.
const DateLayout = "2006-01-02"

// File is a baseline.
type File struct {
	Version int     `json:"version"`
	Entries []Entry `json:"entries"`
}

// Entry is one accepted finding identity.
type Entry struct {
	Fingerprint string   `json:"fingerprint"`
	Rule        string   `json:"rule"`
	Services    []string `json:"services"`
	// Entity describes what the finding is about, for the people reading
	// the file; matching uses the fingerprint only.
	Entity string `json:"entity"`
	// Reason says why the finding is accepted (optional).
	Reason string `json:"reason,omitempty"`
	// Expires is a date (YYYY-MM-DD): the entry suppresses through that day
	// and not after (optional).
	Expires string `json:"expires,omitempty"`
}

// Read reads and checks the baseline at path.
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes and checks a baseline; name is used in errors. Unknown
// fields, a bad version, a missing fingerprint, a repeated fingerprint and
// a malformed expiry date are errors.
func Parse(name string, data []byte) (*File, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b File
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", name, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("baseline %s: trailing data after the JSON object", name)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("baseline %s: version must be %d, got %d", name, Version, b.Version)
	}
	seen := map[string]bool{}
	for i, e := range b.Entries {
		switch {
		case e.Fingerprint == "":
			return nil, fmt.Errorf("baseline %s: entry %d has no fingerprint", name, i+1)
		case seen[e.Fingerprint]:
			return nil, fmt.Errorf("baseline %s: entry %d repeats fingerprint %s", name, i+1, e.Fingerprint)
		}
		seen[e.Fingerprint] = true
		if e.Expires != "" {
			if _, err := time.Parse(DateLayout, e.Expires); err != nil {
				return nil, fmt.Errorf("baseline %s: entry %d (%s): expires %q is not a date (want YYYY-MM-DD)", name, i+1, e.Fingerprint, e.Expires)
			}
		}
	}
	return &b, nil
}

// FromFindings builds the baseline of a run's findings: one entry per
// fingerprint. Entries of previous (may be nil) with the same fingerprint
// keep their reason and expiry date.
func FromFindings(findings []analyzer.Finding, previous *File) *File {
	old := map[string]Entry{}
	if previous != nil {
		for _, e := range previous.Entries {
			old[e.Fingerprint] = e
		}
	}
	b := &File{Version: Version, Entries: []Entry{}}
	seen := map[string]bool{}
	for _, f := range findings {
		if seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		e := Entry{Fingerprint: f.Fingerprint, Rule: f.RuleID, Services: append([]string{}, f.Services...), Entity: EntityOf(f)}
		if o, ok := old[f.Fingerprint]; ok {
			e.Reason, e.Expires = o.Reason, o.Expires
		}
		b.Entries = append(b.Entries, e)
	}
	b.sort()
	return b
}

// EntityOf describes what a finding is about, without positions.
func EntityOf(f analyzer.Finding) string {
	if f.Entity == "" {
		return strings.ToValidUTF8(f.Pos.File+": "+f.Message, "\uFFFD")
	}
	return strings.ToValidUTF8(strings.Join(strings.FieldsFunc(f.Entity, func(r rune) bool { return r == 0 }), " "), "\uFFFD")
}

func (b *File) sort() {
	sort.SliceStable(b.Entries, func(i, j int) bool {
		x, y := b.Entries[i], b.Entries[j]
		if x.Rule != y.Rule {
			return x.Rule < y.Rule
		}
		if a, c := strings.Join(x.Services, ","), strings.Join(y.Services, ","); a != c {
			return a < c
		}
		if x.Entity != y.Entity {
			return x.Entity < y.Entity
		}
		return x.Fingerprint < y.Fingerprint
	})
}

// Marshal returns the file as indented JSON with a final newline, entries
// in a stable order, so that the file diffs well in review.
func (b *File) Marshal() []byte {
	c := *b
	c.Entries = append([]Entry{}, b.Entries...)
	if c.Entries == nil {
		c.Entries = []Entry{}
	}
	c.sort()
	for i := range c.Entries {
		if c.Entries[i].Services == nil {
			c.Entries[i].Services = []string{}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(c) // plain strings and slices: cannot fail
	return buf.Bytes()
}

// Outcome is what applying a baseline to a run's findings gives.
type Outcome struct {
	// New are the findings the baseline does not suppress, in their order.
	New []analyzer.Finding
	// Suppressed counts the findings it suppresses.
	Suppressed int
	// Stale are entries no finding matched: the coupling was fixed or is
	// gone (`decouple baseline prune` removes them).
	Stale []Entry
	// Expired are entries past their date that matched findings: those
	// findings are reported again.
	Expired []Entry
}

// Apply splits findings into new and suppressed. An entry suppresses every
// finding with its fingerprint until it expires; today is the date it is
// judged against.
func (b *File) Apply(findings []analyzer.Finding, today time.Time) Outcome {
	day := today.Format(DateLayout)
	active := map[string]bool{}
	expired := map[string]bool{}
	for _, e := range b.Entries {
		if e.Expires != "" && e.Expires < day {
			expired[e.Fingerprint] = true
		} else {
			active[e.Fingerprint] = true
		}
	}
	var out Outcome
	matched := map[string]bool{}
	for _, f := range findings {
		matched[f.Fingerprint] = true
		if active[f.Fingerprint] {
			out.Suppressed++
			continue
		}
		out.New = append(out.New, f)
	}
	for _, e := range b.Entries {
		switch {
		case !matched[e.Fingerprint]:
			out.Stale = append(out.Stale, e)
		case expired[e.Fingerprint]:
			out.Expired = append(out.Expired, e)
		}
	}
	return out
}

// Prune returns the baseline without the entries no finding matches, and
// the entries removed.
func (b *File) Prune(findings []analyzer.Finding) (*File, []Entry) {
	matched := map[string]bool{}
	for _, f := range findings {
		matched[f.Fingerprint] = true
	}
	kept := &File{Version: Version, Entries: []Entry{}}
	var removed []Entry
	for _, e := range b.Entries {
		if matched[e.Fingerprint] {
			kept.Entries = append(kept.Entries, e)
		} else {
			removed = append(removed, e)
		}
	}
	return kept, removed
}
