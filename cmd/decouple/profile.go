package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// profileFlags are --cpu-profile and --mem-profile: pprof profiles of the
// load and the rules, for finding where a repository's time and memory go
// (go tool pprof FILE).
type profileFlags struct {
	cpu string
	mem string
}

// start begins the CPU profile and returns the function that ends it and
// writes the heap profile.
func (p profileFlags) start() (stop func() error, err error) {
	var cpu *os.File
	if p.cpu != "" {
		if cpu, err = os.Create(p.cpu); err != nil {
			return nil, &exitError{code: exitFailure, err: fmt.Errorf("--cpu-profile: %w", err)}
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, &exitError{code: exitFailure, err: fmt.Errorf("--cpu-profile: %w", err)}
		}
	}
	return func() error {
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				return &exitError{code: exitFailure, err: fmt.Errorf("--cpu-profile: %w", err)}
			}
		}
		if p.mem == "" {
			return nil
		}
		f, err := os.Create(p.mem)
		if err == nil {
			runtime.GC()
			err = pprof.Lookup("allocs").WriteTo(f, 0)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return &exitError{code: exitFailure, err: fmt.Errorf("--mem-profile: %w", err)}
		}
		return nil
	}, nil
}
