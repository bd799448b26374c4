package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/decouplehq/decouple/reports"
	"github.com/decouplehq/decouple/rules"
)

func (e *env) servicesCommand() *cobra.Command {
	var format, cfgPath string
	var noConfig bool
	cmd := &cobra.Command{
		Use:   "services [path]",
		Short: "list the services discovered, why, and what belongs to none",
		Args:  maxPathArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("--format: want text or json, got %q", format)
			}
			s, err := e.loadAndRun(cmd.Context(), pathArg(args), cfgPath, noConfig)
			if err != nil {
				return err
			}
			return reports.WriteServices(e.stdout, format, s.report)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "text or json")
	cmd.Flags().StringVarP(&cfgPath, "config", "c", "", "config file")
	cmd.Flags().BoolVar(&noConfig, "no-config", false, "ignore any config file")
	return cmd
}

func (e *env) catalogue() *reports.Report {
	return reports.New(reports.Input{Rules: e.rules(), Presets: rules.PresetsOf})
}

func (e *env) rulesCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "list every rule: ID, name, default severity, presets, title",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return reports.WriteRules(e.stdout, e.catalogue())
		},
	}
}

func (e *env) explainCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "explain <ID|name>",
		Short: "explain a rule: why it matters, an example, how to fix",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErr("explain takes one rule ID or name")
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			for _, m := range e.catalogue().Rules {
				if strings.EqualFold(m.ID, args[0]) || strings.EqualFold(m.Name, args[0]) {
					return reports.WriteExplain(e.stdout, m)
				}
			}
			return usageErr("no rule %q; `decouple rules` lists them", args[0])
		},
	}
}

func (e *env) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := e.stdout.Write([]byte("decouple " + version() + "\n"))
			return err
		},
	}
}
