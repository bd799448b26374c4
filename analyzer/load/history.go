package load

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// HistoryOptions steer the reading of git history. The zero value reads the
// default window: the last 12 months before the newest commit, at most
// 2,000 commits, one logical change per commit.
type HistoryOptions struct {
	// Disabled turns history reading off (the CLI's --no-history).
	Disabled bool
	// Months is the window's length before the newest commit.
	Months int
	// MaxCommits caps the non-merge commits read.
	MaxCommits int
	// RepoWideShare and RepoWideMax: a change touching at least three
	// services and more than this share of them, or more than RepoWideMax
	// services, is repo-wide.
	RepoWideShare float64
	RepoWideMax   int
	// Logical groups commits into logical changes: "commit" (default),
	// "pull-request" (the commits a merge brought in) or "author-day".
	Logical string
	// Git is the git executable; "" looks up "git" on PATH. It is never
	// taken from the repository's config.
	Git string
}

// The logical-change modes.
const (
	LogicalCommit      = "commit"
	LogicalPullRequest = "pull-request"
	LogicalAuthorDay   = "author-day"
)

// WithDefaults returns the options with every zero field set to its
// default.
func (o HistoryOptions) WithDefaults() HistoryOptions {
	if o.Months <= 0 {
		o.Months = 12
	}
	if o.MaxCommits <= 0 {
		o.MaxCommits = 2000
	}
	if o.RepoWideShare <= 0 || o.RepoWideShare > 1 {
		o.RepoWideShare = 0.5
	}
	if o.RepoWideMax <= 0 {
		o.RepoWideMax = 30
	}
	if o.Logical == "" {
		o.Logical = LogicalCommit
	}
	return o
}

// gitArgs are the options every git invocation gets: nothing the
// repository's own config names may run (fsmonitor, hooks, signature
// checks, external diff and textconv drivers), no transport may be used
// (a partial clone must not fetch), and nothing may page or prompt.
var gitArgs = []string{
	"-c", "core.fsmonitor=false",
	"-c", "core.hooksPath=/dev/null",
	"-c", "log.showSignature=false",
	"-c", "protocol.allow=never",
	"-c", "core.quotePath=false",
	"--no-pager", "--no-optional-locks",
}

// gitEnv is the whole environment of a git child: the caller's PATH and
// nothing else it could inherit (GIT_DIR, GIT_CONFIG_*, pagers, askpass).
func gitEnv(root string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_ASKPASS=",
		"SSH_ASKPASS=",
		"GIT_PAGER=cat",
		"PAGER=cat",
		"GIT_OPTIONAL_LOCKS=0",
		"GIT_NO_LAZY_FETCH=1",
		"GIT_NO_REPLACE_OBJECTS=1",
		"GIT_CEILING_DIRECTORIES=" + filepath.Dir(root),
		"LC_ALL=C",
	}
}

// gitCommand builds a git command run in root, reading nothing from stdin.
func gitCommand(ctx context.Context, git, root string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, git, append(append([]string(nil), gitArgs...), args...)...)
	cmd.Dir = root
	cmd.Env = gitEnv(root)
	cmd.Stdin = nil
	cmd.WaitDelay = 2 * time.Second
	return cmd
}

// readHistory fills repo.History. It never fails the load: a missing git,
// a directory that is not a work tree's top, a shallow clone or a git error
// become the history's state.
func (l *loader) readHistory(ctx context.Context) {
	l.endHistory(l.startHistory(ctx))
}

// historyRun is one reading of the history in the background. git log and
// the stream parser need nothing but the work tree, so the load starts them
// before it walks the tree; only the attribution of the paths to services
// waits for the services (endHistory).
type historyRun struct {
	done          chan struct{}
	state, detail string
	hr            *historyReader // the commits, when state is HistoryAnalysed
	crash         any            // a panic of the reading
	took          time.Duration  // the background part
}

// startHistory starts reading the history; endHistory waits for it.
func (l *loader) startHistory(ctx context.Context) *historyRun {
	run := &historyRun{done: make(chan struct{})}
	go func() {
		defer close(run.done)
		start := time.Now()
		defer func() {
			run.took = time.Since(start)
			if p := recover(); p != nil {
				run.crash = p
			}
		}()
		run.state, run.detail, run.hr = l.logHistory(ctx)
	}()
	return run
}

