package main

import (
	"context"
	"flag"
	"os"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox/sandboxcli"
)

// sandboxFlags: `sandbox` serves the fake PartnerStack API over HTTP, for
// pointing the MCP server (--base-url) or any other PartnerStack client at.
// Faults let demos and CI show slow or failing API calls, e.g. a long call
// to cancel. Its flags, environment and output are the partnerstack-sandbox
// command's (package sandboxcli); only the parsing is this command's, so
// flags may stand before or after `sandbox` here too.
func sandboxFlags(fs *flag.FlagSet) func(context.Context, *invocation) error {
	finish, defineErr := sandboxcli.Define(fs, os.Getenv)
	return func(ctx context.Context, in *invocation) error {
		if defineErr != nil {
			return defineErr
		}
		c, err := finish()
		if err != nil {
			return err
		}
		return sandboxcli.Serve(ctx, c, in.stdout, in.stderr)
	}
}

// sandboxUsage prints the flag package's usage of the sandbox flags, as
// partnerstack-sandbox -h does.
func sandboxUsage(in *invocation) error {
	fs := flag.NewFlagSet("partnerstack-mcp sandbox", flag.ContinueOnError)
	fs.SetOutput(in.stderr)
	if _, err := sandboxcli.Define(fs, os.Getenv); err != nil {
		return err
	}
	fs.Usage()
	return nil
}
