package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// task is one program measured on one corpus.
type task struct {
	name string
	kind string // floor, decouple or peer
	// argv is the command; dir its working directory.
	argv []string
	dir  string
	// okCodes are the exit codes that mean success (findings are not
	// failures).
	okCodes []int
}

// sample is one run of a task.
type sample struct {
	wall, cpu time.Duration
	rssKB     int64
	phases    map[string]float64 // decouple --stats, in ms
	order     []string           // the phases in the order printed
}

// run executes the task once and measures it: wall clock from start to
// exit, user+system CPU and the peak resident set of the process (and the
// descendants it waited for) from rusage.
func (t *task) run() (sample, error) {
	cmd := exec.Command(t.argv[0], t.argv[1:]...)
	cmd.Dir = t.dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || !contains(t.okCodes, ee.ExitCode()) {
			return sample{}, fmt.Errorf("%s: %w: %s", strings.Join(t.argv, " "), err, tail(stderr.String()))
		}
	}
	s := sample{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.rssKB = ru.Maxrss
	}
	if t.kind == "decouple" || t.kind == "decouple-history" {
		s.phases, s.order = parseStats(stderr.String())
		if len(s.phases) == 0 {
			return s, fmt.Errorf("%s printed no --stats lines: %s", t.name, tail(stderr.String()))
		}
	}
	return s, nil
}

func contains(codes []int, c int) bool {
	for _, x := range codes {
		if x == c {
			return true
		}
	}
	return false
}

func tail(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 600 {
		s = "..." + s[len(s)-600:]
	}
	return s
}

// parseStats reads decouple's --stats lines: "  name  12.3 ms".
func parseStats(text string) (map[string]float64, []string) {
	out := map[string]float64{}
	var order []string
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || f[2] != "ms" {
			continue
		}
		if v, err := strconv.ParseFloat(f[1], 64); err == nil {
			out[f[0]] = v
			order = append(order, f[0])
		}
	}
	return out, order
}

// summary is the statistics of one task's samples.
type summary struct {
	n                 int
	wall, wmin, wmax  float64 // seconds
	cpu               float64 // seconds, median
	rssMB, rssMaxMB   float64
	phases, phaseMins map[string]float64 // ms, medians and minima
	order             []string
}

func summarize(samples []sample) summary {
	s := summary{n: len(samples), phases: map[string]float64{}, phaseMins: map[string]float64{}}
	if len(samples) == 0 {
		return s
	}
	var walls, cpus, rss []float64
	phases := map[string][]float64{}
	for _, x := range samples {
		walls = append(walls, x.wall.Seconds())
		cpus = append(cpus, x.cpu.Seconds())
		rss = append(rss, float64(x.rssKB)/1024)
		for k, v := range x.phases {
			phases[k] = append(phases[k], v)
		}
	}
	s.order = samples[0].order
	s.wall, s.wmin, s.wmax = median(walls), minOf(walls), maxOf(walls)
	s.cpu = median(cpus)
	s.rssMB, s.rssMaxMB = median(rss), maxOf(rss)
	for k, v := range phases {
		s.phases[k], s.phaseMins[k] = median(v), minOf(v)
	}
	return s
}

func median(xs []float64) float64 {
	ys := append([]float64(nil), xs...)
	sort.Float64s(ys)
	n := len(ys)
	if n%2 == 1 {
		return ys[n/2]
	}
	return (ys[n/2-1] + ys[n/2]) / 2
}

func minOf(xs []float64) float64 {
	m := xs[0]
	for _, x := range xs {
		m = min(m, x)
	}
	return m
}

func maxOf(xs []float64) float64 {
	m := xs[0]
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

// lookTool finds a peer on PATH or in GOPATH/bin.
func lookTool(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if gopath, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := strings.TrimSpace(string(gopath)) + "/bin/" + name
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}
