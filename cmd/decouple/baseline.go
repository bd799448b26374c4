package main

import (
	"os"

	"github.com/decouplehq/decouple/reports"
)

// compareBaseline reads the previous JSON report named by --baseline, if
// any, and compares the report with it: score delta, new and fixed findings.
func compareBaseline(s *session, path string) error {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return usageErr("--baseline: %v", err)
	}
	defer f.Close()
	b, err := reports.ReadBaseline(f)
	if err != nil {
		return usageErr("--baseline %s: %v", path, err)
	}
	s.report.Baseline = b
	s.report.Prepare()
	return nil
}
