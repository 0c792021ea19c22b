// Package client is a typed client for the PartnerStack Vendor API v2.
//
// One service per resource (c.Partnerships, c.Customers, ...), options structs
// for lists, a generic page iterator, one typed error, and money-safe retries:
// reads retry on throttling and gateway errors, writes only when the request
// provably was not processed. It knows nothing of MCP.
package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// DefaultBaseURL is the production Vendor API root; paths below it start with /v2.
const DefaultBaseURL = "https://api.partnerstack.com/api"

// Environment variables read by ConfigFromEnv.
const (
	EnvPublicKey = "PARTNERSTACK_PUBLIC_KEY"
	EnvSecretKey = "PARTNERSTACK_SECRET_KEY"
	EnvBaseURL   = "PARTNERSTACK_BASE_URL"
)

// Config holds everything needed to talk to the API. Zero values get defaults.
type Config struct {
	PublicKey string
	SecretKey string
	BaseURL   string // default DefaultBaseURL; a trailing /v2 is accepted and removed

	UserAgent string        // default "partnerstack-mcp/dev"
	Timeout   time.Duration // per attempt; default 30s

	MaxRetries    int           // extra attempts after the first; default 3; negative disables retries
	RetryWait     time.Duration // base of the exponential backoff; default 250ms
	MaxRetryAfter time.Duration // longest Retry-After honoured by waiting; longer ones fail fast; default 10s

	MaxResponseBytes int // largest answer read; default DefaultMaxResponseBytes (16 MiB)

	HTTPClient *http.Client // optional transport (e.g. the in-process sandbox)
	Logger     *slog.Logger // optional; requests are logged at debug level, never with credentials

	// Account names the account a request acts for, so one client serving
	// many accounts (per-request credentials) pauses each apart after a 429
	// (throttle.go); nil means every request is the one account's.
	Account func(context.Context) string
	// Meters and Tracers record each request (telemetry.go); nil records nothing.
	Meters  metric.MeterProvider
	Tracers trace.TracerProvider
}

// ConfigFromEnv reads the PARTNERSTACK_* variables into a Config.
func ConfigFromEnv() Config {
	return Config{
		PublicKey: os.Getenv(EnvPublicKey),
		SecretKey: os.Getenv(EnvSecretKey),
		BaseURL:   os.Getenv(EnvBaseURL),
	}
}

// ErrMissingKeys is returned by New when either key is empty.
var ErrMissingKeys = errors.New("partnerstack: public and secret keys are required (set " + EnvPublicKey + " and " + EnvSecretKey + ")")

// NormalizeBaseURL validates a base URL and strips a trailing slash or /v2,
// so both "https://api.partnerstack.com/api" and ".../api/v2/" work.
func NormalizeBaseURL(raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return DefaultBaseURL, nil
	}
	// The errors never quote what was given beyond scheme, host and path: a
	// URL that is refused may carry a password or a token anywhere in it.
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("partnerstack: base URL must be an absolute http(s) URL such as %s", DefaultBaseURL)
	}
	safe := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
	if u.User != nil {
		// Credentials in the URL would leak into error messages; keys go in the key settings.
		return "", fmt.Errorf("partnerstack: base URL %s must not contain credentials; use the key settings", safe)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", fmt.Errorf("partnerstack: base URL %s must not have a query or fragment", safe)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.Path = strings.TrimSuffix(u.Path, "/v2")
	return strings.TrimRight(u.String(), "/"), nil
}

// Client is a PartnerStack Vendor API v2 client. It is safe for concurrent use.
type Client struct {
	http   *resty.Client
	cfg    Config
	logger *slog.Logger
	tel    telemetry

	Partnerships *PartnershipsService
	Groups       *GroupsService
	Customers    *CustomersService
	Transactions *TransactionsService
	Deals        *DealsService
	Leads        *LeadsService
	Actions      *ActionsService
	Rewards      *RewardsService
	Webhooks     *WebhooksService
	Applications *ApplicationsService
	SalesCycles  *SalesCyclesService
	Links        *LinksService
	Tiers        *TiersService
	ProductBook  *ProductBookService
	Reports      *ReportsService
}

// NewTransport is the HTTP transport for PartnerStack calls: Go's default
// one, keeping as many idle connections to the API host as in all (100).
// Every call goes to one host and a server runs many calls at once; with the
// usual few idle connections per host most concurrent calls would dial (and
// TLS-handshake) anew and close afterwards, which at 64 concurrent calls was
// about a quarter of the server's CPU in BenchmarkCallOverhead.
func NewTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = t.MaxIdleConns
	return t
}

// New builds a client; it fails when keys are missing or the base URL is invalid.
func New(cfg Config) (*Client, error) {
	if cfg.PublicKey == "" || cfg.SecretKey == "" {
		return nil, ErrMissingKeys
	}
	base, err := NormalizeBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	cfg.BaseURL = base
	if cfg.UserAgent == "" {
		cfg.UserAgent = "partnerstack-mcp/dev"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 3
	} else if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.RetryWait <= 0 {
		cfg.RetryWait = 250 * time.Millisecond
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = 10 * time.Second
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Transport: NewTransport()}
	}
	rc := resty.NewWithClient(throttled(hc, cfg))
	rc.SetBaseURL(cfg.BaseURL).
		SetBasicAuth(cfg.PublicKey, cfg.SecretKey).
		SetHeader("User-Agent", cfg.UserAgent).
		SetHeader("Accept", "application/json").
		SetTimeout(cfg.Timeout).
		SetResponseBodyLimit(cfg.MaxResponseBytes).
		SetLogger(restyLogger{logger}).
		// The API does not redirect; following one could turn a POST into a GET
		// or send the credentials elsewhere, so a 3xx is reported instead.
		SetRedirectPolicy(resty.NoRedirectPolicy()).
		SetRetryCount(cfg.MaxRetries).
		SetRetryWaitTime(cfg.RetryWait).
		// The backoff ceiling doubles as the Retry-After ceiling in resty; conditions
		// refuse to retry when the server asks for more than MaxRetryAfter.
		SetRetryMaxWaitTime(cfg.MaxRetryAfter).
		SetRetryAfter(retryAfterDelay)

	c := &Client{http: rc, cfg: cfg, logger: logger, tel: newTelemetry(cfg)}
	c.Partnerships = &PartnershipsService{c}
	c.Groups = &GroupsService{c}
	c.Customers = &CustomersService{c}
	c.Transactions = &TransactionsService{c}
	c.Deals = &DealsService{c}
	c.Leads = &LeadsService{c}
	c.Actions = &ActionsService{c}
	c.Rewards = &RewardsService{c}
	c.Webhooks = &WebhooksService{c}
	c.Applications = &ApplicationsService{c}
	c.SalesCycles = &SalesCyclesService{c}
	c.Links = &LinksService{c}
	c.Tiers, c.ProductBook, c.Reports = &TiersService{c}, &ProductBookService{c}, &ReportsService{c}
	return c, nil
}

// BaseURL is the normalised API root the client talks to.
func (c *Client) BaseURL() string { return c.cfg.BaseURL }

// restyLogger routes resty's own warnings to slog at debug level.
type restyLogger struct{ l *slog.Logger }

func (r restyLogger) Errorf(f string, v ...any) { r.l.Debug("resty", "msg", fmt.Sprintf(f, v...)) }
func (r restyLogger) Warnf(f string, v ...any)  { r.l.Debug("resty", "msg", fmt.Sprintf(f, v...)) }
func (r restyLogger) Debugf(f string, v ...any) { r.l.Debug("resty", "msg", fmt.Sprintf(f, v...)) }