// endHistory waits for the reading run, then attributes its commits to the
// services and fills repo.History.
func (l *loader) endHistory(run *historyRun) {
	<-run.done
	start := time.Now()
	defer func() { l.stats.parser("history", start.Add(-run.took)) }()
	o := l.opts.History.WithDefaults()
	h := &l.repo.History
	h.MaxCommits, h.Logical = o.MaxCommits, o.Logical
	if run.crash != nil {
		l.problem(".git", 0, 0, "parser crashed on this file: %v", run.crash)
		return
	}
	h.State, h.Detail = run.state, run.detail
	if run.hr != nil {
		l.guard(".git", run.hr.finish)
	}
}

// logHistory checks that the root is a work tree's top with its full
// history, then reads git log. It returns the history's state and, when the
// log was read, its reader.
func (l *loader) logHistory(ctx context.Context) (state, detail string, hr *historyReader) {
	o := l.opts.History.WithDefaults()
	if o.Disabled {
		return facts.HistoryDisabled, "history reading is turned off", nil
	}
	if _, err := l.root.Lstat(".git"); err != nil {
		return facts.HistoryNotRepo, "the analysed directory is not the top of a git work tree", nil
	}
	git := o.Git
	if git == "" {
		git = "git"
	}
	git, err := exec.LookPath(git)
	if err != nil {
		return facts.HistoryNoGit, "the git command is not installed", nil
	}
	root := l.repo.Root
	out, err := gitCommand(ctx, git, root, "rev-parse", "--is-shallow-repository", "--show-toplevel").Output()
	if err != nil {
		return facts.HistoryNotRepo, "git does not see a work tree here: " + gitError(err), nil
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 2 || !sameDir(lines[1], root) {
		return facts.HistoryNotRepo, "the analysed directory is not the top of a git work tree", nil
	}
	if lines[0] == "true" {
		return facts.HistoryShallow, "the clone is shallow (fetch the full history, e.g. actions/checkout with fetch-depth: 0)", nil
	}
	hr, err = l.gitLog(ctx, git, o, true)
	if err != nil && missingObjects(err) {
		// A partial clone (--filter=blob:none) lacks the old blobs that
		// rename detection compares, and decouple never fetches: read the
		// log again without following renames.
		hr, err = l.gitLog(ctx, git, o, false)
	}
	if err != nil {
		return facts.HistoryFailed, err.Error(), nil
	}
	return facts.HistoryAnalysed, "", hr
}

// missingObjects reports a git log that failed for want of objects the
// clone does not hold (a partial clone with lazy fetching off).
func missingObjects(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "lazy fetch") || strings.Contains(msg, "unable to read") ||
		strings.Contains(msg, "missing blob") || strings.Contains(msg, "could not read")
}

func sameDir(a, b string) bool {
	ea, err1 := filepath.EvalSymlinks(a)
	eb, err2 := filepath.EvalSymlinks(b)
	return err1 == nil && err2 == nil && filepath.Clean(ea) == filepath.Clean(eb)
}

func gitError(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(ee.Stderr) > 0 {
		line, _, _ := strings.Cut(strings.TrimSpace(string(ee.Stderr)), "\n")
		return strings.TrimPrefix(line, "fatal: ")
	}
	return err.Error()
}

// logFormat starts every commit with RS and separates its fields with US;
// the subject comes last and ends with US NUL.
const logFormat = "--format=%x1e%H%x1f%P%x1f%aI%x1f%ct%x1f%aE%x1f%aN%x1f%s%x1f"

// rawCommit is one commit as git printed it.
type rawCommit struct {
	hash, subject, author string
	parents               []string
	at                    time.Time
	committed             int64
	name                  string
	dirs                  []string // directories of the paths touched (renames resolved)
	services              []string // their services, once attributed
	files                 int
	nonDeps               bool // a path other than a dependency manifest was touched
}

