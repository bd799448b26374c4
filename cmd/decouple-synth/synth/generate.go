package synth

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Finding is one finding the generator planted: a rule and the services
// it involves, sorted. decouple may report a planted coupling as several
// findings with the same rule and services (one per route, per import, per
// operation); the pair (rule, services) is what must match.
type Finding struct {
	Rule     string   `json:"rule"`
	Name     string   `json:"name"`
	Services []string `json:"services"`
}

// Key is the identity of a finding for comparisons: "RULE a,b".
func (f Finding) Key() string { return f.Rule + " " + strings.Join(f.Services, ",") }

// Expected is what the generator wrote and planted; it is saved as
// expected.json beside the repository.
type Expected struct {
	Generator string `json:"generator"`
	Seed      uint64 `json:"seed"`
	Services  int    `json:"services"`
	Layout    string `json:"layout"`
	Commits   int    `json:"commits"` // after the initial commit
	Window    int    `json:"window"`
	// Files and Bytes count what was written to the work tree, by kind
	// (go, proto, openapi, yaml, sql, dockerfile, other).
	Files map[string]int   `json:"files"`
	Bytes map[string]int64 `json:"bytes"`
	// Rules lists the rule IDs the generator plants findings of; a rule
	// listed here with no finding in Findings must report nothing.
	Rules    []string  `json:"rules"`
	Findings []Finding `json:"findings"`
}

// TotalFiles is the number of files written.
func (e *Expected) TotalFiles() int {
	n := 0
	for _, c := range e.Files {
		n += c
	}
	return n
}

// Generate writes the repository described by opts into dir, which must not
// exist or must be empty, and returns what it planted (WriteExpected saves
// it).
func Generate(dir string, opts Options) (*Expected, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := emptyDir(dir); err != nil {
		return nil, err
	}
	p := newPlan(o)
	p.expect()
	w := &writer{dir: dir, files: map[string]int{}, bytes: map[string]int64{}, dirs: map[string]bool{}}
	var git *fastImport
	if o.Commits > 0 {
		if git, err = startFastImport(dir); err != nil {
			return nil, err
		}
		w.git, w.initial = git, true
		git.beginInitial()
	}
	p.writeFiles(w)
	w.initial = false
	if w.err == nil && git != nil {
		if h, err := p.history(); err != nil {
			w.err = err
		} else {
			p.writeHistory(w, h)
			p.findings = append(p.findings, h.expected...)
		}
	}
	if git != nil {
		if err := git.finish(w.err); err != nil && w.err == nil {
			w.err = err
		}
	}
	if w.err != nil {
		return nil, w.err
	}
	sort.Slice(p.findings, func(i, j int) bool { return p.findings[i].Key() < p.findings[j].Key() })
	exp := &Expected{
		Generator: "decouple-synth", Seed: o.Seed, Services: o.Services, Layout: o.Layout,
		Commits: o.Commits, Window: o.Window, Files: w.files, Bytes: w.bytes, Findings: p.findings,
	}
	for id := range ruleNames {
		if id != "DEPLOY101" || o.Commits > 0 {
			exp.Rules = append(exp.Rules, id)
		}
	}
	sort.Strings(exp.Rules)
	if exp.Findings == nil {
		exp.Findings = []Finding{}
	}
	return exp, nil
}

// WriteExpected saves e as indented JSON.
func WriteExpected(path string, e *Expected) error {
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// ReadExpected reads an expected.json.
func ReadExpected(path string) (*Expected, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var e Expected
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return &e, nil
}

func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("synth: %s is not empty", dir)
	}
	return nil
}

// writer writes files to the work tree and, when history is on, to the
// initial commit.
type writer struct {
	dir   string
	git   *fastImport
	files map[string]int
	bytes map[string]int64
	dirs  map[string]bool
	err   error
	// initial is true while the files of the initial commit are written.
	initial bool
}

