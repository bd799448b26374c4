package deploy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// SingleDeployable reports several services built into or started from one
// image, container or process-manager config.
var SingleDeployable = &analyzer.Rule{
	ID:       "DEPLOY105",
	Name:     "single-deployable",
	Title:    "several services are built into or run from one deployable",
	Severity: analyzer.Error,
	Default:  true,
	Doc:      singleDeployableDoc,
	Run:      runSingleDeployable,
}

var bundleWords = map[string]string{
	"dockerfile": "the image built from", "supervisord": "the supervisord config", "modd": "the modd config", "procfile": "the Procfile",
	"image": "the one image built from",
}

func runSingleDeployable(pass *analyzer.Pass) error {
	for _, b := range pass.Repo.Deploy.Bundles {
		var svcs, evidence []string
		var rel []analyzer.Related
		for _, m := range b.Members {
			if m.How == "copy" && b.Manager == "" {
				continue // copying sources (protos, a client) is not running them
			}
			if !contains(svcs, m.Service) {
				svcs = append(svcs, m.Service)
				evidence = append(evidence, m.How+" "+m.Text)
				rel = append(rel, analyzer.Related{Pos: m.Pos, Service: m.Service, Message: m.How + " " + m.Service})
			}
		}
		if len(svcs) < 2 {
			continue
		}
		sort.Strings(svcs)
		under := ""
		if b.Manager != "" && b.Kind == "dockerfile" {
			under = " under " + b.Manager
		}
		pass.Report(analyzer.Finding{
			Pos: b.Pos, Services: svcs, Related: rel,
			Message: fmt.Sprintf("%s %s runs %d services%s: %s (%s)", bundleWords[b.Kind], b.File, len(svcs), under,
				analyzer.ListNames(svcs), strings.Join(evidence, "; ")),
			Entity: bundleEntity(b),
		})
	}
	for _, root := range pass.Repo.CompositionRoots {
		if isTooling(root.Package) {
			continue // a generator or test binary is built, not deployed
		}
		rel := make([]analyzer.Related, len(root.Services))
		for i, svc := range root.Services {
			rel[i] = analyzer.Related{Pos: root.Evidence[i], Service: svc, Message: "imports " + svc}
		}
		pass.Report(analyzer.Finding{
			Pos: root.Pos, Services: root.Services, Related: rel,
			Message: fmt.Sprintf("main package %s wires %d services into one binary: %s", root.Package,
				len(root.Services), analyzer.ListNames(root.Services)),
			Entity: "main:" + root.Package,
		})
	}
	return nil
}

// bundleEntity identifies a bundle's finding: its file, and for an image
// run as several compose services, its kind too (the Dockerfile may be a
// bundle of its own).
func bundleEntity(b *facts.Bundle) string {
	if b.Kind == "image" {
		return "bundle:image\x00" + b.File
	}
	return "bundle:" + b.File
}

// isTooling reports whether a package lies in a tooling, test or example
// folder.
func isTooling(dir string) bool {
	for _, part := range strings.Split(dir, "/") {
		switch part {
		case "tools", "tool", "hack", "scripts", "test", "tests", "e2e", "examples", "example", "docs", "testdata":
			return true
		}
	}
	return false
}

const singleDeployableDoc = `Services built into one binary or image, or run side by side in one container
by a process manager, are one deployable: they ship, scale, restart and fail together, whatever
the repository layout says. The split into services is then only in the source tree.

Flagged: a Dockerfile that compiles or starts several services (go build of several
services' commands, a CMD/ENTRYPOINT naming them, or a process manager started in an image
that copies several services); a supervisord, modd or Procfile config that runs several
services' programs; one image, built once from one Dockerfile, run by compose as several
services (each with its own command; services that bind-mount their own code run that code and
are left out); a main package that belongs to no service and imports several services' entry packages (those
their own mains import), directly or through shared packages
(a composition root such as cmd/all; generators and test binaries under tools/, hack/,
test/ or examples/ are not deployables). Copying another service's sources (generated clients, protos) into an
image is not flagged, and neither is a Dockerfile with a final stage per service (FROM ... AS
orders-target, each with its own CMD, built with --target or a compose build target): it is
several images, and only a stage that itself starts or builds several services is flagged.

Example:

    COPY cmd/orders cmd/orders
    COPY cmd/billing cmd/billing
    RUN go build -o /bin/orders ./cmd/orders && go build -o /bin/billing ./cmd/billing
    CMD ["sh", "-c", "/bin/orders & /bin/billing"]     # flagged

Fix: one image per service, each with its own entry point, deployed as its own workload.`
