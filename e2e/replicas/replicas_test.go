// Package replicas_test checks the duplicate-write guard across replicas:
// two real server processes (the built binary) with --stateless and one
// shared Redis (a real redis-server), behind a round-robin proxy, both
// pointed at one standalone sandbox process. Without redis-server on PATH
// the tests skip loudly; under CI=true they fail instead.
package replicas_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gosdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/mcptest"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/redistest"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/syncbuf"
)

// bin holds the binaries built once for every test of the package.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "replicas-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, cmd := range []string{"partnerstack-mcp", "partnerstack-sandbox"} {
		build := exec.Command("go", "build", "-o", filepath.Join(dir, cmd), "./cmd/"+cmd)
		build.Dir = filepath.Join("..", "..")
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "go build %s: %v\n%s", cmd, err, out)
			os.Exit(1)
		}
	}
	bin = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// process is a started binary whose stderr the test reads.
type process struct {
	cmd    *exec.Cmd
	stderr *syncbuf.Buffer
}

func start(t *testing.T, env []string, name string, args ...string) (*process, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command(filepath.Join(bin, name), args...)
	cmd.Env = append(os.Environ(), env...)
	p := &process{cmd: cmd, stderr: &syncbuf.Buffer{}}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	return p, bufio.NewReader(out)
}

// waitFor polls the process's stderr until re matches, and returns the first group.
func (p *process) waitFor(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(p.stderr.String()); m != nil {
			return m[1]
		}
		if p.cmd.ProcessState != nil {
			break
		}
	}
	t.Fatalf("%s never logged %s; stderr:\n%s", p.cmd.Path, re, p.stderr.String())
	return ""
}

// sandbox is the standalone fake PartnerStack API both replicas share.
type sandbox struct {
	base, public, secret string
}

var sandboxLine = regexp.MustCompile(`at (http://\S+/api) \(public key (\S+), secret key ([^;]+);`)

func startSandbox(t *testing.T) sandbox {
	p, out := start(t, nil, "partnerstack-sandbox", "--addr", "127.0.0.1:0")
	line, err := out.ReadString('\n')
	m := sandboxLine.FindStringSubmatch(line)
	if err != nil || m == nil {
		t.Fatalf("sandbox said %q (%v); stderr:\n%s", line, err, p.stderr.String())
	}
	go io.Copy(io.Discard, out)
	return sandbox{base: m[1], public: m[2], secret: m[3]}
}

// transactions counts, at the sandbox itself, the transactions of a
// customer with the given amount: what was really applied.
func (s sandbox) transactions(t *testing.T, customer string, amount int) int {
	t.Helper()
	n, after := 0, ""
	for page := 0; page < 400; page++ {
		q := url.Values{"limit": {"250"}} // every transaction: a filter could hide a duplicate
		if after != "" {
			q.Set("starting_after", after)
		}
		req, _ := http.NewRequest("GET", s.base+"/v2/transactions?"+q.Encode(), nil)
		req.SetBasicAuth(s.public, s.secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Data struct {
				Items []struct {
					Key      string `json:"key"`
					Amount   int    `json:"amount"`
					Customer struct {
						ExternalKey string `json:"external_key"` // the customer_key we gave it
					} `json:"customer"`
				} `json:"items"`
				HasMore bool `json:"has_more"`
			} `json:"data"`
		}
		err = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("sandbox list: %d %v", res.StatusCode, err)
		}
		for _, it := range body.Data.Items {
			if it.Customer.ExternalKey == customer && it.Amount == amount {
				n++
			}
			after = it.Key
		}
		if !body.Data.HasMore {
			return n
		}
	}
	t.Fatal("too many pages")
	return 0
}

// replica is one server process.
type replica struct {
	*process
	base    string // http://127.0.0.1:PORT
	metrics string // its /metrics URL
}

var (
	servingLine = regexp.MustCompile(`msg="serving MCP".* url=(http://\S+)/mcp`)
	metricsLine = regexp.MustCompile(`msg="serving metrics" url=(http://\S+/metrics)`)
)

