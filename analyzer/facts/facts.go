// Package facts is decouple's model of a repository: plain observations with
// positions, and nothing else. It holds no judgement (that is what rules are
// for) and no third-party types; it imports only the standard library.
//
// Every path in this package is repo-relative and slash-separated.
package facts

import (
	"slices"
	"sort"
	"strings"
)

// Position is a place in a repository file.
type Position struct {
	File string // repo-relative, slash-separated
	Line int    // 1-based; 0 when unknown
	Col  int    // 1-based; 0 when unknown
}

// IsValid reports whether the position names a file.
func (p Position) IsValid() bool { return p.File != "" }

// Less orders positions by file, then line, then column.
func (p Position) Less(q Position) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// Repo is everything the loader observed in one repository.
type Repo struct {
	// Root is the directory the repository was read from. It is never written
	// to any output: every other path is relative to it.
	Root string

	Services []*Service
	Files    []*File

	// FilesSeen counts every regular file and every other entry the walker met;
	// it always equals len(Files) + len(Skipped).
	FilesSeen int
	Skipped   []Skipped

	// Problems are inputs the loader could not read; they surface as LOAD
	// findings.
	Problems []Problem
	// Incomplete says why the load stopped short (a deadline, an abandoned
	// parser); empty when everything was read.
	Incomplete []string

	// Suppressions are the decouple:ignore directives found in comments.
	Suppressions []Suppression

	Protos []*ProtoFile

	// Workloads are compose services and Kubernetes workloads.
	Workloads []*Workload

	// Go code: modules, workspaces, packages (sorted by directory), the
	// composition roots, and the cross-service code edges (code.go).
	GoModules        []*GoModule
	GoWorks          []*GoWork
	GoPackages       []*GoPackage
	CompositionRoots []*CompositionRoot
	CodeEdges        []CodeEdge
	// OpenAPI are the OpenAPI and Swagger documents; GoRoutes the HTTP routes
	// registered in Go code, of which UnresolvedGoRoutes could not be worked
	// out statically.
	OpenAPI            []*OpenAPISpec
	GoRoutes           []*GoRoute
	UnresolvedGoRoutes int
	// WebhookPaths are the paths the repository's admission webhook
	// configurations send their reviews to (clientConfig.service.path),
	// sorted: Kubernetes defines what goes over them, and versions it.
	WebhookPaths []string
	// KubeServices are the Kubernetes Services, for host name resolution.
	KubeServices []*KubeService

	// Datastore facts: references, the logical databases they lead to
	// (graph nodes), service→datastore edges, tables, migration folders.
	DatastoreRefs  []*DatastoreRef
	Datastores     []*Datastore
	DatastoreEdges []*DatastoreEdge
	Tables         []*TableRef
	Migrations     []*MigrationDir

	// History is the git history window; Deploy the CI, image-tag,
	// bundling and start-up observations (deploy.go).
	History History
	Deploy  Deploy

	// protoImports indexes Protos by import path (ResolveProtoImport).
	protoImports protoImportIndex
}

// Service is one deployable unit of the repository.
type Service struct {
	Name string
	// Root is the service's main directory ("" when the service is known only
	// from a deploy manifest).
	Root string
	// Dirs are every directory owned by the service, Root first.
	Dirs []string
	// Decl is the file that declares the service (its go.mod, compose entry,
	// Deployment, Dockerfile, or config entry).
	Decl Position
	// DiscoveredBy explains, one entry per piece of evidence, why the service
	// exists, e.g. "go.mod services/orders/go.mod".
	DiscoveredBy []string
	// Aliases are the other names deploy files give it (the compose service
	// da-server of cmd/daserver), sorted.
	Aliases []string
}

// File is one file the loader read.
type File struct {
	Path    string
	Service string // "" when the file belongs to no service (shared)
	Kind    string // proto, openapi, go, yaml, ... ("" for files nobody parses)
}

// Skipped is a file the walker saw but did not analyze.
type Skipped struct {
	File   string
	Reason string
}

// Problem is an input that could not be read or parsed.
type Problem struct {
	Pos     Position
	Message string
}

// Suppression is one decouple:ignore directive.
type Suppression struct {
	Pos    Position
	Rule   string // the ID, name or area given
	Reason string
	// Lines are the lines it covers in Pos.File: its own and the next one.
	Lines [2]int
}

// ServiceByName returns the named service, or nil.
func (r *Repo) ServiceByName(name string) *Service {
	for _, s := range r.Services {
		if s.Name == name {
			return s
		}
	}
	for _, s := range r.Services {
		if slices.Contains(s.Aliases, name) {
			return s
		}
	}
	return nil
}

// ServiceOf returns the name of the service owning the repo-relative path,
// or "" when the path is shared. The deepest owning directory wins.
func (r *Repo) ServiceOf(p string) string {
	best, bestLen := "", -1
	for _, s := range r.Services {
		for _, d := range s.Dirs {
			if d == "" {
				continue
			}
			if len(d) > bestLen && strings.HasPrefix(p, d) && (len(p) == len(d) || p[len(d)] == '/') {
				best, bestLen = s.Name, len(d)
			}
		}
	}
	return best
}

// SortedServiceNames returns the names of all services in order.
func (r *Repo) SortedServiceNames() []string {
	names := make([]string, 0, len(r.Services))
	for _, s := range r.Services {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	return names
}

// ServiceIndex answers ServiceOf for many paths in time proportional to the
// depth of each path instead of the number of services. Build it once the
// services are final; it does not see later changes to them.
type ServiceIndex struct {
	byDir  map[string]string   // owned directory → service, the first service wins
	byName map[string]*Service // the first service of each name
}

// NewServiceIndex indexes the directories and the names of the
// repository's services.
func (r *Repo) NewServiceIndex() *ServiceIndex {
	idx := &ServiceIndex{byDir: map[string]string{}, byName: make(map[string]*Service, len(r.Services))}
	for _, s := range r.Services {
		if _, taken := idx.byName[s.Name]; !taken {
			idx.byName[s.Name] = s
		}
		for _, d := range s.Dirs {
			if _, taken := idx.byDir[d]; d != "" && !taken {
				idx.byDir[d] = s.Name
			}
		}
	}
	for _, s := range r.Services {
		for _, a := range s.Aliases {
			if _, taken := idx.byName[a]; !taken {
				idx.byName[a] = s
			}
		}
	}
	return idx
}

// ServiceByName returns what Repo.ServiceByName returns for name.
func (x *ServiceIndex) ServiceByName(name string) *Service { return x.byName[name] }

// ServiceOf returns what Repo.ServiceOf returns for p: the service owning
// the deepest directory that is p or one of its parents, or "".
func (x *ServiceIndex) ServiceOf(p string) string {
	for {
		if s, ok := x.byDir[p]; ok {
			return s
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return ""
		}
		p = p[:i]
	}
}