// dependencyFiles are manifests and lock files that dependency bumps touch
// (a commit touching only Dockerfiles, bumping base images, is one too).
var dependencyFiles = map[string]bool{
	"go.mod": true, "go.sum": true, "go.work.sum": true, "package.json": true, "package-lock.json": true,
	"yarn.lock": true, "pnpm-lock.yaml": true, "requirements.txt": true, "requirements.in": true,
	"poetry.lock": true, "pyproject.toml": true, "Pipfile": true, "Pipfile.lock": true, "Gemfile": true,
	"Gemfile.lock": true, "Cargo.toml": true, "Cargo.lock": true, "pom.xml": true, "build.gradle": true,
	"build.gradle.kts": true, "gradle.properties": true, "composer.json": true, "composer.lock": true,
	"packages.lock.json": true, "Directory.Packages.props": true, "mix.lock": true,
}

// isBot reports whether an author is an automated account.
func isBot(name, email string) bool {
	s := strings.ToLower(name + " " + email)
	for _, b := range []string{"[bot]", "bot@", "dependabot", "renovate", "greenkeeper", "snyk-bot", "github-actions"} {
		if strings.Contains(s, b) {
			return true
		}
	}
	return false
}

// touch records one changed path's directory; attribute gives it its
// service once the services are known. git lists a commit's paths sorted,
// so one directory's files are adjacent and recorded once.
func (hr *historyReader) touch(c *rawCommit, p string) {
	c.files++
	if base := path.Base(p); !dependencyFiles[base] && !strings.HasPrefix(base, "requirements") && kindOf(base) != kindDockerfile {
		c.nonDeps = true
	}
	d := path.Dir(hr.resolve(p))
	if n := len(c.dirs); n == 0 || c.dirs[n-1] != d {
		c.dirs = append(c.dirs, d)
	}
}

// attribute gives each commit the services of the directories it touched.
func (hr *historyReader) attribute() {
	for _, c := range hr.commits {
		for _, d := range c.dirs {
			if s := hr.serviceOf(d); s != "" && !contains(c.services, s) {
				c.services = append(c.services, s)
			}
		}
		c.dirs = nil
	}
}

// gitLog streams one git log and returns its commits, not yet attributed to
// services.
// With renames false it does not detect renames, which needs no file
// content.
func (l *loader) gitLog(ctx context.Context, git string, o HistoryOptions, renames bool) (*historyReader, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	detect := "-M"
	if !renames {
		detect = "--no-renames"
	}
	args := []string{"log", "--no-color", "--no-ext-diff", "--no-textconv", "-z", "--name-status", detect,
		"--encoding=UTF-8"}
	if o.Logical == LogicalPullRequest {
		args = append(args, logFormat)
	} else {
		// parents are only needed to find what a merge brought in
		args = append(args, strings.Replace(logFormat, "%P", "", 1), "--no-merges")
	}
	args = append(args, "HEAD", "--")
	cmd := gitCommand(ctx, git, l.repo.Root, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("git log: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git log: %w", err)
	}
	hr := &historyReader{l: l, o: o, renames: map[string]string{}, dirService: map[string]string{}}
	perr := hr.read(bufio.NewReaderSize(stdout, 256<<10))
	stopped := hr.stopped
	if stopped || perr != nil {
		cancel() // the window is read: end git early
	}
	_, _ = io.Copy(io.Discard, stdout)
	werr := cmd.Wait()
	if perr != nil {
		return nil, perr
	}
	if werr != nil && !stopped {
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, "does not have any commits") || strings.Contains(msg, "unknown revision") {
			return hr, nil // an empty repository: nothing to read
		}
		line, _, _ := strings.Cut(msg, "\n")
		return nil, fmt.Errorf("git log failed: %s", strings.TrimPrefix(line, "fatal: "))
	}
	return hr, nil
}

// historyReader parses git log output as it streams.
type historyReader struct {
	l         *loader
	o         HistoryOptions
	cutoff    int64 // committer time before which the window ends; 0 until the first commit
	stopped   bool  // the window or the cap ended the reading
	truncated bool  // the cap ended it
	nonMerge  int

	commits []*rawCommit // every commit read (merges too), newest first
	// renames maps an old path to the newest name it was renamed to.
	renames    map[string]string
	dirService map[string]string
}

