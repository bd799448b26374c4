package load

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/tools/go/packages"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// goListTimeout bounds one run of the go command.
const goListTimeout = 2 * time.Minute

// listedPkg is what the go command said about the package in one directory.
type listedPkg struct {
	importPath, module, name string
	files                    map[string]bool   // repo-relative, test and other-platform files included
	imports                  map[string]string // import path → package path it resolved to
}

// keep returns the files the go command counts as the package's.
func (lp *listedPkg) keep(fs []*codeFile) []*codeFile {
	var out []*codeFile
	for _, f := range fs {
		if lp.files[f.in.path] {
			out = append(out, f)
		}
	}
	return out
}

// goRun is one invocation of the go command: a module with GOWORK=off, or
// the modules of the repository's go.work.
type goRun struct {
	dir      string // repo-relative working directory
	gowork   string // "off" or the absolute go.work path
	patterns []string
	mods     []*facts.GoModule
}

// listPackages asks the go command, in metadata-only mode and with an
// environment that forbids downloads, toolchain switches, VCS access, cgo
// and file edits, which files make up each package of each module. A module
// the go command cannot list keeps the parser's view, with a note.
func (l *loader) listPackages(ctx context.Context, mods *modIndex, files []*codeFile) map[string]*listedPkg {
	known := map[string]bool{}
	for _, f := range files {
		if f != nil {
			known[f.in.path] = true
		}
	}
	runs := l.goRuns(mods)
	results := make([]map[string]*listedPkg, len(runs))
	notes := make([]string, len(runs))
	l.each(ctx, len(runs), func(i int) {
		results[i], notes[i] = l.goList(ctx, runs[i], known)
	})
	out := map[string]*listedPkg{}
	for i, run := range runs {
		for _, m := range run.mods {
			if notes[i] != "" {
				m.Loader, m.Note = GoLoaderParser, notes[i]
				continue
			}
			m.Loader = GoLoaderPackages
		}
		for dir, lp := range results[i] {
			if _, taken := out[dir]; !taken {
				out[dir] = lp
			}
		}
	}
	return out
}

func (l *loader) goRuns(mods *modIndex) []goRun {
	var runs []goRun
	inWork := map[string]bool{}
	for _, w := range l.repo.GoWorks {
		if w.File != "go.work" {
			continue // only the root go.work is the repository's workspace
		}
		run := goRun{dir: ".", gowork: filepath.Join(l.repo.Root, "go.work")}
		for _, u := range w.Use {
			m := mods.byDir[u.Dir]
			if u.Outside || m == nil {
				continue
			}
			inWork[u.Dir] = true
			run.mods = append(run.mods, m)
			run.patterns = append(run.patterns, "./"+strings.TrimPrefix(path.Join(u.Dir, "..."), "./"))
		}
		if len(run.mods) > 0 {
			runs = append(runs, run)
		}
	}
	dirs := slices.Sorted(maps.Keys(mods.byDir))
	for _, d := range dirs {
		if !inWork[d] {
			runs = append(runs, goRun{dir: d, gowork: "off", patterns: []string{"./..."}, mods: []*facts.GoModule{mods.byDir[d]}})
		}
	}
	return runs
}

