package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/config"
	"github.com/decouplehq/decouple/reports"
	"github.com/decouplehq/decouple/rules"
)

func (e *env) configCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "write a starter .decouple.yaml, or check one",
		Args:  cobra.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return usageErr("config needs a subcommand: init or verify") },
	}
	cmd.AddCommand(e.configInitCommand(), e.configVerifyCommand())
	return cmd
}

func (e *env) configInitCommand() *cobra.Command {
	var output string
	var force bool
	cmd := &cobra.Command{
		Use:   "init [path]",
		Short: "write a commented starter .decouple.yaml with the discovered services",
		Long: `init discovers the services of the repository at path (as "decouple services" shows
them) and writes PATH/.decouple.yaml declaring them, with the default preset and every other
setting commented. Service paths in the file are relative to it. It never overwrites a file
unless --force is given; "-o -" writes to stdout.`,
		Args: maxPathArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			path := pathArg(args)
			dest := output
			if dest == "" {
				dest = filepath.Join(path, config.FileNames[0])
			}
			if dest != "-" && !force {
				if _, err := os.Lstat(dest); err == nil {
					return usageErr("%s exists; use --force to overwrite it", dest)
				} else if !errors.Is(err, fs.ErrNotExist) {
					return usageErr("%v", err)
				}
			}
			s, err := e.loadAndRun(cmd.Context(), path, "", true)
			if err != nil {
				return err
			}
			text := starterConfig(s.report)
			if dest == "-" {
				_, err := e.stdout.Write([]byte(text))
				return err
			}
			if err := writeFileSafely(dest, []byte(text)); err != nil {
				return &exitError{code: exitFailure, err: err}
			}
			fmt.Fprintf(e.stderr, "decouple: wrote %s with %d %s; check it with `decouple config verify`\n", dest,
				len(s.report.Services), plural(len(s.report.Services), "service", "services"))
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "the file to write (default PATH/.decouple.yaml; - for stdout)")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}

const starterHead = `# decouple configuration: https://github.com/decouplehq/decouple#configuration
# yaml-language-server: $schema=https://github.com/decouplehq/decouple/raw/main/docs/config.schema.json
# Check it with "decouple config verify": unknown keys and unknown rules are errors.
version: 1

`

const starterTail = `rules:
  # Presets (minimal ⊂ standard ⊂ all), areas (API, DATA, CODE, DEPLOY, LOAD), rule IDs
  # or names; "decouple rules" lists them. standard is the default.
  use: [standard]
  # except: [LOAD002]
  # severity:
  #   API102: warning
  # ignore: [legacy/]          # paths whose findings no rule reports
  # ignore_only:
  #   API102: [protos/old/**]

# The lowest severity that makes "decouple check" fail: error, warning, info or none.
fail_on: error

# Files and directories not read at all (doublestar globs).
# exclude: [gen/**]

# Directories read although decouple skips them by default (examples/, test/,
# testdata/, vendor/...).
# include: [examples/shop]

# Known couplings accepted by rule and services, with the reason, e.g.
# exclusions:
#   - rule: DATA101
#     services: [billing, invoicing]
#     reason: invoicing reads billing's ledger until the split in Q3
`

// starterConfig is the text of config init: the discovered services and
// the default preset, every other setting commented.
func starterConfig(r *reports.Report) string {
	var b strings.Builder
	b.WriteString(starterHead)
	if len(r.Services) == 0 {
		b.WriteString("# No service was discovered. Declare them here; this list replaces discovery:\n")
		b.WriteString("# services:\n#   - name: orders\n#     path: services/orders\n\n")
	} else {
		b.WriteString("# The services discovered (\"decouple services\" shows why). This list replaces discovery:\n")
		b.WriteString("# add new services here, or delete the section to go back to automatic discovery.\n")
		b.WriteString("services:\n")
		for _, s := range r.Services {
			for _, why := range s.DiscoveredBy {
				b.WriteString("  # found by: " + reports.Clean(why) + "\n")
			}
			b.WriteString("  - name: " + yamlScalar(s.Name) + "\n")
			switch len(s.Dirs) {
			case 0:
				b.WriteString("    # no directory in the repository: known from its deployment only\n")
			case 1:
				b.WriteString("    path: " + yamlScalar(s.Dirs[0]) + "\n")
			default:
				quoted := make([]string, len(s.Dirs))
				for i, d := range s.Dirs {
					quoted[i] = yamlScalar(d)
				}
				b.WriteString("    paths: [" + strings.Join(quoted, ", ") + "]\n")
			}
		}
		b.WriteString("\n")
	}
	b.WriteString(starterTail)
	return b.String()
}

var (
	plainScalar = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_./-]*$`)
	numberLike  = regexp.MustCompile(`^[0-9.+-]`)
)

// yamlScalar writes s as a plain YAML scalar when that is safe, else as a
// double-quoted one (JSON escapes are valid there).
func yamlScalar(s string) string {
	if plainScalar.MatchString(s) && !isYAMLKeyword(s) {
		return s
	}
	q, _ := json.Marshal(strings.ToValidUTF8(s, "\uFFFD"))
	return string(q)
}

func isYAMLKeyword(s string) bool {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "y", "n":
		return true
	}
	return numberLike.MatchString(s)
}

func (e *env) configVerifyCommand() *cobra.Command {
	var cfgPath string
	cmd := &cobra.Command{
		Use:   "verify [path]",
		Short: "check a config file and name the line of every problem (exit 2 on any)",
		Args:  maxPathArgs,
		RunE: func(_ *cobra.Command, args []string) error {
			file := cfgPath
			if file == "" {
				found, err := config.Find(pathArg(args))
				if err != nil {
					return usageErr("find config: %v", err)
				}
				if found == "" {
					return usageErr("no %s in %s or its parents up to the repository root", config.FileNames[0], pathArg(args))
				}
				file = found
			}
			data, err := os.ReadFile(file)
			if err != nil {
				return usageErr("read config: %v", err)
			}
			problems := config.Verify(file, data, knownSelector(e.rules()))
			for _, p := range problems {
				fmt.Fprintln(e.stdout, reports.Clean(p.Error()))
			}
			if len(problems) > 0 {
				return &exitError{code: exitUsage, err: fmt.Errorf("%s: %d %s", file, len(problems), plural(len(problems), "problem", "problems"))}
			}
			fmt.Fprintf(e.stdout, "%s: ok\n", file)
			return nil
		},
	}
	cmd.Flags().StringVarP(&cfgPath, "config", "c", "", "the config file (default: .decouple.yaml in the path or its parents)")
	return cmd
}

// knownSelector reports whether a selector names a rule of the catalogue,
// an area or a preset.
func knownSelector(all []*analyzer.Rule) func(string) bool {
	presets := rules.Presets()
	pol := analyzer.Policy{Presets: presets}
	return func(sel string) bool {
		for _, r := range all {
			if pol.Matches(sel, r) {
				return true
			}
		}
		_, ok := presets[strings.ToLower(strings.TrimSpace(sel))]
		return ok
	}
}
