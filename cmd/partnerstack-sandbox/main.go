// Command partnerstack-sandbox serves the in-memory PartnerStack Vendor API v2
// emulator (package client/sandbox) over HTTP, for trying clients without an
// account. Every flag has a PARTNERSTACK_SANDBOX_* environment variable; a
// flag given on the command line wins. `partnerstack-mcp sandbox` is the same
// command (package client/sandbox/sandboxcli).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox/sandboxcli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "partnerstack-sandbox:", err)
		os.Exit(2)
	}
}

// run serves until ctx ends, then shuts down gracefully.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return sandboxcli.Run(ctx, "partnerstack-sandbox", args, getenv, stdout, stderr)
}
