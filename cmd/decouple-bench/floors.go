package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// The floors are the cheapest programs that do part of decouple's work:
// they run as child processes of decouple-bench (decouple-bench floor KIND
// DIR), so that they are timed exactly as decouple is, process start
// included.

// skipDirs are the directories decouple never reads.
var skipDirs = map[string]bool{".git": true, "vendor": true, "node_modules": true, "third_party": true, "third-party": true}

// inputFile reports whether decouple reads a file of this name (the kinds
// of analyzer/load's walker).
func inputFile(name string) bool {
	lower := strings.ToLower(name)
	switch {
	case name == "go.mod" || name == "go.work", lower == "dockerfile", strings.HasPrefix(lower, "dockerfile."),
		strings.HasSuffix(lower, ".dockerfile"), lower == "makefile", lower == "gnumakefile", strings.HasSuffix(lower, ".mk"),
		lower == ".env", strings.HasPrefix(lower, ".env."), strings.HasSuffix(lower, ".env"):
		return true
	}
	switch filepath.Ext(lower) {
	case ".proto", ".go", ".yaml", ".yml", ".json", ".sql", ".toml":
		return true
	}
	return false
}

// inputs walks dir and returns the input files decouple would read.
func inputs(dir string, keep func(string) bool) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && keep(d.Name()) {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// parallel runs fn over every file with GOMAXPROCS workers.
func parallel(files []string, fn func(string) error) error {
	var wg sync.WaitGroup
	next := make(chan string)
	errs := make(chan error, 1)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range next {
				if err := fn(f); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// floorMain is the child side: decouple-bench floor read|imports|yaml DIR.
// yaml is not a floor but a reference: the YAML library's own cost of
// decoding every YAML and JSON input to nodes (as decouple's parsers
// start), so the tables show how much of decouple's time it is.
func floorMain(args []string, stdout io.Writer) error {
	if len(args) != 2 {
		return fmt.Errorf("usage: decouple-bench floor read|imports|yaml DIR")
	}
	kind, dir := args[0], args[1]
	switch kind {
	case "read":
		files, err := inputs(dir, inputFile)
		if err != nil {
			return err
		}
		var mu sync.Mutex
		var total int64
		err = parallel(files, func(f string) error {
			data, err := os.ReadFile(f)
			mu.Lock()
			total += int64(len(data))
			mu.Unlock()
			return err
		})
		fmt.Fprintf(stdout, "%d files %d bytes\n", len(files), total)
		return err
	case "imports":
		files, err := inputs(dir, func(name string) bool { return strings.HasSuffix(name, ".go") })
		if err != nil {
			return err
		}
		var mu sync.Mutex
		imports := 0
		err = parallel(files, func(f string) error {
			data, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, data, parser.ImportsOnly|parser.SkipObjectResolution)
			if af == nil {
				return err
			}
			mu.Lock()
			imports += len(af.Imports)
			mu.Unlock()
			return nil
		})
		fmt.Fprintf(stdout, "%d files %d imports\n", len(files), imports)
		return err
	case "yaml":
		files, err := inputs(dir, func(name string) bool {
			ext := strings.ToLower(filepath.Ext(name))
			return ext == ".yaml" || ext == ".yml" || ext == ".json"
		})
		if err != nil {
			return err
		}
		var mu sync.Mutex
		docs, bad := 0, 0
		err = parallel(files, func(f string) error {
			data, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			n, ok := decodeAll(data)
			mu.Lock()
			docs += n
			if !ok {
				bad++
			}
			mu.Unlock()
			return nil
		})
		fmt.Fprintf(stdout, "%d files %d documents %d not YAML\n", len(files), docs, bad)
		return err
	}
	return fmt.Errorf("unknown floor %q", kind)
}

// decodeAll decodes every document of data to a node tree; false when one
// is not YAML (the rest of the file is then left, as a parser would).
func decodeAll(data []byte) (int, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	n := 0
	for {
		var node yaml.Node
		switch err := dec.Decode(&node); {
		case errors.Is(err, io.EOF):
			return n, true
		case err != nil:
			return n, false
		}
		n++
	}
}
