package load

import (
	"errors"
	"path"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// keepVersion accepts every version as written: decouple reads go.mod files
// to learn module paths, never to resolve versions.
func keepVersion(_, v string) (string, error) { return v, nil }

// parseGoMod reads one go.mod. A malformed file becomes a problem; what
// could be read of it is still kept, so its packages get import paths.
func (l *loader) parseGoMod(in *input) *facts.GoModule {
	f, err := modfile.Parse(in.path, in.data, keepVersion)
	if err != nil {
		l.modProblem(in.path, "malformed go.mod", err)
		if f, err = modfile.ParseLax(in.path, in.data, keepVersion); err != nil {
			return nil
		}
	}
	dir := path.Dir(in.path)
	m := &facts.GoModule{Dir: dir, File: in.path, Pos: facts.Position{File: in.path, Line: 1}}
	if f.Module != nil {
		m.Path = f.Module.Mod.Path
		m.Pos = linePos(in.path, f.Module.Syntax)
	}
	if m.Path == "" {
		l.problem(in.path, 1, 0, "go.mod has no module line; its packages get no import path")
	}
	if f.Go != nil {
		m.GoVersion = f.Go.Version
	}
	if f.Toolchain != nil {
		m.Toolchain = f.Toolchain.Name
		m.ToolchainPos = linePos(in.path, f.Toolchain.Syntax)
	}
	for _, r := range f.Require {
		m.Require = append(m.Require, facts.GoRequire{Path: r.Mod.Path, Version: r.Mod.Version,
			Indirect: r.Indirect, Pos: linePos(in.path, r.Syntax)})
	}
	for _, r := range f.Replace {
		m.Replace = append(m.Replace, replaceFact(in.path, dir, r))
	}
	return m
}

// parseGoWork reads one go.work.
func (l *loader) parseGoWork(in *input) *facts.GoWork {
	f, err := modfile.ParseWork(in.path, in.data, keepVersion)
	if err != nil {
		l.modProblem(in.path, "malformed go.work", err)
		return nil
	}
	dir := path.Dir(in.path)
	w := &facts.GoWork{File: in.path}
	if f.Go != nil {
		w.GoVersion = f.Go.Version
	}
	for _, u := range f.Use {
		d, outside := repoDir(dir, u.Path)
		w.Use = append(w.Use, facts.GoWorkUse{Dir: d, Outside: outside, Pos: linePos(in.path, u.Syntax)})
	}
	for _, r := range f.Replace {
		w.Replace = append(w.Replace, replaceFact(in.path, dir, r))
	}
	return w
}

func replaceFact(file, dir string, r *modfile.Replace) facts.GoReplace {
	g := facts.GoReplace{Old: r.Old.Path, OldVersion: r.Old.Version, New: r.New.Path,
		NewVersion: r.New.Version, Pos: linePos(file, r.Syntax)}
	if r.New.Version == "" && modfile.IsDirectoryPath(r.New.Path) {
		g.Dir, g.Outside = repoDir(dir, r.New.Path)
	}
	return g
}

// repoDir joins a file path written in a go.mod or go.work in dir and
// returns it repo-relative ("." for the root), or outside=true when it
// leaves the repository.
func repoDir(dir, p string) (string, bool) {
	p = strings.ReplaceAll(p, "\\", "/")
	if path.IsAbs(p) || (len(p) > 1 && p[1] == ':') {
		return "", true
	}
	j := path.Join(dir, p)
	if j == ".." || strings.HasPrefix(j, "../") {
		return "", true
	}
	return j, false
}

func linePos(file string, l *modfile.Line) facts.Position {
	if l == nil {
		return facts.Position{File: file}
	}
	return facts.Position{File: file, Line: l.Start.Line, Col: l.Start.LineRune}
}

// modProblem records the first error of a modfile parse with its line.
func (l *loader) modProblem(file, what string, err error) {
	var list modfile.ErrorList
	var one *modfile.Error
	switch {
	case errors.As(err, &list) && len(list) > 0:
		e := list[0]
		l.problem(file, e.Pos.Line, e.Pos.LineRune, "%s: %s", what, modErrText(&e))
	case errors.As(err, &one):
		l.problem(file, one.Pos.Line, one.Pos.LineRune, "%s: %s", what, modErrText(one))
	default:
		l.problem(file, 0, 0, "%s: %v", what, err)
	}
}

// modErrText is an error without the file and line prefix (the position
// carries them).
func modErrText(e *modfile.Error) string {
	var b strings.Builder
	if e.ModPath != "" {
		b.WriteString(e.Verb + " " + e.ModPath + ": ")
	} else if e.Verb != "" {
		b.WriteString(e.Verb + ": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}
