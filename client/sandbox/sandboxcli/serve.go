package sandboxcli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

// Run parses the command line (see Parse) and serves until ctx ends.
func Run(ctx context.Context, name string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := Parse(name, args, getenv, stderr)
	if err != nil {
		return err
	}
	return Serve(ctx, c, stdout, stderr)
}

// Serve runs the sandbox c describes over HTTP until ctx ends, then shuts
// down gracefully. The base URL and keys go to stdout in one line; logs,
// including one line per request, go to stderr.
func Serve(ctx context.Context, c Config, stdout, stderr io.Writer) error {
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	start := time.Now()
	sb := sandbox.New(c.Options)
	for _, f := range c.Faults {
		sb.AddFault(f)
		logger.Info("fault enabled", "kind", f.Kind, "route", f.Route, "every", f.Every, "times", f.Times)
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           logRequests(logger, sb),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	base := "http://" + ln.Addr().String() + "/api"
	logger.Info("PartnerStack sandbox listening", "base_url", base, "profile", sb.Profile(), "seed", c.Options.Seed, "empty", c.Options.Empty,
		"faults", len(c.Faults), "build", time.Since(start).String())
	// The keys are fake, so printing them is fine and saves a trip to the docs.
	fmt.Fprintf(stdout, "PartnerStack sandbox at %s (public key %s, secret key %s; test public key %s, test secret key %s)\n",
		base, c.Options.Keys.PublicKey, c.Options.Keys.SecretKey, c.Options.TestKeys.PublicKey, c.Options.TestKeys.SecretKey)
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

// statusWriter remembers, for the access log, the status written and
// whether writing the answer failed.
type statusWriter struct {
	http.ResponseWriter
	status    int // 0 until the handler writes
	writeFail bool
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	if err != nil {
		w.writeFail = true
	}
	return n, err
}

// statusClientGone is what the log shows for a request whose client left
// before it was answered: nginx's 499 "client closed request".
const statusClientGone = 499

func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", "connection dropped", "took", time.Since(start).String())
				panic(v) // an injected reset/refuse: let net/http drop the connection
			}
			// A handler that wrote nothing while its client was still there
			// answered 200 (net/http's default); with the client gone, nothing
			// was answered at all.
			status, outcome := sw.status, "answered"
			switch {
			case sw.status == 0 && r.Context().Err() != nil:
				status, outcome = statusClientGone, "client gone"
			case sw.status == 0:
				status = http.StatusOK
			case sw.writeFail:
				outcome = "client gone while answering"
			}
			logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", status, "outcome", outcome, "took", time.Since(start).String())
		}()
		next.ServeHTTP(sw, r)
	})
}
