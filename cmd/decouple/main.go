// Command decouple reports how close a multi-service repository is to a
// distributed monolith: unversioned APIs, shared databases, cross-service
// imports and lockstep deploys.
//
// Exit codes:
//
//	0  no finding at or above --fail-on
//	1  findings at or above --fail-on
//	2  usage or config error
//	3  analysis failure (a rule broke, a deadline hit)
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}
