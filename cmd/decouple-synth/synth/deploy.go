package synth

import (
	"fmt"
	"strings"
)

// releaseVersion is the one tag of the services in the release group.
const releaseVersion = "2026.1.0"

// image returns the image a service runs, in compose or Kubernetes.
func image(s *service, compose bool) string {
	if s.releaseTag {
		if compose {
			return "ghcr.io/acme/" + s.name + ":${RELEASE_VERSION:-" + releaseVersion + "}"
		}
		return "ghcr.io/acme/" + s.name + ":" + releaseVersion
	}
	return fmt.Sprintf("ghcr.io/acme/%s:1.%d.%d", s.name, s.i/100, s.i%100)
}

// dsn is the database URL of a service: its own database, or the one of
// the service whose database it shares.
func dsn(s *service) string {
	o := s.dbOwner
	return fmt.Sprintf("postgres://%s@%s-db:5432/%s?sslmode=disable", s.name, o.name, o.name)
}

func depURL(d *service) string { return "http://" + d.name + ":8080" }

func (p *plan) compose() string {
	var b strings.Builder
	b.WriteString("name: synth\n\nservices:\n")
	for _, s := range p.services {
		fmt.Fprintf(&b, "  %s:\n    build: ./%s\n    image: %s\n    environment:\n      DATABASE_URL: %s\n",
			s.name, s.dir(), image(s, true), dsn(s))
		for _, d := range s.deps {
			fmt.Fprintf(&b, "      %s_URL: %s\n", strings.ToUpper(d.name), depURL(d))
		}
		if len(s.dependsOn) > 0 {
			b.WriteString("    depends_on:\n")
			for _, d := range s.dependsOn {
				fmt.Fprintf(&b, "      - %s\n", d.name)
			}
		}
	}
	return b.String()
}

func (p *plan) kubernetes(s *service) string {
	var b strings.Builder
	fmt.Fprintf(&b, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[1]s
  labels:
    app: %[1]s
spec:
  replicas: %[2]d
  selector:
    matchLabels:
      app: %[1]s
  template:
    metadata:
      labels:
        app: %[1]s
    spec:
      containers:
        - name: %[1]s
          image: %[3]s
          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080
          env:
            - name: DATABASE_URL
              value: %[4]s
`, s.name, 2+s.i%3, image(s, false), dsn(s))
	for _, d := range s.deps {
		fmt.Fprintf(&b, "            - name: %s_URL\n              value: %s\n", strings.ToUpper(d.name), depURL(d))
	}
	fmt.Fprintf(&b, `---
apiVersion: v1
kind: Service
metadata:
  name: %[1]s
spec:
  selector:
    app: %[1]s
  ports:
    - port: 8080
      targetPort: 8080
`, s.name)
	return b.String()
}

// workflow is the service's own CI: test, build, push and deploy it alone.
func (p *plan) workflow(s *service) string {
	return fmt.Sprintf(`name: %[1]s

on:
  push:
    branches: [main]
    paths:
      - "%[2]s/**"
      - "deploy/k8s/%[1]s.yaml"

jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-go@v5
        with:
          go-version: "1.22"
      - name: test
        run: go test ./%[2]s/...
      - name: build image
        run: docker build -t ghcr.io/acme/%[1]s:${{ github.sha }} %[2]s
      - name: push image
        run: docker push ghcr.io/acme/%[1]s:${{ github.sha }}
      - name: deploy
        run: kubectl apply -f deploy/k8s/%[1]s.yaml
`, s.name, s.dir())
}

// releaseTrain is the joint deploy: each job ships three services at once.
func (p *plan) releaseTrain() string {
	var b strings.Builder
	b.WriteString("name: release-train\n\non:\n  workflow_dispatch: {}\n\njobs:\n")
	for j, job := range p.joint {
		fmt.Fprintf(&b, "  train-%d:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n", j+1)
		for _, s := range job {
			fmt.Fprintf(&b, "      - run: docker build -t ghcr.io/acme/%s:${{ github.sha }} %s\n", s.name, s.dir())
		}
		for _, s := range job {
			fmt.Fprintf(&b, "      - run: docker push ghcr.io/acme/%s:${{ github.sha }}\n", s.name)
		}
	}
	return b.String()
}

func (p *plan) openAPI(s *service) string {
	var b strings.Builder
	fmt.Fprintf(&b, `openapi: 3.0.3
info:
  title: %[1]s API
  description: The public API of %[1]s.
  version: 1.%[2]d.0
servers:
  - url: http://%[1]s:8080
paths:
  /healthz:
    get:
      operationId: health
      summary: Liveness probe
      responses:
        "204":
          description: the service is up
`, s.name, s.i%10)
	for _, r := range s.resources {
		t := singular(r)
		path := routePath(s.openAPIVersioned, r)
		fmt.Fprintf(&b, `  %[1]s:
    get:
      operationId: list%[2]s
      summary: List %[3]s
      parameters:
        - name: page_size
          in: query
          schema:
            type: integer
            maximum: 100
      responses:
        "200":
          description: the %[3]s
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: "#/components/schemas/%[4]s"
    post:
      operationId: create%[4]s
      summary: Create a %[5]s
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/%[4]s"
      responses:
        "201":
          description: created
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/%[4]s"
        "400":
          $ref: "#/components/responses/BadRequest"
  %[1]s/{id}:
    get:
      operationId: get%[4]s
      summary: Get a %[5]s
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: integer
            format: int64
      responses:
        "200":
          description: the %[5]s
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/%[4]s"
        "404":
          $ref: "#/components/responses/NotFound"
`, path, title(r), r, t, strings.ToLower(t))
	}
	b.WriteString(`components:
  responses:
    BadRequest:
      description: the request is malformed
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/Error"
    NotFound:
      description: no such resource
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/Error"
  schemas:
    Error:
      type: object
      required: [message]
      properties:
        message:
          type: string
`)
	for _, r := range s.resources {
		fmt.Fprintf(&b, `    %s:
      type: object
      required: [id, name]
      properties:
        id:
          type: integer
          format: int64
        name:
          type: string
        status:
          type: string
          enum: [active, archived]
`, singular(r))
	}
	return b.String()
}

func (p *plan) proto(s *service) string {
	pkg := "acme." + s.name
	if s.protoVersioned {
		pkg += ".v1"
	}
	svc := title(s.name) + "Service"
	var b strings.Builder
	fmt.Fprintf(&b, `syntax = "proto3";

// The gRPC API of %[1]s.
package %[2]s;

option go_package = "%[3]s";

// %[4]s serves the resources of %[1]s.
service %[4]s {
`, s.name, pkg, p.importPath(s, "client/"+s.name+"pb"), svc)
	for _, r := range s.resources {
		t := singular(r)
		fmt.Fprintf(&b, "  // List%[1]s lists %[3]s.\n  rpc List%[1]s(List%[1]sRequest) returns (List%[1]sResponse);\n  // Get%[2]s returns one %[3]s.\n  rpc Get%[2]s(Get%[2]sRequest) returns (%[2]s);\n",
			title(r), t, r)
	}
	b.WriteString("}\n")
	for _, r := range s.resources {
		t := singular(r)
		fmt.Fprintf(&b, `
message %[2]s {
  int64 id = 1;
  string name = 2;
  string status = 3;
}

message List%[1]sRequest {
  int32 page_size = 1;
  string page_token = 2;
}

message List%[1]sResponse {
  repeated %[2]s %[3]s = 1;
  string next_page_token = 2;
}

message Get%[2]sRequest {
  int64 id = 1;
}
`, title(r), t, r)
	}
	return b.String()
}
