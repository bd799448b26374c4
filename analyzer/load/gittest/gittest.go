// Package gittest builds git repositories from scripts, so that history
// facts and rules have exact fixtures. A script is a txtar archive whose
// entries are either files or directives; directive names start with "@":
//
//	-- @commit add orders --        the files after it, up to the next
//	author: Ann <ann@example.com>   directive, are written and committed
//	date: 2024-03-01T10:00:00Z      with this subject, author and date
//	rename: services/a/x.go -> services/b/x.go
//	delete: services/c/old.go
//	-- services/orders/main.go --
//	package main
//	-- @branch feature --           creates and checks out a branch
//	-- @checkout main --            checks out an existing branch
//	-- @merge feature --            merges it with a merge commit (body as
//	                                for @commit; the subject is optional)
//	-- @shallow 2 --                the repository handed back is a clone
//	                                of the built one with --depth 2
//
// Commits without a date are an hour apart from 2024-01-01T00:00:00Z;
// without an author they are by "Dev <dev@example.com>".
package gittest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/tools/txtar"
)

// IsScript reports whether the archive holds directives.
func IsScript(ar *txtar.Archive) bool {
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "@") {
			return true
		}
	}
	return false
}

// Build runs the script in ar and leaves the repository (work tree and
// .git) in dir, which must not exist or be empty.
func Build(ar *txtar.Archive, dir string) error {
	b := &builder{dir: dir, next: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	shallow := 0
	for _, f := range ar.Files {
		if n, ok := strings.CutPrefix(f.Name, "@shallow "); ok {
			d, err := strconv.Atoi(strings.TrimSpace(n))
			if err != nil || d < 1 {
				return fmt.Errorf("gittest: bad @shallow %q", n)
			}
			shallow = d
		}
	}
	if shallow > 0 {
		b.dir = dir + ".src"
	}
	if err := os.MkdirAll(b.dir, 0o755); err != nil {
		return err
	}
	if err := b.git("init", "-q", "-b", "main"); err != nil {
		return err
	}
	var pending *txtar.File
	var files []txtar.File
	flush := func() error {
		if pending == nil {
			if len(files) > 0 {
				return fmt.Errorf("gittest: file %s before the first @commit", files[0].Name)
			}
			return nil
		}
		err := b.apply(*pending, files)
		pending, files = nil, nil
		return err
	}
	for _, f := range ar.Files {
		if !strings.HasPrefix(f.Name, "@") {
			files = append(files, f)
			continue
		}
		if err := flush(); err != nil {
			return err
		}
		f := f
		pending = &f
	}
	if err := flush(); err != nil {
		return err
	}
	if shallow > 0 {
		out, err := exec.Command("git", "clone", "-q", "--no-local", "--depth", strconv.Itoa(shallow),
			"file://"+b.dir, dir).CombinedOutput()
		if err != nil {
			return fmt.Errorf("gittest: clone --depth %d: %w: %s", shallow, err, out)
		}
	}
	return nil
}

type builder struct {
	dir  string
	next time.Time
	env  []string
}

func (b *builder) git(args ...string) error {
	_, err := b.gitOut(args...)
	return err
}

func (b *builder) gitOut(args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"}, args...)...)
	cmd.Dir = b.dir
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_TERMINAL_PROMPT=0", "HOME=" + b.dir, "LC_ALL=C",
	}, b.env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("gittest: git %s: %w: %s", strings.Join(args, " "), err, out.String())
	}
	return out.String(), nil
}

// apply performs one directive with the files that follow it.
func (b *builder) apply(d txtar.File, files []txtar.File) error {
	verb, arg, _ := strings.Cut(d.Name, " ")
	arg = strings.TrimSpace(arg)
	switch verb {
	case "@shallow":
		return nil
	case "@branch":
		return b.git("checkout", "-q", "-b", arg)
	case "@checkout":
		return b.git("checkout", "-q", arg)
	case "@commit", "@merge":
	default:
		return fmt.Errorf("gittest: unknown directive %s", d.Name)
	}
	author, date, subject := "Dev <dev@example.com>", "", arg
	var ops [][2]string
	for _, line := range strings.Split(string(d.Data), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "author":
			author = v
		case "date":
			date = v
		case "subject":
			subject = v
		case "rename", "delete":
			ops = append(ops, [2]string{strings.TrimSpace(k), v})
		}
	}
	when := b.next
	if date != "" {
		t, err := time.Parse(time.RFC3339, date)
		if err != nil {
			return fmt.Errorf("gittest: %s: bad date %q", d.Name, date)
		}
		when = t
	}
	b.next = when.Add(time.Hour)
	name, email := author, "dev@example.com"
	if i := strings.Index(author, "<"); i >= 0 {
		name, email = strings.TrimSpace(author[:i]), strings.Trim(author[i:], "<> ")
	}
	stamp := when.Format(time.RFC3339)
	b.env = []string{"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + email, "GIT_AUTHOR_DATE=" + stamp,
		"GIT_COMMITTER_NAME=" + name, "GIT_COMMITTER_EMAIL=" + email, "GIT_COMMITTER_DATE=" + stamp}
	defer func() { b.env = nil }()
	if verb == "@merge" {
		if subject == arg {
			subject = "Merge branch '" + arg + "'"
		}
		return b.git("merge", "-q", "--no-ff", "-m", subject, arg)
	}
	for _, op := range ops {
		switch op[0] {
		case "rename":
			from, to, ok := strings.Cut(op[1], "->")
			if !ok {
				return fmt.Errorf("gittest: rename %q: want \"old -> new\"", op[1])
			}
			from, to = strings.TrimSpace(from), strings.TrimSpace(to)
			if err := os.MkdirAll(filepath.Dir(filepath.Join(b.dir, to)), 0o755); err != nil {
				return err
			}
			if err := b.git("mv", from, to); err != nil {
				return err
			}
		case "delete":
			if err := b.git("rm", "-q", "-r", op[1]); err != nil {
				return err
			}
		}
	}
	for _, f := range files {
		p := filepath.Join(b.dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	if err := b.git("add", "-A"); err != nil {
		return err
	}
	return b.git("commit", "-q", "--allow-empty", "-m", subject)
}
