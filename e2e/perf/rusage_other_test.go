//go:build !unix

package perf_test

import "time"

// processCPU is not measured here: cpu-us/call reads 0.
func processCPU() time.Duration { return 0 }
