package load

import (
	"bufio"
	"bytes"
	"context"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// The kinds of process-manager inputs.
const (
	kindProcfile    = "procfile"
	kindSupervisord = "supervisord"
	kindModd        = "modd"
)

// deployKindOf names the process-manager configs the walker reads.
func deployKindOf(lower string) string {
	switch {
	case lower == "procfile" || strings.HasPrefix(lower, "procfile."):
		return kindProcfile
	case lower == "modd.conf":
		return kindModd
	case strings.HasPrefix(lower, "supervisord") && (strings.HasSuffix(lower, ".conf") || strings.HasSuffix(lower, ".ini")):
		return kindSupervisord
	}
	return ""
}

// processManagers are programs that start several processes in one
// container.
var processManagers = []string{"supervisord", "modd", "honcho", "foreman", "overmind", "pm2", "pm2-runtime", "s6-svscan", "runsvdir", "hivemind", "goreman"}

// parseDeployFiles reads Dockerfiles, process-manager configs and the
// release-version sources (Helm values, kustomize,
// skaffold) into deploy facts.
func (l *loader) parseDeployFiles(ctx context.Context, ix *deployIndex) {
	d := &l.repo.Deploy
	for _, in := range l.inputs {
		if ctx.Err() != nil {
			return
		}
		l.guard(in.path, func() {
			switch in.kind {
			case kindDockerfile:
				b, tags := ix.dockerfile(in)
				if b != nil {
					d.Bundles = append(d.Bundles, b)
				}
				d.ImageTags = append(d.ImageTags, tags...)
			case kindProcfile, kindSupervisord, kindModd:
				if b := ix.processConfig(in); b != nil {
					d.Bundles = append(d.Bundles, b)
				}
			}
		})
	}
	d.Bundles = append(d.Bundles, l.imageBundles()...)
	d.ImageTags = append(d.ImageTags, ix.versionTags...)
	d.ImageTags = append(d.ImageTags, ix.helmTags()...)
	d.ImageTags = append(d.ImageTags, ix.kustomizeTags()...)
	d.ImageTags = append(d.ImageTags, ix.skaffoldTags()...)
	d.Waits = append(d.Waits, ix.helmHookWaits()...)
}

// servicesUnder returns the services whose root lies below dir (none for
// the repository root: ./... is every package, not a choice of services).
func (ix *deployIndex) servicesUnder(dir string) []string {
	if dir == "" || dir == "." {
		return nil
	}
	var out []string
	for _, s := range ix.l.repo.Services {
		if len(s.Dirs) > 0 && under(s.Dirs[0], dir) {
			out = append(out, s.Name)
		}
	}
	return out
}

// imageBundles groups the compose services built from one Dockerfile,
// context and target: when they run different repository services (chat
// and user, each "build: ." with its own command), that image is one
// deployable for all of them. Services built to different targets of one
// Dockerfile run different images. A compose service that bind-mounts its
// service's code runs that code, not the image's (a shared development
// image), and is left out.
func (l *loader) imageBundles() []*facts.Bundle {
	type key struct{ build, dockerfile, target string }
	groups := map[key][]*facts.Workload{}
	var order []key
	for _, w := range l.repo.Workloads {
		if w.Kind != "compose" || w.Dockerfile == "" || w.Service == "" || l.mountsCode(w) {
			continue
		}
		k := key{w.Build, w.Dockerfile, w.Target}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], w)
	}
	var out []*facts.Bundle
	for _, k := range order {
		ws := groups[k]
		// Reported where compose runs it the first time: there the image
		// becomes several services.
		b := &facts.Bundle{Kind: "image", File: k.dockerfile, Pos: ws[0].Pos}
		if !slices.ContainsFunc(ws, func(w *facts.Workload) bool { return w.Command != ws[0].Command }) {
			continue // one program, run as several instances (cluster0, cluster1)
		}
		seen := map[string]bool{}
		for _, w := range ws {
			if seen[w.Service] {
				continue
			}
			seen[w.Service] = true
			text := "compose service " + w.Name
			if w.Command != "" {
				text += " (" + w.Command + ")"
			}
			b.Members = append(b.Members, facts.BundleMember{Service: w.Service, How: "run", Pos: w.Pos, Text: text})
		}
		if len(b.Members) >= 2 {
			out = append(out, b)
		}
	}
	return out
}

// mountsCode reports whether a compose service bind-mounts the code of
// the service it runs: a folder of that service, one holding it, or the
// whole repository. w.Service names a service.
func (l *loader) mountsCode(w *facts.Workload) bool {
	s := l.serviceByName(w.Service)
	for _, m := range w.Mounts {
		if !m.Bind || m.Source == "" || strings.HasPrefix(m.Source, "..") {
			continue
		}
		if m.Source == "." {
			return true // the whole repository
		}
		for _, d := range s.Dirs {
			if under(d, m.Source) || under(m.Source, d) {
				return true
			}
		}
	}
	return false
}

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd, args string
	line      int
}

