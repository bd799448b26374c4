package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
)

// input is one file the walker accepted, with its content once read.
type input struct {
	path   string // repo-relative, slash-separated
	kind   string
	data   []byte
	unread string // why it could not be read, if it could not
}

// The kinds of input files, decided from the file name. YAML and JSON files
// are told apart by content later (OpenAPI, compose, Kubernetes, CI).
const (
	kindProto      = "proto"
	kindGo         = "go"
	kindGoMod      = "go.mod"
	kindGoWork     = "go.work"
	kindYAML       = "yaml"
	kindJSON       = "json"
	kindDockerfile = "dockerfile"
	kindSQL        = "sql"
	kindEnv        = "env"
	kindMakefile   = "makefile"
	kindTOML       = "toml"
)

// kindOf returns the kind of a file from its name, or "" for files decouple
// does not read.
func kindOf(name string) string {
	base := path.Base(name)
	lower := strings.ToLower(base)
	switch {
	case base == "go.mod":
		return kindGoMod
	case base == "go.work":
		return kindGoWork
	case lower == "dockerfile" || strings.HasPrefix(lower, "dockerfile.") || strings.HasSuffix(lower, ".dockerfile"):
		return kindDockerfile
	case lower == "makefile" || lower == "gnumakefile" || strings.HasSuffix(lower, ".mk"):
		return kindMakefile
	case lower == ".env" || strings.HasPrefix(lower, ".env.") || strings.HasSuffix(lower, ".env"):
		return kindEnv
	case deployKindOf(lower) != "":
		return deployKindOf(lower) // deployfiles.go
	}
	switch path.Ext(lower) {
	case ".proto":
		return kindProto
	case ".go":
		return kindGo
	case ".yaml", ".yml":
		return kindYAML
	case ".json":
		return kindJSON
	case ".sql":
		return kindSQL
	case ".toml":
		return kindTOML
	}
	return ""
}

// jsoncFile reports whether a .json file is one of the settings files that
// their tools read as JSON with comments (TypeScript's tsconfig, VS Code's
// settings, dev containers, ESLint, Babel, TSLint, TypeDoc, API Extractor,
// Turborepo): decouple needs nothing
// in them, and reading them as JSON would report every comment as an error.
func jsoncFile(p string) bool {
	base := strings.ToLower(path.Base(p))
	switch {
	case strings.HasPrefix(base, "tsconfig") || strings.HasPrefix(base, "jsconfig"),
		base == "devcontainer.json" || base == ".devcontainer.json" || base == ".eslintrc.json",
		base == "babel.config.json" || base == ".babelrc.json" || base == "tslint.json",
		base == "typedoc.json" || base == "api-extractor.json" || base == "turbo.json":
		return true
	}
	return strings.HasPrefix(p, ".vscode/") || strings.Contains(p, "/.vscode/")
}

type walker struct {
	root *os.Root
	opts *Options
	// abs is the root's absolute path, for git; tracked are the files git
	// tracks although a .gitignore matches them, read on the first match.
	abs      string
	tracked  *trackedIgnored
	accepted []*input
	skipped  []skip
	seen     int
	// emit, when set, is handed every run of accepted files of one
	// directory as soon as the run ends (walkAndRead), with the directory
	// they are in; flushed counts the accepted files handed over.
	emit    func(fileRun)
	flushed int
}

// A fileRun is files of one directory, in walk order, and that directory,
// open: they are read by base name through it, one openat each, where a
// path from the top would cost an openat per component (os.Root resolves
// each on its own).
type fileRun struct {
	files []*input
	dir   *openDir
}

// An openDir is a directory the walker opened, shared by the walker while
// it lists the directory and by the runs of its files until they are read;
// the last to release it closes it. The top directory is never closed here.
type openDir struct {
	root *os.Root
	refs atomic.Int32
	top  bool
}

func newOpenDir(r *os.Root, top bool) *openDir {
	d := &openDir{root: r, top: top}
	d.refs.Store(1)
	return d
}

func (d *openDir) acquire() *openDir { d.refs.Add(1); return d }

func (d *openDir) release() {
	if d.refs.Add(-1) == 0 && !d.top {
		_ = d.root.Close()
	}
}

