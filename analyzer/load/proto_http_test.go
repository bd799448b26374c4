package load

import (
	"fmt"
	"strings"
	"testing"
)

func TestHTTPBindings(t *testing.T) {
	dir := writeRepo(t, t.TempDir(), map[string]string{"shop/shop.proto": `syntax = "proto3";
package shop.v1;
import "google/api/annotations.proto";
service Shop {
  // Get: option (google.api.http) = { get: "/commented/out" };
  rpc Get(Req) returns (Resp) {
    option (google.api.http) = {
      get: "/things/{id}"
      additional_bindings {
        post: "/v1/things:get"
        body: "*"
      }
      additional_bindings: [{ custom { kind: "HEAD" path: "/x" } }, {delete: '/y'}]
    };
  }
  rpc List(Req) returns (Resp) { option (google.api.http).get = "/v2/things"; }
  rpc Plain(Req) returns (Resp) { option deprecated = true; }
}
message Req {}
message Resp {}
`})
	repo := loadDir(t, dir)
	if len(repo.Problems) != 0 || len(repo.Protos) != 1 {
		t.Fatalf("problems %+v, protos %d", repo.Problems, len(repo.Protos))
	}
	var got []string
	for _, rpc := range repo.Protos[0].Services[0].RPCs {
		for _, b := range rpc.HTTP {
			got = append(got, fmt.Sprintf("%s %s %s %d:%d", rpc.Name, b.Method, b.Path, b.Pos.Line, b.Pos.Col))
		}
	}
	want := []string{
		"Get GET /things/{id} 8:12",
		"Get POST /v1/things:get 10:15",
		"Get HEAD /x 13:59",
		"Get DELETE /y 13:78",
		"List GET /v2/things 16:65",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("bindings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
