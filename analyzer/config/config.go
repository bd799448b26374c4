// Package config reads .decouple.yaml: its schema, defaults and validation.
// Decoding is strict: an unknown key is an error naming the key and line.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/load"
)

// FileNames are the names a config file may have, in the order looked for.
var FileNames = []string{".decouple.yaml", ".decouple.yml"}

// File is the decoded config file.
type File struct {
	Version  int         `yaml:"version"`
	Services []Service   `yaml:"services"`
	Rules    RulesConfig `yaml:"rules"`
	FailOn   string      `yaml:"fail_on"`
	Exclude  []string    `yaml:"exclude"`
	// Include names directories read although decouple skips them by
	// default (examples/, test/, testdata/...).
	Include []string `yaml:"include"`
	// Contracts and CommonProtos tune the CODE rules (analyzer.CodeSettings).
	Contracts    map[string][]string `yaml:"contracts"`
	CommonProtos []string            `yaml:"common_protos"`
	// Exclusions accept known couplings by rule and services (exclusions.go).
	Exclusions []Exclusion `yaml:"exclusions"`

	Versioning Versioning `yaml:"versioning"`
	History    History    `yaml:"history"` // history.go
	Deploy     Deploy     `yaml:"deploy"`

	// Path is where the file was read from ("" for the defaults).
	Path string `yaml:"-"`
	// lines remembers where each service was declared.
	serviceLines []int
}

// Service declares one service by hand.
type Service struct {
	Name  string   `yaml:"name"`
	Path  string   `yaml:"path"`
	Paths []string `yaml:"paths"`
}

// RulesConfig selects and tunes rules, in buf's shape.
type RulesConfig struct {
	Use        []string            `yaml:"use"`
	Except     []string            `yaml:"except"`
	Ignore     []string            `yaml:"ignore"`
	IgnoreOnly map[string][]string `yaml:"ignore_only"`
	Severity   map[string]string   `yaml:"severity"`
}

// Error is a config problem with its position.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Find looks for a config file in dir, then in its parents up to the
// repository root (the first directory holding .git). It returns "" when
// there is none.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		for _, name := range FileNames {
			p := filepath.Join(abs, name)
			if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() {
				return p, nil
			}
		}
		if _, err := os.Lstat(filepath.Join(abs, ".git")); err == nil {
			return "", nil
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", nil
		}
		abs = parent
	}
}

// Load reads and validates the config at path.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes and validates config data; name is used in errors.
func Parse(name string, data []byte) (*File, error) {
	f := &File{Path: name}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: name, Msg: "empty config: want at least \"version: 1\""}
		}
		return nil, yamlError(name, err)
	}
	dec = yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(f); err != nil {
		return nil, yamlError(name, err)
	}
	f.Path = name
	if svcs := get(docRoot(&root), "services"); svcs != nil {
		for _, s := range svcs.Content {
			f.serviceLines = append(f.serviceLines, s.Line)
		}
	}
	if err := f.validate(&root); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *File) validate(root *yaml.Node) error {
	if ps := f.problems(root); len(ps) > 0 {
		return ps[0]
	}
	return nil
}

// problems returns every invalid value in the decoded file, in file order
// of the checks, each with the line of the key it is about.
func (f *File) problems(root *yaml.Node) []*Error {
	top := docRoot(root)
	line := func(keys ...string) int {
		n := top
		for _, k := range keys {
			if c := get(n, k); c != nil {
				n = c
			}
		}
		if n == nil {
			return 0
		}
		return n.Line
	}
	var out []*Error
	add := func(l int, format string, args ...any) {
		out = append(out, &Error{File: f.Path, Line: l, Msg: fmt.Sprintf(format, args...)})
	}
	if f.Version != 1 {
		add(line("version"), "version must be 1, got %d", f.Version)
	}
	if f.FailOn != "" {
		if _, err := ParseFailOn(f.FailOn); err != nil {
			add(line("fail_on"), "%s", err)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(f.Rules.Severity)) {
		if _, err := analyzer.ParseSeverity(f.Rules.Severity[k]); err != nil {
			add(line("rules", "severity", k), "%s", err)
		}
	}
	if err := f.codeSettings().Validate(); err != nil {
		add(line("contracts"), "%s", err)
	}
	if err := f.Versioning.validate(f.Path, line); err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			out = append(out, ce)
		} else {
			add(line("versioning"), "%s", err)
		}
	}
	if err := f.validateDeploy(top); err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			out = append(out, ce)
		}
	}
	names := map[string]bool{}
	for i, s := range f.Services {
		l := f.ServiceLine(i)
		if strings.TrimSpace(s.Name) == "" {
			add(l, "service without a name")
			continue
		}
		if names[s.Name] {
			add(l, "service %q declared twice", s.Name)
		}
		names[s.Name] = true
		if s.Path != "" && len(s.Paths) > 0 {
			add(l, "service %q: give path or paths, not both", s.Name)
		}
		for _, p := range s.allPaths() {
			if filepath.IsAbs(p) || strings.HasPrefix(filepath.ToSlash(filepath.Clean(p)), "../") {
				add(l, "service %q: path %q must be inside the repository", s.Name, p)
			}
		}
	}
	out = append(out, f.exclusionProblems(top)...)
	return out
}

