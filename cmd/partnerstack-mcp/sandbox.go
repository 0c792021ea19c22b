package main

import (
	"context"
	"errors"
	"io"
	"os"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox/sandboxcli"
)

// serveSandbox serves the fake PartnerStack API over HTTP, for pointing the
// MCP server (--base-url) or any other PartnerStack client at. Faults let
// demos and CI show slow or failing API calls, e.g. a long call to cancel.
// It is the partnerstack-sandbox command: same flags, environment and output.
func serveSandbox(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	err := sandboxcli.Run(ctx, "partnerstack-mcp sandbox", args, os.Getenv, stdout, stderr)
	if errors.Is(err, sandboxcli.ErrUsage) {
		return errUsage // the flag package already explained it
	}
	return err
}
