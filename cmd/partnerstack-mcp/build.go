package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/credentials"
	"github.com/partnerstack-mcp/partnerstack-mcp/httpserve"
	"github.com/partnerstack-mcp/partnerstack-mcp/telemetry"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools/dedupe"
)

// transportStdio is the --transport value that serves over stdin/stdout; the
// others are httpserve's.
const transportStdio = "stdio"

func newLogger(level string, w io.Writer) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// build turns options into a ready MCP server (and the client under it).
// Close the app when done with it.
func build(o *options, logger *slog.Logger) (*app, error) {
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
	if err := o.checkHTTPBounds(); err != nil {
		return nil, err
	}
	cfg := client.ConfigFromEnv()
	envKeys := cfg.PublicKey != "" || cfg.SecretKey != ""
	cfg.UserAgent = partnerstackmcp.Name + "/" + partnerstackmcp.Version
	cfg.Timeout = o.timeout
	cfg.Logger = logger
	cfg.BaseURL = o.baseURL // --base-url or PARTNERSTACK_BASE_URL
	profile, err := sandbox.ParseProfile(o.profile)
	if err != nil {
		return nil, fmt.Errorf("--sandbox-profile: %w", err)
	}
	switch {
	case o.sandbox:
		sb := sandbox.New(sandbox.Options{Profile: profile})
		cfg.HTTPClient = sb.Client()
		cfg.BaseURL = "http://sandbox.invalid/api"
		cfg.PublicKey, cfg.SecretKey = sandbox.DefaultPublicKey, sandbox.DefaultSecretKey
		logger.Info("using the embedded sandbox: demo data, nothing leaves this process", "profile", profile)
	case cfg.BaseURL != "":
		if err := checkBaseURL(cfg.BaseURL, o.source("base-url"), o.allowInsecureBaseURL); err != nil {
			return nil, err
		}
	}
	if !o.sandbox && profile != sandbox.ProfileDefault {
		// Not an error: the variable is shared with `partnerstack-mcp sandbox`.
		logger.Warn("--sandbox-profile has no effect without --sandbox", "profile", profile)
	}
	if o.perRequestCredentials {
		if envKeys && !o.sandbox {
			logger.Warn("per-request credentials: the keys in the environment are ignored; each request's headers are used")
		}
		cfg = credentials.ClientConfig(cfg)
	}
	if err := missingKeys(cfg); err != nil {
		return nil, err
	}
	tel, err := telemetry.New(context.Background(), telemetry.Options{Metrics: o.metricsAddr != "",
		ServiceName: partnerstackmcp.Name, ServiceVersion: partnerstackmcp.Version})
	if err != nil {
		return nil, err
	}
	cfg.Meters, cfg.Tracers = tel.Meters, tel.Tracers
	store, err := dedupe.Open(o.dedupeStore)
	if err != nil {
		_ = tel.Shutdown(context.Background())
		return nil, fmt.Errorf("--dedupe-store: %w", err)
	}
	a := &app{store: store, tel: tel}
	account := credentials.KeyScope(cfg.PublicKey, cfg.SecretKey)
	c, err := client.New(cfg)
	if err != nil {
		a.close()
		return nil, err
	}
	transport := telemetry.TransportTCP
	if o.transport == transportStdio {
		transport = telemetry.TransportPipe
	}
	s, err := partnerstackmcp.New(c, partnerstackmcp.Config{
		Toolsets:     toolsetIDs(splitList(o.toolsets)),
		Tools:        splitList(o.tools),
		ExcludeTools: splitList(o.excludeTools),
		ReadOnly:     o.readOnly,
		ResultBudget: o.resultBudget,
		Logger:       logger,

		DedupeWindow:       dedupeWindow(o.dedupeWindow),
		DedupeStore:        store,
		DedupeAccount:      account,
		CallTimeout:        o.callTimeout,
		AllowLocalWebhooks: o.sandbox,

		InsightConcurrency: o.insightsConcurrency,
		InsightBudget:      o.insightsBudget,

		PerRequestCredentials: o.perRequestCredentials,

		Telemetry:        tel,
		NetworkTransport: transport,
	})
	if err != nil {
		a.close()
		return nil, err
	}
	a.server = s
	return a, nil
}

// missingKeys names the key variable (or both) that is not set.
func missingKeys(cfg client.Config) error {
	const fix = "or run with --sandbox to try the demo program"
	switch {
	case cfg.PublicKey == "" && cfg.SecretKey == "":
		return fmt.Errorf("%s and %s are not set: set both to your PartnerStack API key pair, %s", client.EnvPublicKey, client.EnvSecretKey, fix)
	case cfg.PublicKey == "":
		return fmt.Errorf("%s is not set (%s is): set both, %s", client.EnvPublicKey, client.EnvSecretKey, fix)
	case cfg.SecretKey == "":
		return fmt.Errorf("%s is not set (%s is): set both, %s", client.EnvSecretKey, client.EnvPublicKey, fix)
	}
	return nil
}

// checkBaseURL refuses a base URL that would send the keys in cleartext off
// this machine or miss the API's root. Its errors show only scheme, host and
// path: never a user, password or query, which may hold secrets.
func checkBaseURL(raw, source string, allowInsecure bool) error {
	const form = "https://HOST/api or https://HOST/api/v2, e.g. " + client.DefaultBaseURL
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%s is not an absolute http(s) URL; want %s", source, form)
	}
	shown := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
	switch path := strings.TrimRight(u.Path, "/"); {
	case u.User != nil:
		return fmt.Errorf("%s %s: must not hold a user or password; the keys go in %s and %s", source, shown, client.EnvPublicKey, client.EnvSecretKey)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return fmt.Errorf("%s %s: must not have a query or fragment; want %s", source, shown, form)
	case path != "/api" && path != "/api/v2":
		return fmt.Errorf("%s %s: the path must be /api or /api/v2; want %s", source, shown, form)
	case u.Scheme == "http" && !isLoopback(u.Hostname()) && !allowInsecure:
		return fmt.Errorf("%s %s: plain http to a host other than loopback would send the keys unencrypted; use https, or pass --allow-insecure-base-url", source, shown)
	}
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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
