package reports

import (
	"encoding/xml"
	"io"

	"github.com/decouplehq/decouple/analyzer"
)

// Checkstyle XML as Jenkins warnings-ng and reviewdog read it: one <file>
// per file, in the findings' order (which is by file), one <error> per
// finding, the rule ID in source.
type checkstyleXML struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

func writeCheckstyle(w io.Writer, r *Report, _ Options) error {
	doc := checkstyleXML{Version: "5.0"}
	for _, f := range r.Findings {
		name := scrub(f.Pos.File)
		if n := len(doc.Files); n == 0 || doc.Files[n-1].Name != name {
			doc.Files = append(doc.Files, checkstyleFile{Name: name})
		}
		last := &doc.Files[len(doc.Files)-1]
		last.Errors = append(last.Errors, checkstyleError{
			Line: lineOrOne(f.Pos.Line), Column: f.Pos.Col, Severity: checkstyleSeverity(f.Severity),
			Message: withRelated(f) + " (" + ruleLabel(f) + ")", Source: f.RuleID,
		})
	}
	return writeXML(w, doc)
}

func checkstyleSeverity(s analyzer.Severity) string {
	switch s {
	case analyzer.Error:
		return "error"
	case analyzer.Warning:
		return "warning"
	}
	return "info"
}

// writeXML writes the declaration, the indented document and a newline.
// encoding/xml escapes text and attributes (including CR, LF and tab) and
// replaces characters XML cannot hold.
func writeXML(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
