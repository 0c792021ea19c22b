// Command partnerstack-mcp is an MCP server for the PartnerStack Vendor API.
//
//	partnerstack-mcp [flags]                  serve MCP (stdio by default)
//	partnerstack-mcp tools [--json] [flags]   print the tool catalogue
//	partnerstack-mcp call TOOL --args JSON    call one tool and print its result
//	partnerstack-mcp sandbox [--addr A]       serve the fake PartnerStack API
//	partnerstack-mcp --version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/mark3labs/mcp-go/server"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/credentials"
	"github.com/partnerstack-mcp/partnerstack-mcp/httpserve"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// transportStdio is the --transport value that serves over stdin/stdout; the
// others are httpserve's.
const transportStdio = "stdio"

func main() {
	// A binary from `go install ...@v1.2.3` carries its module version; use it
	// when no -ldflags -X stamped one.
	if bi, ok := debug.ReadBuildInfo(); ok && partnerstackmcp.Version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		partnerstackmcp.Version = bi.Main.Version
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// errUsage marks errors already explained by the flag package.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 {
		switch args[0] {
		case "tools", "call", "sandbox", "serve", "version":
			cmd, args = args[0], args[1:]
		case "--version", "-version":
			cmd, args = "version", args[1:]
		}
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, args, stdout, stderr)
	case "tools":
		err = listTools(ctx, args, stdout, stderr)
	case "call":
		var isErr bool
		isErr, err = callTool(ctx, args, stdout, stderr)
		if err == nil && isErr {
			return 1
		}
	case "sandbox":
		err = serveSandbox(ctx, args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, partnerstackmcp.Name, partnerstackmcp.Version)
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintln(stderr, "partnerstack-mcp:", err)
	return 1
}

// parse registers the shared options plus extra flags, parses args and the environment.
func parse(name string, args []string, stderr io.Writer, extra func(*flag.FlagSet)) (*options, *flag.FlagSet, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	o.register(fs)
	version := fs.Bool("version", false, "print the version and exit")
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, err
		}
		return nil, nil, errUsage
	}
	if *version {
		fmt.Fprintln(stderr, partnerstackmcp.Name, partnerstackmcp.Version)
		return nil, nil, flag.ErrHelp
	}
	if err := applyEnv(fs); err != nil {
		return nil, nil, err
	}
	return o, fs, nil
}

func newLogger(level string, w io.Writer) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// build turns options into a ready MCP server (and the client under it).
func build(o *options, logger *slog.Logger) (*server.MCPServer, error) {
	switch o.transport {
	case transportStdio, httpserve.TransportSSE, httpserve.TransportHTTP:
	default:
		return nil, fmt.Errorf("--transport %q: use stdio, sse or http", o.transport)
	}
	if o.perRequestCredentials && o.transport == transportStdio {
		return nil, errors.New("--per-request-credentials needs --transport http or sse: over stdio no request carries keys")
	}
	if o.dedupeWindow < 0 {
		return nil, fmt.Errorf("--dedupe-window %s: must not be negative (0 disables the guard)", o.dedupeWindow)
	}
	if o.callTimeout <= 0 {
		return nil, fmt.Errorf("--call-timeout %s: must be positive", o.callTimeout)
	}
	if o.insightsConcurrency < 1 || o.insightsConcurrency > 32 {
		return nil, fmt.Errorf("--insights-concurrency %d: must be between 1 and 32", o.insightsConcurrency)
	}
	if o.insightsBudget <= 0 {
		return nil, fmt.Errorf("--insights-budget %s: must be positive", o.insightsBudget)
	}
	if o.resultBudget < 1024 {
		return nil, fmt.Errorf("--result-budget %d: must be at least 1024 bytes", o.resultBudget)
	}
	cfg := client.ConfigFromEnv()
	envKeys := cfg.PublicKey != "" || cfg.SecretKey != ""
	cfg.UserAgent = partnerstackmcp.Name + "/" + partnerstackmcp.Version
	cfg.Timeout = o.timeout
	cfg.Logger = logger
	if o.baseURL != "" {
		cfg.BaseURL = o.baseURL
	}
	profile, err := sandbox.ParseProfile(o.profile)
	if err != nil {
		return nil, fmt.Errorf("--sandbox-profile: %w", err)
	}
	if o.sandbox {
		sb := sandbox.New(sandbox.Options{Profile: profile})
		cfg.HTTPClient = sb.Client()
		cfg.BaseURL = "http://sandbox.invalid/api"
		cfg.PublicKey, cfg.SecretKey = sandbox.DefaultPublicKey, sandbox.DefaultSecretKey
		logger.Info("using the embedded sandbox: demo data, nothing leaves this process", "profile", profile)
	} else if profile != sandbox.ProfileDefault {
		// Not an error: the variable is shared with `partnerstack-mcp sandbox`.
		logger.Warn("--sandbox-profile has no effect without --sandbox", "profile", profile)
	}
	if o.perRequestCredentials {
		if envKeys && !o.sandbox {
			logger.Warn("per-request credentials: the keys in the environment are ignored; each request's headers are used")
		}
		cfg = credentials.ClientConfig(cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		if errors.Is(err, client.ErrMissingKeys) {
			return nil, fmt.Errorf("%w, or run with --sandbox to try the demo program", err)
		}
		return nil, err
	}
	return partnerstackmcp.New(c, partnerstackmcp.Config{
		Toolsets:     toolsetIDs(splitList(o.toolsets)),
		Tools:        splitList(o.tools),
		ExcludeTools: splitList(o.excludeTools),
		ReadOnly:     o.readOnly,
		ResultBudget: o.resultBudget,
		Logger:       logger,

		DedupeWindow:       dedupeWindow(o.dedupeWindow),
		CallTimeout:        o.callTimeout,
		AllowLocalWebhooks: o.sandbox,

		InsightConcurrency: o.insightsConcurrency,
		InsightBudget:      o.insightsBudget,

		PerRequestCredentials: o.perRequestCredentials,
	})
}

func toolsetIDs(names []string) []tools.ToolsetID {
	var ids []tools.ToolsetID
	for _, n := range names {
		ids = append(ids, tools.ToolsetID(n))
	}
	return ids
}

// dedupeWindow maps the flag (0 disables) to the server's setting (0 means default).
func dedupeWindow(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, _, err := parse("partnerstack-mcp", args, stderr, nil)
	if err != nil {
		return err
	}
	logger, err := newLogger(o.logLevel, stderr)
	if err != nil {
		return err
	}
	s, err := build(o, logger)
	if err != nil {
		return err
	}
	if o.transport == transportStdio {
		// stdout belongs to the protocol; logs go to stderr.
		stdio := server.NewStdioServer(s)
		stdio.SetErrorLogger(slog.NewLogLogger(logger.Handler(), slog.LevelError))
		err := stdio.Listen(ctx, os.Stdin, stdout)
		if err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, io.EOF)) {
			return nil
		}
		return err
	}
	return httpserve.Serve(ctx, s, httpserve.Options{
		Transport:             o.transport,
		Addr:                  o.addr,
		Token:                 o.httpToken,
		AllowedOrigins:        splitList(o.allowedOrigins),
		Stateless:             o.stateless,
		PerRequestCredentials: o.perRequestCredentials,
		Logger:                logger,
	})
}
