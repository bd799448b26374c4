package api

import (
	"fmt"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// UnversionedOpenAPI reports OpenAPI operations that carry no major version.
var UnversionedOpenAPI = &analyzer.Rule{
	ID:       "API101",
	Name:     "unversioned-openapi",
	Title:    "operation of an OpenAPI spec has no major version in its path or server URL",
	Severity: analyzer.Error,
	Default:  true,
	Doc:      unversionedOpenAPIDoc,
	Run:      runUnversionedOpenAPI,
}

func runUnversionedOpenAPI(pass *analyzer.Pass) error {
	v := pass.Settings.Versioning
	strategy, allow := v.EffectiveStrategy(), NewAllowlist(v.Allowed())
	for _, spec := range pass.Repo.OpenAPI {
		if !spec.Loaded {
			continue
		}
		var checked, missing []facts.APIOperation
		for _, op := range spec.Operations {
			if allow.Allows(op.Path, FullPath(EffectivePrefixes(spec, op)[0], op.Path)) {
				continue
			}
			checked = append(checked, op)
			if !OperationMechanisms(spec, op).By(strategy) {
				missing = append(missing, op)
			}
		}
		switch {
		case len(missing) == 0:
		case len(missing) == len(checked):
			first := missing[0]
			pass.Report(analyzer.Finding{
				Pos:     first.PathPos,
				Service: spec.Service,
				Message: fmt.Sprintf("OpenAPI spec %s%s versions none of its %s: %s (first: %s %s)%s",
					spec.Path, ofService(spec.Service), plural(len(missing), "operation"), expectation(strategy), first.Method, first.Path, pathFix(strategy)),
				Entity: "openapi-spec:" + spec.Path,
			})
		default:
			for _, op := range missing {
				pass.Report(analyzer.Finding{
					Pos:     op.Pos,
					Service: spec.Service,
					Message: fmt.Sprintf("operation %s %s in %s%s has %s, while %s of the spec's operations are versioned%s",
						op.Method, op.Path, spec.Path, ofService(spec.Service), expectation(strategy),
						plural(len(checked)-len(missing), ""), otherMechanism(spec, op, strategy)),
					Entity: "openapi-op:" + spec.Path + "\x00" + op.Method + " " + op.Path,
				})
			}
		}
	}
	return nil
}

// otherMechanism notes when an operation is versioned, but not the way the
// configured strategy wants.
func otherMechanism(spec *facts.OpenAPISpec, op facts.APIOperation, strategy string) string {
	if m := OperationMechanisms(spec, op); strategy != analyzer.StrategyAny && m.Any() {
		return fmt.Sprintf(" (it is versioned by %s instead)", m.Primary())
	}
	return ""
}

// plural renders "1 operation" or "3 operations"; with an empty noun just
// the number.
func plural(n int, noun string) string {
	if noun == "" {
		return fmt.Sprint(n)
	}
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, strings.TrimSuffix(noun, "s"))
}

const unversionedOpenAPIDoc = `An OpenAPI operation whose URL carries no major version (no /v1 segment in the
server URL, Swagger basePath or path) can only ever change compatibly. The first breaking
change forces the service and every consumer to be released together: the contract has no
room for a v2 to live beside v1.

An operation counts as versioned when its effective URL (server URL with variables replaced
by their defaults, or basePath, then the path) has a whole segment v1, v2, v1beta, v2alpha1
or v2.0 (dev2 or v1x are not versions). Under the versioning strategy ` + "`any`" + ` (the
default), a version header parameter (API-Version, Accept-Version, X-API-Version), a
versioned vendor media type (application/vnd.acme.v2+json) or a required api-version query
parameter also count; the ` + "`path`, `header`, `media-type` and `query`" + ` strategies count
only their own mechanism. Health, readiness and metrics endpoints, API documentation
(Swagger UI, a served spec), static files, Kubernetes' API discovery (/apis, /apis/<group>),
the root "/", and the paths listed in ` + "`versioning.allow_unversioned`" + `, are exempt.

A spec none of whose operations is versioned gets one finding, on its first path; a spec
that versions some operations gets one finding per operation it does not.

Example:

    servers: [{url: https://api.acme.com}]
    paths:
      /orders: {get: ...}          # flagged

Fix: put the major version in the server URL (https://api.acme.com/v1) or the paths
(/v1/orders), and serve v2 beside v1 when a breaking change comes. An operation that must
stay unversioned can carry x-decouple-ignore: [{rule: API101, reason: "..."}].`
