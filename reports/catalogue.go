package reports

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteRules writes the rule catalogue as a table: ID, name, default
// severity, presets and title.
func WriteRules(w io.Writer, r *Report) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSEVERITY\tPRESETS\tTITLE")
	for _, m := range r.Rules {
		presets := strings.Join(m.Presets, ",")
		if presets == "" {
			presets = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.ID, m.Name, m.Severity, presets, m.Title)
	}
	return tw.Flush()
}

// WriteExplain writes the full documentation of one rule.
func WriteExplain(w io.Writer, m RuleMeta) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s %s: %s\n\n", m.ID, m.Name, m.Title)
	presets := strings.Join(m.Presets, ", ")
	if presets == "" {
		presets = "none (enable it with rules.use)"
	}
	fmt.Fprintf(bw, "Default severity: %s\nPresets: %s\n\n%s\n", m.Severity, presets, strings.TrimSpace(m.Doc))
	return bw.Flush()
}

// WriteServices writes what service discovery found and why, and which
// directories belong to no service, as text or json.
func WriteServices(w io.Writer, format string, r *Report) error {
	switch strings.ToLower(format) {
	case "json":
		type svc struct {
			Name         string   `json:"name"`
			Root         string   `json:"root"`
			Dirs         []string `json:"dirs"`
			Decl         string   `json:"declared_in"`
			Files        int      `json:"files"`
			DiscoveredBy []string `json:"discovered_by"`
		}
		out := struct {
			Version  int      `json:"version"`
			Root     string   `json:"root"`
			Services []svc    `json:"services"`
			Shared   []string `json:"shared"`
		}{Version: ProtocolVersion, Root: valid(r.Root), Services: []svc{}, Shared: []string{}}
		for _, s := range r.Services {
			out.Services = append(out.Services, svc{Name: valid(s.Name), Root: valid(s.Root), Dirs: append([]string{}, s.Dirs...),
				Decl: valid(location(s.Decl.File, s.Decl.Line, 0)), Files: s.Files, DiscoveredBy: append([]string{}, s.DiscoveredBy...)})
		}
		out.Shared = append(out.Shared, r.Shared...)
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "text", "":
		bw := bufio.NewWriter(w)
		fmt.Fprintf(bw, "%d services in %s\n", len(r.Services), Clean(r.Root))
		for _, s := range r.Services {
			root := s.Root
			if root == "" {
				root = "(no directory in the repository)"
			}
			fmt.Fprintf(bw, "\n%s  %s  (%d files)\n", Clean(s.Name), Clean(root), s.Files)
			for _, d := range s.Dirs[min(1, len(s.Dirs)):] {
				fmt.Fprintf(bw, "    also owns: %s\n", Clean(d))
			}
			for _, why := range s.DiscoveredBy {
				fmt.Fprintf(bw, "    found by: %s\n", Clean(why))
			}
		}
		if len(r.Shared) > 0 {
			fmt.Fprintf(bw, "\nshared (no service): %s\n", Clean(strings.Join(r.Shared, ", ")))
		}
		return bw.Flush()
	}
	return fmt.Errorf("unknown format %q for services (want text or json)", format)
}