// goEnv is the whole environment of the go command: nothing of the
// caller's Go settings (GOFLAGS, GOPROXY, GOTOOLCHAIN, an env file) leaks
// in, only what locates the toolchain and its caches.
func goEnv(gowork string, vendor bool) []string {
	flags := "-mod=readonly"
	if vendor {
		flags = "-mod=vendor"
	}
	env := []string{
		"GOTOOLCHAIN=local", "GOPROXY=off", "GOSUMDB=off", "GOVCS=*:off", "GOFLAGS=" + flags,
		"GOWORK=" + gowork, "CGO_ENABLED=0", "GOPACKAGESDRIVER=off", "GOENV=off",
	}
	for _, k := range []string{"PATH", "HOME", "GOROOT", "GOPATH", "GOMODCACHE", "GOCACHE", "TMPDIR",
		"XDG_CACHE_HOME", "SYSTEMROOT", "LOCALAPPDATA", "APPDATA", "USERPROFILE"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// goList runs one invocation. It returns the packages by directory, or a
// note saying why the go command could not list the modules.
func (l *loader) goList(ctx context.Context, run goRun, known map[string]bool) (map[string]*listedPkg, string) {
	ctx, cancel := context.WithTimeout(ctx, goListTimeout)
	defer cancel()
	vendor := false
	if run.gowork == "off" {
		if fi, err := l.root.Stat(path.Join(run.dir, "vendor", "modules.txt")); err == nil && fi.Mode().IsRegular() {
			vendor = true
		}
	}
	cfg := &packages.Config{
		Mode:    packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedModule,
		Context: ctx,
		Dir:     filepath.Join(l.repo.Root, filepath.FromSlash(run.dir)),
		Env:     goEnv(run.gowork, vendor),
		Tests:   true,
	}
	pkgs, err := packages.Load(cfg, run.patterns...)
	if err != nil {
		msg := err.Error()
		if i := strings.LastIndex(msg, "stderr: "); i >= 0 {
			msg = msg[i+len("stderr: "):]
		}
		return nil, "go command failed, read with go/parser: " + firstLine(strings.TrimPrefix(msg, "go: "))
	}
	roots := []string{l.repo.Root}
	if resolved, err := filepath.EvalSymlinks(l.repo.Root); err == nil && resolved != l.repo.Root {
		roots = append(roots, resolved)
	}
	out := map[string]*listedPkg{}
	firstErr := ""
	for _, p := range pkgs {
		if firstErr == "" && len(p.Errors) > 0 {
			firstErr = firstLine(p.Errors[0].Msg)
		}
		if strings.HasSuffix(p.ID, ".test") {
			continue // the generated test main
		}
		var rel []string
		for _, f := range append(append([]string(nil), p.GoFiles...), p.IgnoredFiles...) {
			for _, root := range roots {
				if r, err := filepath.Rel(root, f); err == nil && known[filepath.ToSlash(r)] {
					rel = append(rel, filepath.ToSlash(r))
					break
				}
			}
		}
		if len(rel) == 0 {
			continue
		}
		dir := path.Dir(rel[0])
		lp := out[dir]
		if lp == nil {
			lp = &listedPkg{files: map[string]bool{}, imports: map[string]string{}}
			out[dir] = lp
		}
		for _, r := range rel {
			lp.files[r] = true
		}
		if !strings.HasSuffix(p.Name, "_test") && lp.importPath == "" {
			lp.importPath, lp.name = p.PkgPath, p.Name
			if p.Module != nil {
				lp.module = p.Module.Path
			}
		}
		for imp, dep := range p.Imports {
			if dep != nil {
				lp.imports[imp] = variantBase(dep.ID)
			}
		}
	}
	if len(out) == 0 && firstErr != "" {
		return nil, "go command listed no package, read with go/parser: " + firstErr
	}
	return out, ""
}

// variantBase strips the test-variant suffix of a package ID
// ("a/b [a/b.test]" → "a/b").
func variantBase(id string) string {
	if i := strings.Index(id, " ["); i >= 0 {
		return id[:i]
	}
	return id
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// GoLoaderNames lists the accepted values of Options.GoLoader.
func GoLoaderNames() []string {
	names := []string{GoLoaderParser, GoLoaderPackages}
	sort.Strings(names)
	return names
}

// CheckGoLoader validates a --go-loader value ("" means the parser).
func CheckGoLoader(name string) error {
	switch name {
	case "", GoLoaderParser, GoLoaderPackages:
		return nil
	}
	return fmt.Errorf("unknown Go loader %q (want %s)", name, strings.Join(GoLoaderNames(), " or "))
}