// file writes one repo-relative file.
func (w *writer) file(rel, content string) {
	if w.err != nil {
		return
	}
	full := filepath.Join(w.dir, filepath.FromSlash(rel))
	if d := filepath.Dir(full); !w.dirs[d] {
		if err := os.MkdirAll(d, 0o755); err != nil {
			w.err = err
			return
		}
		w.dirs[d] = true
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		w.err = err
		return
	}
	if w.git != nil && w.initial {
		w.git.modify(rel, content)
	}
	k := kindOf(rel)
	w.files[k]++
	w.bytes[k] += int64(len(content))
}

// rewrite replaces the content of a file written before, on disk only.
func (w *writer) rewrite(rel, old, content string) {
	if w.err != nil {
		return
	}
	if err := os.WriteFile(filepath.Join(w.dir, filepath.FromSlash(rel)), []byte(content), 0o644); err != nil {
		w.err = err
		return
	}
	w.bytes[kindOf(rel)] += int64(len(content) - len(old))
}

func kindOf(rel string) string {
	base := filepath.Base(rel)
	switch {
	case strings.HasSuffix(rel, ".go"):
		return "go"
	case strings.HasSuffix(rel, ".proto"):
		return "proto"
	case base == "openapi.yaml":
		return "openapi"
	case strings.HasSuffix(rel, ".yaml") || strings.HasSuffix(rel, ".yml"):
		return "yaml"
	case strings.HasSuffix(rel, ".sql"):
		return "sql"
	case base == "Dockerfile":
		return "dockerfile"
	}
	return "other"
}

// fastImport feeds a git fast-import process.
type fastImport struct {
	dir  string
	cmd  *exec.Cmd
	in   io.WriteCloser
	buf  *bufio.Writer
	errb bytes.Buffer
	mark int
}

// gitEnv isolates git from the user's and the system's configuration.
func gitEnv() []string {
	return append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C")
}

func runGit(dir string, args ...string) error {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

func startFastImport(dir string) (*fastImport, error) {
	if err := runGit(dir, "init", "-q", "-b", "main"); err != nil {
		return nil, err
	}
	f := &fastImport{dir: dir}
	f.cmd = exec.Command("git", "fast-import", "--quiet", "--done")
	f.cmd.Dir = dir
	f.cmd.Env = gitEnv()
	f.cmd.Stderr = &f.errb
	in, err := f.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	f.in = in
	f.buf = bufio.NewWriterSize(in, 1<<20)
	if err := f.cmd.Start(); err != nil {
		return nil, fmt.Errorf("git fast-import: %w", err)
	}
	return f, nil
}

// commitHeader starts a commit on main.
func (f *fastImport) commitHeader(author string, unix int64, msg string) {
	f.mark++
	fmt.Fprintf(f.buf, "commit refs/heads/main\nmark :%d\n", f.mark)
	fmt.Fprintf(f.buf, "author %s %d +0000\ncommitter %s %d +0000\n", author, unix, author, unix)
	fmt.Fprintf(f.buf, "data %d\n%s\n", len(msg), msg)
	if f.mark > 1 {
		fmt.Fprintf(f.buf, "from :%d\n", f.mark-1)
	}
}

func (f *fastImport) beginInitial() {
	f.commitHeader(authors[0], historyStart, "initial import of the synthetic services")
}

// modify adds a file change to the current commit.
func (f *fastImport) modify(rel, content string) {
	fmt.Fprintf(f.buf, "M 100644 inline %s\ndata %d\n%s\n", rel, len(content), content)
}

// finish closes the stream and syncs the index with the new HEAD.
func (f *fastImport) finish(failed error) error {
	if failed == nil {
		_, _ = f.buf.WriteString("done\n") // a write error shows again at Flush
	}
	ferr := f.buf.Flush()
	f.in.Close()
	werr := f.cmd.Wait()
	switch {
	case failed != nil:
		return failed
	case ferr != nil:
		return fmt.Errorf("git fast-import: %w: %s", ferr, f.errb.String())
	case werr != nil:
		return fmt.Errorf("git fast-import: %w: %s", werr, f.errb.String())
	}
	return runGit(f.dir, "reset", "-q")
}
