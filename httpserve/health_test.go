package httpserve

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/redistest"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools/dedupe"
)

func get(t *testing.T, method, url string, header map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	for k, v := range header {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func serveWith(t *testing.T, o Options) string {
	t.Helper()
	f := newFixture(t)
	o.Transport, o.Logger = TransportHTTP, slog.New(slog.DiscardHandler)
	return mcptest.ServeLoopback(t, func(base string) (http.Handler, error) { return NewHandler(f.server, base, o) })
}

func TestHealthEndpointsNeedNoTokenNorOrigin(t *testing.T) {
	base := serveWith(t, Options{Token: "s3cret-token", AllowedOrigins: []string{"https://app.example.com"}})
	for _, c := range []struct {
		name         string
		method, path string
		header       map[string]string
		status       int
		body         string
	}{
		{"healthz without a token is ok", "GET", HealthPath, nil, 200, "ok\n"},
		{"readyz without a token is ok", "GET", ReadyPath, nil, 200, "ok\n"},
		{"a foreign Origin does not matter", "GET", HealthPath, map[string]string{"Origin": "https://evil.example"}, 200, "ok\n"},
		{"a wrong token does not matter", "GET", ReadyPath, map[string]string{"Authorization": "Bearer nope"}, 200, "ok\n"},
		{"HEAD answers the status alone", "HEAD", ReadyPath, nil, 200, ""},
		{"POST is not allowed", "POST", HealthPath, nil, 405, "method not allowed\n"},
		{"the Host check still applies (DNS rebinding)", "GET", HealthPath, map[string]string{"Host": "evil.example"}, 403, ""},
		{"MCP itself still needs the token", "GET", "/mcp", nil, 401, ""},
		{"a path below healthz is not health", "GET", HealthPath + "/x", nil, 401, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, body := get(t, c.method, base+c.path, c.header)
			if status != c.status || (c.body != "" && body != c.body) || (c.body == "" && c.method == "HEAD" && body != "") {
				t.Fatalf("%s %s: %d %q, want %d %q", c.method, c.path, status, body, c.status, c.body)
			}
		})
	}
}

func TestReadinessFollowsStateAndDependencies(t *testing.T) {
	var failing atomic.Bool
	var calls atomic.Int32
	r := &readiness{check: func(context.Context) error {
		calls.Add(1)
		if failing.Load() {
			return errors.New("store down")
		}
		return nil
	}, logf: func(error) {}}
	h := serveHealth(http.NotFoundHandler(), r)
	status := func(path string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code
	}
	if status(ReadyPath) != 503 || status(HealthPath) != 200 {
		t.Fatal("starting: want /readyz 503 and /healthz 200")
	}
	r.state.Store(stateReady)
	if status(ReadyPath) != 200 {
		t.Fatal("ready: want 200")
	}
	failing.Store(true)
	if status(ReadyPath) != 200 {
		t.Fatal("the last answer is reused within readyCheckTTL")
	}
	r.mu.Lock()
	r.at = time.Time{}
	r.mu.Unlock()
	if status(ReadyPath) != 503 || status(HealthPath) != 200 {
		t.Fatal("dependency down: want /readyz 503, /healthz still 200")
	}
	for i := 0; i < 50; i++ {
		status(ReadyPath)
	}
	if n := calls.Load(); n != 2 {
		t.Fatalf("%d dependency checks for 53 probes within a second, want 2", n)
	}
	r.state.Store(stateStopping)
	failing.Store(false)
	r.at = time.Time{}
	if status(ReadyPath) != 503 {
		t.Fatal("stopping: want 503")
	}
}

func TestReadyzTurns503WhenRedisStops(t *testing.T) {
	srv := redistest.Start(t)
	store, err := dedupe.Open(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	base := serveWith(t, Options{Ready: store.Ping})
	if status, _ := get(t, "GET", base+ReadyPath, nil); status != 200 {
		t.Fatalf("with Redis up: %d", status)
	}
	srv.Kill()
	deadline := time.Now().Add(5 * time.Second)
	for {
		status, body := get(t, "GET", base+ReadyPath, nil)
		if status == 503 {
			if strings.Contains(body, "redis") || strings.Contains(body, "127.0.0.1") {
				t.Fatalf("the body says more than the status: %q", body)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still %d after Redis stopped", status)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if status, _ := get(t, "GET", base+HealthPath, nil); status != 200 {
		t.Fatalf("/healthz with Redis down: %d, want 200 (alive)", status)
	}
}
