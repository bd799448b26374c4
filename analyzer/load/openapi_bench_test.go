package load

import (
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// largeSpec generates an OpenAPI 3.0 document of n resources: a collection
// and an item path each, four operations with parameters, request bodies
// and responses, and schemas that reference one another.
func largeSpec(n int) []byte {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: large, version: \"1\"}\nservers:\n  - url: https://api.acme.com/v1\npaths:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `  /resources%d:
    get:
      summary: list resources %d
      parameters:
        - $ref: "#/components/parameters/PageSize"
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        "200":
          description: a page of resources
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Resource%d"}}
    post:
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Resource%d"}}
      responses:
        "201": {description: created}
        default: {$ref: "#/components/responses/Error"}
  /resources%d/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
    get:
      responses:
        "200":
          description: one resource
          content: {application/json: {schema: {$ref: "#/components/schemas/Resource%d"}}}
        default: {$ref: "#/components/responses/Error"}
    delete:
      responses: {"204": {description: deleted}}
`, i, i, i, i, i, i)
	}
	b.WriteString("components:\n  parameters:\n    PageSize: {name: page_size, in: query, schema: {type: integer, maximum: 100}}\n")
	b.WriteString("  responses:\n    Error:\n      description: error\n      content: {application/json: {schema: {$ref: \"#/components/schemas/Error\"}}}\n")
	b.WriteString("  schemas:\n    Error:\n      type: object\n      properties: {code: {type: string}, message: {type: string}}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `    Resource%d:
      type: object
      required: [id, name]
      properties:
        id: {type: string, format: uuid}
        name: {type: string, maxLength: 200}
        created: {type: string, format: date-time}
        tags: {type: array, items: {type: string}}
        owner: {$ref: "#/components/schemas/Owner"}
`, i)
	}
	b.WriteString("    Owner:\n      type: object\n      properties: {id: {type: string}, email: {type: string, format: email}}\n")
	return []byte(b.String())
}

// BenchmarkOpenAPI measures spec loading on a generated 0.83 MB spec (600
// resources, 2,400 operations, 601 schemas, 4,200 $refs).
// "spec" is the OpenAPI step alone (the $ref pre-scan, kin-openapi's load,
// the facts) on an already decoded document; "repo" is the whole load.Repo
// of a repository holding only the spec (walk, read, YAML decode, load).
// Run: go test ./analyzer/load -run '^$' -bench OpenAPI -benchtime 5x
func BenchmarkOpenAPI(b *testing.B) {
	data := largeSpec(600)
	dir := writeRepo(b, b.TempDir(), map[string]string{"api/openapi.yaml": string(data)})

	b.Run("spec", func(b *testing.B) {
		root, err := os.OpenRoot(dir)
		if err != nil {
			b.Fatal(err)
		}
		defer root.Close()
		var n yaml.Node
		if err := yaml.Unmarshal(data, &n); err != nil {
			b.Fatal(err)
		}
		in := &input{path: "api/openapi.yaml", kind: kindYAML, data: data}
		d := &yamlDoc{in: in, root: n.Content[0], kind: docOpenAPI}
		trees := map[string]*yaml.Node{in.path: d.root}
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		defer reportCPU(b, len(data))()
		for b.Loop() {
			l := &loader{root: root, opts: &Options{MaxFileSize: 8 << 20}, repo: &facts.Repo{}, byPath: map[string]*input{in.path: in}}
			spec, _ := l.loadSpec(d, l.newRefFiles(trees))
			if !spec.Loaded || len(spec.Operations) != 4*600 {
				b.Fatalf("loaded %v with %d operations, problems %+v", spec.Loaded, len(spec.Operations), l.repo.Problems)
			}
		}
	})
	b.Run("repo", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		defer reportCPU(b, len(data))()
		for b.Loop() {
			repo, err := Repo(context.Background(), dir, DefaultOptions())
			if err != nil || len(repo.OpenAPI) != 1 || len(repo.OpenAPI[0].Operations) != 4*600 {
				b.Fatalf("load: %v, %+v", err, repo.Problems)
			}
		}
	})
}

// reportCPU adds a cpu-MB/s metric: bytes per second of process CPU time
// (all threads, garbage collection included), which a busy shared machine
// disturbs less than wall time.
func reportCPU(b *testing.B, size int) func() {
	start := cpuTime()
	return func() {
		if d := cpuTime() - start; d > 0 && b.N > 0 {
			b.ReportMetric(float64(size)*float64(b.N)/1e6/d.Seconds(), "cpu-MB/s")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkOpenAPISharedComponents loads 200 specs that all reference one
// components file of 1,500 schemas (about 200 KB), the layout of many
// multi-service repositories. The file is decoded once for all of them and
// kin-openapi reads it without its schemas: each spec costs about what it
// would alone.
func BenchmarkOpenAPISharedComponents(b *testing.B) {
	var common strings.Builder
	common.WriteString("openapi: 3.0.3\ninfo: {title: common, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n")
	for i := range 1500 {
		fmt.Fprintf(&common, "    Thing%d:\n      type: object\n      properties:\n        id: {type: string}\n        size: {type: integer}\n", i)
	}
	common.WriteString("  parameters:\n    PageSize: {name: page_size, in: query, schema: {type: integer}}\n")
	files := map[string]string{"api/common.yaml": common.String()}
	const specs = 200
	for i := range specs {
		files[fmt.Sprintf("services/s%d/openapi.yaml", i)] = fmt.Sprintf(`openapi: 3.0.3
info: {title: s%d, version: "1"}
paths:
  /v1/things:
    get:
      parameters:
        - $ref: "../../api/common.yaml#/components/parameters/PageSize"
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "../../api/common.yaml#/components/schemas/Thing%d"}}}
`, i, i)
	}
	dir := writeRepo(b, b.TempDir(), files)
	for b.Loop() {
		repo := loadDir(b, dir)
		if len(repo.OpenAPI) != specs+1 || len(repo.Problems) != 0 {
			b.Fatalf("%d specs, problems %+v", len(repo.OpenAPI), repo.Problems)
		}
	}
}
