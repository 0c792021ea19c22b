package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	prodKeys = KeyPair{DefaultPublicKey, DefaultSecretKey}
	testKeys = KeyPair{DefaultTestPublicKey, DefaultTestSecretKey}
	// fixedNow is the clock of test sandboxes: after all seeded data.
	fixedNow = time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)
)

func newTestSandbox(t testing.TB, opts ...Options) *Sandbox {
	t.Helper()
	o := Options{Now: func() time.Time { return fixedNow }}
	if len(opts) > 0 {
		o = opts[0]
		if o.Now == nil {
			o.Now = func() time.Time { return fixedNow }
		}
	}
	return New(o)
}

// result is a decoded response.
type result struct {
	status int
	header http.Header
	raw    []byte
	env    map[string]any
}

func (r result) message() string { s, _ := r.env["message"].(string); return s }
func (r result) data() map[string]any {
	d, _ := r.env["data"].(map[string]any)
	return d
}
func (r result) items() []map[string]any {
	var out []map[string]any
	for _, it := range r.data()["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}
func (r result) keys() []string {
	var out []string
	for _, it := range r.items() {
		out = append(out, it["key"].(string))
	}
	return out
}
func (r result) hasMore() bool { return r.data()["has_more"].(bool) }

// send sends one request through the in-process client with the given keys
// (nil = no auth). body may be a string (sent verbatim) or a value to marshal.
func send(t testing.TB, s *Sandbox, keys *KeyPair, method, path string, body any) result {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, "https://api.partnerstack.com/api"+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if keys != nil {
		req.SetBasicAuth(keys.PublicKey, keys.SecretKey)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := result{status: resp.StatusCode, header: resp.Header, raw: raw}
	if err := json.Unmarshal(raw, &r.env); err != nil {
		t.Fatalf("%s %s: body is not JSON: %q", method, path, raw)
	}
	if st, _ := r.env["status"].(float64); int(st) != resp.StatusCode {
		t.Fatalf("%s %s: body status %v != HTTP status %d", method, path, r.env["status"], resp.StatusCode)
	}
	return r
}

func get(t testing.TB, s *Sandbox, path string) result {
	t.Helper()
	return send(t, s, &prodKeys, "GET", path, nil)
}

func mustStatus(t testing.TB, r result, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body %s", r.status, want, r.raw)
	}
}

// pageAll walks a list forward with starting_after and returns every key.
func pageAll(t testing.TB, s *Sandbox, path string, limit int) []string {
	t.Helper()
	var keys []string
	cursor := ""
	for {
		q := url.Values{"limit": {itoaInt(limit)}}
		if cursor != "" {
			q.Set("starting_after", cursor)
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		r := get(t, s, path+sep+q.Encode())
		mustStatus(t, r, 200)
		ks := r.keys()
		if len(ks) > limit {
			t.Fatalf("page of %d > limit %d", len(ks), limit)
		}
		keys = append(keys, ks...)
		if !r.hasMore() {
			return keys
		}
		if len(ks) == 0 {
			t.Fatal("has_more with an empty page")
		}
		cursor = ks[len(ks)-1]
	}
}

func itoaInt(n int) string { return itoa(int64(n)) }

func noDuplicates(t testing.TB, keys []string) {
	t.Helper()
	c := slices.Clone(keys)
	slices.Sort(c)
	if d := slices.Compact(c); len(d) != len(keys) {
		t.Fatalf("%d duplicate keys in %d", len(keys)-len(d), len(keys))
	}
}

func newAuthedRequest(method, path string) (*http.Request, error) {
	req, err := http.NewRequest(method, "https://api.partnerstack.com"+path, nil)
	if err == nil {
		req.SetBasicAuth(DefaultPublicKey, DefaultSecretKey)
	}
	return req, err
}

// seeded returns s's store once New's background seeding is done.
func seeded(s *Sandbox) *store {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st
}
