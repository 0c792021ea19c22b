package client

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// One shared backoff per account. When PartnerStack answers 429, every
// request of that account waits out the pause, not just the one that met
// it: parallel readers (the insight walkers) otherwise keep hammering an
// account the API is already throttling. The pause is Retry-After when the
// API sends one, else the retry base wait doubled per 429 in a row (capped
// at MaxRetryAfter). It sits in the transport, under resty's retries, so a
// retried attempt waits like any other request.
//
// A pause longer than MaxRetryAfter is not waited out: requests meet it
// with a 429 answered locally (Retry-After: the time left), which the retry
// policy then fails fast, as it would the API's own.

// throttle holds the pause of each account; accounts whose pause is over are
// dropped on the next 429, so its size is the accounts throttled recently.
type throttle struct {
	next    http.RoundTripper
	account func(context.Context) string
	base    time.Duration // pause after a 429 without Retry-After, doubled per 429 in a row
	longest time.Duration // pauses beyond this are not waited out

	mu     sync.Mutex
	paused map[string]*pause
}

type pause struct {
	until  time.Time
	streak int // 429s in a row, for the pause without Retry-After
}

func newThrottle(next http.RoundTripper, cfg Config) *throttle {
	if next == nil {
		next = http.DefaultTransport
	}
	account := cfg.Account
	if account == nil {
		account = func(context.Context) string { return "" }
	}
	return &throttle{next: next, account: account, base: cfg.RetryWait, longest: cfg.MaxRetryAfter, paused: map[string]*pause{}}
}

// throttled wraps hc's transport in a throttle (hc itself is not changed).
func throttled(hc *http.Client, cfg Config) *http.Client {
	c := *hc
	c.Transport = newThrottle(hc.Transport, cfg)
	return &c
}

func (t *throttle) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	acct := t.account(ctx)
	if wait := t.left(acct); wait > 0 {
		if wait > t.longest {
			if req.Body != nil {
				req.Body.Close()
			}
			return localThrottled(req, wait), nil
		}
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, ctx.Err()
		}
	}
	resp, err := t.next.RoundTrip(req)
	if err == nil {
		t.observe(acct, resp)
	}
	return resp, err
}

// left is how long acct must still wait.
func (t *throttle) left(acct string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.paused[acct]
	if p == nil {
		return 0
	}
	return time.Until(p.until)
}

// observe starts or extends acct's pause after a 429 and ends its streak
// after any other answer.
func (t *throttle) observe(acct string, resp *http.Response) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.paused[acct]
	if resp.StatusCode != http.StatusTooManyRequests {
		if p != nil && time.Now().After(p.until) {
			delete(t.paused, acct)
		}
		return
	}
	now := time.Now()
	for k, q := range t.paused { // forget accounts whose pause is long over
		if k != acct && now.After(q.until) {
			delete(t.paused, k)
		}
	}
	if p == nil {
		p = &pause{}
		t.paused[acct] = p
	}
	d := parseRetryAfter(resp.Header.Get("Retry-After"))
	if d <= 0 {
		d = min(t.base<<min(p.streak, 16), t.longest)
	}
	p.streak++
	if until := now.Add(d); until.After(p.until) {
		p.until = until
	}
}

// localThrottled is the 429 a request meets while its account's pause is
// longer than the client waits; nothing was sent.
func localThrottled(req *http.Request, wait time.Duration) *http.Response {
	secs := int((wait + time.Second - 1) / time.Second)
	body := `{"message":"Too Many Requests (the account is paused for ` + strconv.Itoa(secs) + ` s after an earlier 429; not sent)","status":429}`
	h := http.Header{}
	h.Set("Retry-After", strconv.Itoa(secs))
	h.Set("Content-Type", "application/json")
	return &http.Response{StatusCode: http.StatusTooManyRequests, Status: "429 Too Many Requests",
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h, Request: req,
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}
}
