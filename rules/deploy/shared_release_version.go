package deploy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// SharedReleaseVersion reports one version variable or tag that pins all
// or most services' images.
var SharedReleaseVersion = &analyzer.Rule{
	ID:       "DEPLOY104",
	Name:     "shared-release-version",
	Title:    "most services' images take their tag from one version",
	Severity: analyzer.Warning,
	Default:  true,
	Doc:      sharedReleaseVersionDoc,
	Run:      runSharedReleaseVersion,
}

// floatingTags name no release: a moving channel or a local build's tag
// (devnet, local). Sharing them says nothing.
var floatingTags = map[string]bool{"": true, "latest": true, "stable": true, "main": true, "master": true,
	"dev": true, "edge": true, "nightly": true, "local": true, "devnet": true, "develop": true,
	"development": true, "test": true, "testing": true, "snapshot": true, "ci": true}

func runSharedReleaseVersion(pass *analyzer.Pass) error {
	share := pass.Settings.Deploy.WithDefaults().SharedVersionShare
	imaged := map[string]bool{}
	groups := map[string][]facts.ImageTag{}
	for _, t := range pass.Repo.Deploy.ImageTags {
		if t.Service == "" {
			continue
		}
		imaged[t.Service] = true
		if k := versionKey(t); k != "" {
			groups[k] = append(groups[k], t)
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		tags := groups[k]
		var svcs []string
		var rel []analyzer.Related
		for _, t := range tags {
			if !contains(svcs, t.Service) {
				svcs = append(svcs, t.Service)
				if t.Pos != tags[0].Pos {
					rel = append(rel, analyzer.Related{Pos: t.Pos, Service: t.Service, Message: t.Service + " uses the same version"})
				}
			}
		}
		if len(svcs) < 2 || float64(len(svcs)) < share*float64(len(imaged)) {
			continue
		}
		sort.Strings(svcs)
		pass.Report(analyzer.Finding{
			Pos: tags[0].Pos, Service: tags[0].Service, Services: svcs, Related: rel,
			Message: fmt.Sprintf("%d of %d services take their image tag from one version, %s: %s",
				len(svcs), len(imaged), describe(tags[0]), analyzer.ListNames(svcs)),
			Entity: "version:" + k,
		})
	}
	return nil
}

// versionKey groups image tags by their version source: the variable (and
// the file binding it) or the literal tag.
func versionKey(t facts.ImageTag) string {
	if t.Var != "" {
		return "var\x00" + t.Scope + "\x00" + t.Var
	}
	if floatingTags[strings.ToLower(t.Tag)] {
		return ""
	}
	return "tag\x00" + t.Tag
}

func describe(t facts.ImageTag) string {
	switch {
	case t.Var == "VERSION":
		return "the VERSION file " + t.Scope
	case strings.HasPrefix(t.Var, "tagPolicy:"):
		return "skaffold's " + strings.TrimPrefix(t.Var, "tagPolicy:") + " tag policy in " + t.Scope
	case t.Var != "" && t.Scope != "":
		return t.Var + " in " + t.Scope
	case t.Var != "":
		return "${" + t.Var + "}"
	}
	return "the tag " + t.Tag
}

const sharedReleaseVersionDoc = `When all or most services' images are pinned to one version — one ` + "`${TAG}`" + ` in
compose, one ` + "`global.tag`" + ` in Helm values, one kustomize ` + "`newTag`" + ` for every image, skaffold's single
tag policy, one VERSION file every build reads, or the same literal tag everywhere — the
services are versioned and released as one unit: bumping one means bumping all, and no
service can be rolled back alone.

One finding per version source, when it covers at least 80 % of the services that have
images (` + "`deploy: {shared_version_share: 0.8}`" + `) and at least two. Floating tags (latest, main,
stable, nightly...) and the tags of local builds (dev, local, devnet, test...) are not versions
and are not counted.

Example:

    services:
      orders:   {image: "shop/orders:${TAG}"}
      payments: {image: "shop/payments:${TAG}"}   # one TAG for every service

Fix: give each service its own version (its own variable, values key or newTag), set by its
own pipeline, and let deploy manifests pin each service independently.`
