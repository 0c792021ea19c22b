package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Hostile response bodies: whatever PartnerStack (or something in between)
// sends, decoding never panics, a failure is one of our *Error kinds, and no
// error text grows with the body (bodies are never echoed).

const maxErrorText = 1024

func FuzzDecodeEnvelope(f *testing.F) {
	for _, seed := range []string{
		`{"data":{"items":[{"key":"tx_1","amount":100,"currency":"USD","created_at":1}],"has_more":true},"message":"ok","status":200}`,
		`{"data":{"key":"tx_1","amount":"100"}}`,
		`{"data":null}`, `{"data":`, `<html>502</html>`, ``, `null`, `[]`, `{"data":{"items":null}}`,
		`{"data":{"items":[{"amount":1e999}]}}`, `{"data":{"items":[{"amount":99999999999999999999999999}]}}`,
		"{\"message\":\"\u202eevil\"}", `{"data":{"items":[{"customer":{"email":7}}]}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var page Page[Transaction]
		if _, err := decodeEnvelope(body, &page); err != nil && len(err.Error()) > maxErrorText {
			t.Fatalf("page decode error is %d bytes long", len(err.Error()))
		}
		var one Transaction
		if _, err := decodeEnvelope(body, &one); err != nil && len(err.Error()) > maxErrorText {
			t.Fatalf("object decode error is %d bytes long", len(err.Error()))
		}
		if _, err := decodeEnvelope(body, nil); err != nil && len(err.Error()) > maxErrorText {
			t.Fatalf("envelope error is %d bytes long", len(err.Error()))
		}
		_ = errorMessage(body)
	})
}

// fixedResponse answers every request with one status and body.
type fixedResponse struct {
	status int
	body   []byte
}

func (r fixedResponse) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	return &http.Response{StatusCode: r.status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(r.body)), Request: req}, nil
}

// The whole client path (status handling, envelope, page walk) on a hostile
// answer: list and write calls end with nil or a *Error, never a panic.
func FuzzClientResponse(f *testing.F) {
	f.Add(uint16(200), []byte(`{"data":{"items":[{"key":"tx_1"}],"has_more":true}}`))
	f.Add(uint16(200), []byte(`{"data":{"items":[],"has_more":true}}`))
	f.Add(uint16(400), []byte(`{"message":"bad `+strings.Repeat("x", 2000)+`"}`))
	f.Add(uint16(429), []byte(`{"message":"slow down"}`))
	f.Add(uint16(503), []byte(`<html>`))
	f.Add(uint16(200), []byte(`{"data":{"key":"tx_1","amount":100}}`))
	f.Fuzz(func(t *testing.T, status uint16, body []byte) {
		code := 200 + int(status)%400 // 200..599
		c, err := New(Config{PublicKey: "pk", SecretKey: "sk", BaseURL: "https://api.invalid/api",
			HTTPClient: &http.Client{Transport: fixedResponse{code, body}}, MaxRetries: -1, Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		n := 0
		for _, err := range c.Transactions.All(&TransactionListOptions{}).Max(600).Seq(ctx) {
			check(t, err)
			if n++; n > 10_000 {
				t.Fatal("the page walk does not end")
			}
		}
		_, err = c.Transactions.Create(ctx, &TransactionCreate{CustomerExternalKey: "a", Amount: 1, Currency: "USD"})
		check(t, err)
		if err == nil && code >= 300 { // only a 2xx is a success; redirects are not followed
			t.Fatalf("status %d accepted", code)
		}
	})
}

func check(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("not a client error: %T %v", err, err)
	}
	if len(err.Error()) > maxErrorText+len(e.Message) {
		t.Fatalf("error text is %d bytes", len(err.Error()))
	}
}

// Keys in, requests out: whatever identifier an agent passes, the request
// either is refused before it is sent (a *KeyError) or goes to exactly one
// segment below its collection, even after an RFC 3986 proxy normalises the
// path, and that segment carries the key unchanged.
func FuzzObjectPath(f *testing.F) {
	for _, seed := range []string{"..", ".", "", " ", "part_1", "../../v1/admin", "a/b", "%2e%2e", ".%2e", "?x=1", "#frag",
		"\u2025", "\uff0e\uff0e", "..;", "\\..\\", " .. ", "a\x00b", "\u202e.."} {
		f.Add(seed)
	}
	c, rec := recordingClient(f)
	f.Fuzz(func(t *testing.T, key string) {
		for _, call := range []struct {
			collection string
			send       func() error
		}{
			{"/api/v2/customers/", func() error { _, err := c.Customers.Get(context.Background(), key); return err }},
			{"/api/v2/transactions/", func() error { return c.Transactions.Delete(context.Background(), key) }},
		} {
			err := call.send()
			sent := rec.take()
			var ke *KeyError
			if errors.As(err, &ke) {
				if len(sent) != 0 {
					t.Fatalf("key %q refused but sent %v", key, sent)
				}
				continue
			}
			if len(sent) != 1 {
				t.Fatalf("key %q: %d requests (%v), err %v", key, len(sent), sent, err)
			}
			if !confined(sent[0], call.collection, key) {
				t.Fatalf("key %q left %s: sent %s (normalised %s)", key, call.collection, sent[0],
					removeDotSegments(decodeUnreserved(sent[0])))
			}
		}
	})
}