type skip struct{ file, reason string }

// walk visits the tree under the root once, in lexical order. It never
// follows a symbolic link and opens only regular files. Each directory is
// opened once, by name, from its parent.
func (w *walker) walk() error {
	top := newOpenDir(w.root, true)
	defer top.release()
	return w.dir(".", top, nil)
}

// flush hands the files accepted since the last flush, all in dir, to emit.
func (w *walker) flush(dir *openDir) {
	if w.emit != nil && w.flushed < len(w.accepted) {
		w.emit(fileRun{files: slices.Clone(w.accepted[w.flushed:]), dir: dir.acquire()})
		w.flushed = len(w.accepted)
	}
}

func (w *walker) dir(rel string, d *openDir, frames []ignoreFrame) error {
	f, err := d.root.Open(".")
	if err != nil {
		return err
	}
	entries, err := f.ReadDir(-1)
	_ = f.Close()
	if err != nil {
		return err
	}
	sortEntries(entries)
	if fr, ok := readGitignore(d, entries); ok {
		fr.dir = relOrEmpty(rel)
		frames = append(frames[:len(frames):len(frames)], fr)
	}
	for _, e := range entries {
		p := joinRel(rel, e.Name())
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			w.skip(p, "symbolic link (not followed)")
		case e.IsDir():
			if reason := w.skipDir(p, e.Name(), frames); reason != "" {
				w.skip(p+"/", reason)
				continue
			}
			w.flush(d)
			if err := w.subdir(p, d, e.Name(), frames); err != nil {
				w.skip(p+"/", "unreadable directory: "+errText(err))
			}
		case !e.Type().IsRegular():
			w.skip(p, "not a regular file")
		default:
			w.file(p, e, frames)
		}
	}
	w.flush(d)
	return nil
}

// subdir opens the directory name of parent (os.Root refuses a symbolic
// link put in its place) and walks it.
func (w *walker) subdir(rel string, parent *openDir, name string, frames []ignoreFrame) error {
	r, err := parent.root.OpenRoot(name)
	if err != nil {
		return err
	}
	d := newOpenDir(r, false)
	defer d.release()
	return w.dir(rel, d, frames)
}

func (w *walker) skipDir(p, name string, frames []ignoreFrame) string {
	if name == ".git" {
		return "git metadata"
	}
	if len(w.opts.Include) == 0 {
		for _, d := range w.opts.SkipDirs {
			if name == d && !subcommand(p) {
				return "skipped directory (" + d + ")"
			}
		}
	} else if d := w.skippedAbove(p); d != "" {
		return "skipped directory (" + d + ")"
	}
	if matchGlobs(w.opts.Exclude, p) || matchGlobs(w.opts.Exclude, p+"/") {
		return "excluded by config"
	}
	if gitignored(frames, p, true) && !w.trackedIgnored().dirs[p] {
		return "ignored by .gitignore"
	}
	return ""
}

// trackedIgnored are the files git tracks although an ignore rule matches
// them (git add -f deploy/compose.yaml), with the folders holding them: git
// ignores only untracked files, and so does the walk.
type trackedIgnored struct{ files, dirs map[string]bool }

// trackedIgnored asks git, once, for the tracked files its ignore rules
// match: none when git or a work tree is missing.
func (w *walker) trackedIgnored() *trackedIgnored {
	if w.tracked != nil {
		return w.tracked
	}
	w.tracked = &trackedIgnored{files: map[string]bool{}, dirs: map[string]bool{}}
	if w.abs == "" {
		return w.tracked
	}
	git, err := exec.LookPath(firstNonEmpty(w.opts.History.Git, "git"))
	if err != nil {
		return w.tracked
	}
	out, err := gitCommand(context.Background(), git, w.abs, "ls-files", "-z", "--cached", "--ignored", "--exclude-standard").Output()
	if err != nil {
		return w.tracked
	}
	for _, f := range strings.Split(string(out), "\x00") {
		if f == "" {
			continue
		}
		w.tracked.files[f] = true
		for d := path.Dir(f); d != "."; d = path.Dir(d) {
			w.tracked.dirs[d] = true
		}
	}
	return w.tracked
}

