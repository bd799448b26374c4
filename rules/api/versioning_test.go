package api_test

import (
	"testing"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
	"github.com/decouplehq/decouple/rules/api"
	"github.com/decouplehq/decouple/rules/ruletest"
)

func TestUnversionedOpenAPI(t *testing.T)     { ruletest.Run(t, api.UnversionedOpenAPI) }
func TestInconsistentVersioning(t *testing.T) { ruletest.Run(t, api.InconsistentVersioning) }
func TestUnversionedHTTPMapping(t *testing.T) { ruletest.Run(t, api.UnversionedHTTPMapping) }
func TestUnversionedGoRoute(t *testing.T)     { ruletest.Run(t, api.UnversionedGoRoute) }

func TestPathVersion(t *testing.T) {
	for p, want := range map[string]string{
		"/v1/orders": "v1", "/api/v2.0/orders": "v2", "/api/v1beta/x": "v1", "/v3alpha2": "v3",
		"/v10/x": "v10", "/{version}/orders": "{version}", "/{apiVersion}/x": "{version}",
		"/dev2/orders": "", "/avatars/v1x": "", "/orders": "", "/V1/orders": "", "/v/orders": "",
		"/version1": "", "/v1.2.3": "", "": "", "/api/v1-internal": "", "/v2*": "v2", "/api/v1/*": "v1", "/v*": "",
		"/acme.orders.v1.OrderService/GetOrder": "v1", "/grpc.health.v1.Health/Check": "v1", "/acme.orders.OrderService/Get": "",
		"/acme.v2beta1.Orders/": "v2", "/files/report.v1.pdf": "", "/a.v1/x": "",
	} {
		if got := api.PathVersion(p); got != want {
			t.Errorf("PathVersion(%q) = %q, want %q", p, got, want)
		}
	}
}

func TestServerPath(t *testing.T) {
	for _, c := range []struct {
		s    facts.APIServer
		want string
	}{
		{facts.APIServer{URL: "https://api.acme.com/v1"}, "/v1"},
		{facts.APIServer{URL: "https://api.acme.com"}, ""},
		{facts.APIServer{URL: "/v2"}, "/v2"},
		{facts.APIServer{URL: "v2/api"}, "v2/api"},
		{facts.APIServer{URL: "https://{host}/{base}", Variables: []facts.ServerVariable{{Name: "host", Default: "x.io"}, {Name: "base", Default: "api/v3"}}}, "/api/v3"},
		{facts.APIServer{URL: "http://localhost:8080/api?x=1"}, "/api"},
	} {
		if got := api.ServerPath(c.s); got != c.want {
			t.Errorf("ServerPath(%q) = %q, want %q", c.s.URL, got, c.want)
		}
	}
}

func TestAllowlist(t *testing.T) {
	a := api.NewAllowlist(analyzer.Versioning{AllowUnversioned: []string{"/internal/**", "webhooks/*"}}.Allowed())
	for p, want := range map[string]bool{
		"/healthz": true, "/api/healthz": true, "/health/live": true, "/metrics": true, "/readyz/": true,
		"/internal/a/b": true, "/webhooks/stripe": true, "/webhooks/stripe/x": false,
		"/orders": false, "/healthzz": false, "/metrics/orders": false, "/api/orders/health-report": false,
		// The root, API documentation and static files.
		"/": true, "/api/chat/swagger/*any": true, "/swagger-ui/index.html": true, "/openapi.json": true,
		"/v2/api-docs": true, "/static/*": true, "/favicon.ico": true,
		"/_healthcheck": true, "/_health": true, "/health-check": true, "/_ready": true, "/_metrics": true,
		"/healthy": true, "/alive": true, "/debug": true, "/version": true, "/robots.txt": true, "/api/version": true, "/versions": false,
		"/live": true, "/debug/vars": true, "/debug/serviceweaver/prometheus": true, "/lively": false, "/api/debugger": false,
		"/readiness-healthz": true, "/router-health": true, "/healthz-report": false,
		"/apis/": true, "/apis/cluster.karmada.io/": true, "/apis/cluster.karmada.io/v1alpha1/clusters": false, "/apis/orders/list": false,
		"/{repo}/info/refs": true, "/git/:repo/git-upload-pack": true, "/x/git-receive-pack": true, "/info": false,
		"/api/": false, "/docs": false, "/swaggerx": false, "/staticfiles": false, "/orders/static": false,
	} {
		if got := a.Allows(p); got != want {
			t.Errorf("Allows(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestOperationMechanisms(t *testing.T) {
	spec := &facts.OpenAPISpec{Servers: []facts.APIServer{{URL: "https://a.io/api"}}}
	for name, c := range map[string]struct {
		op   facts.APIOperation
		want string
	}{
		"path":         {facts.APIOperation{Path: "/v1/x"}, "path"},
		"header":       {facts.APIOperation{Path: "/x", Parameters: []facts.APIParameter{{Name: "X-Acme-Api-Version", In: "header"}}}, "header"},
		"not a header": {facts.APIOperation{Path: "/x", Parameters: []facts.APIParameter{{Name: "X-Client-Version-Hash", In: "header"}}}, ""},
		"media":        {facts.APIOperation{Path: "/x", ResponseMediaTypes: []string{"application/vnd.github.v3+json"}}, "media-type"},
		"plain media":  {facts.APIOperation{Path: "/x", ResponseMediaTypes: []string{"application/vnd.v1ew+json", "application/json"}}, ""},
		"query":        {facts.APIOperation{Path: "/x", Parameters: []facts.APIParameter{{Name: "api-version", In: "query", Required: true}}}, "query"},
		"opt query":    {facts.APIOperation{Path: "/x", Parameters: []facts.APIParameter{{Name: "api-version", In: "query"}}}, ""},
	} {
		if got := api.OperationMechanisms(spec, c.op).Primary(); got != c.want {
			t.Errorf("%s: mechanism %q, want %q", name, got, c.want)
		}
	}
}
