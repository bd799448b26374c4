package api

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// UnversionedGoRoute reports HTTP routes registered in Go code whose full
// path has no major version.
var UnversionedGoRoute = &analyzer.Rule{
	ID:       "API105",
	Name:     "unversioned-go-route",
	Title:    "route registered in Go code has no major version in its path",
	Severity: analyzer.Error,
	Default:  true,
	Doc:      unversionedGoRouteDoc,
	Run:      runUnversionedGoRoute,
}

func runUnversionedGoRoute(pass *analyzer.Pass) error {
	v := pass.Settings.Versioning
	if !pathChecked(v.EffectiveStrategy()) {
		return nil
	}
	allow := NewAllowlist(v.Allowed())
	for _, r := range pass.Repo.GoRoutes {
		// a catch-all's star is no part of the path: /* is the root, /static/*
		// the static files
		if !r.Resolved || PathVersion(r.Path) != "" || allow.Allows(catchAllBase(r.Path)) || webhookPath(pass.Repo, r.Path) {
			continue
		}
		if p := pass.Repo.GoPackageByDir(path.Dir(r.Pos.File)); p != nil && p.TestOnly {
			continue // a mock server that only tests start
		}
		method := r.Method
		if method == "" {
			method = "any method"
		}
		pass.Report(analyzer.Finding{
			Pos:     r.Pos,
			Service: r.Service,
			Message: fmt.Sprintf("%s route %s (%s)%s has no major version in its path; register it under a versioned group such as /v1",
				r.Router, r.Path, method, ofService(r.Service)),
			Entity: "go-route:" + r.Method + " " + r.Path + "\x00" + r.Pos.File,
		})
	}
	return nil
}

const unversionedGoRouteDoc = `An HTTP route registered in Go code is a contract with every client that
calls it. Without a major version in its path (/v1/orders), the first breaking change to the
handler must ship together with every consumer: the services can no longer be released
independently.

decouple reads route registrations from the syntax tree, without type checking: net/http
Handle and HandleFunc (including Go 1.22 patterns such as "GET /orders/{id}"), gorilla/mux
(PathPrefix, Subrouter, Methods), chi (Route, Group, Mount, Get/Post/...), gin and echo
(Group, GET/POST/...) and fiber (Group, Route, Get/...). Prefixes are followed through groups,
sub-routers, mounts, http.StripPrefix and string constants, within a function, across its
package and into repository functions it calls. A route whose prefix cannot be worked out
statically (a router handed in from code decouple cannot see, a computed path) is not
reported; the loader counts such routes. Nor is a path prefix handed to a handler value whose
routes decouple cannot see (PathPrefix("/apis/").Handler(gateway), Handle("/proxy/", proxy)):
the handler serves the paths below it, and the version may be among them. Health, readiness and metrics endpoints, API
documentation (Swagger UI, a served spec), static files and web assets (/static/, *.js, *.css...), git's smart HTTP paths (info/refs, git-upload-pack, git-receive-pack), the root "/" (and a
root catch-all such as gin's /*path), the paths the repository's admission webhook
configurations call (clientConfig.service.path) and the paths in versioning.allow_unversioned are exempt,
and so are mock servers in packages only tests use. A route registered in a shared package
is reported for the one service whose code imports that package (the service serving it), and
for none when several do. A gRPC or Connect path carries the version
of its proto package (/acme.orders.v1.OrderService/GetOrder). Under the header, media-type and
query strategies the rule is silent.

Example:

    r := gin.Default()
    r.GET("/orders", listOrders)                // flagged
    v1 := r.Group("/v1")
    v1.GET("/orders", listOrders)               // ok

Fix: register the routes under a versioned group or prefix, or suppress one with
"// decouple:ignore API105 reason" on the line before it.`

// webhookPath reports whether a route serves a path the repository's
// admission webhook configurations call: the API server sends its
// AdmissionReview there, a contract Kubernetes versions in the body.
func webhookPath(repo *facts.Repo, p string) bool {
	_, found := slices.BinarySearch(repo.WebhookPaths, p)
	return found
}

// catchAllBase is a route's path without its catch-all: chi's trailing
// star (/static/*) or a named one (gin's /*path, httprouter's /files/*rest)
// in the last segment.
func catchAllBase(p string) string {
	i := strings.LastIndexByte(p, '/')
	if j := strings.IndexByte(p[i+1:], '*'); j >= 0 && (j == 0 || j == len(p)-i-2) {
		return p[:i+1+j]
	}
	return p
}
