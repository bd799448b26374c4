// Package load holds the LOAD rules: inputs decouple could not read.
package load

import "github.com/decouplehq/decouple/analyzer"

// UnreadableInput reports every input the loader could not read or parse.
var UnreadableInput = &analyzer.Rule{
	ID:       "LOAD001",
	Name:     "unreadable-input",
	Title:    "input file could not be read or parsed",
	Severity: analyzer.Error,
	Default:  true,
	Doc:      unreadableInputDoc,
	Run:      runUnreadableInput,
}

func runUnreadableInput(pass *analyzer.Pass) error {
	for _, p := range pass.Repo.Problems {
		pass.Report(analyzer.Finding{
			Pos:     p.Pos,
			Service: pass.Repo.ServiceOf(p.Pos.File),
			Message: p.Message,
			Entity:  p.Pos.File + "\x00" + p.Message,
		})
	}
	return nil
}

const unreadableInputDoc = `decouple could not read or parse this file: a malformed spec or manifest, a
file over a size or nesting limit, or a parser failure. Its contents are missing from the
analysis, so findings that depend on it may be missing too. The rest of the repository is
still analysed.

Fix: correct the syntax the message points at, or exclude the file in .decouple.yaml
(` + "`exclude: [path/to/file]`" + `) if it is not meant to be read.`
