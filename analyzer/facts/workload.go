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
	// ImageRaw is the image as written, before interpolation (e.g.
	// "shop/orders:${TAG}").
	ImageRaw string
	// Build is the compose build context, repo-relative ("." for the
	// repository root, "" when none).
	Build string
	// Dockerfile is the Dockerfile a compose build uses, repo-relative
	// (Build/Dockerfile unless the build names another; "" when none).
	Dockerfile string
	// Target is the build stage a compose build stops at ("" for the last).
	Target string
	// Datastore is true when the image runs a database, cache or broker.
	Datastore bool

	// Env is the container environment with every value the loader could
	// resolve (compose interpolation defaults, env_file, ConfigMaps, Secrets).
	Env []EnvVar
	// DependsOn lists compose depends_on and links entries.
	DependsOn []Dependency
	// InitContainers are Kubernetes init containers.
	InitContainers []Container

	// Namespace is the Kubernetes namespace as written ("" when none).
	Namespace string
	// Labels are the Kubernetes pod template labels (the compose labels for
	// a compose service).
	Labels map[string]string
	// Containers are the workload's main containers (one for compose).
	Containers []Container
	// Command is the first main container's command and args, joined with
	// spaces.
	Command string
	// Mounts are compose bind mounts and volumes.
	Mounts []Mount
}

// Mount is one compose volume entry.
type Mount struct {
	// Source is the host path, repo-relative when it is a bind mount inside
	// the repository, or the volume name.
	Source string
	Target string
	Bind   bool // Source is a path, not a named volume
	Pos    Position
}

// KubeService is one Kubernetes Service: a stable host name for the pods its
// selector matches.
type KubeService struct {
	Name      string
	Namespace string
	// Selector is the pod label selector.
	Selector map[string]string
	// ExternalName is the DNS name of an ExternalName Service.
	ExternalName string
	Ports        []int
	Pos          Position
}

// EnvVar is one environment variable of a workload.
type EnvVar struct {
	Name string
	// Value never holds a credential in clear: passwords in connection
	// strings are masked, and values of secret-looking variables and of
	// Secrets are "<redacted>" unless they are connection strings.
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
	Command string // command and args joined with spaces, ${X} and $(X) of its literal env expanded
	Pos     Position
}
