package load

import (
	"bufio"
	"bytes"
	"context"
	"path"
	"strings"
	"testing"

	"github.com/decouplehq/decouple/analyzer/facts"
)

func fuzzServices() []*facts.Service {
	return []*facts.Service{
		{Name: "billing", Root: "services/billing", Dirs: []string{"services/billing"}},
		{Name: "orders", Root: "services/orders", Dirs: []string{"services/orders"}},
	}
}

// FuzzGitLog feeds arbitrary bytes to the git log stream parser: it must
// return an error or facts, never panic.
func FuzzGitLog(f *testing.F) {
	f.Add([]byte("\x1eabc\x1f\x1f2024-01-02T03:04:05Z\x1f1704164645\x1fa@b\x1fA\x1fsubject\x1f\x00\nM\x00services/orders/x.go\x00R100\x00services/a\x00services/billing/a\x00"))
	f.Add([]byte("\x1e\x1f\x1f\x1f\x1f\x1f\x1f\x00"))
	f.Add([]byte("M\x00x\x00"))
	for _, logical := range []string{LogicalCommit, LogicalPullRequest, LogicalAuthorDay} {
		f.Add([]byte("\x1ea\x1fb c\x1f2024-01-02T03:04:05+02:00\x1f1\x1fa@b\x1fA\x1f" + logical + "\x1f\x00"))
	}
	f.Fuzz(func(_ *testing.T, data []byte) {
		for _, logical := range []string{LogicalCommit, LogicalPullRequest, LogicalAuthorDay} {
			l := &loader{opts: &Options{}, repo: &facts.Repo{Services: fuzzServices()}}
			hr := &historyReader{l: l, o: HistoryOptions{Logical: logical}.WithDefaults(),
				renames: map[string]string{}, dirService: map[string]string{}}
			if err := hr.read(bufio.NewReader(bytes.NewReader(data))); err != nil {
				continue
			}
			hr.finish()
			_ = l.repo.History.CoChanges()
		}
	})
}

// FuzzDeployFiles feeds one text as every deploy input at once — a
// workflow, a GitLab CI file, a Cloud Build config, a Makefile, a
// Dockerfile, process-manager configs, a chart template — and checks that
// no deploy parser crashes.
func FuzzDeployFiles(f *testing.F) {
	f.Add([]byte("jobs:\n  a:\n    steps:\n      - run: docker compose up\n"))
	f.Add([]byte("deploy: a b\n\tkubectl apply -f k8s/ && for s in a b; do helm upgrade $$s charts/$$s; done\n"))
	f.Add([]byte("FROM x\nCOPY services/orders /a\nRUN go build ./services/... \\\n  ./cmd/billing\nCMD [\"supervisord\"]\n"))
	f.Add([]byte("steps:\n  - name: gcr.io/cloud-builders/docker\n    args: ['build', 'services/orders']\nimages: [a/orders]\n"))
	f.Add([]byte("[program:orders]\ncommand=/bin/orders\nweb: bin/billing\n"))
	f.Add([]byte("helm.sh/hook\nuntil nc -z orders 80; do sleep 1; done\nimage: {{ .Values.global.tag }}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		names := []string{".github/workflows/ci.yml", ".gitlab-ci.yml", "cloudbuild.yaml", "Makefile", "Dockerfile",
			"deploy/supervisord.conf", "modd.conf", "Procfile", "charts/shop/templates/job.yaml", "skaffold.yaml",
			"k8s/kustomization.yaml", "compose.yaml", "charts/shop/Chart.yaml", "charts/shop/values.yaml"}
		l := &loader{opts: &Options{History: HistoryOptions{Disabled: true}}, repo: &facts.Repo{Services: fuzzServices()}, byPath: map[string]*input{}, byDir: map[string][]*input{}}
		for _, n := range names {
			in := &input{path: n, kind: kindOf(n), data: data}
			l.inputs = append(l.inputs, in)
			l.byPath[n] = in
			l.byDir[path.Dir(n)] = append(l.byDir[path.Dir(n)], in)
		}
		l.classify(context.Background())
		l.parseDeploy(context.Background())
		l.finishDeploy()
		for _, p := range l.repo.Problems {
			if strings.Contains(p.Message, "crashed") {
				t.Fatalf("%s: %s", p.Pos.File, p.Message)
			}
		}
	})
}
