package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Agent input in a URL path can never change which endpoint is called. Path
// escaping leaves "." and ".." alone, and a normalising proxy (RFC 3986
// section 5.2.4) turns /v2/customers/.. into /v2: such keys must never be sent.

// wireRecorder answers every request with a 404 and remembers the escaped
// path that went on the wire.
type wireRecorder struct {
	mu    sync.Mutex
	paths []string
}

func (w *wireRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	w.mu.Lock()
	w.paths = append(w.paths, req.URL.EscapedPath())
	w.mu.Unlock()
	return fixedResponse{http.StatusNotFound, []byte(`{"message":"not found"}`)}.RoundTrip(req)
}

func (w *wireRecorder) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	p := w.paths
	w.paths = nil
	return p
}

func recordingClient(t testing.TB) (*Client, *wireRecorder) {
	t.Helper()
	rec := &wireRecorder{}
	c, err := New(Config{PublicKey: "pk", SecretKey: "sk", BaseURL: "https://api.invalid/api",
		HTTPClient: &http.Client{Transport: rec}, MaxRetries: -1, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c, rec
}

// pathCalls are every client call that puts a key in a path.
func pathCalls(c *Client) map[string]func(ctx context.Context, key string) error {
	return map[string]func(context.Context, string) error{
		"GET customers": func(ctx context.Context, k string) error { _, err := c.Customers.Get(ctx, k); return err },
		"PATCH customers": func(ctx context.Context, k string) error {
			_, err := c.Customers.Update(ctx, k, &CustomerUpdate{})
			return err
		},
		"DELETE customers": func(ctx context.Context, k string) error { return c.Customers.Delete(ctx, k) },
		"GET partnerships": func(ctx context.Context, k string) error { _, err := c.Partnerships.Get(ctx, k); return err },
		"PATCH partnerships": func(ctx context.Context, k string) error {
			_, err := c.Partnerships.Update(ctx, k, &PartnershipUpdate{})
			return err
		},
		"DELETE partnerships": func(ctx context.Context, k string) error { return c.Partnerships.Archive(ctx, k) },
		"GET deals":           func(ctx context.Context, k string) error { _, err := c.Deals.Get(ctx, k); return err },
		"PATCH deals":         func(ctx context.Context, k string) error { _, err := c.Deals.Update(ctx, k, &DealUpdate{}); return err },
		"DELETE deals":        func(ctx context.Context, k string) error { return c.Deals.Archive(ctx, k) },
		"GET leads":           func(ctx context.Context, k string) error { _, err := c.Leads.Get(ctx, k); return err },
		"PATCH leads":         func(ctx context.Context, k string) error { _, err := c.Leads.Update(ctx, k, &LeadUpdate{}); return err },
		"DELETE leads":        func(ctx context.Context, k string) error { return c.Leads.Archive(ctx, k) },
		"DELETE transactions": func(ctx context.Context, k string) error { return c.Transactions.Delete(ctx, k) },
		"DELETE actions":      func(ctx context.Context, k string) error { return c.Actions.Archive(ctx, k) },
		"GET webhooks":        func(ctx context.Context, k string) error { _, err := c.Webhooks.Get(ctx, k); return err },
		"PATCH webhooks": func(ctx context.Context, k string) error {
			_, err := c.Webhooks.Update(ctx, k, &WebhookUpdate{})
			return err
		},
		"DELETE webhooks": func(ctx context.Context, k string) error { return c.Webhooks.Delete(ctx, k) },
	}
}

func TestDotSegmentAndBlankKeysNeverReachAPath(t *testing.T) {
	c, rec := recordingClient(t)
	for name, call := range pathCalls(c) {
		for _, key := range []string{"..", ".", "", " ", "\t\n", " .. ", ". "} {
			err := call(context.Background(), key)
			var ke *KeyError
			if !errors.As(err, &ke) || ke.Key != key || ke.Problem == "" {
				t.Errorf("%s with key %q: got %v, want a *KeyError", name, key, err)
			}
		}
		if sent := rec.take(); len(sent) > 0 {
			t.Errorf("%s: sent %v", name, sent)
		}
		// Keys that merely contain dots are ordinary identifiers.
		for _, key := range []string{"...", "a..b", ".hidden", "v1.2", "%2e%2e", "../x"} {
			_ = call(context.Background(), key)
			sent := rec.take()
			if len(sent) != 1 || !confined(sent[0], "/api/v2/"+strings.Fields(name)[1]+"/", key) {
				t.Errorf("%s with key %q sent %v", name, key, sent)
			}
		}
	}
}

// confined reports whether an escaped request path, after the normalisation
// an RFC 3986 proxy may apply (percent-decoding unreserved characters, then
// removing dot-segments), is still collection + one segment that decodes to key.
func confined(escaped, collection, key string) bool {
	norm := removeDotSegments(decodeUnreserved(escaped))
	if !strings.HasPrefix(norm, collection) {
		return false
	}
	seg := norm[len(collection):]
	if seg == "" || strings.Contains(seg, "/") {
		return false
	}
	// The segment as sent (not as a proxy decoded it) must carry the key exactly.
	raw := escaped[strings.LastIndexByte(escaped, '/')+1:]
	got, err := url.PathUnescape(raw)
	return err == nil && got == key && strings.Count(escaped, "/") == strings.Count(collection, "/")
}

// decodeUnreserved decodes percent-encoded unreserved characters (RFC 3986
// section 6.2.2.2), e.g. %2E to ".", which a normalising proxy may do.
func decodeUnreserved(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '%' && i+2 < len(p) {
			if v, err := url.PathUnescape(p[i : i+3]); err == nil && len(v) == 1 && unreserved(v[0]) {
				b.WriteString(v)
				i += 2
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0
}

// removeDotSegments is RFC 3986 section 5.2.4, step by step.
func removeDotSegments(in string) string {
	out := ""
	dropLast := func() {
		if i := strings.LastIndexByte(out, '/'); i >= 0 {
			out = out[:i]
		} else {
			out = ""
		}
	}
	for in != "" {
		switch {
		case strings.HasPrefix(in, "../"):
			in = in[3:]
		case strings.HasPrefix(in, "./"):
			in = in[2:]
		case strings.HasPrefix(in, "/./"):
			in = in[2:]
		case in == "/.":
			in = "/"
		case strings.HasPrefix(in, "/../"):
			in = in[3:]
			dropLast()
		case in == "/..":
			in = "/"
			dropLast()
		case in == "." || in == "..":
			in = ""
		default:
			start := 0
			if in[0] == '/' {
				start = 1
			}
			end := strings.IndexByte(in[start:], '/')
			if end < 0 {
				end = len(in)
			} else {
				end += start
			}
			out += in[:end]
			in = in[end:]
		}
	}
	return out
}

func TestRemoveDotSegmentsFollowsTheRFCExamples(t *testing.T) {
	for in, want := range map[string]string{
		"/a/b/c/./../../g": "/a/g", "mid/content=5/../6": "mid/6", "/api/v2/customers/..": "/api/v2/",
		"/api/v2/customers/.": "/api/v2/customers/", "/api/v2/customers/...": "/api/v2/customers/...",
	} {
		if got := removeDotSegments(in); got != want {
			t.Errorf("removeDotSegments(%q) = %q, want %q", in, got, want)
		}
	}
}
