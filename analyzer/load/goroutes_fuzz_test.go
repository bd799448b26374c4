package load

import (
	"go/parser"
	"go/token"
	"testing"
)

// FuzzGoRoutes feeds arbitrary Go source to the route reader under a name
// that passes its pre-filter. It must never panic, hang or report a
// problem for input the Go parser accepts.
func FuzzGoRoutes(f *testing.F) {
	for _, s := range []string{
		"package main\nimport (\"net/http\"; \"github.com/go-chi/chi/v5\")\nfunc main() { r := chi.NewRouter(); r.Route(\"/v1\", func(r chi.Router) { r.Get(\"/a\", nil) }); r.Mount(\"/x\", r); http.ListenAndServe(\":1\", r) }\n",
		"package main\nimport \"github.com/gin-gonic/gin\"\nfunc a(g *gin.RouterGroup) { b(g.Group(\"/b\")) }\nfunc b(g *gin.RouterGroup) { a(g) ; g.GET(p, nil) }\nconst p = q + \"/x\"\nconst q = p\n",
		"package main\nimport \"github.com/gorilla/mux\"\nvar r = mux.NewRouter()\nfunc init() { r.PathPrefix(\"/a\").Subrouter().HandleFunc(\"/b\", nil).Methods(\"GET\").Subrouter().Handle(\"/c\", r) }\n",
		"package main\nimport \"github.com/gofiber/fiber/v2\"\ntype s struct{ app *fiber.App }\nfunc (x *s) m() { x.app.Mount(\"/a\", x.app); x.app.Route(\"/b\", x.m2) }\nfunc (x *s) m2(r fiber.Router) { r.Get(\"\", nil) }\n",
	} {
		f.Add(s)
	}
	root := fuzzRoot(f)
	f.Fuzz(func(t *testing.T, src string) {
		repo := loadOne(t, root, "svc/routes.go", []byte(src))
		if _, err := parser.ParseFile(token.NewFileSet(), "routes.go", src, parser.SkipObjectResolution); err != nil {
			return // the Go loader rightly reports input the parser rejects
		}
		for _, p := range repo.Problems {
			t.Errorf("problem: %+v", p)
		}
	})
}
