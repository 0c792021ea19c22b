package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testPublic = "pk_unit_PUBLICKEY_7731"
	testSecret = "sk_unit_SECRETKEY_9924"
)

// scripted answers request n (1-based) with the n-th handler, repeating the last.
func scripted(t *testing.T, steps ...http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(hits.Add(1))
		if n > len(steps) {
			n = len(steps)
		}
		steps[n-1](w, r)
	}))
	t.Cleanup(ts.Close)
	return ts, &hits
}

func status(code int, retryAfter string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(code)
		w.Write([]byte(`{"message":"` + http.StatusText(code) + `","status":` + strconv.Itoa(code) + `}`))
	}
}

func ok(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(body)) }
}

func newTestClient(t *testing.T, base string, mod ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{PublicKey: testPublic, SecretKey: testSecret, BaseURL: base, RetryWait: 5 * time.Millisecond, Timeout: 2 * time.Second}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const groupPage = `{"data":{"items":[{"key":"grup_a","name":"A","created_at":1,"updated_at":1}],"has_more":false},"message":"ok","status":200}`
const oneGroupBody = `{"data":{"key":"cus_x","email":"a@b.co","created_at":1,"updated_at":1},"message":"ok","status":200}`

func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	if err != nil && (strings.Contains(err.Error(), testSecret) || strings.Contains(err.Error(), "Basic ")) {
		t.Fatalf("error text leaks credentials: %v", err)
	}
}