var errEnd = errors.New("end of window")

func (hr *historyReader) read(r *bufio.Reader) error {
	var cur *rawCommit
	for {
		b, err := r.ReadByte()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read git log: %w", err)
		}
		switch b {
		case 0x1e:
			if cur != nil {
				if err := hr.add(cur); err != nil {
					return nil
				}
			}
			cur, err = readHeader(r)
			if err != nil {
				return err
			}
		case '\n':
			// the separator between a commit's header and its file list
		default:
			if cur == nil {
				return errors.New("read git log: unexpected output before the first commit")
			}
			status, err := readField(r, b)
			if err != nil {
				return err
			}
			p, err := readField(r, 0)
			if err != nil {
				return err
			}
			if status != "" && (status[0] == 'R' || status[0] == 'C') {
				to, err := readField(r, 0)
				if err != nil {
					return err
				}
				if status[0] == 'R' {
					hr.touch(cur, to)
					hr.renames[p] = hr.resolve(to)
					continue
				}
				p = to
			}
			hr.touch(cur, p)
		}
	}
	if cur != nil {
		_ = hr.add(cur)
	}
	return nil
}

// readField reads up to the next NUL; first, when not 0, is its first byte.
func readField(r *bufio.Reader, first byte) (string, error) {
	s, err := r.ReadString(0)
	if err != nil {
		return "", fmt.Errorf("read git log: truncated output: %w", err)
	}
	s = s[:len(s)-1]
	if first != 0 {
		s = string(first) + s
	}
	return s, nil
}

func readHeader(r *bufio.Reader) (*rawCommit, error) {
	var fields []string
	for i := 0; i < 6; i++ {
		f, err := r.ReadString(0x1f)
		if err != nil {
			return nil, fmt.Errorf("read git log: truncated header: %w", err)
		}
		fields = append(fields, f[:len(f)-1])
	}
	subj, err := r.ReadString(0)
	if err != nil {
		return nil, fmt.Errorf("read git log: truncated header: %w", err)
	}
	subj = strings.TrimSuffix(subj[:len(subj)-1], "\x1f")
	at, err := time.Parse(time.RFC3339, fields[2])
	if err != nil {
		return nil, fmt.Errorf("read git log: bad author date %q", fields[2])
	}
	ct, err := strconv.ParseInt(fields[3], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("read git log: bad commit date %q", fields[3])
	}
	author := fields[4]
	if author == "" {
		author = fields[5]
	}
	return &rawCommit{hash: fields[0], parents: strings.Fields(fields[1]), at: at, committed: ct,
		author: clean(author), name: clean(fields[5]), subject: clean(subj)}, nil
}

// add keeps a commit, or returns errEnd when it lies outside the window.
func (hr *historyReader) add(c *rawCommit) error {
	if hr.cutoff == 0 {
		hr.cutoff = time.Unix(c.committed, 0).AddDate(0, -hr.o.Months, 0).Unix()
	}
	if c.committed < hr.cutoff {
		hr.stopped = true
		return errEnd
	}
	if len(c.parents) < 2 {
		if hr.nonMerge == hr.o.MaxCommits {
			hr.stopped, hr.truncated = true, true
			return errEnd
		}
		hr.nonMerge++
	}
	hr.commits = append(hr.commits, c)
	return nil
}

// resolve follows the renames seen so far (in newer commits) to the newest
// name of a path.
func (hr *historyReader) resolve(p string) string {
	for i := 0; i < 8; i++ {
		to, ok := hr.renames[p]
		if !ok {
			break
		}
		p = to
	}
	return p
}

// serviceOf is the service of a directory.
func (hr *historyReader) serviceOf(d string) string {
	s, ok := hr.dirService[d]
	if !ok {
		s = hr.l.serviceOf(d + "/x")
		hr.dirService[d] = s
	}
	return s
}

