package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// arrivals is a test server that answers 429 (with retryAfter) to the
// requests first says, 200 to the others, and records when each arrived.
type arrivals struct {
	mu    sync.Mutex
	times []time.Time
	accts []string
}

func (a *arrivals) server(t *testing.T, first func(n int, acct string) bool, retryAfter string) *httptest.Server {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.times = append(a.times, time.Now())
		acct := r.Header.Get("X-Test-Account")
		a.accts = append(a.accts, acct)
		n := len(a.times)
		a.mu.Unlock()
		if first(n, acct) {
			status(http.StatusTooManyRequests, retryAfter)(w, r)
			return
		}
		ok(groupPage)(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func (a *arrivals) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.times)
}

type acctKey struct{}

// acctHeader tags each request with its context's account, so the server
// can tell them apart.
type acctHeader struct{ next http.RoundTripper }

func (h acctHeader) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if a, ok := r.Context().Value(acctKey{}).(string); ok {
		r.Header.Set("X-Test-Account", a)
	}
	return h.next.RoundTrip(r)
}

func withAccounts(cfg *Config) {
	cfg.HTTPClient = &http.Client{Transport: acctHeader{http.DefaultTransport}}
	cfg.Account = func(ctx context.Context) string { s, _ := ctx.Value(acctKey{}).(string); return s }
}

func TestA429PausesEveryRequestOfTheAccount(t *testing.T) {
	var a arrivals
	ts := a.server(t, func(n int, _ string) bool { return n == 1 }, "1")
	c := newTestClient(t, ts.URL)

	// The first request meets the 429; once it has, three more start while
	// it waits out Retry-After.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	wg.Go(func() { _, err := c.Groups.List(t.Context(), nil); errs <- err })
	for a.count() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // the 429 reaches the client
	for range 3 {
		wg.Go(func() { _, err := c.Groups.List(t.Context(), nil); errs <- err })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a request failed: %v", err)
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.times) != 5 { // the 429, its retry, three others
		t.Fatalf("%d requests reached the server, want 5", len(a.times))
	}
	for i, at := range a.times[1:] {
		if gap := at.Sub(a.times[0]); gap < 950*time.Millisecond {
			t.Errorf("request %d reached the server %v after the 429, inside its 1 s Retry-After", i+2, gap)
		}
	}
}

func TestThePauseIsPerAccount(t *testing.T) {
	var a arrivals
	ts := a.server(t, func(_ int, acct string) bool { return acct == "busy" }, "1")
	c := newTestClient(t, ts.URL, withAccounts, func(cfg *Config) { cfg.MaxRetries = -1 })
	busy := context.WithValue(t.Context(), acctKey{}, "busy")
	calm := context.WithValue(t.Context(), acctKey{}, "calm")
	if _, err := c.Groups.List(busy, nil); !IsRateLimited(err) {
		t.Fatalf("busy account: %v, want a 429", err)
	}
	start := time.Now()
	if _, err := c.Groups.List(calm, nil); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("another account waited %v for the busy account's pause", d)
	}
}

func TestAPauseLongerThanMaxRetryAfterFailsFastWithoutSending(t *testing.T) {
	var a arrivals
	ts := a.server(t, func(n int, _ string) bool { return n == 1 }, "120")
	c := newTestClient(t, ts.URL)
	if _, err := c.Groups.List(t.Context(), nil); !IsRateLimited(err) {
		t.Fatalf("first: %v, want a 429", err)
	}
	start := time.Now()
	_, err := c.Groups.List(t.Context(), nil)
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusTooManyRequests || e.RetryAfter < 100*time.Second {
		t.Fatalf("second: %v, want a local 429 with the time left", err)
	}
	if d := time.Since(start); d > time.Second || a.count() != 1 {
		t.Errorf("took %v and %d requests reached the server; want fast and 1", d, a.count())
	}
}

func TestWithoutRetryAfterThePauseDoublesPer429InARow(t *testing.T) {
	th := newThrottle(nil, Config{RetryWait: 100 * time.Millisecond, MaxRetryAfter: time.Second})
	r429 := &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{}}
	var got []time.Duration
	for range 5 {
		th.observe("", r429)
		got = append(got, th.left("").Round(50*time.Millisecond))
		th.paused[""].until = time.Now() // as if waited out
	}
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, time.Second}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("pauses = %v, want %v", got, want)
		}
	}
	th.observe("", &http.Response{StatusCode: 200})
	if _, still := th.paused[""]; still {
		t.Error("a 200 after the pause did not end the streak")
	}
}

func TestAWaitingRequestStopsWithItsContext(t *testing.T) {
	var a arrivals
	var hits atomic.Int32
	ts := a.server(t, func(n int, _ string) bool { hits.Add(1); return n == 1 }, "5")
	c := newTestClient(t, ts.URL, func(cfg *Config) { cfg.MaxRetries = -1 })
	if _, err := c.Groups.List(t.Context(), nil); !IsRateLimited(err) {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.Groups.List(ctx, nil); err == nil {
		t.Fatal("a request inside the pause succeeded")
	}
	if d := time.Since(start); d > time.Second || hits.Load() != 1 {
		t.Errorf("took %v, %d requests sent; want the context to end the wait", d, hits.Load())
	}
}
