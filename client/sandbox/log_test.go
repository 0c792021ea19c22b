package sandbox

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

func TestRequestLog(t *testing.T) {
	s := newTestSandbox(t)
	partner := s.Partnerships()[1].PartnerKey
	get(t, s, "/v2/groups?limit=2")
	send(t, s, &prodKeys, "POST", "/v2/customers", map[string]any{"email": "log@x.co", "partner_key": partner})
	send(t, s, &prodKeys, "POST", "/v2/customers", map[string]any{"email": "bad"})
	send(t, s, &testKeys, "GET", "/v2/partnerships/gstest", nil)
	send(t, s, nil, "GET", "/v2/groups", nil)
	log := s.Requests()
	if len(log) != 5 {
		t.Fatalf("%d entries", len(log))
	}
	want := []struct {
		method, path, query string
		status              int
		pk                  string
		applied             bool
	}{
		{"GET", "/api/v2/groups", "limit=2", 200, DefaultPublicKey, false},
		{"POST", "/api/v2/customers", "", 200, DefaultPublicKey, true},
		{"POST", "/api/v2/customers", "", 400, DefaultPublicKey, false},
		{"GET", "/api/v2/partnerships/gstest", "", 200, DefaultTestPublicKey, false},
		{"GET", "/api/v2/groups", "", 401, "", false},
	}
	for i, w := range want {
		e := log[i]
		if e.Seq != i+1 || e.Method != w.method || e.Path != w.path || e.RawQuery != w.query || e.Status != w.status ||
			e.PublicKey != w.pk || e.Applied != w.applied || e.Fault != "" {
			t.Errorf("entry %d = %+v, want %+v", i, e, w)
		}
	}
	if !bytes.Contains(log[1].Body, []byte(`"log@x.co"`)) {
		t.Errorf("body not logged: %s", log[1].Body)
	}
	for _, e := range log {
		if strings.Contains(string(e.Body)+e.PublicKey+e.RawQuery, "sk_") {
			t.Fatal("a secret key reached the log")
		}
	}
	if n := s.AppliedWrites("POST", "/api/v2/customers"); n != 1 {
		t.Fatalf("AppliedWrites = %d", n)
	}
	if n := s.AppliedWrites("", "/v2/"); n != 1 {
		t.Fatalf("AppliedWrites any = %d", n)
	}
	log[1].Body[0] = 'X'
	if s.Requests()[1].Body[0] == 'X' {
		t.Fatal("Requests returned shared memory")
	}
	s.ResetLog()
	if len(s.Requests()) != 0 || s.AppliedWrites("", "/") != 0 {
		t.Fatal("ResetLog kept entries")
	}
	get(t, s, "/v2/groups")
	if s.Requests()[0].Seq != 6 {
		t.Fatal("Seq restarted after ResetLog")
	}
}

func TestConcurrentUse(t *testing.T) {
	s := newTestSandbox(t)
	partner := s.Partnerships()[1].PartnerKey
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				send(t, s, &prodKeys, "POST", "/v2/customers", map[string]any{"email": "c@x.co", "partner_key": partner})
				get(t, s, "/v2/partnerships?limit=5")
				get(t, s, "/v2/transactions?limit=5&order_by=amount")
			}
		}()
	}
	wg.Wait()
	if n := s.AppliedWrites("POST", "/v2/customers"); n != 160 {
		t.Fatalf("AppliedWrites = %d, want 160", n)
	}
	if len(s.Requests()) != 480 {
		t.Fatalf("%d log entries", len(s.Requests()))
	}
}