func dockerInstructions(data []byte) []instruction {
	var out []instruction
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20) // grows from 4 KB; a 64 KB buffer per Dockerfile added up
	var cur *instruction
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if cur == nil {
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			cmd, args, _ := strings.Cut(line, " ")
			cur = &instruction{cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args), line: n}
		} else if !strings.HasPrefix(line, "#") {
			cur.args += " " + line
		}
		if strings.HasSuffix(cur.args, "\\") {
			cur.args = strings.TrimSuffix(cur.args, "\\")
			continue
		}
		out = append(out, *cur)
		cur = nil
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out
}

var versionRead = regexp.MustCompile(`(?:\bcat\s+|<\s*|\b(?:COPY|ADD)\s+(?:--\S+\s+)*)(?:\./)?((?:[\w.-]+/)*VERSION(?:\.txt)?)\b`)

// readsVersion is versionRead's submatches in text, tried only when text
// names a VERSION file at all.
func readsVersion(text string) []string {
	if !strings.Contains(text, "VERSION") {
		return nil
	}
	return versionRead.FindStringSubmatch(text)
}

// dockerfile reads which services one Dockerfile copies, builds and
// starts, and whether its build reads a VERSION file.
func (ix *deployIndex) dockerfile(in *input) (*facts.Bundle, []facts.ImageTag) {
	dir := cleanDir(path.Dir(in.path))
	owner := ix.l.serviceOf(in.path)
	b := &facts.Bundle{Kind: "dockerfile", File: in.path, Pos: facts.Position{File: in.path, Line: 1}}
	var tags []facts.ImageTag
	var copied []string // services whose directories were copied
	stage := 0          // the build stage being read, counting FROMs
	entries := map[int]bool{}
	fromLine := map[int]int{} // the line of each stage's FROM
	type member struct {
		facts.BundleMember
		stage int
	}
	var members []member
	add := func(svc, how, text string, line int) {
		if svc == "" {
			return
		}
		for _, m := range members {
			if m.Service == svc && m.How == how && m.stage == stage {
				return
			}
		}
		members = append(members, member{facts.BundleMember{Service: svc, How: how, Text: text, Pos: facts.Position{File: in.path, Line: line}}, stage})
	}
	for _, ins := range dockerInstructions(in.data) {
		if m := readsVersion(ins.cmd + " " + ins.args); m != nil && owner != "" {
			tags = append(tags, facts.ImageTag{Source: "version-file", Service: owner, Var: "VERSION", Scope: m[1],
				Pos: facts.Position{File: in.path, Line: ins.line}})
		}
		switch ins.cmd {
		case "FROM":
			stage++
			fromLine[stage] = ins.line
		case "COPY", "ADD":
			toks := shellFields(ins.args)
			if len(toks) < 2 || strings.Contains(ins.args, "--from") {
				continue
			}
			for _, src := range positional(toks)[:len(positional(toks))-1] {
				svc := ix.contextService(dir, src)
				add(svc, "copy", src, ins.line)
				if svc != "" && !contains(copied, svc) {
					copied = append(copied, svc)
				}
			}
		case "RUN":
			for _, cmd := range shellCommands(ins.args) {
				toks := runProgram(shellFields(cmd))
				// xx-go is tonistiigi/xx's cross-compiling go
				if len(toks) < 2 || path.Base(toks[0]) != "go" && path.Base(toks[0]) != "xx-go" || (toks[1] != "build" && toks[1] != "install") {
					continue
				}
				for _, a := range positional(toks[2:]) {
					if pkgs, ok := strings.CutSuffix(a, "/..."); ok {
						// ./cmd/... builds every service below cmd/; ./...
						// every service the image copied in
						under := ix.servicesUnder(joinDir(dir, pkgs))
						if len(under) == 0 {
							under = copied
						}
						for _, svc := range under {
							add(svc, "build", a, ins.line)
						}
						continue
					}
					add(ix.contextService(dir, a), "build", a, ins.line)
				}
			}
		case "CMD", "ENTRYPOINT":
			entries[stage] = true
			args := strings.NewReplacer("[", " ", "]", " ", ",", " ", "&", " ").Replace(ins.args)
			for _, tok := range shellFields(args) {
				base := path.Base(tok)
				if contains(processManagers, base) {
					b.Manager = base
				}
				add(ix.service(base), "start", tok, ins.line)
			}
		}
	}
	// One image per stage that starts a program (FROM golang AS builder,
	// then FROM alpine AS orders-target with its CMD, one per service,
	// each built with --target): the file is several images, and only a
	// stage that itself holds several services is one deployable.
	multi := len(entries) >= 2
	perStage := map[int][]facts.BundleMember{}
	for _, m := range members {
		if !multi {
			b.Members = append(b.Members, m.BundleMember)
		} else if entries[m.stage] {
			perStage[m.stage] = append(perStage[m.stage], m.BundleMember)
		}
	}
	for _, st := range slices.Sorted(maps.Keys(perStage)) {
		if ms := perStage[st]; distinctServices(ms) >= 2 {
			if len(b.Members) == 0 {
				b.Pos.Line = fromLine[st] // the stage is the deployable
			}
			b.Members = append(b.Members, ms...)
		}
	}
	if distinctServices(b.Members) < 2 {
		return nil, tags
	}
	return b, tags
}

