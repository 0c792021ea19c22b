package e2e_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"

	gosdk "github.com/modelcontextprotocol/go-sdk/mcp"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/credentials"
	"github.com/partnerstack-mcp/partnerstack-mcp/httpserve"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/syncbuf"
)

// accounts routes each API request to the sandbox of the account whose
// public key authenticates it, like PartnerStack serving many accounts.
// Unknown keys go to the first sandbox, which answers 401.
type accounts map[string]*sandbox.Sandbox

func (a accounts) RoundTrip(r *http.Request) (*http.Response, error) {
	user, _, _ := r.BasicAuth()
	sb, ok := a[user]
	if !ok {
		sb = a["pk_account_a"]
	}
	return sb.Client().Transport.RoundTrip(r)
}

func TestPerRequestCredentials(t *testing.T) {
	keysA := sandbox.KeyPair{PublicKey: "pk_account_a", SecretKey: "sk_secret_AAAA1111"}
	keysB := sandbox.KeyPair{PublicKey: "pk_account_b", SecretKey: "sk_secret_BBBB2222"}
	wrongSecret := "sk_wrong_CCCC3333"
	sbA := sandbox.New(sandbox.Options{Keys: keysA, Seed: 1})
	sbB := sandbox.New(sandbox.Options{Keys: keysB, Seed: 2})

	var logs syncbuf.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := credentials.ClientConfig(client.Config{
		PublicKey: "pk_from_env", SecretKey: "sk_from_env_must_not_be_used",
		BaseURL: "http://sandbox.invalid/api", HTTPClient: &http.Client{Transport: accounts{keysA.PublicKey: sbA, keysB.PublicKey: sbB}},
		Logger: logger,
	})
	api, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hc := httpserve.Options{PerRequestCredentials: true}
	s, err := partnerstackmcp.New(api, partnerstackmcp.Config{Logger: logger, PerRequestCredentials: true})
	if err != nil {
		t.Fatal(err)
	}
	base := serveGuarded(t, &fixture{server: s}, httpserve.TransportHTTP, hc, logger)

	session := func(t *testing.T, pub, sec string) *gosdk.ClientSession {
		h := mcptest.HeaderTransport{}
		if pub != "" {
			h[credentials.HeaderPublicKey], h[credentials.HeaderSecretKey] = pub, sec
		}
		return mcptest.SDKSession(t, &gosdk.StreamableClientTransport{Endpoint: base + "/mcp", HTTPClient: &http.Client{Transport: h}}, "", nil)
	}
	groupKeys := func(t *testing.T, cs *gosdk.ClientSession) []string {
		s, isErr, text := mcptest.SDKCall(t, cs, "list_groups", map[string]any{"limit": 100})
		if isErr {
			t.Fatalf("list_groups: %s", text)
		}
		var keys []string
		for _, it := range mcptest.Items(s) {
			keys = append(keys, it["key"].(string))
		}
		slices.Sort(keys)
		return keys
	}
	want := func(sb *sandbox.Sandbox) []string {
		var keys []string
		for _, g := range sb.Groups() {
			keys = append(keys, g.Key)
		}
		slices.Sort(keys)
		return keys
	}
	wantA, wantB := want(sbA), want(sbB)
	if slices.Equal(wantA, wantB) {
		t.Fatal("the two accounts should hold different groups")
	}

	t.Run("two callers, interleaved and concurrent, each see only their own account", func(t *testing.T) {
		a, b := session(t, keysA.PublicKey, keysA.SecretKey), session(t, keysB.PublicKey, keysB.SecretKey)
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cs, exp := a, wantA
				if i%2 == 1 {
					cs, exp = b, wantB
				}
				for range 10 {
					if got := groupKeys(t, cs); !slices.Equal(got, exp) {
						errs <- fmt.Errorf("caller %d got groups %v, want %v", i%2, got, exp)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
	t.Run("over SSE the keys of the POST carrying the call are used", func(t *testing.T) {
		sse := serveGuarded(t, &fixture{server: s}, httpserve.TransportSSE, hc, logger)
		for pub, w := range map[sandbox.KeyPair][]string{keysA: wantA, keysB: wantB} {
			h := mcptest.HeaderTransport{credentials.HeaderPublicKey: pub.PublicKey, credentials.HeaderSecretKey: pub.SecretKey}
			cs := mcptest.SDKSession(t, &gosdk.SSEClientTransport{Endpoint: sse + "/sse", HTTPClient: &http.Client{Transport: h}}, "2024-11-05", nil)
			if got := groupKeys(t, cs); !slices.Equal(got, w) {
				t.Fatalf("got %v, want %v", got, w)
			}
		}
	})
	t.Run("wrong keys give PartnerStack's 401 as a tool error", func(t *testing.T) {
		cs := session(t, keysA.PublicKey, wrongSecret)
		_, isErr, text := mcptest.SDKCall(t, cs, "list_groups", map[string]any{})
		if !isErr || !strings.Contains(text, "401") {
			t.Fatalf("isError %v: %s", isErr, text)
		}
	})
	t.Run("missing headers give a tool error naming them, and no API request", func(t *testing.T) {
		before := len(sbA.Requests()) + len(sbB.Requests())
		for _, cs := range []*gosdk.ClientSession{session(t, "", ""), session(t, keysA.PublicKey, "")} {
			_, isErr, text := mcptest.SDKCall(t, cs, "list_groups", map[string]any{})
			if !isErr || !strings.Contains(text, credentials.HeaderPublicKey) || !strings.Contains(text, credentials.HeaderSecretKey) {
				t.Fatalf("isError %v: %s", isErr, text)
			}
		}
		if after := len(sbA.Requests()) + len(sbB.Requests()); after != before {
			t.Fatalf("%d API requests were sent without caller keys", after-before)
		}
		listed, err := session(t, "", "").ListTools(t.Context(), nil)
		if err != nil || len(listed.Tools) == 0 {
			t.Fatalf("the catalogue should be readable without keys: %v", err)
		}
	})
	t.Run("an API request with no caller keys in its context is never sent", func(t *testing.T) {
		before := len(sbA.Requests())
		_, err := api.Groups.List(t.Context(), nil)
		if err == nil || strings.Contains(err.Error(), "from_env") {
			t.Fatalf("err = %v", err)
		}
		if len(sbA.Requests()) != before {
			t.Fatal("the placeholder keys reached the API")
		}
	})
	t.Run("no key appears in the logs", func(t *testing.T) {
		out := logs.String()
		if !strings.Contains(out, "partnerstack request") || !strings.Contains(out, "tool call") {
			t.Fatalf("debug logs were not captured:\n%s", out)
		}
		for _, secret := range []string{keysA.SecretKey, keysB.SecretKey, wrongSecret, keysA.PublicKey, keysB.PublicKey, "sk_from_env",
			base64.StdEncoding.EncodeToString([]byte(keysA.PublicKey + ":" + keysA.SecretKey)),
			base64.StdEncoding.EncodeToString([]byte(keysB.PublicKey + ":" + keysB.SecretKey))} {
			if strings.Contains(out, secret) {
				t.Errorf("the logs contain %q", secret)
			}
		}
	})
}

func TestPerRequestCredentialsRefuseStdio(t *testing.T) {
	cmd := exec.Command(binary(t), "--sandbox", "--per-request-credentials")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if err == nil || len(lines) != 1 || !strings.Contains(lines[0], "--per-request-credentials needs --transport http or sse") {
		t.Fatalf("err %v, stderr:\n%s", err, stderr.String())
	}
}
