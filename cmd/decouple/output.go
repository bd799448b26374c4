package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/mattn/go-isatty"

	"github.com/decouplehq/decouple/reports"
)

// output is one --format NAME[=PATH]; an empty path is stdout.
type output struct {
	format string
	path   string
}

// parseOutputs reads the --format and --output flags. --output applies to
// the formats given without a path. At most one output goes to stdout.
func parseOutputs(formats []string, outPath string) ([]output, error) {
	if len(formats) == 0 {
		formats = []string{"text"}
	}
	var outs []output
	stdout := 0
	for _, f := range formats {
		name, p, _ := strings.Cut(f, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if _, err := reports.Lookup(name); err != nil {
			return nil, usageErr("--format: %v", err)
		}
		if p == "" {
			p = outPath
		}
		if p == "" || p == "-" {
			p = ""
			stdout++
		}
		outs = append(outs, output{format: name, path: p})
	}
	if stdout > 1 {
		return nil, usageErr("--format: %d formats write to stdout; give the others a path (NAME=PATH)", stdout)
	}
	return outs, nil
}

// writeOutputs renders the report once per output. Machine formats never
// get colour.
func writeOutputs(outs []output, stdout io.Writer, r *reports.Report, opts reports.Options) error {
	for _, o := range outs {
		ro := opts
		if o.format != "text" || o.path != "" {
			ro.Color = false
		}
		var buf bytes.Buffer
		if err := reports.Write(&buf, o.format, r, ro); err != nil {
			return fmt.Errorf("render %s: %w", o.format, err)
		}
		if o.path == "" {
			if _, err := stdout.Write(buf.Bytes()); err != nil {
				return err
			}
			continue
		}
		if err := writeFileSafely(o.path, buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// writeFileSafely writes data to path through a temporary file in the same
// directory and a rename, and refuses to write through a symbolic link or
// over anything but a regular file.
func writeFileSafely(path string, data []byte) error {
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("write %s: refusing to write through a symbolic link", path)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("write %s: not a regular file", path)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".decouple-*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
