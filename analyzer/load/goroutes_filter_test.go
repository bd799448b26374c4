package load

import "testing"

// TestLooksLikeRoutesHandlerFiles checks the pre-filter that decides which Go files the
// route reader parses.
func TestLooksLikeRoutesHandlerFiles(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{"import \"net/http\"\nfunc r(m *http.ServeMux) { m.HandleFunc(\"/x\", h) }", true},
		{"import \"net/http\"\nfunc r(m *Mux) { m.Handle(\"/x\", h) }", true},
		{"import \"net/http\"\nvar reg = mux.HandleFunc", true},
		{"import \"net/http\"\nfunc main() { http.ListenAndServe(\":8080\", nil) }", true},
		{"import \"net/http\"\ntype S struct{ mux *http.ServeMux }", true},
		{"import \"net/http\"\nfunc (h *Handler) get(w http.ResponseWriter, r *http.Request) {}", false},
		{"import \"net/http\"\nvar _ http.Handler = Handlers{}", false},
		{"import \"net/http\"\nfunc (h *Handler) get(w http.ResponseWriter, r *http.Request) { http.Error(w, \"x\", http.StatusInternalServerError) }", false},
		{"import \"net/http\"\nfunc fail(w http.ResponseWriter) { w.WriteHeader(http.StatusInternalServerError) }\nvar s = &http.Server{}", true},
		{"import \"net/http\"\nfunc (s *api) ServeHTTP(w http.ResponseWriter, r *http.Request) {}", true},
		{"func (h *Handler) HandleFunc() {}", false},
		{"import \"github.com/go-chi/chi/v5\"\nfunc (h *Handler) x() {}", true},
	} {
		if got := looksLikeRoutes([]byte(tc.src)); got != tc.want {
			t.Errorf("looksLikeRoutes(%q) = %v, want %v", tc.src, got, tc.want)
		}
	}
}
