package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/decouplehq/decouple/analyzer/score"
	"github.com/decouplehq/decouple/analyzer/score/scoretest"
	"github.com/decouplehq/decouple/reports"
	"github.com/decouplehq/decouple/rules"
)

// chromium returns the path of a Chromium or Chrome binary, or skips the
// test. CI installs Debian's chromium with .ci/install-chromium.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium binary on PATH (install it with .ci/install-chromium): the real-browser test of the HTML scorecard did not run")
	return ""
}

// browserPage is one headless Chromium tab that records every console error,
// uncaught exception, browser-log error and network request.
type browserPage struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string
	requests []string
}

func openBrowser(t *testing.T) *browserPage {
	t.Helper()
	bin := chromium(t)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	p := &browserPage{ctx: ctx}
	if err := chromedp.Listen(ctx, p.record); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return p
}

func (p *browserPage) record(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == "error" || ev.Type == "assert" {
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			p.problems = append(p.problems, "console."+string(ev.Type)+": "+strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		p.problems = append(p.problems, "exception: "+ev.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			p.problems = append(p.problems, "log error ("+string(ev.Entry.Source)+"): "+ev.Entry.Text)
		}
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, ev.Request.URL)
	}
}

// open loads a file and checks it made no request but for itself and
// data: URLs.
func (p *browserPage) open(t *testing.T, file string) {
	t.Helper()
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.ToSlash(abs)
	if err := chromedp.Do(p.ctx, chromedp.Navigate(url), chromedp.WaitVisible("#findings")); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range p.requests {
		if r != url && !strings.HasPrefix(r, "data:") {
			t.Errorf("the scorecard made a request: %s", r)
		}
	}
}

func (p *browserPage) checkConsole(t *testing.T) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.problems {
		t.Errorf("browser: %s", m)
	}
}

func eval[T any](t *testing.T, p *browserPage, js string) T {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// screenshot saves the whole page under the test's temp dir (and under
// $DECOUPLE_SCREENSHOTS when set, to look at it).
func (p *browserPage) screenshot(t *testing.T, name string, width int64) {
	t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(width, 900)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	dirs := []string{t.TempDir()}
	if d := os.Getenv("DECOUPLE_SCREENSHOTS"); d != "" {
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshot %s: %d bytes in %s", name, len(png), dirs[0])
}

// visible counts the finding rows shown.
const visibleRows = `Array.from(document.querySelectorAll("#findings-table tbody tr")).filter(r => !r.hidden).length`

// filterWith sets a filter select and returns the rows shown and the rows the
// data island says should be.
func filterWith(t *testing.T, p *browserPage, id, value, field string) (shown, want int) {
	t.Helper()
	js := fmt.Sprintf(`(() => {
		const s = document.getElementById(%q);
		s.value = %q;
		s.dispatchEvent(new Event("change"));
		const data = JSON.parse(document.getElementById("decouple-data").textContent);
		const want = data.findings.filter(f => Array.isArray(f[%q]) ? f[%q].includes(%q) : f[%q] === %q).length;
		return [%s, want];
	})()`, id, value, field, field, value, field, value, visibleRows)
	got := eval[[]int](t, p, js)
	if err := chromedp.Do(p.ctx, chromedp.Click("#f-clear")); err != nil {
		t.Fatal(err)
	}
	return got[0], got[1]
}

// TestScorecardInBrowser opens the demo's scorecard in headless Chromium: no
// console error, no request, the findings filters work, and the page fits a
// narrow screen.
func TestScorecardInBrowser(t *testing.T) {
	p := openBrowser(t)
	page := filepath.Join(t.TempDir(), "scorecard.html")
	if code, _, errs := decouple(t, "report", "--format", "html="+page, demo); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	p.open(t, page)
	total := eval[int](t, p, visibleRows)
	if total == 0 {
		t.Fatal("the demo's scorecard shows no finding")
	}
	narrowed, widened := false, false
	for _, sev := range []string{"error", "warning", "info"} {
		shown, want := filterWith(t, p, "f-severity", sev, "severity")
		if shown != want {
			t.Errorf("severity %s: %d rows shown, the data has %d", sev, shown, want)
		}
		narrowed = narrowed || shown < total
		widened = widened || shown > 0
	}
	for _, svc := range []string{"catalog", "orders", "payments"} {
		if shown, want := filterWith(t, p, "f-service", svc, "services"); shown != want {
			t.Errorf("service %s: %d rows shown, the data has %d", svc, shown, want)
		}
	}
	if !narrowed || !widened {
		t.Errorf("the severity filter never narrowed (%v) or never showed rows (%v)", narrowed, widened)
	}
	if got := eval[int](t, p, visibleRows); got != total {
		t.Errorf("after clear %d rows shown, want %d", got, total)
	}
	p.screenshot(t, "demo-scorecard.png", 1280)
	p.screenshot(t, "demo-scorecard-narrow.png", 390)
	if w := eval[[]int](t, p, `[document.documentElement.scrollWidth, window.innerWidth]`); w[0] > w[1] {
		t.Errorf("on a 390 px screen the page is %d px wide", w[0])
	}
	p.checkConsole(t)
}

// TestScorecardMatrixInBrowser opens a scorecard with couplings and clicks a
// matrix cell: the table then shows exactly the findings naming both
// services.
func TestScorecardMatrixInBrowser(t *testing.T) {
	p := openBrowser(t)
	res, repo := scoretest.Synthetic(40, 3)
	r := reports.New(reports.Input{Tool: reports.Tool{Name: "decouple", Version: "test"}, Root: "synthetic", Repo: repo, Result: res,
		Rules: rules.All(), Presets: rules.PresetsOf, Score: score.Compute(res, repo)})
	page := filepath.Join(t.TempDir(), "scorecard.html")
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := reports.Write(f, "html", r, reports.Options{}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	p.open(t, page)
	pair := eval[[]string](t, p, `(() => { const a = document.querySelector(".matrix td.hit a"); a.click();
		return [a.getAttribute("data-a"), a.getAttribute("data-b")]; })()`)
	want := 0
	for _, f := range r.Findings {
		has := map[string]bool{}
		for _, s := range f.Services {
			has[s] = true
		}
		if has[pair[0]] && has[pair[1]] {
			want++
		}
	}
	if got := eval[int](t, p, visibleRows); got != want || want == 0 {
		t.Errorf("cell %s × %s: %d rows shown, want %d", pair[0], pair[1], got, want)
	}
	if chip := eval[string](t, p, `document.getElementById("f-pair").textContent`); !strings.Contains(chip, pair[0]) {
		t.Errorf("the pair filter is not shown: %q", chip)
	}
	if err := chromedp.Do(p.ctx, chromedp.Click("#f-clear")); err != nil {
		t.Fatal(err)
	}
	p.screenshot(t, "synthetic-scorecard.png", 1280)
	p.checkConsole(t)
}
