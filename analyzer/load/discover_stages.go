package load

import (
	"bytes"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// stage is one build stage of a Dockerfile, as far as the programs it
// builds and starts are concerned.
type stage struct {
	name    string            // its AS name, lower case ("" for none)
	line    int               // its FROM line
	workdir string            // the container directory its commands run in
	builds  map[string]string // binary name → the container path of the package go build compiled
	entry   string            // the program its ENTRYPOINT or CMD starts, base name
}

// goBuildValueFlags are the go build flags that take a value as the next
// argument.
var goBuildValueFlags = map[string]bool{
	"-o": true, "-ldflags": true, "-gcflags": true, "-asmflags": true, "-tags": true, "-mod": true, "-p": true,
	"-pkgdir": true, "-buildmode": true, "-toolexec": true, "-overlay": true, "-modfile": true, "-installsuffix": true,
	"-compiler": true, "-gccgoflags": true, "-pgo": true, "-C": true,
}

// dockerStages reads the stages of a Dockerfile: for each, the programs
// go build compiles in it (by output name) and the program it starts.
func dockerStages(data []byte) []*stage {
	var out []*stage
	byName := map[string]*stage{}
	var cur *stage
	for _, ins := range dockerInstructions(data) {
		if ins.cmd == "FROM" {
			f := shellFields(ins.args)
			cur = &stage{line: ins.line, workdir: "/", builds: map[string]string{}}
			for i, tok := range f {
				if strings.EqualFold(tok, "AS") && i+1 < len(f) {
					cur.name = strings.ToLower(f[i+1])
				}
			}
			if len(f) > 0 {
				if base := byName[strings.ToLower(f[0])]; base != nil { // FROM builder AS x inherits builder
					cur.workdir = base.workdir
					for k, v := range base.builds {
						cur.builds[k] = v
					}
				}
			}
			if cur.name != "" {
				byName[cur.name] = cur
			}
			out = append(out, cur)
			continue
		}
		if cur == nil {
			continue
		}
		switch ins.cmd {
		case "WORKDIR":
			cur.workdir = path.Join(cur.workdir, strings.Trim(ins.args, `"`))
		case "RUN":
			cwd := cur.workdir
			for _, cmd := range shellCommands(ins.args) {
				toks := runProgram(shellFields(cmd))
				if len(toks) >= 2 && toks[0] == "cd" {
					cwd = path.Join(cwd, toks[1])
					continue
				}
				if len(toks) < 2 || (path.Base(toks[0]) != "go" && path.Base(toks[0]) != "xx-go") || toks[1] != "build" {
					continue
				}
				bin, pkgs := goBuildArgs(toks[2:])
				if len(pkgs) != 1 || strings.HasSuffix(pkgs[0], "...") {
					continue
				}
				if bin == "" {
					bin = path.Base(pkgs[0])
				}
				cur.builds[path.Base(bin)] = path.Join(cwd, pkgs[0])
			}
		case "COPY", "ADD":
			// COPY --from=builder /app/bin/churner /usr/local/bin: the
			// binary keeps the package the builder compiled it from.
			toks := shellFields(ins.args)
			var from string
			for _, t := range toks {
				if v, ok := strings.CutPrefix(t, "--from="); ok {
					from = strings.ToLower(v)
				}
			}
			if src := byName[from]; src != nil {
				pos := positional(toks)
				for _, p := range pos[:max(len(pos)-1, 0)] {
					if pkg, ok := src.builds[path.Base(p)]; ok {
						cur.builds[path.Base(p)] = pkg
					}
				}
			}
		case "CMD", "ENTRYPOINT":
			args := strings.NewReplacer("[", " ", "]", " ", ",", " ").Replace(ins.args)
			if f := shellFields(args); len(f) > 0 {
				if p := path.Base(f[0]); !shells[p] {
					cur.entry = p
				}
			}
		}
	}
	return out
}

// shells start a command line, not a program of the repository's.
var shells = map[string]bool{"sh": true, "bash": true, "ash": true, "dumb-init": true, "tini": true, "/": true, ".": true}

// goBuildArgs returns go build's output name and package arguments.
func goBuildArgs(args []string) (out string, pkgs []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case goBuildValueFlags[a]:
			if a == "-o" && i+1 < len(args) {
				out = args[i+1]
			}
			i++
		case strings.HasPrefix(a, "-o="):
			out = strings.TrimPrefix(a, "-o=")
		case strings.HasPrefix(a, "-"):
		default:
			pkgs = append(pkgs, a)
		}
	}
	return out, pkgs
}