func startReplica(t *testing.T, sb sandbox, store string) replica {
	t.Helper()
	p, out := start(t, []string{"PARTNERSTACK_PUBLIC_KEY=" + sb.public, "PARTNERSTACK_SECRET_KEY=" + sb.secret, "PARTNERSTACK_DEDUPE_STORE=" + store},
		"partnerstack-mcp", "--transport", "http", "--addr", "127.0.0.1:0", "--stateless", "--base-url", sb.base, "--toolsets", "all",
		"--metrics-addr", "127.0.0.1:0")
	go io.Copy(io.Discard, out)
	return replica{process: p, metrics: p.waitFor(t, metricsLine), base: p.waitFor(t, servingLine)}
}

// roundRobin is the test's load balancer: each request to the next replica.
type roundRobin struct {
	backends []*url.URL
	next     atomic.Uint64
	served   []atomic.Int64
}

func newRoundRobin(t *testing.T, replicas ...replica) (*roundRobin, string) {
	rr := &roundRobin{served: make([]atomic.Int64, len(replicas))}
	for _, r := range replicas {
		u, _ := url.Parse(r.base)
		rr.backends = append(rr.backends, u)
	}
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		i := int(rr.next.Add(1) % uint64(len(rr.backends)))
		rr.served[i].Add(1)
		pr.SetURL(rr.backends[i])
		pr.Out.Host = rr.backends[i].Host // the replicas check Host on loopback
	}, FlushInterval: -1}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	return rr, srv.URL
}

func session(t *testing.T, base string) *gosdk.ClientSession {
	return mcptest.SDKSession(t, &gosdk.StreamableClientTransport{Endpoint: base + "/mcp"}, "", nil)
}

func scrape(t *testing.T, u string) string {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return string(body)
}