// subcommand reports a test folder that is a command-line program's test
// subcommand (cmd/cli/commands/test: "kyverno test"), production code.
func subcommand(p string) bool {
	base, parent := path.Base(p), path.Base(path.Dir(p))
	return (base == "test" || base == "tests") && (parent == "commands" || parent == "subcommands")
}

// skippedAbove returns the skipped folder name (SkipDirs) that p is or lies
// in, when the config's include globs do not take p back: p is not in an
// included directory, and no included directory lies below p (a skipped
// folder is walked only on the way to one). "" when p is read.
func (w *walker) skippedAbove(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		if !slices.Contains(w.opts.SkipDirs, part) {
			continue
		}
		if w.onIncludePath(p, parts) {
			return ""
		}
		return parts[i]
	}
	return ""
}

// onIncludePath reports whether p is in a directory an include glob
// matches, or on the way to one.
func (w *walker) onIncludePath(p string, parts []string) bool {
	for _, g := range w.opts.Include {
		g = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(g), "./"), "/")
		if g == "" {
			continue
		}
		if strings.HasPrefix(g, p+"/") {
			return true
		}
		for i := range parts {
			if matchGlobs([]string{g}, strings.Join(parts[:i+1], "/")) {
				return true
			}
		}
	}
	return false
}

func (w *walker) file(p string, e fs.DirEntry, frames []ignoreFrame) {
	if matchGlobs(w.opts.Exclude, p) {
		w.skip(p, "excluded by config")
		return
	}
	if len(w.opts.Include) > 0 {
		// in a skipped folder walked only on the way to an included one
		if d := w.skippedAbove(p); d != "" {
			w.skip(p, "skipped directory ("+d+")")
			return
		}
	}
	if gitignored(frames, p, false) && !w.trackedIgnored().files[p] {
		w.skip(p, "ignored by .gitignore")
		return
	}
	kind := kindOf(p)
	if kind == "" {
		w.skip(p, "not an input decouple reads")
		return
	}
	if kind == kindJSON && jsoncFile(p) {
		w.skip(p, "JSON with comments (compiler or editor settings), not an input decouple reads")
		return
	}
	info, err := e.Info()
	if err != nil {
		w.skip(p, "unreadable: "+errText(err))
		return
	}
	limit := w.opts.MaxFileSize
	if limit <= 0 {
		limit = SizeLimit(kind)
	}
	if info.Size() > limit {
		w.skip(p, fmt.Sprintf("larger than the %d-byte limit", limit))
		return
	}
	w.seen++
	w.accepted = append(w.accepted, &input{path: p, kind: kind})
}

func (w *walker) skip(p, reason string) {
	w.seen++
	w.skipped = append(w.skipped, skip{file: p, reason: reason})
}

// readConfined reads a regular file below the root, refusing anything that
// is not a regular file and anything larger than limit. The file is opened
// without following a final symbolic link and without blocking (a FIFO
// never stalls the walk), then checked on the open descriptor, so nothing
// can swap it between the check and the read.
func readConfined(root *os.Root, p string, limit int64) ([]byte, error) {
	f, err := root.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("larger than the %d-byte limit", limit)
	}
	buf := make([]byte, fi.Size()+1) // one spare byte to see growth
	n, err := io.ReadFull(f, buf)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return buf[:n], nil
	case err != nil:
		return nil, err
	}
	// The file grew after the stat: read on up to the limit.
	rest, err := io.ReadAll(io.LimitReader(f, limit+1-int64(n)))
	if err != nil {
		return nil, err
	}
	data := append(buf[:n], rest...)
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than the %d-byte limit", limit)
	}
	return data, nil
}

// isBinary reports whether data looks like a binary file (a NUL byte in its
// first 8 KiB).
func isBinary(data []byte) bool {
	if len(data) > 8000 {
		data = data[:8000]
	}
	return bytes.IndexByte(data, 0) >= 0
}

func joinRel(dir, name string) string {
	if dir == "." || dir == "" {
		return name
	}
	return dir + "/" + name
}

func relOrEmpty(rel string) string {
	if rel == "." {
		return ""
	}
	return rel
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