// ServiceLine returns the line declaring the i-th service.
func (f *File) ServiceLine(i int) int {
	if i < len(f.serviceLines) {
		return f.serviceLines[i]
	}
	return 0
}

func (s Service) allPaths() []string {
	if s.Path != "" {
		return []string{s.Path}
	}
	return s.Paths
}

// AllPaths returns the service's directories, the root first.
func (s Service) AllPaths() []string { return s.allPaths() }

// ParseFailOn parses a --fail-on value: error, warning, info or none (0).
func ParseFailOn(s string) (analyzer.Severity, error) {
	if strings.EqualFold(strings.TrimSpace(s), "none") {
		return 0, nil
	}
	sev, err := analyzer.ParseSeverity(s)
	if err != nil {
		return 0, fmt.Errorf("fail_on: unknown threshold %q (want error, warning, info or none)", s)
	}
	return sev, nil
}

// Policy turns the rules section into the driver's policy.
func (f *File) Policy(presets map[string][]string) (analyzer.Policy, error) {
	p := analyzer.Policy{
		Use: f.Rules.Use, Except: f.Rules.Except, Presets: presets,
		Ignore: f.Rules.Ignore, IgnoreOnly: f.Rules.IgnoreOnly,
		Settings: analyzer.DefaultSettings(), Exclusions: f.policyExclusions(),
	}
	p.Settings.Code = f.codeSettings()
	p.Settings.Versioning = f.Versioning.settings()
	f.applyDeploySettings(p.Settings)
	if len(f.Rules.Severity) > 0 {
		p.Severity = map[string]analyzer.Severity{}
		for k, v := range f.Rules.Severity {
			sev, err := analyzer.ParseSeverity(v)
			if err != nil {
				return p, err
			}
			p.Severity[k] = sev
		}
	}
	return p, nil
}

var lineRe = strings.NewReplacer("yaml: ", "")

// yamlError turns a decoder error into an Error with the first line it names.
func yamlError(name string, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = lineRe.Replace(msg)
	line := 0
	if _, e := fmt.Sscanf(msg, "line %d:", &line); e == nil {
		if i := strings.Index(msg, ":"); i >= 0 {
			msg = strings.TrimSpace(msg[i+1:])
		}
	}
	msg = strings.Replace(msg, "not found in type config.File", "is not a config key", 1)
	msg = strings.Replace(msg, "not found in type config.RulesConfig", "is not a key of rules", 1)
	msg = strings.Replace(msg, "not found in type config.Service", "is not a key of a service", 1)
	msg = strings.Replace(msg, "not found in type config.Versioning", "is not a key of versioning", 1)
	msg = strings.Replace(msg, "not found in type config.History", "is not a key of history", 1)
	return &Error{File: name, Line: line, Msg: msg}
}

func docRoot(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		return n.Content[0]
	}
	return n
}

func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// ApplyLoad puts the config's exclusions and services into loader options.
// root is the directory being analysed; service paths in the config are
// relative to the config file's directory.
func (f *File) ApplyLoad(opts *load.Options, root string) error {
	opts.Exclude = append(opts.Exclude, f.Exclude...)
	opts.Include = append(opts.Include, f.Include...)
	f.applyHistory(opts)
	if len(f.Services) == 0 {
		return nil
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	cfgDir := absRoot
	rel := filepath.Base(f.Path)
	if f.Path != "" {
		abs, err := filepath.Abs(f.Path)
		if err != nil {
			return err
		}
		cfgDir = filepath.Dir(abs)
		if r, err := filepath.Rel(absRoot, abs); err == nil && !strings.HasPrefix(r, "..") {
			rel = filepath.ToSlash(r)
		}
	}
	for i, s := range f.Services {
		d := load.ServiceDecl{Name: s.Name, File: rel, Line: f.ServiceLine(i)}
		for _, p := range s.allPaths() {
			r, err := filepath.Rel(absRoot, filepath.Join(cfgDir, filepath.FromSlash(p)))
			if err != nil || strings.HasPrefix(r, "..") {
				return &Error{File: f.Path, Line: f.ServiceLine(i), Msg: fmt.Sprintf("service %q: path %q is outside the analysed directory", s.Name, p)}
			}
			d.Paths = append(d.Paths, filepath.ToSlash(r))
		}
		opts.Services = append(opts.Services, d)
	}
	return nil
}

func (f *File) codeSettings() analyzer.CodeSettings {
	return analyzer.CodeSettings{Contracts: f.Contracts, CommonProtos: f.CommonProtos}
}
