package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"
)

func postCustomer(s *Sandbox, client *http.Client, base, email string) (*http.Response, []byte, error) {
	req, _ := http.NewRequest("POST", base+"/api/v2/customers",
		strings.NewReader(`{"email":"`+email+`","partner_key":"`+s.Partnerships()[1].PartnerKey+`"}`))
	req.SetBasicAuth(DefaultPublicKey, DefaultSecretKey)
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func customerCount(s *Sandbox) int { return len(s.Customers()) }

func TestFaultsInProcess(t *testing.T) {
	const base = "https://api.partnerstack.com"
	tests := []struct {
		name    string
		fault   Fault
		applied bool
		check   func(t *testing.T, resp *http.Response, body []byte, err error)
	}{
		{"rate_limit answers 429 with Retry-After and applies nothing",
			Fault{Kind: FaultRateLimit, RetryAfter: 2 * time.Second}, false,
			func(t *testing.T, resp *http.Response, body []byte, err error) {
				if err != nil || resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" ||
					string(body) != `{"message":"Too Many Requests","status":429}` {
					t.Fatalf("got %v %v %s", err, resp, body)
				}
			}},
		{"rate_limit without RetryAfter omits the header",
			Fault{Kind: FaultRateLimit}, false,
			func(t *testing.T, resp *http.Response, body []byte, err error) {
				if _, has := resp.Header["Retry-After"]; has || resp.StatusCode != 429 {
					t.Fatalf("got %v", resp.Header)
				}
			}},
		{"server_error defaults to 503",
			Fault{Kind: FaultServerError}, false,
			func(t *testing.T, resp *http.Response, body []byte, err error) {
				if resp.StatusCode != 503 || string(body) != `{"message":"Service Unavailable","status":503}` {
					t.Fatalf("got %d %s", resp.StatusCode, body)
				}
			}},
		{"server_error uses the given status",
			Fault{Kind: FaultServerError, Status: 502}, false,
			func(t *testing.T, resp *http.Response, body []byte, err error) {
				if resp.StatusCode != 502 {
					t.Fatalf("got %d", resp.StatusCode)
				}
			}},
		{"malformed_body answers 200 HTML and applies nothing",
			Fault{Kind: FaultMalformedBody}, false,
			func(t *testing.T, resp *http.Response, body []byte, err error) {
				if resp.StatusCode != 200 || json.Valid(body) || !strings.HasPrefix(string(body), "<html>") {
					t.Fatalf("got %d %s", resp.StatusCode, body)
				}
			}},
		{"truncated_body applies the write and cuts the JSON",
			Fault{Kind: FaultTruncatedBody}, true,
			func(t *testing.T, resp *http.Response, body []byte, err error) {
				if resp.StatusCode != 200 || json.Valid(body) || !strings.HasPrefix(string(body), `{"data":`) {
					t.Fatalf("got %d %s", resp.StatusCode, body)
				}
			}},
		{"reset_after_write applies the write, then fails like a reset connection",
			Fault{Kind: FaultResetAfterWrite, Route: "POST /v2/customers"}, true,
			func(t *testing.T, resp *http.Response, body []byte, err error) {
				if !errors.Is(err, syscall.ECONNRESET) || !strings.Contains(err.Error(), "connection reset") {
					t.Fatalf("err %v", err)
				}
			}},
		{"refuse fails like a refused connection and applies nothing",
			Fault{Kind: FaultRefuse}, false,
			func(t *testing.T, resp *http.Response, body []byte, err error) {
				if !errors.Is(err, syscall.ECONNREFUSED) || !strings.Contains(err.Error(), "connection refused") {
					t.Fatalf("err %v", err)
				}
			}},
		{"latency delays but applies",
			Fault{Kind: FaultLatency, Latency: 30 * time.Millisecond}, true,
			func(t *testing.T, resp *http.Response, body []byte, err error) {
				if err != nil || resp.StatusCode != 200 {
					t.Fatalf("got %v %v", err, resp)
				}
			}},
		{"a fault on another route does not fire",
			Fault{Kind: FaultServerError, Route: "GET /v2/customers"}, true,
			func(t *testing.T, resp *http.Response, body []byte, err error) {
				if resp.StatusCode != 200 {
					t.Fatalf("got %d", resp.StatusCode)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestSandbox(t)
			s.AddFault(tt.fault)
			before := customerCount(s)
			start := time.Now()
			resp, body, err := postCustomer(s, s.Client(), base, "f@x.co")
			tt.check(t, resp, body, err)
			if got := customerCount(s) == before+1; got != tt.applied {
				t.Fatalf("applied %v, want %v", got, tt.applied)
			}
			if tt.fault.Kind == FaultLatency && time.Since(start) < tt.fault.Latency {
				t.Fatal("no latency")
			}
			log := s.Requests()
			last := log[len(log)-1]
			wantFault := tt.fault.Kind
			if tt.fault.Route == "GET /v2/customers" {
				wantFault = ""
			}
			if last.Fault != wantFault || last.Applied != tt.applied {
				t.Fatalf("log entry %+v", last)
			}
			if n := s.AppliedWrites("POST", "/v2/customers"); (n == 1) != tt.applied {
				t.Fatalf("AppliedWrites %d", n)
			}
		})
	}
}

func TestFaultsOverASocket(t *testing.T) {
	for _, kind := range []FaultKind{FaultResetAfterWrite, FaultRefuse} {
		t.Run(string(kind)+" drops the connection", func(t *testing.T) {
			s := newTestSandbox(t)
			srv := httptest.NewServer(s)
			defer srv.Close()
			s.AddFault(Fault{Kind: kind})
			before := customerCount(s)
			_, _, err := postCustomer(s, srv.Client(), srv.URL, "sock@x.co")
			if err == nil {
				t.Fatal("no transport error")
			}
			if applied := customerCount(s) == before+1; applied != (kind == FaultResetAfterWrite) {
				t.Fatalf("applied %v", applied)
			}
		})
	}
	t.Run("truncated_body over a socket is half a JSON document", func(t *testing.T) {
		s := newTestSandbox(t)
		srv := httptest.NewServer(s)
		defer srv.Close()
		s.AddFault(Fault{Kind: FaultTruncatedBody, Route: "GET /"})
		req, _ := http.NewRequest("GET", srv.URL+"/v2/groups", nil)
		req.SetBasicAuth(DefaultPublicKey, DefaultSecretKey)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if json.Valid(b) || len(b) == 0 {
			t.Fatalf("body %s", b)
		}
	})
}

func TestFaultCounting(t *testing.T) {
	t.Run("every=3 fires on the 3rd and 6th matching request", func(t *testing.T) {
		s := newTestSandbox(t)
		s.AddFault(Fault{Kind: FaultServerError, Every: 3})
		var got []int
		for i := 0; i < 7; i++ {
			got = append(got, get(t, s, "/v2/groups").status)
		}
		want := []int{200, 200, 503, 200, 200, 503, 200}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("statuses %v, want %v", got, want)
			}
		}
	})
	t.Run("times=3 is a burst of three", func(t *testing.T) {
		s := newTestSandbox(t)
		s.AddFault(Fault{Kind: FaultServerError, Times: 3, Route: "GET /v2/"})
		for i, want := range []int{503, 503, 503, 200, 200} {
			if st := get(t, s, "/v2/groups").status; st != want {
				t.Fatalf("request %d: %d, want %d", i, st, want)
			}
		}
	})
	t.Run("method * matches any method; ClearFaults removes all", func(t *testing.T) {
		s := newTestSandbox(t)
		s.AddFault(Fault{Kind: FaultRateLimit, Route: "* /api/v2/groups"})
		mustStatus(t, get(t, s, "/v2/groups"), 429)
		mustStatus(t, get(t, s, "/v2/customers"), 200)
		s.ClearFaults()
		mustStatus(t, get(t, s, "/v2/groups"), 200)
	})
}

