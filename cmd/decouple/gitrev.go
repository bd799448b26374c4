package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// gitEnv is the environment of every git command decouple runs: no system
// config, no prompts, no lazy fetches or LFS downloads (no network), and
// none of the variables a hook inherits that would point git at another
// index or work tree.
func gitEnv() []string {
	drop := map[string]bool{"GIT_DIR": true, "GIT_WORK_TREE": true, "GIT_INDEX_FILE": true, "GIT_PREFIX": true,
		"GIT_COMMON_DIR": true, "GIT_OBJECT_DIRECTORY": true, "GIT_ALTERNATE_OBJECT_DIRECTORIES": true}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !drop[k] {
			env = append(env, kv)
		}
	}
	return append(env, "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "SSH_ASKPASS=",
		"GIT_LFS_SKIP_SMUDGE=1", "GIT_NO_LAZY_FETCH=1", "LC_ALL=C")
}

// git runs git in dir and returns its trimmed standard output. Hooks and
// the fsmonitor daemon are switched off.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	full := append([]string{"-c", "core.fsmonitor=false", "-c", "core.hooksPath=" + os.DevNull, "-C", dir}, args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	cmd.Env = gitEnv()
	cmd.Stdin = nil
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		var ee *exec.Error
		if errors.As(err, &ee) {
			msg = "git is not installed or not on PATH"
		}
		return "", fmt.Errorf("git %s: %s", args[0], firstLineOf(msg))
	}
	return strings.TrimSpace(out.String()), nil
}

func firstLineOf(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// revision is a commit checked out in a temporary work tree.
type revision struct {
	Name   string // as the user gave it
	Commit string // the full object name
	// Dir is the analysed path inside the temporary work tree: the same
	// place relative to the repository root as the path being checked.
	Dir string
	// Root is the temporary work tree's top; toplevel is the real one.
	Root, toplevel string
}

// resolveCommit returns the commit a revision names. A revision starting
// with "-" can never be read as an option.
func resolveCommit(ctx context.Context, dir, rev string) (string, error) {
	if strings.TrimSpace(rev) == "" {
		return "", errors.New("empty revision")
	}
	oid, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil || oid == "" {
		return "", fmt.Errorf("%q is not a commit in this repository", rev)
	}
	return oid, nil
}

// mergeBase returns the best common ancestor of HEAD and branch.
func mergeBase(ctx context.Context, dir, branch string) (string, error) {
	oid, err := resolveCommit(ctx, dir, branch)
	if err != nil {
		return "", err
	}
	base, err := git(ctx, dir, "merge-base", "HEAD", oid)
	if err == nil && base == "" {
		err = errors.New("git merge-base printed nothing")
	}
	if err != nil {
		return "", fmt.Errorf("no merge base of HEAD and %q (a shallow clone? use fetch-depth: 0): %w", branch, err)
	}
	return base, nil
}

// checkout adds a detached temporary work tree of commit (git worktree
// add --detach, so that the history of the revision is there too) and
// returns where the analysed path is in it. Close removes it.
func checkout(ctx context.Context, path, name, commit string) (*revision, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	top, err := git(ctx, abs, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("%s is not in a git repository: %w", path, err)
	}
	prefix, err := git(ctx, abs, "rev-parse", "--show-prefix")
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "decouple-rev-")
	if err != nil {
		return nil, fmt.Errorf("temporary checkout: %w", err)
	}
	tree := filepath.Join(tmp, "tree")
	rev := &revision{Name: name, Commit: commit, Root: tree, toplevel: top, Dir: filepath.Join(tree, filepath.FromSlash(prefix))}
	if _, err := git(ctx, top, "worktree", "add", "--detach", "--quiet", tree, commit); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("temporary checkout of %s: %w", name, err)
	}
	if fi, err := os.Stat(rev.Dir); err != nil || !fi.IsDir() {
		rev.Close()
		return nil, fmt.Errorf("%s does not exist at %s", filepath.ToSlash(prefix), name)
	}
	return rev, nil
}

// Close removes the temporary work tree and its registration in the
// repository.
func (r *revision) Close() {
	// A fresh context: cleaning up must happen even after a deadline.
	ctx := context.Background()
	if _, err := git(ctx, r.toplevel, "worktree", "remove", "--force", r.Root); err != nil {
		os.RemoveAll(filepath.Dir(r.Root))
		_, _ = git(ctx, r.toplevel, "worktree", "prune")
		return
	}
	os.RemoveAll(filepath.Dir(r.Root))
}

// mapConfigPath returns where a config file of the real work tree is in
// the temporary one, or the path itself when it lies outside the
// repository.
func (r *revision) mapConfigPath(p string) string {
	if p == "" {
		return p
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		abs = resolved
	}
	top := r.toplevel
	if resolved, err := filepath.EvalSymlinks(top); err == nil {
		top = resolved
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	return filepath.Join(r.Root, rel)
}
