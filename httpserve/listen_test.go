package httpserve

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestListenAddressNeedsTokenOffLoopback(t *testing.T) {
	tests := []struct {
		addr  string
		token string
		ok    bool
	}{
		{"127.0.0.1:8080", "", true},
		{"127.9.9.9:8080", "", true},
		{"localhost:8080", "", true},
		{"[::1]:8080", "", true},
		{"0.0.0.0:8080", "", false},
		{":8080", "", false},
		{"[::]:8080", "", false},
		{"192.0.2.10:8080", "", false},
		{"0.0.0.0:8080", "s3cret", true},
		{"192.0.2.10:8080", "s3cret", true},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s with token %v is allowed %v", tt.addr, tt.token != "", tt.ok)
		t.Run(name, func(t *testing.T) {
			err := Options{Token: tt.token}.checkListenAddr(tt.addr)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v", err)
			}
			if err != nil && !strings.Contains(err.Error(), "--http-token") {
				t.Fatalf("the refusal should say how to fix it: %v", err)
			}
		})
	}
	t.Run("Serve refuses before listening", func(t *testing.T) {
		f := newFixture(t)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := Serve(ctx, f.server, Options{Transport: TransportHTTP, Addr: "0.0.0.0:0", Logger: slog.New(slog.DiscardHandler)})
		if err == nil || !strings.Contains(err.Error(), "not a loopback address") {
			t.Fatalf("err = %v", err)
		}
	})
}
