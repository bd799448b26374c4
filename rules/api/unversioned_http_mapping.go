package api

import (
	"fmt"

	"github.com/decouplehq/decouple/analyzer"
)

// UnversionedHTTPMapping reports google.api.http bindings of rpcs whose REST
// path has no major version.
var UnversionedHTTPMapping = &analyzer.Rule{
	ID:       "API104",
	Name:     "unversioned-http-mapping",
	Title:    "google.api.http mapping of an rpc has no major version in its path",
	Severity: analyzer.Error,
	Default:  true,
	Doc:      unversionedHTTPMappingDoc,
	Run:      runUnversionedHTTPMapping,
}

func runUnversionedHTTPMapping(pass *analyzer.Pass) error {
	v := pass.Settings.Versioning
	if !pathChecked(v.EffectiveStrategy()) {
		return nil
	}
	allow := NewAllowlist(v.Allowed())
	for _, pf := range pass.Repo.Protos {
		if pf.Vendored {
			continue
		}
		for _, svc := range pf.Services {
			for _, rpc := range svc.RPCs {
				for _, b := range rpc.HTTP {
					if PathVersion(b.Path) != "" || allow.Allows(b.Path) {
						continue
					}
					rpcName := svc.Name + "." + rpc.Name
					if pf.Package != "" {
						rpcName = pf.Package + "." + rpcName
					}
					note := ""
					if ProtoPackageVersioned(pf.Package) {
						note = " although its proto package is versioned"
					}
					pass.Report(analyzer.Finding{
						Pos:     b.Pos,
						Service: pf.Service,
						Message: fmt.Sprintf("HTTP mapping %s %s of rpc %s%s has no major version in its path%s; the gateway exposes it unversioned, prefix it with /v1",
							b.Method, b.Path, rpcName, ofService(pf.Service), note),
						Entity: "http-mapping:" + rpcName + "\x00" + b.Method + " " + b.Path,
					})
				}
			}
		}
	}
	return nil
}

const unversionedHTTPMappingDoc = `A google.api.http option maps an rpc to a REST path that a gateway
(grpc-gateway, Envoy transcoding, Cloud Endpoints) exposes to HTTP clients. Those clients see
the path, not the proto package: a versioned package (shop.orders.v1) behind an unversioned
path (/orders/{id}) is still an unversioned public contract, and a breaking change has to be
released to the service and all its REST consumers together.

Every binding is checked (the primary one and each additional_bindings entry) with the same
path rule as OpenAPI: a whole segment v1, v2, v1beta, v2.0. Health and metrics paths, API
documentation, static files, the root "/" and versioning.allow_unversioned globs are exempt. Under the header, media-type and query
strategies the rule is silent, since the mapping cannot show those.

Example:

    rpc GetOrder(GetOrderRequest) returns (Order) {
      option (google.api.http) = { get: "/orders/{id}" };       // flagged
    }

Fix: prefix the path with the package's major version (get: "/v1/orders/{id}"), or suppress
a binding with "// decouple:ignore API104 reason" on the line before it.`
