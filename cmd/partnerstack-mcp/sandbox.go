package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

// faultFlags collects repeated --fault specs.
type faultFlags []sandbox.Fault

func (f *faultFlags) String() string {
	if f == nil || len(*f) == 0 {
		return ""
	}
	return fmt.Sprint(len(*f), " faults")
}

func (f *faultFlags) Set(spec string) error {
	fault, err := sandbox.ParseFault(spec)
	if err != nil {
		return err
	}
	*f = append(*f, fault)
	return nil
}

// sandboxFlags: `sandbox` serves the fake PartnerStack API over HTTP, for
// pointing the MCP server (--base-url) or any other PartnerStack client at.
// Faults let demos and CI show slow or failing API calls, e.g. a long call to cancel.
func sandboxFlags(fs *flag.FlagSet) func(context.Context, *invocation) error {
	addr := fs.String("addr", "127.0.0.1:8181", "listen address")
	seed := fs.Int64("seed", 1, "seed of the demo data and of new object keys")
	empty := fs.Bool("empty", false, "start with no demo data (only the default group and the gstest partner)")
	var faults faultFlags
	fs.Var(&faults, "fault", "inject a fault, repeatable: KIND[:key=value...], e.g. 'latency:latency=5s:route=GET /v2/transactions'\n"+
		"kinds: rate_limit, server_error, latency, reset_after_write, malformed_body, truncated_body, refuse")
	return func(ctx context.Context, in *invocation) error {
		return serveSandbox(ctx, *addr, *seed, *empty, faults, in.stderr)
	}
}

func serveSandbox(ctx context.Context, addr string, seed int64, empty bool, faults faultFlags, stderr io.Writer) error {
	logger, _ := newLogger("info", stderr)
	sb := sandbox.New(sandbox.Options{Seed: seed, Empty: empty})
	for _, f := range faults {
		sb.AddFault(f)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: sb, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	logger.Info("PartnerStack sandbox listening", "base_url", "http://"+ln.Addr().String()+"/api",
		"public_key", sandbox.DefaultPublicKey, "secret_key", sandbox.DefaultSecretKey,
		"test_public_key", sandbox.DefaultTestPublicKey, "test_secret_key", sandbox.DefaultTestSecretKey,
		"faults", len(faults))
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
