package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/decouplehq/decouple/analyzer/baseline"
)

func (e *env) baselineCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "baseline",
		Short: "record today's findings so that check reports new ones only",
		Long: `A baseline records the findings of a repository by content fingerprint (rule, services
and entity, never a line number), so reformatting or moving code never brings a baselined
finding back. Adopt decouple on an existing repository with

  decouple baseline write            # writes .decouple-baseline.json; commit it
  decouple check --baseline .decouple-baseline.json

Each entry may be given a "reason" and an "expires" date (YYYY-MM-DD), after which it stops
suppressing. Entries whose finding is gone are stale: check lists them and
"decouple baseline prune" removes them.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return usageErr("baseline needs a subcommand: write or prune")
		},
	}
	cmd.AddCommand(e.baselineWriteCommand(), e.baselinePruneCommand())
	return cmd
}

type baselineFlags struct {
	file     string
	config   string
	noConfig bool
}

func (f *baselineFlags) register(cmd *cobra.Command, fileFlag, short, fileHelp string) {
	cmd.Flags().StringVarP(&f.file, fileFlag, short, "", fileHelp)
	cmd.Flags().StringVarP(&f.config, "config", "c", "", "config file (default: .decouple.yaml in the path or its parents)")
	cmd.Flags().BoolVar(&f.noConfig, "no-config", false, "ignore any config file")
}

func (f *baselineFlags) target(path string) string {
	if f.file != "" {
		return f.file
	}
	return filepath.Join(path, baseline.FileName)
}

func (e *env) baselineWriteCommand() *cobra.Command {
	var f baselineFlags
	cmd := &cobra.Command{
		Use:   "write [path]",
		Short: "write the findings of a repository to .decouple-baseline.json",
		Long: `write analyses the repository and records every finding in the baseline file (default
PATH/.decouple-baseline.json). Entries already in that file keep their reason and expiry date.`,
		Args: maxPathArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			path := pathArg(args)
			dest := f.target(path)
			var previous *baseline.File
			if _, err := os.Lstat(dest); err == nil {
				if previous, err = baseline.Read(dest); err != nil {
					return usageErr("%v", err)
				}
			} else if !errors.Is(err, fs.ErrNotExist) {
				return usageErr("%v", err)
			}
			s, err := e.completeRun(cmd.Context(), path, f.config, f.noConfig)
			if err != nil {
				return err
			}
			b := baseline.FromFindings(s.result.Findings, previous)
			if err := writeFileSafely(dest, b.Marshal()); err != nil {
				return &exitError{code: exitFailure, err: err}
			}
			fmt.Fprintf(e.stderr, "decouple: wrote %d baseline %s for %d %s to %s\n", len(b.Entries), plural(len(b.Entries), "entry", "entries"),
				len(s.result.Findings), plural(len(s.result.Findings), "finding", "findings"), dest)
			return nil
		},
	}
	f.register(cmd, "output", "o", "the baseline file to write (default PATH/"+baseline.FileName+")")
	return cmd
}

func (e *env) baselinePruneCommand() *cobra.Command {
	var f baselineFlags
	cmd := &cobra.Command{
		Use:   "prune [path]",
		Short: "remove the baseline entries that match no finding any more",
		Args:  maxPathArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			path := pathArg(args)
			file := f.target(path)
			b, err := baseline.Read(file)
			if err != nil {
				return usageErr("%v", err)
			}
			s, err := e.completeRun(cmd.Context(), path, f.config, f.noConfig)
			if err != nil {
				return err
			}
			kept, removed := b.Prune(s.result.Findings)
			if len(removed) == 0 {
				fmt.Fprintf(e.stderr, "decouple: %s: no stale entries\n", file)
				return nil
			}
			if err := writeFileSafely(file, kept.Marshal()); err != nil {
				return &exitError{code: exitFailure, err: err}
			}
			fmt.Fprintf(e.stderr, "decouple: %s: removed %d stale %s, kept %d:\n", file, len(removed), plural(len(removed), "entry", "entries"), len(kept.Entries))
			for _, x := range removed {
				fmt.Fprintf(e.stderr, "  %s\n", describeEntry(x))
			}
			return nil
		},
	}
	f.register(cmd, "baseline", "", "the baseline file (default PATH/"+baseline.FileName+")")
	return cmd
}

// completeRun analyses a repository for a baseline and refuses an
// incomplete analysis: a baseline written or pruned from it would drop
// entries that are still valid.
func (e *env) completeRun(ctx context.Context, path, cfgPath string, noConfig bool) (*session, error) {
	s, err := e.loadAndRun(ctx, path, cfgPath, noConfig)
	if err != nil {
		return nil, err
	}
	if len(s.result.Failures) > 0 || len(s.report.Incomplete) > 0 {
		return nil, &exitError{code: exitFailure, err: errors.New("the analysis is incomplete (a rule failed or a deadline hit); the baseline is left as it was")}
	}
	return s, nil
}
