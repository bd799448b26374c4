package facts

// Workload is one container workload declared in a deploy file: a compose
// service or a Kubernetes Deployment, StatefulSet, DaemonSet, Job or CronJob.
type Workload struct {
	Name string
	// Kind is "compose" or the Kubernetes kind.
	Kind string
	// Service is the repo service the workload runs ("" when it runs none,
	// e.g. a database container).
	Service string
	// Pos is the compose service key or the manifest's metadata.name.
	Pos Position

	Image    string
	ImagePos Position
	// Build is the compose build context, repo-relative ("" when none).
	Build string
	// Datastore is true when the image runs a database, cache or broker.
	Datastore bool

	// Env is the container environment with every value the loader could
	// resolve (compose interpolation defaults, env_file, ConfigMaps, Secrets).
	Env []EnvVar
	// DependsOn lists compose depends_on and links entries.
	DependsOn []Dependency
	// InitContainers are Kubernetes init containers.
	InitContainers []Container
}

// EnvVar is one environment variable of a workload.
type EnvVar struct {
	Name  string
	Value string
	Pos   Position
	// From says where the value came from: "literal", "env_file:<path>",
	// "configmap:<name>", "secret:<name>", or "unresolved".
	From string
}

// Dependency is one start-up dependency of a compose service.
type Dependency struct {
	Name      string
	Condition string // service_started, service_healthy, ..., or "link"
	Pos       Position
}

// Container is one (init) container of a Kubernetes workload.
type Container struct {
	Name    string
	Image   string
	Command string // command and args joined with spaces
	Pos     Position
}
