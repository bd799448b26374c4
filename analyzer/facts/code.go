package facts

import (
	"sync"
)

// GoModule is one go.mod file of the repository.
type GoModule struct {
	// Dir is the module's directory, "." for the repository root.
	Dir string
	// File is the go.mod path; Pos is its module line.
	File string
	Pos  Position
	// Path is the module path.
	Path      string
	GoVersion string
	Toolchain string
	// ToolchainPos is the toolchain line (zero when there is none).
	ToolchainPos Position
	// Service owns the module's directory ("" when shared).
	Service string
	Require []GoRequire
	Replace []GoReplace
	// Loader says which loader read the module's packages: "parser" or
	// "packages". Note explains a fall-back from packages to parser.
	Loader string
	Note   string
}

// GoRequire is one require directive.
type GoRequire struct {
	Path     string
	Version  string
	Indirect bool
	Pos      Position
}

// GoReplace is one replace directive of a go.mod or go.work file.
type GoReplace struct {
	Old        string
	OldVersion string // "" when the directive replaces every version
	New        string // a module path, or a file path as written
	NewVersion string // "" for a directory replacement
	// Dir is the replacement directory, repo-relative, when New is a file
	// path inside the repository ("" otherwise).
	Dir string
	// Outside is true when New is a file path that leaves the repository.
	Outside bool
	Pos     Position
}

// GoWork is one go.work file.
type GoWork struct {
	File      string
	GoVersion string
	// Use are the repo-relative module directories the workspace uses.
	Use     []GoWorkUse
	Replace []GoReplace
}

// GoWorkUse is one use directive.
type GoWorkUse struct {
	Dir     string // repo-relative; "." for the root
	Outside bool   // the directory leaves the repository
	Pos     Position
}

// GoPackage is one Go package: the buildable .go files of one directory.
type GoPackage struct {
	Dir string
	// ImportPath is the package's import path ("" when no module holds it).
	ImportPath string
	// Module is the path of the module holding the package.
	Module string
	// Name is the package name of its non-test files.
	Name string
	// Pos is the package clause of its first non-test file.
	Pos Position
	// Service owns the directory ("" when the package is shared).
	Service string
	// Serves is, for a shared package that registers routes or imports
	// another service's package, the one service whose code imports it,
	// directly or through other shared packages: in effect that service's
	// code ("" when several services or none reach it).
	Serves string
	// Files are the package's buildable .go files, test files included.
	Files []string
	// Generators are the tools named by the "Code generated ... DO NOT
	// EDIT." headers of its non-test files (e.g. "protoc-gen-go", "ent"),
	// sorted; HandWritten counts its non-test files without such a header.
	Generators  []string
	HandWritten int
	// Main is true for a package main.
	Main bool
	// TestOnly is true for a package only tests use: it has importers, and
	// each is a _test.go file or another such package (test helpers, mock
	// servers: pkg/testing).
	TestOnly bool
	// Models are its struct types with persistence tags; Structs is true
	// when its non-test files declare an exported struct type at all.
	Models  []GoStruct
	Structs bool
	Imports []GoImport
}

// GoStruct is a struct type with db, gorm, bson, sql or dynamodbav field
// tags.
type GoStruct struct {
	Name string
	Pos  Position
	// Tags are the persistence tag keys its fields use, sorted.
	Tags []string
	// Generic is true for a type with type parameters (ListResult[T]): a
	// container of records, not a record.
	Generic bool
}

// GoImport is one import spec.
type GoImport struct {
	Path string
	Pos  Position
	// Test is true when the importing file is a _test.go file.
	Test bool
	// Dir is the repo package the import resolves to ("" for a package
	// outside the repository, such as the standard library).
	Dir string
}

// CompositionRoot is a main package that belongs to no service and imports
// the packages of several services: it wires them into one binary.
type CompositionRoot struct {
	Package string // its directory
	Pos     Position
	// Services are the services it imports, sorted; Evidence holds the
	// first import of each, in the same order.
	Services []string
	Evidence []Position
}

// The kinds of code edges.
const (
	EdgeGoImport    = "go-import"    // a Go package imports another service's package
	EdgeProtoImport = "proto-import" // a .proto imports another service's .proto
	EdgeGoReplace   = "go-replace"   // a go.mod replace points into another service
	EdgeGoRequire   = "go-require"   // a go.mod requires another service's module
)

// CodeEdge is one piece of evidence that service From depends on the code
// of service To.
type CodeEdge struct {
	Kind string
	From string
	To   string
	// Target names what is depended on: an import path, a proto file or a
	// module path.
	Target string
	// Evidence is the import, directive or statement.
	Evidence Position
	// Test is true for an import made only by a _test.go file.
	Test bool
}

// GoPackageByDir returns the package in dir, or nil.
func (r *Repo) GoPackageByDir(dir string) *GoPackage {
	lo, hi := 0, len(r.GoPackages)
	for lo < hi {
		m := (lo + hi) / 2
		if r.GoPackages[m].Dir < dir {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(r.GoPackages) && r.GoPackages[lo].Dir == dir {
		return r.GoPackages[lo]
	}
	return nil
}

// ResolveProtoImport returns the repo proto an import of from names: the
// file whose path is the import path or ends with "/"+path. A file of the
// importer's own service wins, then a shared file, then the shortest path.
// It is safe to call from concurrent rules.
func (r *Repo) ResolveProtoImport(from *ProtoFile, imp string) *ProtoFile {
	var best *ProtoFile
	rank := func(p *ProtoFile) int {
		switch p.Service {
		case from.Service:
			return 0
		case "":
			return 1
		}
		return 2
	}
	for _, pf := range r.protoImports.lookup(r.Protos, imp) {
		if pf == from {
			continue
		}
		if best == nil || rank(pf) < rank(best) ||
			(rank(pf) == rank(best) && (len(pf.Path) < len(best.Path) || (len(pf.Path) == len(best.Path) && pf.Path < best.Path))) {
			best = pf
		}
	}
	return best
}

// protoImportIndex maps every import path a proto answers to (its path
// and every suffix of it after a "/") to the protos, so that resolving the
// imports of a googleapis-sized tree is linear rather than quadratic. It is
// built on first use and rebuilt when Protos changes length.
type protoImportIndex struct {
	mu     sync.Mutex
	of     []*ProtoFile
	byPath map[string][]*ProtoFile
}

func (x *protoImportIndex) lookup(protos []*ProtoFile, imp string) []*ProtoFile {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.byPath == nil || len(x.of) != len(protos) || (len(protos) > 0 && &x.of[0] != &protos[0]) {
		x.of = protos
		x.byPath = make(map[string][]*ProtoFile, 4*len(protos))
		for _, pf := range protos {
			p := pf.Path
			x.byPath[p] = append(x.byPath[p], pf)
			for i := range len(p) {
				if p[i] == '/' && i+1 < len(p) {
					x.byPath[p[i+1:]] = append(x.byPath[p[i+1:]], pf)
				}
			}
		}
	}
	return x.byPath[imp]
}
