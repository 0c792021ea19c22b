package credentials

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

func headers(pub, sec string) http.Header {
	h := http.Header{}
	if pub != "" {
		h.Set(HeaderPublicKey, pub)
	}
	if sec != "" {
		h.Set(HeaderSecretKey, sec)
	}
	return h
}

func TestWithHeadersNeedsBothKeys(t *testing.T) {
	for _, tt := range []struct {
		name, pub, sec string
		stored         bool
	}{
		{"both keys are stored", "pk_a", "sk_a", true},
		{"a public key alone is not", "pk_a", "", false},
		{"a secret key alone is not", "", "sk_a", false},
		{"no headers store nothing", "", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, ok := from(WithHeaders(context.Background(), headers(tt.pub, tt.sec)))
			if ok != tt.stored {
				t.Fatalf("stored %v, want %v", ok, tt.stored)
			}
		})
	}
}

// roundTripFunc records what reaches the network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestClientConfigAuthenticatesEachRequestWithItsCallersKeys(t *testing.T) {
	var sent []*http.Request
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent = append(sent, r)
		return httptest.NewRecorder().Result(), nil
	})
	cfg := ClientConfig(client.Config{PublicKey: "pk_env", SecretKey: "sk_env", HTTPClient: &http.Client{Transport: base}})
	if cfg.PublicKey == "pk_env" || cfg.SecretKey == "sk_env" {
		t.Fatal("the configured keys must be dropped")
	}
	rt := cfg.HTTPClient.Transport

	t.Run("a request with caller keys is sent with exactly those, on a copy", func(t *testing.T) {
		ctx := WithHeaders(context.Background(), headers("pk_a", "sk_a"))
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://api.invalid/v2/groups", nil)
		req.SetBasicAuth("pk_env", "sk_env")
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		user, pass, _ := sent[len(sent)-1].BasicAuth()
		if user != "pk_a" || pass != "sk_a" {
			t.Fatalf("sent as %q:%q", user, pass)
		}
		if user, _, _ := req.BasicAuth(); user != "pk_env" {
			t.Fatal("the caller's request was changed")
		}
	})
	t.Run("a request without caller keys is never sent, and its body is closed", func(t *testing.T) {
		before := len(sent)
		body := &closeRecorder{Reader: strings.NewReader("{}")}
		req, _ := http.NewRequest("POST", "http://api.invalid/v2/rewards", body)
		_, err := rt.RoundTrip(req)
		if !errors.Is(err, errNoKeys) || len(sent) != before || !body.closed {
			t.Fatalf("err %v, sent %d, body closed %v", err, len(sent)-before, body.closed)
		}
		if strings.Contains(err.Error(), "sk_env") || !strings.Contains(err.Error(), HeaderSecretKey) {
			t.Fatalf("the error should name the headers and no key: %v", err)
		}
	})
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

func TestRequireRefusesCallsWithoutKeys(t *testing.T) {
	ran := false
	h := Require(func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		ran = true
		return mcp.NewToolResultText("ok"), nil
	})
	res, err := h(context.Background(), mcp.CallToolRequest{})
	if err != nil || !res.IsError || ran {
		t.Fatalf("err %v, result %+v, tool ran %v", err, res, ran)
	}
	text := res.Content[0].(mcp.TextContent).Text
	if !strings.Contains(text, HeaderPublicKey) || !strings.Contains(text, HeaderSecretKey) {
		t.Fatalf("the error should name both headers: %s", text)
	}
	res, err = h(WithHeaders(context.Background(), headers("pk_a", "sk_a")), mcp.CallToolRequest{})
	if err != nil || res.IsError || !ran {
		t.Fatalf("with keys: err %v, result %+v, tool ran %v", err, res, ran)
	}
}

func TestScopeSeparatesCallersByBothKeys(t *testing.T) {
	scope := func(pub, sec string) string { return Scope(WithHeaders(context.Background(), headers(pub, sec))) }
	if Scope(context.Background()) != "" {
		t.Fatal("without caller keys the scope is the shared one")
	}
	a := scope("pk_a", "sk_a")
	if a == "" || a != scope("pk_a", "sk_a") {
		t.Fatal("one caller must always get the same scope")
	}
	if a == scope("pk_a", "sk_wrong") || a == scope("pk_b", "sk_a") {
		t.Fatal("another secret or another public key must get another scope")
	}
	if strings.Contains(a, "pk_a") || strings.Contains(a, "sk_a") {
		t.Fatal("the scope must not contain the keys")
	}
}
