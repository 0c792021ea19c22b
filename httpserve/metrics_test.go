package httpserve

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestMetricsListener(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("metric_a 1\n")) })
	t.Run("off loopback it needs a token", func(t *testing.T) {
		_, err := ListenMetrics("0.0.0.0:0", "", h, nil)
		if err == nil || !strings.Contains(err.Error(), "--metrics-addr") || !strings.Contains(err.Error(), "--http-token") {
			t.Fatalf("err %v", err)
		}
		if _, err := ListenMetrics("nonsense", "", h, nil); err == nil || !strings.Contains(err.Error(), "host:port") {
			t.Fatalf("a bad address: %v", err)
		}
	})
	for _, token := range []string{"", "scrape-token"} {
		m, err := ListenMetrics("127.0.0.1:0", token, h, nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- m.Serve(ctx) }()
		base := "http://" + m.Addr()
		auth := map[string]string{}
		if token != "" {
			if s, _ := get(t, "GET", base+MetricsPath, nil); s != 401 {
				t.Fatalf("with a token set, a scrape without it: %d", s)
			}
			auth["Authorization"] = "Bearer " + token
		}
		if s, body := get(t, "GET", base+MetricsPath, auth); s != 200 || body != "metric_a 1\n" {
			t.Fatalf("token %q: %d %q", token, s, body)
		}
		if s, _ := get(t, "GET", base+"/mcp", auth); s != 404 {
			t.Fatalf("only /metrics is served: %d", s)
		}
		stop()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Serve did not return")
		}
	}
}
