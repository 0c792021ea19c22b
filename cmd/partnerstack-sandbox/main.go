// Command partnerstack-sandbox serves the in-memory PartnerStack Vendor API v2
// emulator (package client/sandbox) over HTTP, for trying clients without an
// account. Every flag has a PARTNERSTACK_SANDBOX_* environment variable; a
// flag given on the command line wins.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
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

const envPrefix = "PARTNERSTACK_SANDBOX_"

const faultHelp = `inject a fault; repeatable. Form: kind[:key=value]...
kinds: rate_limit, server_error, latency, reset_after_write, malformed_body, truncated_body, refuse
keys: route ("METHOD /path-prefix", method * = any), status (500|502|503|504), retry_after (2s),
      every (every Nth matching request), times (at most N times), latency (200ms)
e.g. rate_limit:every=5:retry_after=2s  server_error:status=503:times=3:route=GET /v2/
     latency:latency=200ms  reset_after_write:route=POST /v2/transactions
env: ` + envPrefix + `FAULT holds several specs separated by ';'`

// config is the parsed command line.
type config struct {
	addr   string
	opts   sandbox.Options
	faults []sandbox.Fault
}

type faultList []sandbox.Fault

func (f *faultList) String() string { return "" }
func (f *faultList) Set(v string) error {
	flt, err := sandbox.ParseFault(v)
	if err != nil {
		return err
	}
	*f = append(*f, flt)
	return nil
}

// parseConfig reads env defaults, then flags (flags win).
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("partnerstack-sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(name, def string) string {
		if v := getenv(envPrefix + name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.addr, "addr", env("ADDR", "127.0.0.1:8181"), "listen address (env "+envPrefix+"ADDR)")
	fs.StringVar(&c.opts.Keys.PublicKey, "public-key", env("PUBLIC_KEY", sandbox.DefaultPublicKey), "production public key (env "+envPrefix+"PUBLIC_KEY)")
	fs.StringVar(&c.opts.Keys.SecretKey, "secret-key", env("SECRET_KEY", sandbox.DefaultSecretKey), "production secret key (env "+envPrefix+"SECRET_KEY)")
	fs.StringVar(&c.opts.TestKeys.PublicKey, "test-public-key", env("TEST_PUBLIC_KEY", sandbox.DefaultTestPublicKey), "test public key (env "+envPrefix+"TEST_PUBLIC_KEY)")
	fs.StringVar(&c.opts.TestKeys.SecretKey, "test-secret-key", env("TEST_SECRET_KEY", sandbox.DefaultTestSecretKey), "test secret key (env "+envPrefix+"TEST_SECRET_KEY)")
	var seed, txns string
	fs.StringVar(&seed, "seed", env("SEED", "1"), "seed for the demo data and new keys (env "+envPrefix+"SEED)")
	fs.StringVar(&txns, "transactions", env("TRANSACTIONS", strconv.Itoa(sandbox.DefaultTransactions)), "number of seeded transactions (env "+envPrefix+"TRANSACTIONS)")
	emptyDefault, err := strconv.ParseBool(env("EMPTY", "false"))
	if err != nil {
		return c, fmt.Errorf("%sEMPTY: %q is not true or false", envPrefix, getenv(envPrefix+"EMPTY"))
	}
	fs.BoolVar(&c.opts.Empty, "empty", emptyDefault, "seed no demo data, only the default group and the gstest partner (env "+envPrefix+"EMPTY)")
	var faults faultList
	fs.Var(&faults, "fault", faultHelp)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.opts.Seed, err = strconv.ParseInt(seed, 10, 64); err != nil {
		return c, fmt.Errorf("--seed: %q is not an integer", seed)
	}
	if c.opts.Transactions, err = strconv.Atoi(txns); err != nil || c.opts.Transactions < 0 {
		return c, fmt.Errorf("--transactions: %q is not a non-negative integer", txns)
	}
	if c.opts.Keys.PublicKey == "" || c.opts.Keys.SecretKey == "" || c.opts.TestKeys.PublicKey == "" || c.opts.TestKeys.SecretKey == "" {
		return c, errors.New("keys must not be empty")
	}
	if c.opts.Keys.PublicKey == c.opts.TestKeys.PublicKey {
		return c, errors.New("the production and test public keys must differ")
	}
	c.faults = faults
	if len(faults) == 0 { // no --fault flag: take the environment's
		for _, spec := range strings.Split(getenv(envPrefix+"FAULT"), ";") {
			if strings.TrimSpace(spec) == "" {
				continue
			}
			f, err := sandbox.ParseFault(spec)
			if err != nil {
				return c, fmt.Errorf("%sFAULT: %w", envPrefix, err)
			}
			c.faults = append(c.faults, f)
		}
	}
	return c, nil
}

// run serves until ctx ends, then shuts down gracefully.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	start := time.Now()
	sb := sandbox.New(c.opts)
	for _, f := range c.faults {
		sb.AddFault(f)
		logger.Info("fault enabled", "kind", f.Kind, "route", f.Route, "every", f.Every, "times", f.Times)
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           logRequests(logger, sb),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("sandbox ready", "addr", ln.Addr().String(), "seed", c.opts.Seed, "empty", c.opts.Empty, "build", time.Since(start).String())
	// The keys are fake, so printing them is fine and saves a trip to the docs.
	fmt.Fprintf(stdout, "PartnerStack sandbox at http://%s/api (public key %s, secret key %s; test public key %s, test secret key %s)\n",
		ln.Addr(), c.opts.Keys.PublicKey, c.opts.Keys.SecretKey, c.opts.TestKeys.PublicKey, c.opts.TestKeys.SecretKey)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// statusWriter remembers the status for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			status := sw.status
			if v := recover(); v != nil {
				logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", "connection dropped", "took", time.Since(start).String())
				panic(v) // an injected reset/refuse: let net/http drop the connection
			}
			logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", status, "took", time.Since(start).String())
		}()
		next.ServeHTTP(sw, r)
	})
}
