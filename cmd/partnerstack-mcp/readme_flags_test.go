package main

import (
	"flag"
	"os"
	"strings"
	"testing"
)

// Every flag, and the environment variable that mirrors it, is documented
// in the README's configuration table.
func TestReadmeDocumentsEveryFlag(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	(&options{}).register(fs)
	if fs.Lookup("per-request-credentials") == nil {
		t.Fatal("flag registry changed shape; update this test")
	}
	fs.VisitAll(func(f *flag.Flag) {
		for _, want := range []string{"`--" + f.Name + "`", "`" + envName(f.Name) + "`"} {
			if !strings.Contains(string(readme), want) {
				t.Errorf("README.md does not document %s", want)
			}
		}
	})
}
