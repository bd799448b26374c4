package facts

// ProtoFile is one parsed .proto file.
type ProtoFile struct {
	Path    string
	Service string // owning service, "" when shared

	Package    string
	PackagePos Position // the package statement; zero when the file has none

	Imports  []ProtoImport
	Services []ProtoService
	Messages []ProtoMessage

	// GoPackage is the import path of the go_package option ("" when the
	// file has none).
	GoPackage string

	// Vendored is true for protos of well-known or third-party origin kept
	// in the repo (google/*, vendor copies, copies of protoc plugins'
	// option protos such as validate.proto).
	Vendored bool
}

// ProtoImport is one import statement.
type ProtoImport struct {
	Path string // as written, e.g. "google/api/annotations.proto"
	Pos  Position
}

// ProtoService is one service definition.
type ProtoService struct {
	Name string
	Pos  Position
	RPCs []ProtoRPC
}

// ProtoRPC is one rpc of a service.
type ProtoRPC struct {
	Name         string
	Pos          Position
	RequestType  string // as written, possibly package-qualified
	ResponseType string
	// HTTP are the google.api.http bindings of the rpc, the primary one first.
	HTTP []HTTPBinding
}

// HTTPBinding is one REST mapping of an rpc (google.api.http).
type HTTPBinding struct {
	Method string // GET, POST, PUT, PATCH, DELETE or the custom kind
	Path   string
	Pos    Position
}

// ProtoMessage is one top-level message or enum.
type ProtoMessage struct {
	Name string
	Pos  Position
}
