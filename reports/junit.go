package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
)

// JUnit XML as Jenkins, GitLab (artifacts:reports:junit) and Azure DevOps
// read it, shaped as a check matrix: one testsuite per enabled rule, one
// testcase per rule and service, failing when the rule found something in
// that service. Info findings pass and go to system-out; a rule that broke is
// an error.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	SystemOut *junitCDATA   `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitCDATA struct {
	Text string `xml:",cdata"`
}

// The testcase names for findings outside every service, and for a rule
// when the repository has no service at all.
const (
	junitNoService  = "(no service)"
	junitRepository = "(repository)"
)

func writeJUnit(w io.Writer, r *Report, _ Options) error {
	doc := junitSuites{Name: "decouple"}
	failed := map[string]string{}
	for _, fl := range r.Failures {
		failed[fl.RuleID] = fl.Message
	}
	for _, m := range r.Rules {
		_, broke := failed[m.ID]
		if !m.Enabled && !broke {
			continue
		}
		doc.add(junitRuleSuite(r, m.ID, m.Name, failed))
		delete(failed, m.ID)
	}
	for _, fl := range r.Failures { // rules that broke but are not in the catalogue
		if _, left := failed[fl.RuleID]; left {
			doc.add(junitRuleSuite(r, fl.RuleID, "", failed))
			delete(failed, fl.RuleID)
		}
	}
	if len(r.Incomplete) > 0 {
		s := junitSuite{Name: "analysis"}
		s.Cases = []junitCase{{Name: "complete", Classname: "decouple.analysis",
			Error: &junitProblem{Message: "analysis incomplete", Type: "incomplete", Text: scrub(strings.Join(r.Incomplete, "\n"))}}}
		s.count()
		doc.add(s)
	}
	return writeXML(w, doc)
}

func (d *junitSuites) add(s junitSuite) {
	d.Suites = append(d.Suites, s)
	d.Tests += s.Tests
	d.Failures += s.Failures
	d.Errors += s.Errors
}

func (s *junitSuite) count() {
	s.Tests = len(s.Cases)
	for _, c := range s.Cases {
		if c.Failure != nil {
			s.Failures++
		}
		if c.Error != nil {
			s.Errors++
		}
	}
}

func junitRuleSuite(r *Report, id, name string, failed map[string]string) junitSuite {
	s := junitSuite{Name: strings.TrimSpace(id + " " + name)}
	var names []string
	for _, svc := range r.Services {
		names = append(names, svc.Name)
	}
	known := make(map[string]bool, len(names))
	for _, n := range names {
		known[n] = true
	}
	// Each finding is written once, then listed under every service it
	// names.
	byService := map[string][]junitLine{}
	for _, f := range r.Findings {
		if f.RuleID != id {
			continue
		}
		line := junitLine{severity: f.Severity,
			text: fmt.Sprintf("%s: %s: %s (%s)", location(f.Pos.File, f.Pos.Line, f.Pos.Col), f.Severity, withRelated(f), ruleLabel(f))}
		if len(f.Services) == 0 {
			byService[junitNoService] = append(byService[junitNoService], line)
		}
		for _, svc := range f.Services {
			if !known[svc] { // named by a finding, not discovered
				known[svc] = true
				names = append(names, svc)
			}
			byService[svc] = append(byService[svc], line)
		}
	}
	if len(byService[junitNoService]) > 0 {
		names = append(names, junitNoService)
	}
	if len(names) == 0 {
		names = []string{junitRepository}
	}
	for _, svc := range names {
		c := junitCase{Name: scrub(svc), Classname: "decouple." + id}
		var fails, infos []string
		worst := analyzer.Severity(0)
		for _, line := range byService[svc] {
			if line.severity <= analyzer.Info {
				infos = append(infos, line.text)
				continue
			}
			fails = append(fails, line.text)
			worst = max(worst, line.severity)
		}
		if len(fails) > 0 {
			c.Failure = &junitProblem{Message: fmt.Sprintf("%d %s", len(fails), pluralWord(len(fails), "finding")),
				Type: worst.String(), Text: strings.Join(fails, "\n")}
		}
		if len(infos) > 0 {
			c.SystemOut = &junitCDATA{Text: strings.Join(infos, "\n")}
		}
		if msg, broke := failed[id]; broke {
			c.Error = &junitProblem{Message: "rule " + id + " failed", Type: "rule-failure", Text: scrub(msg)}
		}
		s.Cases = append(s.Cases, c)
	}
	s.count()
	return s
}

// junitLine is a finding as a testcase lists it.
type junitLine struct {
	severity analyzer.Severity
	text     string
}
