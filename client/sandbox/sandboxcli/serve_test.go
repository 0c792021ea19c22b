package sandboxcli

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/syncbuf"
)

// Issue 17, item 12: the access log showed status=200 for a request whose
// client gave up during injected latency, though nothing was answered. It
// logs what happened: 499, nginx's "client closed request".
func TestAccessLogShowsAbandonedRequestsAsSuch(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := Config{Addr: "127.0.0.1:0", Options: sandbox.Options{Empty: true},
		Faults: []sandbox.Fault{{Route: "GET /v2/deals", Kind: sandbox.FaultLatency, Latency: 5 * time.Second}}}
	var logs syncbuf.Buffer
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, c, pw, &logs); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	base := strings.Fields(line[strings.Index(line, "http://"):])[0]

	get := func(ctx context.Context, path string) error {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
		req.SetBasicAuth(sandbox.DefaultPublicKey, sandbox.DefaultSecretKey)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := get(ctx, "/v2/groups"); err != nil {
		t.Fatal(err)
	}
	short, stop := context.WithTimeout(ctx, 100*time.Millisecond)
	defer stop()
	if err := get(short, "/v2/deals"); err == nil {
		t.Fatal("the slow request was answered")
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "path=/api/v2/deals") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	var deals, groups string
	for _, l := range strings.Split(logs.String(), "\n") {
		switch {
		case strings.Contains(l, "path=/api/v2/deals"):
			deals = l
		case strings.Contains(l, "path=/api/v2/groups"):
			groups = l
		}
	}
	if !strings.Contains(groups, "status=200") {
		t.Errorf("an answered request: %q", groups)
	}
	if !strings.Contains(deals, "status=499") || strings.Contains(deals, "status=200") || !strings.Contains(deals, "client gone") {
		t.Errorf("an abandoned request: %q", deals)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
