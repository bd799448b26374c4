package facts

// DatastoreRef is one place where a service names a datastore it connects
// to: a connection string or a host/port/database group in a workload's
// environment, an env or config file, Helm values, or Go code; or a compose
// depends_on/links entry to a database container. It never holds a
// credential: Display is the reference with every password masked.
type DatastoreRef struct {
	// Service is the service that connects ("" when the reference belongs
	// to no service, e.g. a shared library).
	Service string
	// Engine is postgres, mysql, mongodb, redis, sqlserver, clickhouse,
	// oracle or cassandra.
	Engine string
	// Host is lower-case. A host that names a compose service or a
	// Kubernetes Service running a datastore is replaced by that
	// datastore's name.
	Host string
	// Port is the engine's default when the reference gives none.
	Port int
	// Database is "" when the reference names none (a bare host, a
	// depends_on entry). For redis it is the database number.
	Database string
	// Schema is the Postgres search_path / currentSchema, when given.
	Schema string
	// Display is the reference as written, credentials masked.
	Display string
	// Source is where the reference was found: compose-env, kube-env,
	// kube-config-file (a config file a pod mounts from a ConfigMap or
	// Secret), env-file, config, helm-values, go, or depends-on.
	Source string
	// Key is the variable, config key or Go call that holds it.
	Key string
	Pos Position
	// Local is true for loopback hosts (localhost, 127.0.0.1): a
	// developer's machine rather than a deployment.
	Local bool
	// Node is the ID of the Datastore the reference leads to.
	Node string
}

// Datastore is one logical database, a node of the service graph.
type Datastore struct {
	// ID is engine://host:port/database, or engine://host:port for a
	// server known only from references that name no database.
	ID       string
	Engine   string
	Host     string
	Port     int
	Database string
	// Server is engine://host:port.
	Server string
	// Workload names the compose service or Kubernetes workload that runs
	// the server in this repository ("" when it runs elsewhere).
	Workload string
	// Pos is the workload's declaration, else the first reference.
	Pos Position
}

// DatastoreEdge joins a service to a datastore it uses, with the evidence.
type DatastoreEdge struct {
	Service   string
	Datastore string // Datastore.ID
	// Evidence are the positions of the references, in order.
	Evidence []Position
	// Sources are the distinct DatastoreRef.Source values, sorted.
	Sources []string
}

// TableRef is one place where a service touches a table or collection.
type TableRef struct {
	// Service is "" when the file belongs to no service.
	Service string
	// Name is the table or collection, lower-case unless quoted.
	Name   string
	Schema string
	// Database is the ID of the Datastore the table lives in, when the
	// service's references settle it ("" when unknown).
	Database string
	// Kind is "table" or "collection".
	Kind string
	// Op is read, write, create, alter, or use (an ORM model or a
	// collection handle, which reads and writes).
	Op string
	// Source is sql (a .sql file), migration, go-sql (SQL in a Go string),
	// gorm, ent or mongo.
	Source string
	Pos    Position
}

// MigrationDir is a folder of schema migrations.
type MigrationDir struct {
	Dir string
	// Tool is golang-migrate, goose, atlas, flyway, dbmate, sqlc or sql.
	Tool string
	// Service owns the folder by path ("" when it lies outside every
	// service).
	Service string
	// Pos is the first migration file.
	Pos Position
	// Users are the services that apply or compile against the folder,
	// its owner included, one entry per piece of evidence.
	Users []MigrationUse
}

// MigrationUse is one piece of evidence that a service applies a
// migrations folder.
type MigrationUse struct {
	Service string
	// How is owner, go-code, dockerfile, compose-mount, sqlc or makefile.
	How string
	Pos Position
}