func TestReadRetriesThrottlingAndGatewayErrorsThenSucceeds(t *testing.T) {
	for name, first := range map[string]http.HandlerFunc{
		"429 with Retry-After 0": status(429, "0"),
		"502":                    status(502, ""),
		"503":                    status(503, ""),
		"504":                    status(504, ""),
	} {
		t.Run(name, func(t *testing.T) {
			ts, hits := scripted(t, first, first, ok(groupPage))
			page, err := newTestClient(t, ts.URL).Groups.List(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != 1 || hits.Load() != 3 {
				t.Fatalf("items=%d hits=%d, want 1 item after 3 attempts", len(page.Items), hits.Load())
			}
		})
	}
}

func TestReadHonoursRetryAfterSeconds(t *testing.T) {
	ts, hits := scripted(t, status(429, "1"), ok(groupPage))
	start := time.Now()
	if _, err := newTestClient(t, ts.URL).Groups.List(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 900*time.Millisecond || hits.Load() != 2 {
		t.Fatalf("waited %v over %d attempts; want about 1s over 2", waited, hits.Load())
	}
}

func TestRetryAfterBeyondTheCapFailsFastWithTheWait(t *testing.T) {
	ts, hits := scripted(t, status(429, "120"))
	_, err := newTestClient(t, ts.URL).Groups.List(context.Background(), nil)
	var e *Error
	if !errors.As(err, &e) || !IsRateLimited(err) || e.RetryAfter != 120*time.Second || hits.Load() != 1 {
		t.Fatalf("err=%v hits=%d; want one attempt and a rate-limit error with RetryAfter=120s", err, hits.Load())
	}
}

func TestReadRetriesAreBounded(t *testing.T) {
	ts, hits := scripted(t, status(503, ""))
	_, err := newTestClient(t, ts.URL, func(c *Config) { c.MaxRetries = 2 }).Groups.List(context.Background(), nil)
	if hits.Load() != 3 || err == nil {
		t.Fatalf("hits=%d err=%v; want 3 attempts then an error", hits.Load(), err)
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	for _, code := range []int{400, 401, 403, 404} {
		ts, hits := scripted(t, status(code, ""))
		_, err := newTestClient(t, ts.URL).Customers.Get(context.Background(), "cus_missing")
		if hits.Load() != 1 {
			t.Errorf("%d: %d attempts, want 1", code, hits.Load())
		}
		var e *Error
		if !errors.As(err, &e) || e.Kind != KindAPI || e.StatusCode != code || e.Message != http.StatusText(code) {
			t.Errorf("%d: err=%#v", code, err)
		}
		assertNoSecret(t, err)
	}
}

func TestErrorHelpers(t *testing.T) {
	cases := []struct {
		code int
		is   func(error) bool
	}{{404, IsNotFound}, {401, IsUnauthorized}, {403, IsUnauthorized}, {429, IsRateLimited}, {400, IsValidation}}
	for _, c := range cases {
		ts, _ := scripted(t, status(c.code, "999"))
		_, err := newTestClient(t, ts.URL).Customers.Get(context.Background(), "x")
		if !c.is(err) {
			t.Errorf("%d: helper did not recognise %v", c.code, err)
		}
	}
}

func TestWriteIsNotRetriedAfter5xxAndReportsOutcomeUnknown(t *testing.T) {
	for _, code := range []int{500, 502, 503, 504} {
		ts, hits := scripted(t, status(code, ""), ok(oneGroupBody))
		_, err := newTestClient(t, ts.URL).Customers.Create(context.Background(), &CustomerCreate{Email: "a@b.co", PartnerKey: "p"})
		if !IsOutcomeUnknown(err) || hits.Load() != 1 {
			t.Errorf("%d: err=%v hits=%d; want outcome unknown after exactly 1 attempt", code, err, hits.Load())
		}
		assertNoSecret(t, err)
	}
}

func TestWriteIsRetriedAfter429(t *testing.T) {
	ts, hits := scripted(t, status(429, "0"), ok(oneGroupBody))
	cu, err := newTestClient(t, ts.URL).Customers.Create(context.Background(), &CustomerCreate{Email: "a@b.co", PartnerKey: "p"})
	if err != nil || cu.Key != "cus_x" || hits.Load() != 2 {
		t.Fatalf("err=%v hits=%d; want success on the 2nd attempt", err, hits.Load())
	}
}

func TestWriteAfterConnectionResetIsNotRetried(t *testing.T) {
	ts, hits := scripted(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close() // the request was read, then the connection dies
	})
	_, err := newTestClient(t, ts.URL).Transactions.Create(context.Background(), &TransactionCreate{CustomerKey: "cus_x", Amount: 100, Currency: "USD"})
	if !IsOutcomeUnknown(err) || hits.Load() != 1 {
		t.Fatalf("err=%v hits=%d; want outcome unknown after 1 attempt", err, hits.Load())
	}
	assertNoSecret(t, err)
}

func TestWriteAfterTimeoutIsNotRetried(t *testing.T) {
	ts, hits := scripted(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
		w.Write([]byte(oneGroupBody))
	})
	c := newTestClient(t, ts.URL, func(c *Config) { c.Timeout = 50 * time.Millisecond })
	_, err := c.Rewards.Create(context.Background(), &RewardCreate{Amount: 100, Target: RewardTarget{Type: "partnership", Key: "p"}})
	if !IsOutcomeUnknown(err) || hits.Load() != 1 {
		t.Fatalf("err=%v hits=%d; want outcome unknown after 1 attempt", err, hits.Load())
	}
}

func TestReadAfterTimeoutIsRetried(t *testing.T) {
	ts, hits := scripted(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
	}, ok(groupPage))
	c := newTestClient(t, ts.URL, func(c *Config) { c.Timeout = 100 * time.Millisecond })
	if _, err := c.Groups.List(context.Background(), nil); err != nil || hits.Load() != 2 {
		t.Fatalf("err=%v hits=%d; want success on attempt 2", err, hits.Load())
	}
}

func TestWriteToARefusingHostIsRetriedAndNotUnknown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: every dial is refused
	_, err = newTestClient(t, "http://"+addr, func(c *Config) { c.MaxRetries = 2 }).
		Transactions.Create(context.Background(), &TransactionCreate{CustomerKey: "cus_x", Amount: 100, Currency: "USD"})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindTransport || e.Attempts != 3 {
		t.Fatalf("err=%#v; want a transport error after 3 attempts (never sent, so safe to retry)", err)
	}
}