// stageServices: a Dockerfile with a final stage per program (FROM alpine
// AS churner, ENTRYPOINT ["churner"], each image built with --target)
// holds several services; each stage that starts a program go build
// compiled from a folder of the repository is the service of that folder
// (the build's folder, less a trailing cmd/), named after the stage.
func (l *loader) stageServices() []candidate {
	var out []candidate
	for _, in := range l.inputs {
		if in.kind != kindDockerfile || inFolder(in.path, toolingFolders) ||
			bytes.Count(in.data, []byte("ENTRYPOINT"))+bytes.Count(in.data, []byte("CMD")) < 2 {
			continue // a stage per program needs two entry points at least
		}
		stages := dockerStages(in.data)
		entries := 0
		for _, st := range stages {
			if st.entry != "" {
				entries++
			}
		}
		if entries < 2 {
			continue
		}
		for _, st := range stages {
			pkg, ok := st.builds[st.entry]
			if st.entry == "" || !ok {
				continue
			}
			dir := l.programDir(pkg, path.Dir(in.path))
			if dir == "" {
				continue
			}
			if (path.Base(dir) == "cmd" || genericDirs[path.Base(dir)]) && path.Dir(dir) != "." {
				dir = path.Dir(dir) // operators/churner/cmd, ejector/main
			}
			name := st.name
			for _, suffix := range []string{"-target", "-image", "-release", "-final"} {
				name = strings.TrimSuffix(name, suffix)
			}
			if name == "" {
				name = st.entry
			}
			out = append(out, candidate{name: name, root: dir,
				reason: fmt.Sprintf("Dockerfile stage %s in %s", st.name, in.path),
				decl:   facts.Position{File: in.path, Line: st.line}})
		}
	}
	return out
}

// helperPrograms maps the folder of the one program an image ships beside
// the one it starts (volcano's agent image: ENTRYPOINT vc-agent, with
// network-qos, a CNI plugin the agent installs, copied in) to the folder of
// the program it starts. Images of tooling folders count for nothing.
func (l *loader) helperPrograms() map[string]string {
	out := map[string]string{}
	for _, in := range l.inputs {
		if in.kind != kindDockerfile || inFolder(in.path, toolingFolders) || bytes.Count(in.data, []byte("go build")) < 2 {
			continue // a helper needs a second program built
		}
		stages := dockerStages(in.data)
		entries := 0
		for _, st := range stages {
			if st.entry != "" {
				entries++
			}
		}
		if entries != 1 || stages[len(stages)-1].entry == "" {
			continue // no program started, or a stage per program (targets)
		}
		built := map[string]string{} // binary → package, over every stage
		for _, st := range stages {
			maps.Copy(built, st.builds)
		}
		copied := finalCopies(in.data)
		pkg, ok := built[stages[len(stages)-1].entry]
		started := ""
		if ok {
			started = l.programDir(pkg, path.Dir(in.path))
		}
		if started == "" {
			continue
		}
		var helpers []string
		for _, bin := range slices.Sorted(maps.Keys(built)) {
			if !copied[bin] {
				continue // built, not shipped (a test helper of the build stage)
			}
			if dir := l.programDir(built[bin], path.Dir(in.path)); dir != "" && dir != started && out[dir] == "" {
				helpers = append(helpers, dir)
			}
		}
		if len(helpers) == 1 {
			// one program beside the started one is its helper; an image
			// of several programs is one image for many deployments, each
			// running its own (openmeter's workers, chosen by command)
			out[helpers[0]] = started
		}
	}
	return out
}

// finalCopies returns the base names of the files the last stage of a
// Dockerfile copies from other stages (COPY --from=b /out/network-qos ...).
func finalCopies(data []byte) map[string]bool {
	out := map[string]bool{}
	for _, ins := range dockerInstructions(data) {
		switch {
		case ins.cmd == "FROM":
			clear(out)
		case ins.cmd == "COPY" && strings.Contains(ins.args, "--from"):
			var srcs []string
			for _, f := range shellFields(ins.args) {
				if !strings.HasPrefix(f, "--") {
					srcs = append(srcs, f)
				}
			}
			for _, src := range srcs[:max(len(srcs)-1, 0)] { // the last is the destination
				out[path.Base(strings.Trim(src, `"[],`))] = true
			}
		}
	}
	return out
}

// dockerfileProgram returns the folder of the one program the Dockerfile
// df compiles with go build, in any of its stages: "" when it compiles
// none, several, or one that is no main package of the repository.
func (l *loader) dockerfileProgram(df string) string {
	if prog, ok := l.programs[df]; ok {
		return prog
	}
	if l.programs == nil {
		l.programs = map[string]string{}
	}
	prog := l.compiledProgram(df)
	l.programs[df] = prog
	return prog
}

func (l *loader) compiledProgram(df string) string {
	in := l.byPath[df]
	if in == nil || in.kind != kindDockerfile || !bytes.Contains(in.data, []byte(" build")) && !bytes.Contains(in.data, []byte(" install")) {
		return ""
	}
	found := ""
	for _, st := range dockerStages(in.data) {
		for _, pkg := range st.builds {
			dir := l.programDir(pkg, path.Dir(df))
			if dir == "" || found != "" && found != dir {
				return ""
			}
			found = dir
		}
	}
	return found
}

// programDir maps a container path go build compiled (/src/cmd/ledgerd)
// to the main package's folder: the longest tail of it that is one, below
// the build context (the Dockerfile's folder) or the repository root.
func (l *loader) programDir(p, context string) string {
	if strings.HasSuffix(p, ".go") {
		p = path.Dir(p) // go build cmd/manager/main.go
	}
	parts := strings.Split(strings.Trim(p, "/"), "/")
	for i := range parts {
		tail := strings.Join(parts[i:], "/")
		for _, base := range []string{context, "."} {
			if d := cleanDir(path.Join(base, tail)); d != "" && l.hasMain(d) {
				return d
			}
		}
	}
	return ""
}
