package facts

// OpenAPISpec is one OpenAPI 3.x or Swagger 2.0 document, found by its
// content (an openapi or swagger key), with the $refs it makes to other
// files of the repository resolved.
type OpenAPISpec struct {
	Path    string
	Service string // owning service, "" when shared
	// Version is the specification version as major.minor: "2.0", "3.0",
	// "3.1" (the openapi or swagger value, trimmed to two components).
	Version string
	Pos     Position // the openapi or swagger key

	// Loaded is false when the document could not be loaded (a LOAD problem
	// names why); it then has no operations.
	Loaded bool

	// Servers are the document-level servers (OpenAPI 3), in document order.
	Servers []APIServer
	// BasePath is Swagger 2.0's basePath ("" when absent); BasePathPos is
	// its key.
	BasePath    string
	BasePathPos Position

	// Operations are in document order of their paths, then methods.
	Operations []APIOperation
}

// APIServer is one server object.
type APIServer struct {
	URL       string // as written
	Variables []ServerVariable
	Pos       Position // the url key, or the server item
}

// ServerVariable is one variable of a server URL template.
type ServerVariable struct {
	Name    string
	Default string
}

// APIOperation is one operation (a path and an HTTP method) of a spec.
type APIOperation struct {
	Method string // upper case: GET, POST, ...
	Path   string // the paths key, as written
	// Pos is the method key; PathPos the path key in the spec's own file.
	// When the path item is a $ref to another file, Pos is in that file.
	Pos     Position
	PathPos Position
	// Servers are the servers that apply to the operation when the path item
	// or the operation overrides the document's ("" URL list when none).
	Servers []APIServer
	// Parameters are the header, query and path parameters of the path item
	// and the operation, $refs resolved.
	Parameters []APIParameter
	// RequestMediaTypes and ResponseMediaTypes are the content types of the
	// request body and of every response, sorted and de-duplicated.
	RequestMediaTypes  []string
	ResponseMediaTypes []string
}

// APIParameter is one parameter of an operation.
type APIParameter struct {
	Name     string
	In       string // header, query, path or cookie
	Required bool
}

// GoRoute is one HTTP route registered in Go code, read from the syntax
// tree without type checking.
type GoRoute struct {
	Pos     Position // the registering call
	Service string   // owning service, "" when shared
	// Method is the HTTP method, upper case, or several joined by commas;
	// "" when the route matches any method.
	Method string
	// Path is the full path: the prefixes of every group, sub-router and
	// mount that lead to the route, then its own pattern. For an unresolved
	// route it is what was known of it.
	Path string
	// Router is the router kind: net/http, gorilla/mux, chi, gin, echo or
	// fiber.
	Router string
	// Resolved is false when a prefix or the pattern could not be worked out
	// statically (a router handed in from another package, a computed
	// string). Rules skip unresolved routes.
	Resolved bool
}
