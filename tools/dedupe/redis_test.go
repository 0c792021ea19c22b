package dedupe_test

import (
	"context"
	"errors"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/redistest"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools/dedupe"
)

const secretPW = "hunter2-Sup3rSecret"

func TestRedisKeysRevealNothing(t *testing.T) {
	srv := redistest.Start(t)
	s, err := dedupe.Open(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	e := entry(`{"customer_key":"cust_1"}`)
	if held, err := s.Reserve(ctx, dedupe.Key{Scope: "scope-of-tenant", Sum: [32]byte{9}}, e, time.Minute, false); err != nil || held != nil {
		t.Fatal(held, err)
	}
	raw := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer raw.Close()
	keys, err := raw.Keys(ctx, "*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys %v, err %v", keys, err)
	}
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(dedupe.KeyPrefix) + `[0-9a-f]{64}$`).MatchString(keys[0]) {
		t.Fatalf("key %q is not the prefix and a hash", keys[0])
	}
	ttl, _ := raw.PTTL(ctx, keys[0]).Result()
	if ttl <= 0 || ttl > time.Minute {
		t.Fatalf("TTL %v, want the window", ttl)
	}
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestRedisUnreachableFailsClearlyWithoutThePassword(t *testing.T) {
	s, err := dedupe.Open("redis://user:" + secretPW + "@" + closedAddr(t) + "/0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, rerr := s.Reserve(ctx, key("a", 1), entry("{}"), time.Minute, false)
	perr := s.Ping(ctx)
	for _, err := range []error{rerr, perr, s.Keep(ctx, key("a", 1), entry("{}")), s.Release(ctx, key("a", 1), entry("{}"))} {
		if !errors.Is(err, dedupe.ErrUnavailable) {
			t.Fatalf("err %v, want ErrUnavailable", err)
		}
		if strings.Contains(err.Error(), secretPW) {
			t.Fatalf("the password leaked: %v", err)
		}
	}
}

func TestRedisWithPassword(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{Password: secretPW})
	ctx := context.Background()
	good, err := dedupe.Open(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	if err := good.Ping(ctx); err != nil {
		t.Fatalf("with the right password: %v", err)
	}
	bad, _ := dedupe.Open("redis://:wrong-" + secretPW + "@" + srv.Addr + "/0")
	defer bad.Close()
	err = bad.Ping(ctx)
	if err == nil || strings.Contains(err.Error(), secretPW) {
		t.Fatalf("wrong password: %v", err)
	}
}

func TestRedisKilledMidRun(t *testing.T) {
	srv := redistest.Start(t)
	s, _ := dedupe.Open(srv.URL())
	defer s.Close()
	ctx := context.Background()
	mustReserve(t, s, key("a", 1), entry("{}"))
	srv.Kill()
	time.Sleep(50 * time.Millisecond)
	if _, err := s.Reserve(ctx, key("a", 2), entry("{}"), time.Minute, false); !errors.Is(err, dedupe.ErrUnavailable) {
		t.Fatalf("after the kill: %v", err)
	}
}

func TestOpen(t *testing.T) {
	for _, spec := range []string{"", "memory", " memory "} {
		s, err := dedupe.Open(spec)
		if err != nil || s.Kind() != "memory" {
			t.Errorf("%q: %v %v", spec, s, err)
		}
	}
	for _, spec := range []string{"redis://127.0.0.1:6379/0", "rediss://u:p@cache.example.com:6380/2", "redis://localhost"} {
		s, err := dedupe.Open(spec)
		if err != nil || s.Kind() != "redis" {
			t.Errorf("%q: %v %v", spec, s, err)
			continue
		}
		s.Close()
	}
	for _, spec := range []string{
		"redis://:" + secretPW + "@host:notaport/0",
		"redis://u:" + secretPW + "@host:6379/notadb",
		"redis://u:" + secretPW + "@host:6379/0?dial_timeout=" + secretPW,
		"http://u:" + secretPW + "@host:6379/0",
		"redis://:" + secretPW + "@/0",
		"redis",
		"redis://u:" + secretPW + "@ho st:6379/0",
	} {
		_, err := dedupe.Open(spec)
		if err == nil {
			t.Errorf("%q: accepted", spec)
			continue
		}
		if strings.Contains(err.Error(), secretPW) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error %q shows the password or spans lines", spec, err)
		}
		if !strings.Contains(err.Error(), "redis://") {
			t.Errorf("%q: error %q does not say what to use", spec, err)
		}
	}
	if got := dedupe.Redact("redis://u:" + secretPW + "@h:1/0"); strings.Contains(got, secretPW) {
		t.Errorf("Redact: %q", got)
	}
}
