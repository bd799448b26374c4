// Package api holds the API rules: contracts without a major version.
package api

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// UnversionedProtoPackage reports proto packages that are APIs but carry no
// major-version suffix.
var UnversionedProtoPackage = &analyzer.Rule{
	ID:       "API102",
	Name:     "unversioned-proto-package",
	Title:    "proto package of an API has no major-version suffix",
	Severity: analyzer.Error,
	Default:  true,
	Doc:      unversionedProtoPackageDoc,
	Run:      runUnversionedProtoPackage,
}

// protoVersion is buf's PACKAGE_VERSION_SUFFIX: v1, v1beta2, v1p1alpha,
// v2test...
var protoVersion = regexp.MustCompile(`^v([0-9]+)(alpha[0-9]*|beta[0-9]*|p[0-9]+(alpha|beta)[0-9]*|test.*)?$`)

// ProtoPackageVersioned reports whether a proto package name ends in a major
// version component (and has at least one component before it).
func ProtoPackageVersioned(pkg string) bool {
	parts := strings.Split(pkg, ".")
	if len(parts) < 2 {
		return false
	}
	m := protoVersion.FindStringSubmatch(parts[len(parts)-1])
	return m != nil && strings.TrimLeft(m[1], "0") != ""
}

func runUnversionedProtoPackage(pass *analyzer.Pass) error {
	apis := apiPackages(pass.Repo)
	// One finding per package and folder (buf keeps a package's files in
	// one), at its first file that defines a service, else its first file
	// (in path order); the package's other files are related positions.
	type key struct{ pkg, dir string }
	groups := map[key][]*facts.ProtoFile{}
	var order []key
	for _, pf := range pass.Repo.Protos {
		if pf.Vendored || strings.HasPrefix(pf.Package, "google.") || !apis[pf.Package] {
			continue
		}
		if ProtoPackageVersioned(pf.Package) || (pf.Package == "" && len(pf.Services) == 0) {
			continue
		}
		if pf.Package == "" { // files with no package are each their own
			report(pass, pf, []*facts.ProtoFile{pf})
			continue
		}
		k := key{pf.Package, path.Dir(pf.Path)}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], pf)
	}
	for _, k := range order {
		files := groups[k]
		at := files[0]
		for _, pf := range files {
			if len(pf.Services) > 0 {
				at = pf
				break
			}
		}
		report(pass, at, files)
	}
	return nil
}

// report reports the unversioned package of files at one of them; the
// service is theirs when they all have the same.
func report(pass *analyzer.Pass, at *facts.ProtoFile, files []*facts.ProtoFile) {
	svc := at.Service
	var rel []analyzer.Related
	for _, pf := range files {
		if pf.Service != svc {
			svc = ""
		}
		if pf != at {
			rel = append(rel, analyzer.Related{Pos: pf.PackagePos, Service: pf.Service, Message: "declares the same package"})
		}
	}
	pos, what := at.PackagePos, fmt.Sprintf("proto package %q", at.Package)
	fix := fmt.Sprintf("rename it to %q", suggest(at.Package))
	if at.Package == "" {
		pos, what, fix = at.Services[0].Pos, "proto file with no package", "declare a versioned package such as \"company.name.v1\""
	}
	problem := "is an API without a major version"
	if !strings.Contains(at.Package, ".") && protoVersion.MatchString(at.Package) {
		// package v1: a version with nothing it versions
		problem = "is an API whose package is only a version, with no name before it"
	}
	pass.Report(analyzer.Finding{
		Pos:     pos,
		Service: svc,
		Message: fmt.Sprintf("%s%s %s; %s", what, ofService(svc), problem, fix),
		Entity:  "proto-package:" + at.Package + "\x00" + at.Path,
		Related: rel,
	})
}

// apiPackages returns the packages that are APIs: those defining a service,
// and those imported by a file that defines a service in another package.
func apiPackages(repo *facts.Repo) map[string]bool {
	protos := repo.Protos
	apis := map[string]bool{}
	for _, pf := range protos {
		if len(pf.Services) > 0 {
			apis[pf.Package] = true
		}
	}
	for _, pf := range protos {
		if len(pf.Services) == 0 {
			continue
		}
		for _, imp := range pf.Imports {
			if dep := repo.ResolveProtoImport(pf, imp.Path); dep != nil && dep.Package != pf.Package {
				apis[dep.Package] = true
			}
		}
	}
	return apis
}

func suggest(pkg string) string {
	parts := strings.Split(pkg, ".")
	last := parts[len(parts)-1]
	if m := protoVersion.FindStringSubmatch(last); m != nil {
		if len(parts) == 1 {
			return "company." + pkg
		}
		return strings.Join(parts[:len(parts)-1], ".") + ".v1"
	}
	return pkg + ".v1"
}

func ofService(svc string) string {
	if svc == "" {
		return ""
	}
	return " of service " + svc
}

const unversionedProtoPackageDoc = `A proto package that defines a gRPC service (or whose messages a service in
another package uses) is a published contract. Without a major version in its name
(` + "`shop.orders.v1`" + `), every incompatible change has to be shipped to the server and all its
clients at once: the services can no longer be released independently.

One finding per package and folder, at its first file that defines a service; the package's other
files are listed with it.
The rule follows buf's PACKAGE_VERSION_SUFFIX: the package has at least two components and
the last is v1, v2, ... optionally followed by alpha/beta (v1beta1), a point release
(v1p1alpha) or test (v1test). v0 is not a version. Messages-only protos that no service uses,
well-known google.* packages and vendored protos are not flagged: those under vendor/ or
third_party/ (third-party/), those kept with the repository's tooling (hack/, tools/, scripts/:
another project's API a client is generated from), test fixtures (testpb/, testprotos/,
grpctesting/), design proposals' drafts (proposals/), and copies of third-party option and error protos
wherever they are kept (validate.proto, buf.validate, gogoproto, grpc-gateway's openapiv2
options, kratos' errors), known by their package or their go_package.

Example:

    package shop.orders;          // flagged
    package shop.orders.v1;       // ok

Fix: move the package to a versioned name (shop.orders.v1) and its files to a matching
directory (shop/orders/v1/). Later incompatible changes go to shop.orders.v2, served beside v1
until its clients have moved.`
