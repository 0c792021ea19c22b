package sandbox

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestEnvelopeShapes(t *testing.T) {
	s := newTestSandbox(t)
	t.Run("a list has data.items, data.has_more, message and status", func(t *testing.T) {
		r := get(t, s, "/v2/partnerships?limit=2")
		mustStatus(t, r, 200)
		if r.message() != "Page returned successfully" || len(r.items()) != 2 || !r.hasMore() {
			t.Fatalf("unexpected list envelope: %s", r.raw)
		}
		if ct := r.header.Get("Content-Type"); ct != "application/json" {
			t.Fatalf("content type %q", ct)
		}
	})
	t.Run("a single object sits under data", func(t *testing.T) {
		r := get(t, s, "/v2/partnerships/gstest")
		mustStatus(t, r, 200)
		if r.data()["partner_key"] != "gstest" {
			t.Fatalf("got %s", r.raw)
		}
	})
	t.Run("an archive answer has no data", func(t *testing.T) {
		key := s.Webhooks()[0].Key
		r := send(t, s, &prodKeys, "DELETE", "/v2/webhooks/"+key, nil)
		mustStatus(t, r, 200)
		if _, has := r.env["data"]; has || r.message() == "" {
			t.Fatalf("got %s", r.raw)
		}
	})
	t.Run("an error is message and status only", func(t *testing.T) {
		r := get(t, s, "/v2/customers/nope")
		mustStatus(t, r, 404)
		if len(r.env) != 2 || r.message() == "" {
			t.Fatalf("got %s", r.raw)
		}
	})
}

func TestRouting(t *testing.T) {
	s := newTestSandbox(t)
	srv := httptest.NewServer(s)
	defer srv.Close()
	tests := []struct {
		name, method, path string
		want               int
	}{
		{"the /api/v2 base is served", "GET", "/api/v2/groups", 200},
		{"the bare /v2 base is served", "GET", "/v2/groups", 200},
		{"a trailing slash is fine", "GET", "/v2/groups/", 200},
		{"an unknown resource is 404", "GET", "/v2/payouts", 404},
		{"a path outside v2 is 404", "GET", "/v1/partnerships", 404},
		{"a nested path is 404", "GET", "/v2/deals/x/files", 404},
		{"groups have no get-one", "GET", "/v2/groups/grup_x", 404},
		{"a wrong method is 405", "PUT", "/v2/partnerships", 405},
		{"rewards cannot be deleted", "DELETE", "/v2/rewards", 405},
		{"actions have no get-one", "GET", "/v2/actions/actn_x", 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			req.SetBasicAuth(DefaultPublicKey, DefaultSecretKey)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	r := get(t, s, "/v2/nothing")
	if r.message() != "Not Found" {
		t.Fatalf("404 message %q", r.message())
	}
}

func TestAuth(t *testing.T) {
	s := newTestSandbox(t)
	tests := []struct {
		name   string
		header string
		want   int
	}{
		{"no auth is 401", "", 401},
		{"a wrong secret is 401", basic(DefaultPublicKey, "sk_wrong"), 401},
		{"a bearer token is 401", "Bearer " + DefaultSecretKey, 401},
		{"mixed pairs are 401", basic(DefaultPublicKey, DefaultTestSecretKey), 401},
		{"the production pair works", basic(DefaultPublicKey, DefaultSecretKey), 200},
		{"the test pair works", basic(DefaultTestPublicKey, DefaultTestSecretKey), 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/api/v2/partnerships", nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d", w.Code, tt.want)
			}
			if tt.want == 401 && !strings.Contains(w.Body.String(), `"message":"Unauthorized","status":401`) {
				t.Fatalf("body %s", w.Body)
			}
		})
	}
	t.Run("custom keys replace the defaults", func(t *testing.T) {
		s := New(Options{Keys: KeyPair{"pk_a", "sk_a"}})
		mustStatus(t, send(t, s, &prodKeys, "GET", "/v2/groups", nil), 401)
		mustStatus(t, send(t, s, &KeyPair{"pk_a", "sk_a"}, "GET", "/v2/groups", nil), 200)
		mustStatus(t, send(t, s, &testKeys, "GET", "/v2/groups", nil), 200)
	})
}

func basic(u, p string) string {
	r, _ := http.NewRequest("GET", "/", nil)
	r.SetBasicAuth(u, p)
	return r.Header.Get("Authorization")
}

func TestMethodNotAllowedNamesTheAllowedMethods(t *testing.T) {
	r := send(t, newTestSandbox(t), &prodKeys, "PUT", "/v2/customers/x", nil)
	mustStatus(t, r, 405)
	if got := r.header.Get("Allow"); got != "DELETE, GET, PATCH" {
		t.Fatalf("Allow %q", got)
	}
}
