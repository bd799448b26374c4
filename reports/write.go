package reports

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Options tune rendering; they never change what is reported.
type Options struct {
	// Color enables ANSI colour in the text format. Machine formats ignore it.
	Color bool
	// Summary adds the services overview to the text format (the report
	// command); without it text is one line per finding (the check command).
	Summary bool
}

// Renderer writes a report in one format.
type Renderer func(w io.Writer, r *Report, opts Options) error

// formats maps each format name to its renderer.
var formats = map[string]Renderer{
	"text":     writeText,
	"json":     writeJSON,
	"html":     writeHTML,
	"markdown": writeMarkdown,
	"dot":      writeDOT,
	"mermaid":  writeMermaid,
	// CI formats: never coloured.
	"sarif":      writeSARIF,
	"github":     writeGitHub,
	"gitlab":     writeGitLab,
	"checkstyle": writeCheckstyle,
	"junit":      writeJUnit,
}

// Formats returns the names of every format, sorted.
func Formats() []string {
	names := make([]string, 0, len(formats))
	for n := range formats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup returns the renderer of a format.
func Lookup(format string) (Renderer, error) {
	if f, ok := formats[strings.ToLower(format)]; ok {
		return f, nil
	}
	return nil, fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats(), ", "))
}

// Write renders the report in the named format.
func Write(w io.Writer, format string, r *Report, opts Options) error {
	f, err := Lookup(format)
	if err != nil {
		return err
	}
	return f(w, r, opts)
}