func TestMalformedBodies(t *testing.T) {
	for name, body := range map[string]string{
		"html":      "<html>502 Bad Gateway</html>",
		"truncated": groupPage[:40],
		"empty":     "",
		"no data":   `{"message":"ok","status":200}`,
	} {
		t.Run(name, func(t *testing.T) {
			ts, _ := scripted(t, ok(body))
			c := newTestClient(t, ts.URL)
			_, err := c.Groups.List(context.Background(), nil)
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindDecode {
				t.Fatalf("read: err=%v, want a decode error", err)
			}
			_, err = c.Customers.Create(context.Background(), &CustomerCreate{Email: "a@b.co", PartnerKey: "p"})
			if !IsOutcomeUnknown(err) {
				t.Fatalf("write: err=%v, want outcome unknown", err)
			}
		})
	}
}

func TestRequestsCarryAuthAndUserAgent(t *testing.T) {
	var gotUser, gotPass, gotUA, gotPath string
	ts, _ := scripted(t, func(w http.ResponseWriter, r *http.Request) {
		gotUser, gotPass, _ = r.BasicAuth()
		gotUA, gotPath = r.UserAgent(), r.URL.Path
		w.Write([]byte(groupPage))
	})
	c := newTestClient(t, ts.URL+"/api/v2/", func(c *Config) { c.UserAgent = "partnerstack-mcp/1.2.3" })
	if _, err := c.Groups.List(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if gotUser != testPublic || gotPass != testSecret || gotUA != "partnerstack-mcp/1.2.3" || gotPath != "/api/v2/groups" {
		t.Fatalf("user=%q pass ok=%v ua=%q path=%q", gotUser, gotPass == testSecret, gotUA, gotPath)
	}
}

func TestCancelledContextStopsBackoff(t *testing.T) {
	ts, hits := scripted(t, status(429, "5"))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := newTestClient(t, ts.URL).Groups.List(ctx, nil)
	if err == nil || time.Since(start) > 2*time.Second || hits.Load() != 1 {
		t.Fatalf("err=%v after %v and %d hits; want a prompt error", err, time.Since(start), hits.Load())
	}
}

func TestNormalizeBaseURL(t *testing.T) {
	cases := map[string]string{
		"":                                     DefaultBaseURL,
		"https://api.partnerstack.com/api":     DefaultBaseURL,
		"https://api.partnerstack.com/api/":    DefaultBaseURL,
		"https://api.partnerstack.com/api/v2":  DefaultBaseURL,
		"https://api.partnerstack.com/api/v2/": DefaultBaseURL,
		"http://127.0.0.1:8181/api":            "http://127.0.0.1:8181/api",
	}
	for in, want := range cases {
		if got, err := NormalizeBaseURL(in); err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"api.partnerstack.com", "ftp://x/api", "https://user:pw@x/api", "https://x/api?y=1", "::"} {
		if _, err := NormalizeBaseURL(bad); err == nil {
			t.Errorf("%q: accepted", bad)
		} else if strings.Contains(err.Error(), "pw@") {
			t.Errorf("%q: error leaks credentials: %v", bad, err)
		}
	}
}

func TestNewRequiresKeys(t *testing.T) {
	if _, err := New(Config{PublicKey: "pk"}); !errors.Is(err, ErrMissingKeys) {
		t.Fatalf("got %v", err)
	}
}

func TestListOptionsValidatedBeforeSending(t *testing.T) {
	ts, hits := scripted(t, ok(groupPage))
	c := newTestClient(t, ts.URL)
	for _, o := range []*GroupListOptions{
		{ListOptions{Limit: 251}},
		{ListOptions{Limit: -1}},
		{ListOptions{StartingAfter: "a", EndingBefore: "b"}},
	} {
		if _, err := c.Groups.List(context.Background(), o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	if hits.Load() != 0 {
		t.Fatalf("%d requests sent for invalid options", hits.Load())
	}
}

func TestDryRunSendsNothing(t *testing.T) {
	ts, hits := scripted(t, ok(oneGroupBody))
	c := newTestClient(t, ts.URL)
	ctx, prep := DryRun(context.Background())
	_, err := c.Transactions.Create(ctx, &TransactionCreate{CustomerExternalKey: "acme", Amount: 9900, Currency: "USD"})
	if !errors.Is(err, ErrDryRun) || hits.Load() != 0 {
		t.Fatalf("err=%v hits=%d", err, hits.Load())
	}
	if prep.Method != "POST" || prep.URL != ts.URL+"/v2/transactions" || string(prep.Body) != `{"customer_external_key":"acme","amount":9900,"currency":"USD"}` {
		t.Fatalf("prepared %+v body %s", prep, prep.Body)
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	elsewhere, hits := scripted(t, ok(oneGroupBody))
	ts, _ := scripted(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/v2/customers", http.StatusSeeOther)
	})
	_, err := newTestClient(t, ts.URL).Customers.Create(context.Background(), &CustomerCreate{Email: "a@b.co", PartnerKey: "p"})
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusSeeOther || hits.Load() != 0 {
		t.Fatalf("err=%v, redirect target hit %d times; want a 303 error and no request elsewhere", err, hits.Load())
	}
}

// Issue 17, item 12: an answer larger than the response cap is reported as
// such (not as a failure to reach PartnerStack) and is not fetched again:
// it was downloaded four times, one attempt and three retries.
func TestOversizedResponseIsReportedAndNotRetried(t *testing.T) {
	huge := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		chunk := []byte(strings.Repeat(" ", 64<<10))
		w.Write([]byte(`{"data":{"items":[`))
		for sent := 0; sent <= 1<<20; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
	ts, hits := scripted(t, huge)
	c := newTestClient(t, ts.URL, func(c *Config) { c.MaxResponseBytes = 1 << 20 })
	_, err := c.Groups.List(context.Background(), nil)
	if !IsTooLarge(err) || IsOutcomeUnknown(err) {
		t.Fatalf("read: err = %v, want a too-large error", err)
	}
	if !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Fatalf("the error does not say what happened: %v", err)
	}
	if n := hits.Load(); n != 1 {
		t.Fatalf("the oversized answer was fetched %d times", n)
	}
	// A write whose 2xx answer is too large to read was applied: outcome unknown, not retried.
	hits.Store(0)
	if _, err := c.Customers.Create(context.Background(), &CustomerCreate{Email: "a@b.co", PartnerKey: "p"}); !IsOutcomeUnknown(err) || !IsTooLarge(err) {
		t.Fatalf("write: err = %v, want outcome unknown, too large", err)
	}
	if n := hits.Load(); n != 1 {
		t.Fatalf("the write was sent %d times", n)
	}
}

// Issue 17, item 12: a base URL error never repeats a password, a user, a
// query or a fragment, whichever check refuses it.
func TestBaseURLErrorsNeverEchoSecrets(t *testing.T) {
	for _, bad := range []string{
		"https://ps_user:hunter2@api.example.com/api", "https://api.example.com/api?token=hunter2",
		"https://api.example.com/api#hunter2", "ps_user:hunter2@api.example.com/api", "ftp://ps_user:hunter2@x/api?token=hunter2",
		"https://ps_user:hunter2@/api", "api.example.com/api?token=hunter2", "https://api.example.com/api?token=hunter2#x",
		"::hunter2", "https://[::1/api?token=hunter2",
	} {
		_, err := NormalizeBaseURL(bad)
		if err == nil {
			t.Errorf("%q: accepted", bad)
			continue
		}
		for _, secret := range []string{"hunter2", "ps_user", "token="} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("%q: the error echoes %q: %v", bad, secret, err)
			}
		}
	}
}