// runProgram drops what comes before the program of a RUN command: RUN's
// own flags (--mount=type=cache,...) and environment assignments
// (CGO_ENABLED=0).
func runProgram(toks []string) []string {
	for len(toks) > 0 && (strings.HasPrefix(toks[0], "--") || strings.Contains(toks[0], "=") && !strings.HasPrefix(toks[0], "-")) {
		toks = toks[1:]
	}
	return toks
}

// contextService names the service a path in a Dockerfile points into,
// trying the Dockerfile's folder as the build context, then the root.
func (ix *deployIndex) contextService(dir, p string) string {
	p = strings.TrimSuffix(p, "/...")
	if strings.ContainsAny(p, "$*") || strings.HasPrefix(p, "/") || strings.Contains(p, "://") {
		return ""
	}
	for _, ctx := range []string{dir, ""} {
		q := cleanDir(path.Join(ctx, p))
		if strings.HasPrefix(q, "../") || !ix.exists(q) {
			continue
		}
		if s := ix.l.serviceOf(q); s != "" {
			return s
		}
	}
	// cmd/<name> in a single-module repository names the service <name>.
	if parts := strings.Split(cleanDir(p), "/"); len(parts) >= 2 && parts[len(parts)-2] == "cmd" {
		return ix.service(parts[len(parts)-1])
	}
	return ""
}

// exists reports whether a repo-relative path is an input or a folder
// holding one.
func (ix *deployIndex) exists(p string) bool {
	if p == "" {
		return true
	}
	if ix.dirs == nil {
		ix.dirs = ix.l.dirSet()
	}
	return ix.dirs[p] || ix.l.byPath[p] != nil
}

func distinctServices(ms []facts.BundleMember) int {
	set := map[string]bool{}
	for _, m := range ms {
		set[m.Service] = true
	}
	return len(set)
}

var (
	supervisorProgram = regexp.MustCompile(`^\[program:([^\]]+)\]`)
	moddDaemon        = regexp.MustCompile(`^\s*(daemon|prep)(?:\s+\+\w+)*\s*:\s*(.+)$`)
	procfileEntry     = regexp.MustCompile(`^([A-Za-z0-9_-]+)\s*:\s*(.+)$`)
)

// processConfig reads a supervisord, modd or Procfile config: every
// program it runs that is a service.
func (ix *deployIndex) processConfig(in *input) *facts.Bundle {
	dir := cleanDir(path.Dir(in.path))
	b := &facts.Bundle{Kind: in.kind, File: in.path, Pos: facts.Position{File: in.path, Line: 1}, Manager: in.kind}
	program := ""
	programLine := 0
	for i, line := range strings.Split(string(in.data), "\n") {
		n := i + 1
		var cmd string
		switch in.kind {
		case kindSupervisord:
			if m := supervisorProgram.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
				program, programLine = m[1], n
				continue
			}
			if k, v, ok := strings.Cut(line, "="); ok && strings.TrimSpace(k) == "command" && program != "" {
				cmd = program + " " + v
				n = programLine
			}
		case kindModd:
			if m := moddDaemon.FindStringSubmatch(line); m != nil && m[1] == "daemon" {
				cmd = m[2]
			}
		case kindProcfile:
			if m := procfileEntry.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
				cmd = m[1] + " " + m[2]
			}
		}
		if cmd == "" {
			continue
		}
		if svc := ix.commandService(cmd, dir); svc != "" {
			b.Members = append(b.Members, facts.BundleMember{Service: svc, How: "start", Text: strings.TrimSpace(cmd), Pos: facts.Position{File: in.path, Line: n}})
		}
	}
	if distinctServices(b.Members) < 2 {
		return nil
	}
	return b
}

// commandService names the service a process command starts: a word that
// is a path into a service, or whose base name is a service's name.
func (ix *deployIndex) commandService(cmd, dir string) string {
	for _, tok := range shellFields(cmd) {
		if strings.HasPrefix(tok, "-") {
			continue
		}
		if p := joinDir(dir, tok); p != "" && strings.Contains(tok, "/") {
			if s := ix.l.serviceOf(p); s != "" {
				return s
			}
			if s := ix.contextService(dir, tok); s != "" {
				return s
			}
		}
		if s := ix.service(path.Base(tok)); s != "" {
			return s
		}
	}
	return ""
}
