package load

import (
	"fmt"
	"strings"
	"testing"
)

func TestGoRoutes(t *testing.T) {
	dir := writeRepo(t, t.TempDir(), map[string]string{
		"go.mod": "module example.com/shop\n",
		"services/api/main.go": `package main

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"example.com/shop/services/api/orders"
)

const base = "/api"

var prefix = base + "/v1"

func main() {
	r := chi.NewRouter()
	r.Route(prefix, func(r chi.Router) {
		orders.Routes(r)
		r.Mount("/users", users())
	})
	srv := &http.Server{Handler: r}
	srv.ListenAndServe()
}

func users() chi.Router {
	u := chi.NewRouter()
	u.Get("/", nil)
	return u
}
`,
		"services/api/orders/orders.go": `package orders

import "github.com/go-chi/chi/v5"

// Routes is called by main with the /api/v1 group.
func Routes(r chi.Router) {
	r.Get("/orders", nil)
	helper(r, "/orders/{id}")
}

func helper(r chi.Router, p string) {
	r.Delete(p, nil)
}

// Unbound is called by nobody: its group is unknown.
func Unbound(r chi.Router) {
	r.Get("/unbound", nil)
}
`,
		"services/api/orders/orders_test.go": "package orders\n\nimport \"github.com/go-chi/chi/v5\"\n\nfunc x() { chi.NewRouter().Get(\"/test\", nil) }\n",
		"services/web/main.go":               "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":80\", nil) }\n",
		"services/broken/main.go":            "package main\n\nimport \"github.com/gin-gonic/gin\"\n\nfunc main() { gin.New().GET(\"/x\" }\n",
	})
	repo := loadDir(t, dir)
	var got []string
	for _, r := range repo.GoRoutes {
		got = append(got, fmt.Sprintf("%s:%d %s %s %s %s %v", r.Pos.File, r.Pos.Line, r.Service, r.Router, r.Method, r.Path, r.Resolved))
	}
	want := []string{
		"services/api/main.go:27 api chi GET /api/v1/users/ true",
		"services/api/orders/orders.go:7 api chi GET /api/v1/orders true",
		"services/api/orders/orders.go:12 api chi DELETE /api/v1/orders/{id} true",
		"services/api/orders/orders.go:17 api chi GET /unbound false",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("routes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if repo.UnresolvedGoRoutes != 1 {
		t.Errorf("UnresolvedGoRoutes = %d, want 1", repo.UnresolvedGoRoutes)
	}
}

func TestLooksLikeRoutes(t *testing.T) {
	for src, want := range map[string]bool{
		`import "github.com/gin-gonic/gin"`:                             true,
		`import "github.com/go-chi/chi/v5"`:                             true,
		`import "net/http"; mux.HandleFunc("/", h)`:                     true,
		`import "net/http"; http.ListenAndServe(":80", nil)`:            true,
		`import "net/http"; http.Get(url)`:                              false,
		`import "fmt"; r.GET("/x")`:                                     false,
		`import ("github.com/acme/kit"; "github.com/labstack/echo/v4")`: true,
		`import "github.com/"; // "github.com/gofiber/fiber`:            true,
		`import "github.com/gorilla/muxer"`:                             false,
		`"github.com/gin-gonic/gin`:                                     false,
	} {
		if got := looksLikeRoutes([]byte(src)); got != want {
			t.Errorf("looksLikeRoutes(%q) = %v, want %v", src, got, want)
		}
	}
}

func TestSplitPattern(t *testing.T) {
	for p, want := range map[string]string{
		"GET /orders/{id}":        "GET /orders/{id}",
		"/orders/":                " /orders/",
		"example.com/x":           " /x",
		"post  example.com/a/{$}": "POST /a/{$}",
	} {
		m, path := splitPattern(p)
		if got := m + " " + path; got != want {
			t.Errorf("splitPattern(%q) = %q, want %q", p, got, want)
		}
	}
}

// TestGoRoutesConditionalStrings: a path assigned in the branches of an if
// (or a switch, or a loop) to a name declared before it is not known after
// them, so the route is unresolved rather than given the last branch's
// text; a name declared inside a branch keeps its text there.
func TestGoRoutesConditionalStrings(t *testing.T) {
	dir := writeRepo(t, t.TempDir(), map[string]string{
		"go.mod": "module example.com/shop\n",
		"services/ui/main.go": `package main

import "net/http"

type server struct{ basePath string }

func (s *server) routes(mux *http.ServeMux) {
	base := s.basePath
	if base == "" {
		base = "/"
	}
	var static string
	if base == "/" {
		static = "/static/"
	} else {
		static = base + "/static/"
	}
	mux.Handle(static, nil)
	for _, v := range []string{"v1"} {
		p := "/" + v + "/health"
		mux.Handle(p, nil)
	}
	api := "/v1"
	switch base {
	case "/":
	default:
		api = base + "/v1"
	}
	mux.Handle(api+"/orders", nil)
	straight := "/v2"
	straight += "/items"
	mux.Handle(straight, nil)
}

func main() {
	mux := http.NewServeMux()
	(&server{}).routes(mux)
	http.ListenAndServe(":80", mux)
}
`,
	})
	repo := loadDir(t, dir)
	var got []string
	for _, r := range repo.GoRoutes {
		got = append(got, fmt.Sprintf("%d %s %v", r.Pos.Line, r.Path, r.Resolved))
	}
	// An unresolved route keeps the text that is known.
	want := []string{"18 / false", "21 / false", "29 /orders false", "32 /v2/items true"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("routes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
