package load

import (
	"context"
	"reflect"
	"testing"
)

// TestReferencedFilesFastPath: specs whose $refs reach other files load to
// the same facts, problems included, when kin reads those files with their
// schemas left out (kinLoadEmptied) as when it reads every file as written.
func TestReferencedFilesFastPath(t *testing.T) {
	common := `openapi: 3.0.3
info: {title: common, version: "1"}
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
        owner: {$ref: "models.yaml#/Owner"}
    Other: {$ref: "#/components/schemas/Thing"}
  parameters:
    PageSize: {name: page_size, in: query, required: false, schema: {type: integer}}
    Tenant: {name: X-Tenant, in: header, required: true, schema: {$ref: "#/components/schemas/Thing"}}
  responses:
    NotFound:
      description: missing
      content:
        application/problem+json: {schema: {$ref: "#/components/schemas/Thing"}}
  requestBodies:
    Thing:
      content:
        application/json: {schema: {$ref: "#/components/schemas/Thing"}}
        text/csv: {}
`
	models := "Owner:\n  type: object\n  properties:\n    name: {type: string}\n"
	items := `get:
  parameters:
    - $ref: "../common.yaml#/components/parameters/PageSize"
  responses:
    "200": {description: ok, content: {application/json: {schema: {$ref: "../common.yaml#/components/schemas/Thing"}}}}
    "404": {$ref: "../common.yaml#/components/responses/NotFound"}
`
	for name, files := range map[string]map[string]string{
		"components, path items and nested files": {
			"api/common.yaml": common, "api/models.yaml": models, "api/paths/items.yaml": items,
			"services/a/openapi.yaml": `openapi: 3.0.3
info: {title: a, version: "1"}
servers: [{url: "https://a.example.com/v1"}]
paths:
  /v1/things:
    parameters:
      - $ref: "../../api/common.yaml#/components/parameters/Tenant"
    post:
      requestBody: {$ref: "../../api/common.yaml#/components/requestBodies/Thing"}
      responses:
        "201": {description: made}
        "404": {$ref: "../../api/common.yaml#/components/responses/NotFound"}
  /v1/items:
    $ref: "../../api/paths/items.yaml"
`,
			"services/b/openapi.yaml": `openapi: 3.0.3
info: {title: b, version: "1"}
paths:
  /things/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - $ref: "../../api/common.yaml#/components/parameters/PageSize"
      responses:
        default: {$ref: "../../api/common.yaml#/components/responses/NotFound"}
`,
		},
		"a parameter reaching into another file's schemas": {
			"api/common.yaml": common, "api/models.yaml": models,
			"services/c/openapi.yaml": `openapi: 3.0.3
info: {title: c, version: "1"}
paths:
  /v1/odd:
    get:
      parameters:
        - $ref: "../../api/common.yaml#/components/schemas/Thing"
      responses: {"200": {description: ok}}
`,
		},
		"a swagger 2.0 spec": {
			"api/defs.yaml": "definitions:\n  Thing: {type: object, properties: {id: {type: string}}}\nparameters:\n  Page: {name: page, in: query, type: integer}\n",
			"services/d/swagger.yaml": `swagger: "2.0"
info: {title: d, version: "1"}
basePath: /v2
paths:
  /things:
    get:
      parameters:
        - $ref: "../../api/defs.yaml#/parameters/Page"
      responses:
        "200": {description: ok, schema: {$ref: "../../api/defs.yaml#/definitions/Thing"}}
`,
		},
		"a spec in the second document of its file, naming its own file": {
			"services/f/api.yaml": `kind: Notes
---
openapi: 3.0.3
info: {title: f, version: "1"}
paths:
  /v1/a:
    get:
      parameters: [{$ref: "api.yaml#/components/parameters/P"}]
      responses: {"200": {description: ok}}
components:
  parameters:
    P: {name: p, in: query}
`,
		},
		"a referenced file that is not YAML": {
			"api/broken.yaml": "a: [\n",
			"services/e/openapi.yaml": `openapi: 3.0.3
info: {title: e, version: "1"}
paths:
  /v1/x:
    get:
      parameters: [{$ref: "../../api/broken.yaml#/P"}]
      responses: {"200": {description: ok}}
`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeRepo(t, t.TempDir(), files)
			fast, err := Repo(context.Background(), dir, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			opts := DefaultOptions()
			opts.openAPIAsWritten = true
			full, err := Repo(context.Background(), dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fast.OpenAPI, full.OpenAPI) {
				for i := range fast.OpenAPI {
					t.Errorf("fast %+v", *fast.OpenAPI[i])
				}
				for i := range full.OpenAPI {
					t.Errorf("full %+v", *full.OpenAPI[i])
				}
			}
			if !reflect.DeepEqual(fast.Problems, full.Problems) {
				t.Errorf("problems differ:\nfast %+v\nfull %+v", fast.Problems, full.Problems)
			}
			loaded := 0
			for _, s := range fast.OpenAPI {
				if s.Loaded {
					loaded++
				}
			}
			t.Logf("%d specs, %d loaded, %d problems", len(fast.OpenAPI), loaded, len(fast.Problems))
		})
	}
}