func TestLatencyHonoursContext(t *testing.T) {
	s := newTestSandbox(t)
	s.AddFault(Fault{Kind: FaultLatency, Latency: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", "https://api.partnerstack.com/api/v2/customers",
		strings.NewReader(`{"email":"ctx@x.co","partner_key":"`+s.Partnerships()[1].PartnerKey+`"}`))
	req.SetBasicAuth(DefaultPublicKey, DefaultSecretKey)
	before := customerCount(s)
	start := time.Now()
	_, err := s.Client().Do(req)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
	if customerCount(s) != before {
		t.Fatal("a cancelled request was applied")
	}
}

func TestParseFault(t *testing.T) {
	tests := []struct {
		spec string
		want Fault
		err  string
	}{
		{"rate_limit:every=5:retry_after=2s", Fault{Kind: FaultRateLimit, Every: 5, RetryAfter: 2 * time.Second}, ""},
		{"rate_limit:retry_after=3", Fault{Kind: FaultRateLimit, RetryAfter: 3 * time.Second}, ""},
		{"server_error:status=503:times=3:route=GET /v2/", Fault{Kind: FaultServerError, Status: 503, Times: 3, Route: "GET /v2/"}, ""},
		{"server_error", Fault{Kind: FaultServerError, Status: 503}, ""},
		{"latency:latency=200ms", Fault{Kind: FaultLatency, Latency: 200 * time.Millisecond}, ""},
		{"reset_after_write:route=POST /v2/transactions", Fault{Kind: FaultResetAfterWrite, Route: "POST /v2/transactions"}, ""},
		{"refuse:route=/v2/deals", Fault{Kind: FaultRefuse, Route: "/v2/deals"}, ""},
		{"explode", Fault{}, "unknown kind"},
		{"server_error:status=418", Fault{}, "status must be"},
		{"rate_limit:every", Fault{}, "is not key=value"},
		{"rate_limit:color=red", Fault{}, "unknown key"},
		{"latency:latency=soon", Fault{}, "latency"},
		{"refuse:route=deals", Fault{}, "route"},
		{"rate_limit:times=-1", Fault{}, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := ParseFault(tt.spec)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}
