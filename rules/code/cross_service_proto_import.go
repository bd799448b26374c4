package code

import (
	"fmt"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// CrossServiceProtoImport reports a service's proto that imports another
// service's proto or uses its message types.
var CrossServiceProtoImport = &analyzer.Rule{
	ID:       "CODE103",
	Name:     "cross-service-proto-import",
	Title:    "proto of one service imports or uses the messages of another service",
	Severity: analyzer.Warning,
	Default:  true,
	Doc:      crossServiceProtoImportDoc,
	Run:      runCrossServiceProtoImport,
}

func runCrossServiceProtoImport(pass *analyzer.Pass) error {
	repo := pass.Repo
	for _, pf := range repo.Protos {
		if pf.Service == "" || pf.Vendored {
			continue
		}
		for _, imp := range pf.Imports {
			dep := repo.ResolveProtoImport(pf, imp.Path)
			if dep == nil || dep.Service == "" || dep.Service == pf.Service || commonProto(pass.Settings, dep) {
				continue
			}
			pass.Report(analyzer.Finding{
				Pos: imp.Pos, Service: pf.Service,
				Message: fmt.Sprintf("proto of service %s imports %q of service %s; its API now changes whenever %s's does — define the messages %s needs in its own package",
					pf.Service, imp.Path, dep.Service, dep.Service, pf.Service),
				Related: []analyzer.Related{{Pos: protoDecl(dep), Service: dep.Service, Message: "proto of service " + dep.Service}},
				Entity:  "proto-import:" + pf.Path + "\x00" + dep.Path,
			})
		}
		for _, s := range pf.Services {
			for _, rpc := range s.RPCs {
				for _, typ := range []string{rpc.RequestType, rpc.ResponseType} {
					dep, msg := foreignType(repo, pf, typ)
					if dep == nil || commonProto(pass.Settings, dep) {
						continue
					}
					pass.Report(analyzer.Finding{
						Pos: rpc.Pos, Service: pf.Service,
						Message: fmt.Sprintf("rpc %s.%s of service %s uses message %s of service %s in its signature; give the rpc its own request and response messages",
							s.Name, rpc.Name, pf.Service, typ, dep.Service),
						Related: []analyzer.Related{{Pos: msg.Pos, Service: dep.Service, Message: "message " + msg.Name + " of service " + dep.Service}},
						Entity:  "proto-type:" + pf.Path + "\x00" + s.Name + "." + rpc.Name + "\x00" + typ,
					})
				}
			}
		}
	}
	return nil
}

func protoDecl(pf *facts.ProtoFile) facts.Position {
	if pf.PackagePos.IsValid() {
		return pf.PackagePos
	}
	return facts.Position{File: pf.Path, Line: 1}
}

// foreignType resolves a message type named in pf (relative to pf's
// package scope, as protoc does) to a message of another service's proto.
func foreignType(repo *facts.Repo, pf *facts.ProtoFile, typ string) (*facts.ProtoFile, *facts.ProtoMessage) {
	t := strings.TrimPrefix(typ, ".")
	i := strings.LastIndex(t, ".")
	if i < 0 {
		return nil, nil // unqualified: a message of pf's own package
	}
	qual, name := t[:i], t[i+1:]
	scope := strings.Split(pf.Package, ".")
	if strings.HasPrefix(typ, ".") || pf.Package == "" {
		scope = nil
	}
	for n := len(scope); n >= 0; n-- {
		pkg := strings.Trim(strings.Join(scope[:n], ".")+"."+qual, ".")
		for _, other := range repo.Protos {
			if other.Package != pkg {
				continue
			}
			for k := range other.Messages {
				if other.Messages[k].Name != name {
					continue
				}
				if other.Service == "" || other.Service == pf.Service {
					return nil, nil
				}
				return other, &other.Messages[k]
			}
		}
	}
	return nil, nil
}

// commonProto reports whether a proto holds common types any service may
// use: well-known and vendored protos, files under a common/ or types/
// directory or in such a package, and the configured common_protos.
func commonProto(set *analyzer.Settings, pf *facts.ProtoFile) bool {
	if pf.Vendored || strings.HasPrefix(pf.Package, "google.") || analyzer.MatchGlobs(set.Code.CommonProtos, pf.Path) {
		return true
	}
	for _, seg := range append(strings.Split(pf.Path, "/"), strings.Split(pf.Package, ".")...) {
		if seg == "common" || seg == "types" {
			return true
		}
	}
	return false
}

const crossServiceProtoImportDoc = `A .proto owned by service A that imports a .proto owned by service B, or
uses B's messages as an rpc request or response, ties A's published API to B's: every change B
makes to those messages changes A's wire contract too, so A's clients must be regenerated and
redeployed with every release of B. This is api-linter's AIP-215 "foreign type" rule, applied
across service boundaries.

Common type protos are exempt: google/* and other vendored protos, files under a common/ or types/
directory or in a package with such a component, and the globs in ` + "`common_protos:`" + ` of
.decouple.yaml.

Example:

    // services/orders/proto/orders/v1/orders.proto
    import "billing/v1/invoice.proto";                         // flagged
    rpc Pay(billing.v1.Invoice) returns (PayResponse);          // flagged

Fix: define the messages A's API needs in A's own package (copy the few fields it uses), or
move truly shared value types (Money, Address) into a common types package.`
