package deploy

import (
	"fmt"
	"strings"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// JointDeploy reports CI jobs that build, push or deploy several services
// in one run, and needs: chains that order one service's deploy after
// another's.
var JointDeploy = &analyzer.Rule{
	ID:       "DEPLOY102",
	Name:     "joint-deploy",
	Title:    "one CI job ships several services, or orders one service's deploy after another's",
	Severity: analyzer.Warning,
	Default:  true,
	Doc:      jointDeployDoc,
	Run:      runJointDeploy,
}

var verbWords = map[string]string{facts.VerbBuild: "builds", facts.VerbPush: "pushes", facts.VerbDeploy: "deploys"}

func runJointDeploy(pass *analyzer.Pass) error {
	jobs := pass.Repo.Deploy.CIJobs
	shipped := map[string]string{} // the services each reported job ships, by file and name
	for _, j := range jobs {
		if w := jointServices(j); len(w) >= 2 {
			shipped[j.File+"\x00"+j.Name] = strings.Join(w, ",")
		}
	}
	for _, j := range jobs {
		worst := jointServices(j)
		if len(worst) < 2 || inheritsJointDeploy(j, strings.Join(worst, ","), shipped) {
			continue
		}
		var rel []analyzer.Related
		for _, svc := range worst {
			if st, r, ok := strongestRef(j, svc); ok {
				rel = append(rel, analyzer.Related{Pos: st.Pos, Service: svc, Message: fmt.Sprintf("%s %s (%s %s)", verbWords[st.Verb], svc, r.How, r.Text)})
			}
		}
		var tools []string
		for _, st := range j.Steps {
			if st.Verb != "" && st.Tool != "" && !contains(tools, st.Tool) {
				for _, r := range st.Refs {
					if contains(worst, r.Service) && !contains(tools, st.Tool) {
						tools = append(tools, st.Tool)
					}
				}
			}
		}
		pass.Report(analyzer.Finding{
			Pos: j.Pos, Services: worst, Related: rel,
			Message: fmt.Sprintf("%s %q %s %d services in one run: %s (%s)", jobWord(j), j.Name, verbWords[shipVerb(j, worst)],
				len(worst), analyzer.ListNames(worst), strings.Join(tools, ", ")),
			Entity: "joint:" + j.File + "\x00" + j.Name,
		})
	}
	reportDeployOrder(pass, jobs)
	return nil
}

// jointServices returns the services a job ships (pushes or deploys) in
// its largest leg. Building ships nothing: a CI job compiling or building
// every image to check them, and a local "build everything" target, are
// no release.
func jointServices(j *facts.CIJob) []string {
	var worst []string
	for _, svcs := range j.LegServices(facts.VerbPush) {
		if len(svcs) > len(worst) || (len(svcs) == len(worst) && strings.Join(svcs, ",") < strings.Join(worst, ",")) {
			worst = svcs
		}
	}
	return worst
}

// shipVerb returns the strongest verb of the steps that ship the services:
// a job that pushes them after pushing a base image of its own pushes, not
// deploys, them.
func shipVerb(j *facts.CIJob, services []string) string {
	verb := ""
	for _, svc := range services {
		if st, _, ok := strongestRef(j, svc); ok && facts.VerbRank(st.Verb) > facts.VerbRank(verb) {
			verb = st.Verb
		}
	}
	return verb
}

// inheritsJointDeploy reports a make target that ships the services only
// through a prerequisite reported for shipping the same ones
// ("up: down start" over "start: docker compose up"): the finding is the
// prerequisite's. Its prerequisites stand in as steps on its own line.
func inheritsJointDeploy(j *facts.CIJob, services string, shipped map[string]string) bool {
	if j.System != facts.CIMake {
		return false
	}
	for _, st := range j.Steps {
		if st.Pos.Line != j.Pos.Line && len(st.Refs) > 0 {
			return false // its own recipe ships something
		}
	}
	for _, n := range j.Needs {
		if shipped[j.File+"\x00"+n.Job] == services {
			return true
		}
	}
	return false
}

// reportDeployOrder flags a job deploying some services that needs,
// directly or through other jobs, a job deploying other services.
func reportDeployOrder(pass *analyzer.Pass, jobs []*facts.CIJob) {
	byName := map[string]*facts.CIJob{}
	for _, j := range jobs {
		byName[j.File+"\x00"+j.Name] = j
	}
	deployed := func(j *facts.CIJob) []string { return union(j.LegServices(facts.VerbDeploy)) }
	for _, j := range jobs {
		mine := deployed(j)
		if len(mine) == 0 {
			continue
		}
		reported := map[string]bool{}
		for _, n := range j.Needs {
			seen := map[string]bool{}
			queue := []string{n.Job}
			for len(queue) > 0 {
				name := queue[0]
				queue = queue[1:]
				dep := byName[j.File+"\x00"+name]
				if dep == nil || seen[name] || dep == j {
					continue
				}
				seen[name] = true
				for _, nn := range dep.Needs {
					queue = append(queue, nn.Job)
				}
				theirs := deployed(dep)
				if len(theirs) == 0 || overlaps(mine, theirs) || reported[dep.Name] {
					continue
				}
				reported[dep.Name] = true
				rel := []analyzer.Related{{Pos: dep.Pos, Service: theirs[0], Message: fmt.Sprintf("%q deploys %s", dep.Name, analyzer.ListNames(theirs))}}
				pass.Report(analyzer.Finding{
					Pos: n.Pos, Services: append(append([]string(nil), mine...), theirs...), Related: rel,
					Message: fmt.Sprintf("%s %q deploys %s only after %q has deployed %s (needs %s)", jobWord(j), j.Name,
						analyzer.ListNames(mine), dep.Name, analyzer.ListNames(theirs), n.Job),
					Entity: "order:" + j.File + "\x00" + j.Name + "\x00" + dep.Name,
				})
			}
		}
	}
}

func jobWord(j *facts.CIJob) string {
	switch j.System {
	case facts.CIMake:
		return "make target"
	case facts.CICloudBuild:
		return "cloud build"
	}
	return "job"
}

const jointDeployDoc = `A CI job that pushes or deploys several services in one run ships them as one
release: none of them can go out alone, a failure in one blocks the others, and a
rollback takes them all back. The services are a distributed monolith at release time.

Read from GitHub Actions workflows, GitLab CI, Cloud Build configs and Makefile targets. Only
pushes and deploys count: a job or target that builds or compiles every service to check them
ships nothing. A step names a service through its directory, its image, its chart, its compose
service, the manifests in a folder applied with kubectl, a skaffold artifact, or a make target
that does. ` + "`docker compose up`" + ` without service names starts every service of the file, where it
runs: a deploy in a job that leaves them running (a self-hosted runner) or a deploy/release make
target, not in a job that tests them or takes them down again, nor in a local target (up, start,
run, dev, local, test). A make target named for a developer's cluster (dev-apply, kind-load,
e2e-install: a word dev, local, kind, minikube, k3d, test, e2e or demo, and none of prod,
release, publish, staging) deploys nothing either. ` + "`helm upgrade`" + ` of an umbrella chart deploys its dependencies. A matrix job whose legs each ship one service is independent and
is not flagged. A job that deploys one service and needs (directly or through other jobs) a
job deploying another is flagged too: one deploy is ordered after the other.

Example:

    deploy:
      steps:
        - run: docker compose -f deploy/compose.yaml up -d    # orders, billing, users at once

Fix: give every service its own pipeline or matrix leg, triggered by changes to its own
directory, and make services tolerate each other's versions instead of ordering deploys.`