func status(t *testing.T, u string) int {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// customer creates a customer of its own for the test, so the counts at the
// sandbox see only the test's transactions.
func customer(t *testing.T, cs *gosdk.ClientSession) string {
	t.Helper()
	parts, isErr, text := mcptest.SDKCall(t, cs, "list_partnerships", map[string]any{"limit": 1})
	if isErr {
		t.Fatal(text)
	}
	items := mcptest.Items(parts)
	if len(items) == 0 {
		t.Fatalf("no partner in the sandbox: %v", parts)
	}
	partner := items[0]["partner_key"].(string)
	key := fmt.Sprintf("replicas-%d", time.Now().UnixNano())
	if _, isErr, text := mcptest.SDKCall(t, cs, "create_customer", map[string]any{
		"customer_key": key, "email": key + "@example.com", "partner_key": partner, "name": "Replica Test"}); isErr {
		t.Fatal(text)
	}
	return key
}

const redisPassword = "replica-Redis-pw-7"

func TestReplicasShareTheDuplicateGuard(t *testing.T) {
	rds := redistest.Start(t, redistest.Options{Password: redisPassword})
	sb := startSandbox(t)
	a := startReplica(t, sb, rds.URL())
	b := startReplica(t, sb, rds.URL())
	for _, r := range []replica{a, b} {
		if s := status(t, r.base+"/readyz"); s != 200 {
			t.Fatalf("%s/readyz: %d with Redis up", r.base, s)
		}
	}
	rr, proxied := newRoundRobin(t, a, b)
	csA, csB := session(t, a.base), session(t, b.base)
	cust := customer(t, csA)

	t.Run("the same record_transaction through each replica is applied once", func(t *testing.T) {
		args := map[string]any{"customer_key": cust, "amount": 1111, "currency": "USD"}
		if _, isErr, text := mcptest.SDKCall(t, csA, "record_transaction", args); isErr {
			t.Fatalf("replica A: %s", text)
		}
		_, isErr, text := mcptest.SDKCall(t, csB, "record_transaction", args)
		if !isErr || !strings.Contains(text, "Refused as a likely duplicate") || !strings.Contains(text, "it succeeded") {
			t.Fatalf("replica B sent it again: %v %s", isErr, text)
		}
		if n := sb.transactions(t, cust, 1111); n != 1 {
			t.Fatalf("applied %d times, want 1", n)
		}
		for r, want := range map[replica]string{
			a: `mcp_server_operation_duration_seconds_count{gen_ai_tool_name="record_transaction",mcp_method_name="tools/call",mcp_protocol_version="`,
			b: `partnerstack_dedupe_refusals_total{gen_ai_tool_name="record_transaction",reason="duplicate"} 1`,
		} {
			if m := scrape(t, r.metrics); !strings.Contains(m, want) {
				t.Errorf("%s lacks %s", r.metrics, want)
			}
		}
	})

	t.Run("32 concurrent identical calls spread over both replicas: one applied", func(t *testing.T) {
		before := []int64{rr.served[0].Load(), rr.served[1].Load()}
		cs := session(t, proxied)
		args := map[string]any{"customer_key": cust, "amount": 3232, "currency": "USD"}
		var sent, refused atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 32; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				res, err := cs.CallTool(ctx, &gosdk.CallToolParams{Name: "record_transaction", Arguments: args})
				switch {
				case err != nil:
					t.Error(err)
				case res.IsError:
					refused.Add(1)
				default:
					sent.Add(1)
				}
			}()
		}
		wg.Wait()
		if sent.Load() != 1 || refused.Load() != 31 {
			t.Fatalf("sent %d, refused %d; want 1 and 31", sent.Load(), refused.Load())
		}
		if n := sb.transactions(t, cust, 3232); n != 1 {
			t.Fatalf("applied %d times, want 1", n)
		}
		for i := range rr.served {
			if rr.served[i].Load()-before[i] < 10 {
				t.Fatalf("replica %d served %d requests of the 32 calls; the proxy did not spread them", i, rr.served[i].Load()-before[i])
			}
		}
	})

	t.Run("a report exported through one replica is refused by the other before the API", func(t *testing.T) {
		listed, isErr, text := mcptest.SDKCall(t, csA, "list_report_configurations", map[string]any{})
		if isErr || len(mcptest.Items(listed)) == 0 {
			t.Fatalf("list_report_configurations: %s", text)
		}
		report := mcptest.Items(listed)[0]["key"].(string)
		args := map[string]any{"report_key": report, "member_email": "ops@example.com"}
		started, isErr, text := mcptest.SDKCall(t, csA, "start_report_export", args)
		if isErr {
			t.Fatalf("replica A: %s", text)
		}
		key, _ := started["result"].(map[string]any)["key"].(string)
		_, isErr, text = mcptest.SDKCall(t, csB, "start_report_export", args)
		// The API's own 429 would say "PartnerStack refused"; this is the replicas' shared count.
		if !isErr || key == "" || !strings.Contains(text, "exported through this server") || !strings.Contains(text, key) {
			t.Fatalf("replica B: %v %s", isErr, text)
		}
	})

	t.Run("Redis killed: money writes refused, reads served, nothing applied twice", func(t *testing.T) {
		cs := session(t, proxied)
		rds.Kill()
		for i := 0; i < 4; i++ { // through both replicas
			_, isErr, text := mcptest.SDKCall(t, cs, "record_transaction", map[string]any{"customer_key": cust, "amount": 1111, "currency": "USD", "allow_duplicate": i == 0})
			if !isErr || !strings.Contains(text, "Nothing was sent") {
				t.Fatalf("a money write with Redis down: %v %s", isErr, text)
			}
			if _, isErr, text := mcptest.SDKCall(t, cs, "list_transactions", map[string]any{"customer_key": cust}); isErr {
				t.Fatalf("a read with Redis down: %s", text)
			}
		}
		if n := sb.transactions(t, cust, 1111); n != 1 {
			t.Fatalf("applied %d times, want 1", n)
		}
		for _, r := range []replica{a, b} {
			deadline := time.Now().Add(5 * time.Second)
			for status(t, r.base+"/readyz") != 503 {
				if time.Now().After(deadline) {
					t.Fatalf("%s/readyz not 503 with Redis down", r.base)
				}
				time.Sleep(100 * time.Millisecond)
			}
			if s := status(t, r.base+"/healthz"); s != 200 {
				t.Fatalf("%s/healthz: %d with Redis down, want 200", r.base, s)
			}
		}
	})

	for _, r := range []replica{a, b} {
		if strings.Contains(r.stderr.String(), redisPassword) {
			t.Errorf("a replica logged the Redis password:\n%s", r.stderr.String())
		}
	}
}
