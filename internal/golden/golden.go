// Package golden is the one switch that regenerates every generated file the
// tests check (schema snapshots, README tool table, manifest.json, token
// baseline): run `UPDATE_GOLDEN=1 go test ./...`. Without it those tests fail
// while a generated file differs from the code.
package golden

import "os"

// Update reports whether this test run should rewrite generated files
// instead of failing on a difference.
func Update() bool {
	switch os.Getenv("UPDATE_GOLDEN") {
	case "", "0", "false":
		return false
	}
	return true
}
