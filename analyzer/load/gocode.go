package load

import (
	"context"
	"go/parser"
	"go/token"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// The Go loaders: GoLoaderParser (the default) reads import blocks with
// go/parser and runs nothing; GoLoaderPackages asks the go command, through
// golang.org/x/tools/go/packages, which files make up each package.
const (
	GoLoaderParser   = "parser"
	GoLoaderPackages = "packages"
)

// parseGoFiles reads the modules, the workspaces and every Go file (its
// package clause and imports); parseGo builds the rest once the services
// are known.
func (l *loader) parseGoFiles(ctx context.Context) {
	defer l.stats.parser("go", time.Now())
	var goIns, all []*input
	for _, in := range l.inputs {
		switch in.kind {
		case kindGo:
			all = append(all, in)
			if goDirBuildable(path.Dir(in.path)) {
				goIns = append(goIns, in)
			}
		case kindGoMod:
			l.guard(in.path, func() {
				if m := l.parseGoMod(in); m != nil {
					l.repo.GoModules = append(l.repo.GoModules, m)
				}
			})
		case kindGoWork:
			l.guard(in.path, func() {
				if w := l.parseGoWork(in); w != nil {
					l.repo.GoWorks = append(l.repo.GoWorks, w)
				}
			})
		}
	}
	files := make([]*codeFile, len(goIns))
	l.each(ctx, len(goIns), func(i int) {
		l.guard(goIns[i].path, func() { files[i] = l.parseGoFile(goIns[i]) })
	})
	names := make([]string, len(all))
	l.each(ctx, len(all), func(i int) { names[i] = packageClause(all[i]) })
	l.goPkgs = make(map[*input]string, len(all))
	for i, in := range all {
		l.goPkgs[in] = names[i]
	}
	l.codeFiles = files
}

// packageClause returns the package name a Go file declares, or "".
func packageClause(in *input) string {
	f, err := parser.ParseFile(token.NewFileSet(), in.path, in.data, parser.PackageClauseOnly)
	if err != nil || f.Name == nil {
		return ""
	}
	return f.Name.Name
}

// parseGo builds the Go facts: modules, workspaces, packages and their
// imports resolved to repository packages, and composition roots.
func (l *loader) parseGo(ctx context.Context) {
	if l.codeFiles == nil {
		l.parseGoFiles(ctx)
	}
	defer l.stats.parser("go-packages", time.Now())
	files := l.codeFiles
	l.codeFiles = nil
	groups := map[string][]*codeFile{}
	for _, f := range files {
		if f != nil && !f.never {
			groups[f.dir] = append(groups[f.dir], f)
		}
	}
	mods := newModIndex(l.repo.GoModules, l.repo.GoWorks)
	for _, m := range l.repo.GoModules {
		m.Loader = GoLoaderParser
	}
	var listed map[string]*listedPkg
	if l.opts.GoLoader == GoLoaderPackages {
		listed = l.listPackages(ctx, mods, files)
	}
	l.repo.GoPackages = buildPackages(groups, listed, mods)
	l.resolveImports(mods, listed)
	markTestOnly(l.repo.GoPackages)
	l.compositionRoots()
}

// markTestOnly marks the packages only tests use: each has importers, and
// every one is a _test.go file or another such package. The set is the
// largest that holds, found by dropping every package a production file
// outside the set imports until none is left to drop: the same whatever the
// order.
func markTestOnly(pkgs []*facts.GoPackage) {
	type use struct {
		from *facts.GoPackage
		test bool
	}
	users := map[string][]use{}
	for _, p := range pkgs {
		for _, imp := range p.Imports {
			if imp.Dir != "" && imp.Dir != p.Dir {
				users[imp.Dir] = append(users[imp.Dir], use{p, imp.Test})
			}
		}
	}
	set := map[*facts.GoPackage]bool{}
	for _, p := range pkgs {
		if !p.Main && len(users[p.Dir]) > 0 {
			set[p] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, p := range pkgs {
			if !set[p] {
				continue
			}
			for _, u := range users[p.Dir] {
				if !u.test && !set[u.from] {
					delete(set, p)
					changed = true
					break
				}
			}
		}
	}
	for p := range set {
		p.TestOnly = true
	}
}

// goDirBuildable reports whether the go command would consider packages in
// dir: it ignores testdata directories and those starting with "." or "_".
func goDirBuildable(dir string) bool {
	if dir == "." {
		return true
	}
	for _, seg := range strings.Split(dir, "/") {
		if seg == "testdata" || strings.HasPrefix(seg, ".") || strings.HasPrefix(seg, "_") {
			return false
		}
	}
	return true
}

// buildPackages turns the files of each directory into a package. Where the
// go command listed a package, its file list and names are used.
func buildPackages(groups map[string][]*codeFile, listed map[string]*listedPkg, mods *modIndex) []*facts.GoPackage {
	var out []*facts.GoPackage
	for dir, fs := range groups {
		lp := listed[dir]
		if lp != nil {
			fs = lp.keep(fs)
			if len(fs) == 0 {
				continue
			}
		}
		sort.Slice(fs, func(i, j int) bool { return fs[i].in.path < fs[j].in.path })
		n := 0
		for _, f := range fs {
			n += len(f.imports)
		}
		p := &facts.GoPackage{Dir: dir, Files: make([]string, 0, len(fs)), Imports: make([]facts.GoImport, 0, n)}
		names := map[string]int{}
		gens := map[string]bool{}
		for _, f := range fs {
			p.Files = append(p.Files, f.in.path)
			p.Imports = append(p.Imports, f.imports...)
			if f.test {
				continue
			}
			names[f.pkg]++
			if !p.Pos.IsValid() {
				p.Pos = f.pkgPos
			}
			if f.generator != "" {
				gens[f.generator] = true
			} else {
				p.HandWritten++
			}
			p.Models = append(p.Models, f.models...)
			p.Structs = p.Structs || f.structs
		}
		p.Name = mostCommon(names)
		if p.Name == "" { // only test files
			p.Name = strings.TrimSuffix(fs[0].pkg, "_test")
			p.Pos = fs[0].pkgPos
		}
		p.Main = p.Name == "main"
		p.Generators = slices.Sorted(maps.Keys(gens))
		if m := mods.moduleOf(dir); m != nil {
			p.Module = m.Path
			p.ImportPath = importPathIn(m, dir)
		}
		if lp != nil {
			p.ImportPath, p.Module = lp.importPath, lp.module
			if lp.name != "" {
				p.Name, p.Main = lp.name, lp.name == "main"
			}
		}
		// Imports and models are in position order already: files in path
		// order, each in source order.
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out
}

func mostCommon(counts map[string]int) string {
	best, n := "", 0
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		if counts[k] > n {
			best, n = k, counts[k]
		}
	}
	return best
}

// importPathIn returns the import path of the package in dir of module m.
func importPathIn(m *facts.GoModule, dir string) string {
	if m.Path == "" {
		return ""
	}
	switch {
	case dir == m.Dir:
		return m.Path
	case m.Dir == ".":
		return m.Path + "/" + dir
	}
	return m.Path + "/" + strings.TrimPrefix(dir, m.Dir+"/")
}

// resolveImports attributes every package to its service and points every
// import at the repository package it names, if any.
func (l *loader) resolveImports(mods *modIndex, listed map[string]*listedPkg) {
	dirs := make(map[string]bool, len(l.repo.GoPackages))
	byPath := map[string]string{}
	for _, p := range l.repo.GoPackages {
		dirs[p.Dir] = true
		if p.ImportPath != "" {
			if _, dup := byPath[p.ImportPath]; !dup {
				byPath[p.ImportPath] = p.Dir
			}
		}
	}
	r := &resolver{mods: mods, dirs: dirs, cache: map[*facts.GoModule]map[string]string{}}
	svcOf := newSvcIndex(l.repo.Services)
	for _, p := range l.repo.GoPackages {
		p.Service = svcOf.of(p.Dir)
		from := mods.moduleOf(p.Dir)
		lp := listed[p.Dir]
		for i := range p.Imports {
			imp := &p.Imports[i]
			if lp != nil {
				if id, ok := lp.imports[imp.Path]; ok {
					if d, ok := byPath[id]; ok {
						imp.Dir = d
						continue
					}
				}
			}
			imp.Dir = r.resolve(from, imp.Path)
		}
	}
}

// compositionRoots finds the main packages that wire several services into
// one binary. A service known only from such a main package (cmd/all in a
// one-module repo) is no service: it is dropped and the package becomes the
// composition root it is.
func (l *loader) compositionRoots() {
	repo := l.repo
	dropped := false
	entries := l.entryPackages()
	for _, p := range repo.GoPackages {
		if !p.Main {
			continue
		}
		svcs, _ := l.importedServices(p, false, entries)
		if len(svcs) < 2 {
			continue
		}
		if p.Service != "" {
			s := repo.ServiceByName(p.Service)
			// the service is the main's folder (cmd/all) or the folder
			// whose own program it is (app/ of app/cmd/app)
			if s == nil || s.Root != p.Dir && !strings.HasPrefix(p.Dir, s.Root+"/cmd") || !onlyMainEvidence(s) {
				continue
			}
			l.dropService(s.Name)
			dropped = true
		}
	}
	if dropped {
		svcOf := newSvcIndex(repo.Services)
		for _, p := range repo.GoPackages {
			p.Service = svcOf.of(p.Dir)
		}
		entries = l.entryPackages()
	}
	for _, p := range repo.GoPackages {
		if !p.Main || p.Service != "" {
			continue
		}
		svcs, ev := l.importedServices(p, true, entries)
		if len(svcs) >= 2 {
			repo.CompositionRoots = append(repo.CompositionRoots, &facts.CompositionRoot{
				Package: p.Dir, Pos: p.Pos, Services: svcs, Evidence: ev})
		}
	}
}

// importedServices returns the services whose packages p imports from its
// non-test files, sorted, with the first import of each.
//
// A service counts only through its entry packages, those its own main
// packages import (pkg/command, internal/server): a tool that reaches a
// service's params or types through a shared library runs none of it
// (optimism's op-chain-ops/cmd/* reach op-node/params through genesis). A
// service with no main package here counts through any of its packages.
func (l *loader) importedServices(p *facts.GoPackage, viaShared bool, entries map[string]map[string]bool) ([]string, []facts.Position) {
	first := map[string]facts.Position{}
	seen := map[string]bool{p.Dir: true}
	// each package to visit, with the import of p that leads to it
	type step struct {
		pkg *facts.GoPackage
		at  facts.Position
	}
	queue := []step{{pkg: p}}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, imp := range cur.pkg.Imports {
			if imp.Test || imp.Dir == "" || seen[imp.Dir] {
				continue
			}
			seen[imp.Dir] = true
			t := l.repo.GoPackageByDir(imp.Dir)
			if t == nil {
				continue
			}
			at := cur.at
			if cur.pkg == p {
				at = imp.Pos
			}
			s := t.Service
			if s == "" {
				// pkg/command importing every service's command: the
				// main wires them through it
				if viaShared && !t.Main {
					queue = append(queue, step{pkg: t, at: at})
				}
				continue
			}
			if s == p.Service || entries[s] != nil && !entries[s][t.Dir] {
				continue
			}
			if _, ok := first[s]; !ok {
				first[s] = at
			}
		}
	}
	names := slices.Sorted(maps.Keys(first))
	ev := make([]facts.Position, len(names))
	for i, n := range names {
		ev[i] = first[n]
	}
	return names, ev
}

// entryPackages returns, per service, the folders of its packages that its
// main packages import (non-test imports).
func (l *loader) entryPackages() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, m := range l.repo.GoPackages {
		if !m.Main || m.Service == "" {
			continue
		}
		for _, imp := range m.Imports {
			if imp.Test || imp.Dir == "" {
				continue
			}
			if t := l.repo.GoPackageByDir(imp.Dir); t != nil && t.Service == m.Service {
				if out[m.Service] == nil {
					out[m.Service] = map[string]bool{}
				}
				out[m.Service][t.Dir] = true
			}
		}
	}
	return out
}

func onlyMainEvidence(s *facts.Service) bool {
	for _, why := range s.DiscoveredBy {
		if !strings.HasPrefix(why, "main package ") {
			return false
		}
	}
	return len(s.DiscoveredBy) > 0
}

func (l *loader) dropService(name string) {
	out := l.repo.Services[:0]
	for _, s := range l.repo.Services {
		if s.Name != name {
			out = append(out, s)
		}
	}
	l.repo.Services = out
}