// finish builds the facts: commits with their services, logical changes,
// repo-wide flags.
func (hr *historyReader) finish() {
	hr.attribute()
	h := &hr.l.repo.History
	h.Truncated = hr.truncated
	total := 0 // the services a commit can touch: those with a folder
	for _, s := range hr.l.repo.Services {
		if len(s.Dirs) > 0 {
			total++
		}
	}
	wide := func(n int) bool {
		return n > hr.o.RepoWideMax || (n >= 3 && float64(n) > hr.o.RepoWideShare*float64(total))
	}
	byHash := map[string]*rawCommit{}
	for _, c := range hr.commits {
		byHash[c.hash] = c
	}
	index := map[string]int{}
	for _, rc := range hr.commits {
		if len(rc.parents) >= 2 {
			continue
		}
		sort.Strings(rc.services)
		c := &facts.Commit{Hash: rc.hash, Short: short(rc.hash), Subject: rc.subject, Author: rc.author,
			Time: rc.at, Services: rc.services, Files: rc.files}
		c.RepoWide = wide(len(c.Services))
		switch {
		case isBot(rc.name, rc.author):
			c.Chore = "bot"
		case !rc.nonDeps && rc.files > 0:
			c.Chore = "dependencies"
		}
		if c.Chore != "" {
			h.Chores++
		}
		index[rc.hash] = len(h.Commits)
		h.Commits = append(h.Commits, c)
		if h.Until.IsZero() || c.Time.After(h.Until) {
			h.Until = c.Time
		}
		if h.Since.IsZero() || c.Time.Before(h.Since) {
			h.Since = c.Time
		}
	}
	hr.assignChanges(byHash)
	var order []string
	changes := map[string]*facts.Change{}
	for i, c := range h.Commits {
		ch := changes[c.Change]
		if ch == nil {
			ch = &facts.Change{ID: c.Change}
			changes[c.Change] = ch
			order = append(order, c.Change)
		}
		ch.Commits = append(ch.Commits, i)
	}
	for _, id := range order {
		ch := changes[id]
		set := map[string]bool{}
		all := true
		for _, i := range ch.Commits {
			c := h.Commits[i]
			if c.RepoWide || c.Chore != "" {
				continue
			}
			all = false
			for _, s := range c.Services {
				set[s] = true
			}
		}
		ch.Services = slices.Sorted(maps.Keys(set))
		ch.RepoWide = all || wide(len(ch.Services))
		if ch.RepoWide {
			h.RepoWide++
		}
		h.Changes = append(h.Changes, ch)
	}
}

// assignChanges sets every commit's logical change.
func (hr *historyReader) assignChanges(byHash map[string]*rawCommit) {
	h := &hr.l.repo.History
	for _, c := range h.Commits {
		c.Change = c.Hash
	}
	switch hr.o.Logical {
	case LogicalAuthorDay:
		for _, c := range h.Commits {
			c.Change = c.Author + "@" + c.Time.Format("2006-01-02")
		}
	case LogicalPullRequest:
		if len(hr.commits) == 0 {
			return
		}
		// The mainline is the first-parent chain from the newest commit; each
		// merge on it owns the first-parent chain of its second parent down
		// to the mainline.
		mainline := map[string]bool{}
		var merges []*rawCommit
		for c := hr.commits[0]; c != nil; {
			if mainline[c.hash] {
				break
			}
			mainline[c.hash] = true
			if len(c.parents) >= 2 {
				merges = append(merges, c)
			}
			if len(c.parents) == 0 {
				break
			}
			c = byHash[c.parents[0]]
		}
		owner := map[string]string{}
		for _, m := range merges {
			for c := byHash[m.parents[1]]; c != nil && !mainline[c.hash] && owner[c.hash] == ""; {
				owner[c.hash] = m.hash
				if len(c.parents) == 0 {
					break
				}
				c = byHash[c.parents[0]]
			}
		}
		for _, c := range h.Commits {
			if o := owner[c.Hash]; o != "" {
				c.Change = o
			}
		}
	}
}

func short(hash string) string {
	if len(hash) > 8 {
		return hash[:8]
	}
	return hash
}

// clean drops control and bidi characters and invalid UTF-8 from text
// taken from the history, so that no output channel can be steered by it.
func clean(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, s)
}
