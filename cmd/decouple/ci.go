package main

import (
	"context"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/baseline"
	"github.com/decouplehq/decouple/analyzer/config"
	"github.com/decouplehq/decouple/reports"
)

// ciFlags narrow check and report to new findings: those absent from a
// baseline file, or absent at a git revision.
type ciFlags struct {
	baseline         string
	newFromRev       string
	newFromMergeBase string
	pathPrefix       string
}

func (c *ciFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&c.baseline, "baseline", "", "suppress the findings recorded in this baseline file (see `decouple baseline write`); stale entries are listed on stderr")
	fl.StringVar(&c.newFromRev, "new-from-rev", "", "report only findings absent at git revision REV, analysed in a temporary checkout with the same config")
	fl.StringVar(&c.newFromMergeBase, "new-from-merge-base", "", "report only findings absent at the merge base of HEAD and BRANCH (a pull request's own findings)")
	fl.StringVar(&c.pathPrefix, "path-prefix", "", "prepend this directory to the paths of findings, e.g. when the analysed path is not the repository root and annotations need repository paths")
}

// narrow applies --baseline, then --new-from-rev / --new-from-merge-base,
// to the session's findings, and tells on stderr what it left out.
func (e *env) narrow(ctx context.Context, path string, s *session, f *analysisFlags) error {
	c := &f.ci
	if c.newFromRev != "" && c.newFromMergeBase != "" {
		return usageErr("--new-from-rev and --new-from-merge-base exclude each other")
	}
	if err := e.filterNew(ctx, path, s, c); err != nil {
		return err
	}
	return prefixPaths(s, c.pathPrefix)
}

// prefixPaths puts prefix in front of every path of the findings.
func prefixPaths(s *session, prefix string) error {
	prefix = strings.Trim(filepath.ToSlash(filepath.Clean(prefix)), "/")
	if prefix == "" || prefix == "." {
		return nil
	}
	if filepath.IsAbs(prefix) || prefix == ".." || strings.HasPrefix(prefix, "../") {
		return usageErr("--path-prefix must be a relative path inside the repository, got %q", prefix)
	}
	fs := make([]analyzer.Finding, len(s.result.Findings))
	for i, f := range s.result.Findings {
		f.Pos.File = path.Join(prefix, f.Pos.File)
		f.Related = append([]analyzer.Related(nil), f.Related...)
		for j := range f.Related {
			f.Related[j].Pos.File = path.Join(prefix, f.Related[j].Pos.File)
		}
		fs[i] = f
	}
	s.setFindings(fs)
	return nil
}

// filterNew drops the findings a baseline holds or that exist at a git
// revision.
func (e *env) filterNew(ctx context.Context, path string, s *session, c *ciFlags) error {
	if c.baseline != "" {
		b, err := baseline.Read(c.baseline)
		if err != nil {
			return usageErr("--baseline: %v", err)
		}
		out := b.Apply(s.result.Findings, time.Now())
		s.setFindings(out.New)
		writeBaselineNotes(e.stderr, c.baseline, out)
	}
	if c.newFromRev == "" && c.newFromMergeBase == "" {
		return nil
	}
	name, commit, err := pickRevision(ctx, path, c)
	if err != nil {
		return usageErr("%v", err)
	}
	rev, err := checkout(ctx, path, name, commit)
	if err != nil {
		return &exitError{code: exitFailure, err: err}
	}
	defer rev.Close()
	base, err := e.analyzeRevision(ctx, rev, s.cfg)
	if err != nil {
		return err
	}
	there := map[string]bool{}
	for _, fd := range base.result.Findings {
		there[fd.Fingerprint] = true
	}
	var fresh []analyzer.Finding
	for _, fd := range s.result.Findings {
		if !there[fd.Fingerprint] {
			fresh = append(fresh, fd)
		}
	}
	notes := compareNotes(rev, base, s, len(s.result.Findings)-len(fresh))
	s.setFindings(fresh)
	for _, n := range notes {
		fmt.Fprintln(e.stderr, "decouple: "+n)
	}
	return nil
}

// pickRevision resolves the revision to compare with.
func pickRevision(ctx context.Context, path string, c *ciFlags) (name, commit string, err error) {
	if c.newFromRev != "" {
		commit, err = resolveCommit(ctx, path, c.newFromRev)
		return c.newFromRev, commit, err
	}
	commit, err = mergeBase(ctx, path, c.newFromMergeBase)
	return "the merge base with " + c.newFromMergeBase, commit, err
}

// analyzeRevision analyses the temporary checkout with the config of the
// current tree, so that the comparison is of the code, not of two configs.
func (e *env) analyzeRevision(ctx context.Context, rev *revision, cfg *config.File) (*session, error) {
	mapped := *cfg
	mapped.Path = rev.mapConfigPath(cfg.Path)
	base, err := e.runConfigured(ctx, rev.Dir, &mapped)
	if err != nil {
		return nil, fmt.Errorf("analyse %s: %w", rev.Name, err)
	}
	return base, nil
}

// compareNotes are the lines printed after a comparison with a revision.
// This is the hook for everything measured at both ends (the score delta
// joins here): base is the analysis at the revision, head the current one
// before narrowing.
func compareNotes(rev *revision, base, head *session, known int) []string {
	short := rev.Commit
	if len(short) > 12 {
		short = short[:12]
	}
	there, here := len(base.result.Findings), len(head.result.Findings)
	was, is := base.report.Score, head.report.Score
	return []string{
		fmt.Sprintf("compared with %s (%s): %d %s there, %d here; %d already there, %d new",
			reports.Clean(rev.Name), short, there, plural(there, "finding", "findings"), here, known, here-known),
		fmt.Sprintf("distributed-monolith index: %d (%s) there, %d (%s) here: %+d", was.Index, was.Grade, is.Index, is.Grade, is.Index-was.Index),
	}
}

// setFindings replaces the findings of the result and the report alike.
func (s *session) setFindings(fs []analyzer.Finding) {
	if fs == nil {
		fs = []analyzer.Finding{}
	}
	s.result.Findings = fs
	s.report.Findings = fs
}

func writeBaselineNotes(w io.Writer, file string, out baseline.Outcome) {
	fmt.Fprintf(w, "decouple: baseline %s: %d %s suppressed, %d new\n", reports.Clean(file), out.Suppressed,
		plural(out.Suppressed, "finding", "findings"), len(out.New))
	if len(out.Expired) > 0 {
		fmt.Fprintf(w, "decouple: %d baseline %s expired and no longer suppress:\n", len(out.Expired), plural(len(out.Expired), "entry", "entries"))
		for _, x := range out.Expired {
			fmt.Fprintf(w, "  %s (expired %s)\n", describeEntry(x), x.Expires)
		}
	}
	if len(out.Stale) > 0 {
		fmt.Fprintf(w, "decouple: %d stale baseline %s match no finding any more (fixed or gone; `decouple baseline prune` removes them):\n",
			len(out.Stale), plural(len(out.Stale), "entry", "entries"))
		for _, x := range out.Stale {
			fmt.Fprintf(w, "  %s\n", describeEntry(x))
		}
	}
}

func describeEntry(x baseline.Entry) string {
	return reports.Clean(fmt.Sprintf("%s %s [%s] %s", x.Fingerprint, x.Rule, strings.Join(x.Services, ", "), x.Entity))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
