package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/httpserve"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// options are the settings shared by every subcommand; each flag has a
// PARTNERSTACK_* environment variable, and a flag given on the command line wins.
type options struct {
	transport    string
	addr         string
	toolsets     string
	tools        string
	excludeTools string
	readOnly     bool
	sandbox      bool
	profile      string
	baseURL      string
	resultBudget int
	timeout      time.Duration
	logLevel     string
	dedupeWindow time.Duration
	dedupeStore  string
	metricsAddr  string
	callTimeout  time.Duration

	insightsConcurrency int
	insightsBudget      time.Duration

	httpToken             string
	allowedOrigins        string
	stateless             bool
	perRequestCredentials bool
	maxSessions           int
	maxSSEStreams         int
	maxSessionCalls       int
	bodyTimeout           time.Duration

	allowInsecureBaseURL bool

	given   map[string]bool // flags set on the command line
	fromEnv map[string]bool // flags whose value came from their environment variable
}

// envName maps a flag to its environment variable: --read-only -> PARTNERSTACK_READ_ONLY.
func envName(flagName string) string {
	return "PARTNERSTACK_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func (o *options) register(fs *flag.FlagSet) {
	fs.StringVar(&o.transport, "transport", "stdio", "transport: stdio, sse or http")
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen address for sse and http")
	fs.StringVar(&o.toolsets, "toolsets", "", "comma list of toolsets to enable; 'default' is every toolset not opt-in, without the opt-in tools of any (the default); naming a toolset adds its opt-in tools; 'all' is every tool")
	fs.StringVar(&o.tools, "tools", "", "comma list of individual tools to enable in addition")
	fs.StringVar(&o.excludeTools, "exclude-tools", "", "comma list of tools to disable (wins over the others)")
	fs.BoolVar(&o.readOnly, "read-only", false, "offer only tools that do not change data")
	fs.BoolVar(&o.sandbox, "sandbox", false, "use the embedded PartnerStack sandbox with demo data (no account needed)")
	fs.StringVar(&o.profile, "sandbox-profile", "default", "with --sandbox: default, or strict (only what PartnerStack documents)")
	fs.StringVar(&o.baseURL, "base-url", "", "PartnerStack API base URL: https://HOST/api or https://HOST/api/v2 (default https://api.partnerstack.com/api)")
	fs.BoolVar(&o.allowInsecureBaseURL, "allow-insecure-base-url", false, "allow a plain http:// --base-url to a host other than loopback (sends the keys unencrypted)")
	fs.IntVar(&o.resultBudget, "result-budget", 16384, "maximum bytes of one list result")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "timeout of one PartnerStack request attempt")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level on stderr: debug, info, warn, error")
	fs.DurationVar(&o.dedupeWindow, "dedupe-window", 10*time.Minute, "refuse an identical record_transaction, create_reward or record_action within this window (0 disables)")
	fs.StringVar(&o.dedupeStore, "dedupe-store", "memory", "where the duplicate-write guard remembers writes: memory (this process) or redis://[user:pass@]host:port/db (rediss:// for TLS), shared by every replica (prefer the env var: flags show in ps)")
	fs.StringVar(&o.metricsAddr, "metrics-addr", "", "serve Prometheus metrics at http://ADDR/metrics, e.g. 127.0.0.1:9464 (off when empty; off loopback it needs --http-token, sent by the scraper as a bearer token)")
	fs.DurationVar(&o.callTimeout, "call-timeout", 60*time.Second, "longest one tool call may take, retries included")
	fs.IntVar(&o.insightsConcurrency, "insights-concurrency", tools.DefaultInsightConcurrency, "pages one insight call reads from PartnerStack at once")
	fs.DurationVar(&o.insightsBudget, "insights-budget", tools.DefaultInsightBudget, "how long an insight reads before it answers with what it has and a resume token (within --call-timeout)")
	fs.StringVar(&o.httpToken, "http-token", "", "bearer token required on every sse/http request; needed off loopback (prefer PARTNERSTACK_HTTP_TOKEN: flags show in ps)")
	fs.StringVar(&o.allowedOrigins, "allowed-origins", "", "comma list of browser origins allowed to call sse/http (e.g. https://app.example.com)")
	fs.BoolVar(&o.stateless, "stateless", false, "streamable http without sessions, for several instances behind a load balancer")
	fs.BoolVar(&o.perRequestCredentials, "per-request-credentials", false, "sse/http: use the PartnerStack keys sent in each request's X-PartnerStack-Public-Key/-Secret-Key headers")
	fs.IntVar(&o.maxSessions, "max-sessions", httpserve.DefaultMaxSessions, "http: most live sessions; past it the least recently used one is dropped")
	fs.IntVar(&o.maxSSEStreams, "max-sse-streams", httpserve.DefaultMaxSSEStreams, "sse: most open streams; one more gets 503")
	fs.IntVar(&o.maxSessionCalls, "max-session-calls", httpserve.DefaultMaxSessionCalls, "sse/http: most requests in flight in one session; one more gets 429")
	fs.DurationVar(&o.bodyTimeout, "body-timeout", httpserve.DefaultBodyTimeout, "sse/http: longest wait for one request body; a late one gets 400 and its connection is closed")
}

// checkHTTPBounds refuses bounds that would switch a bound off.
func (o *options) checkHTTPBounds() error {
	for _, b := range []struct {
		flag     string
		positive bool
		value    any
	}{
		{"max-sessions", o.maxSessions > 0, o.maxSessions},
		{"max-sse-streams", o.maxSSEStreams > 0, o.maxSSEStreams},
		{"max-session-calls", o.maxSessionCalls > 0, o.maxSessionCalls},
		{"body-timeout", o.bodyTimeout > 0, o.bodyTimeout},
	} {
		if !b.positive {
			return fmt.Errorf("%s %v: must be positive", o.source(b.flag), b.value)
		}
	}
	return nil
}

// applyEnv fills every server flag not given on the command line from its
// environment variable; a malformed value is an error naming the variable
// and what a valid value looks like.
func applyEnv(fs *flag.FlagSet, o *options) error {
	o.given, o.fromEnv = map[string]bool{}, map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.given[f.Name] = true })
	var err error
	serverFlags().VisitAll(func(sf *flag.Flag) {
		if err != nil || o.given[sf.Name] {
			return
		}
		if v, ok := os.LookupEnv(envName(sf.Name)); ok && v != "" {
			if e := fs.Set(sf.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %v", envName(sf.Name), v, e)
			}
			o.fromEnv[sf.Name] = true
		}
	})
	return err
}

// source names where a flag's value came from, for error messages.
func (o *options) source(flagName string) string {
	if o.fromEnv[flagName] {
		return envName(flagName)
	}
	return "--" + flagName
}

// splitList parses a comma list, trimming blanks.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
