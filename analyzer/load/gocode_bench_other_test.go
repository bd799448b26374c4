//go:build !unix

package load

import "time"

// cpuTimeAll is not measured on this platform.
func cpuTimeAll() time.Duration { return 0 }
