package tools

import (
	"cmp"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"go.uber.org/goleak"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

// pageRecorder counts the requests a client sends, by path and query, and the
// most it had in flight at once.
type pageRecorder struct {
	next http.RoundTripper

	mu       sync.Mutex
	seen     map[string]int
	inFlight int
	peak     int
}

func newPageRecorder(next http.RoundTripper) *pageRecorder {
	return &pageRecorder{next: next, seen: map[string]int{}}
}

func (r *pageRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.seen[req.URL.Path+"?"+req.URL.RawQuery]++
	r.inFlight++
	r.peak = max(r.peak, r.inFlight)
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.inFlight--
		r.mu.Unlock()
	}()
	return r.next.RoundTrip(req)
}

// repeated lists requests under path sent more than once.
func (r *pageRecorder) repeated(path string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for k, n := range r.seen {
		if n > 1 && strings.HasPrefix(k, path+"?") {
			out = append(out, k)
		}
	}
	return out
}

func (r *pageRecorder) count(path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for k, c := range r.seen {
		if strings.HasPrefix(k, path+"?") {
			n += c
		}
	}
	return n
}

// ignoreTimeFilters plays an API that drops min_created/max_created.
type ignoreTimeFilters struct{ next http.RoundTripper }

func (f ignoreTimeFilters) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	q := r.URL.Query()
	q.Del("min_created")
	q.Del("max_created")
	r.URL.RawQuery = q.Encode()
	return f.next.RoundTrip(r)
}

// resumeChain calls an insight, then again with each resume token, until
// the result is complete; it returns the last result and the calls made.
func resumeChain(t *testing.T, d Deps, tool string, args map[string]any) (map[string]any, int) {
	t.Helper()
	args = maps.Clone(args)
	for calls := 1; calls <= 200; calls++ {
		res, text := callInsight(t, t.Context(), d, tool, args)
		if res.IsError {
			t.Fatalf("%s call %d: %s", tool, calls, text)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(text), &m); err != nil {
			t.Fatal(err)
		}
		cov := m["coverage"].(map[string]any)
		if cov["complete"] == true {
			return m, calls
		}
		tok, _ := cov["resume_token"].(string)
		if tok == "" {
			t.Fatalf("%s call %d: incomplete without a resume token: %v", tool, calls, cov)
		}
		args["resume_token"] = tok
	}
	t.Fatalf("%s: still incomplete after 200 calls", tool)
	return nil, 0
}

// figures is a result without its coverage, for comparing answers.
func figures(t *testing.T, m map[string]any) string {
	t.Helper()
	m = maps.Clone(m)
	delete(m, "coverage")
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestInsightPageCapGivesAnHonestPartialResult(t *testing.T) {
	profiletest.Run(t, testInsightPageCapGivesAnHonestPartialResult)
}

func testInsightPageCapGivesAnHonestPartialResult(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 2, Transactions: 600})
	rec := newPageRecorder(sb.Client().Transport)
	d := Deps{Client: newSandboxClient(t, sb, rec), InsightPageCap: 2, InsightConcurrency: 1}
	txns := sb.Transactions()
	slices.SortFunc(txns, func(a, b sandbox.Transaction) int {
		return cmp.Or(cmp.Compare(b.CreatedAt, a.CreatedAt), strings.Compare(b.Key, a.Key))
	})

	t.Run("a cap below the data marks the result incomplete", func(t *testing.T) {
		got := runInsight[revenueResult](t, t.Context(), d, "summarize_revenue", map[string]any{})
		cv := got.Coverage
		// The figures are exactly those of the newest 500 items.
		edge := iso(txns[499].CreatedAt)
		if cv.Complete || cv.Pages != 2 || cv.ItemsSeen != 500 || !strings.Contains(cv.Note, "cap of 2") ||
			!slices.Equal(cv.Unread, []span{{"transactions", "", edge}}) ||
			!strings.Contains(cv.Note, "read in full: transactions "+iso(txns[499].CreatedAt+1)+"..now") || cv.ResumeToken == "" {
			t.Errorf("coverage = %+v, want unread up to %s", cv, edge)
		}
		var want bruteRow
		for _, x := range txns[:500] {
			want.add(x.Amount, x.AmountUSD, x.Currency)
		}
		checkRevenueRow(t, "partial total", got.Total, want)

		t.Run("and its token reads the rest, and no page twice", func(t *testing.T) {
			next := runInsight[revenueResult](t, t.Context(), d, "summarize_revenue", map[string]any{"resume_token": cv.ResumeToken})
			all, _ := bruteRevenue(sb, revQuery{})
			checkRevenueRow(t, "resumed total", next.Total, all)
			if c := next.Coverage; !c.Complete || c.Pages != 3 || c.ItemsSeen != 600 || c.ResumeToken != "" {
				t.Errorf("coverage = %+v", c)
			}
			if r := rec.repeated("/api/v2/transactions"); len(r) > 0 {
				t.Errorf("pages read twice: %v", r)
			}
		})
	})
	t.Run("a cap spent by the partner directory still says so", func(t *testing.T) {
		got := runInsight[leaderboardResult](t, t.Context(), Deps{Client: d.Client, InsightPageCap: 1}, "partner_leaderboard", map[string]any{})
		if cv := got.Coverage; cv.Complete || !strings.Contains(cv.Note, "lookup did not finish") || len(got.Partners) != 0 ||
			!slices.Equal(cv.Unread, []span{{List: "transactions"}}) {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("a cap exactly big enough is complete", func(t *testing.T) {
		sb := profiletest.New(t, sandbox.Options{Seed: 2, Transactions: 500})
		got := runInsight[revenueResult](t, t.Context(), Deps{Client: newSandboxClient(t, sb, nil), InsightPageCap: 2, InsightConcurrency: 1}, "summarize_revenue", map[string]any{})
		if !got.Coverage.Complete || got.Coverage.Pages != 2 || got.Total.Count != 500 || got.Coverage.ResumeToken != "" {
			t.Errorf("coverage = %+v, count %d", got.Coverage, got.Total.Count)
		}
	})
}

// Sub-ranges meet at every millisecond the walk may cut at: items on and
// next to the edges of the asked range, and hundreds sharing one
// millisecond, must each be counted exactly once whatever the concurrency,
// whether the API honours the time filters or not, and across resumes.
func TestInsightSpansMergeExactly(t *testing.T) { profiletest.Run(t, testInsightSpansMergeExactly) }

func testInsightSpansMergeExactly(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 4, Transactions: 1500})
	c := newSandboxClient(t, sb, nil)
	var cust string
	for _, cu := range sb.Customers() {
		if !cu.Archived && !cu.Test && cu.CustomerKey != nil {
			cust = *cu.CustomerKey
			break
		}
	}
	from := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli() - 1
	mid := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	var ats []int64
	for _, at := range []int64{from - 1, from, from + 1, to - 1, to, to + 1} {
		ats = append(ats, at)
	}
	for range 600 { // more than two pages in one millisecond
		ats = append(ats, mid)
	}
	for range 40 { // more than the keys kept at an edge (maxSeen)
		ats = append(ats, mid-7)
	}
	for i, at := range ats {
		if _, err := c.Transactions.Create(t.Context(), &client.TransactionCreate{CustomerExternalKey: cust,
			Amount: 100 + int64(i), Currency: "USD", CreatedAt: &at}); err != nil {
			t.Fatal(err)
		}
	}
	blind := newSandboxClient(t, sb, ignoreTimeFilters{sb.Client().Transport})
	deps := map[string]Deps{
		"sequential":       {Client: c, InsightConcurrency: 1},
		"5 workers":        {Client: c, InsightConcurrency: 5},
		"blind, 3 workers": {Client: blind, InsightConcurrency: 3},
		"resumed, 3 pages": {Client: c, InsightConcurrency: 3, InsightPageCap: 3},
		"resumed, 2 pages": {Client: c, InsightConcurrency: 1, InsightPageCap: 2},
	}
	ranges := []map[string]any{
		{"from": "2025-12-01", "to": "2025-12-31"},
		{"from": iso(from + 1), "to": "2026-10-15T12:00:00Z"},
		{},
	}
	calls := []struct {
		tool string
		args map[string]any
	}{
		{"summarize_revenue", map[string]any{"group_by": "day", "top": 100}},
		{"reward_summary", map[string]any{"top": 100}},
	}
	for _, rg := range ranges {
		for _, cl := range calls {
			args := maps.Clone(cl.args)
			maps.Copy(args, rg)
			name, _ := rg["from"].(string)
			t.Run(cl.tool+" "+cmp.Or(name, "all"), func(t *testing.T) {
				want, _ := resumeChain(t, deps["sequential"], cl.tool, args)
				for _, k := range slices.Sorted(maps.Keys(deps)) {
					got, _ := resumeChain(t, deps[k], cl.tool, args)
					if figures(t, got) != figures(t, want) {
						t.Errorf("%s differs from the sequential walk:\n got %s\nwant %s", k, figures(t, got), figures(t, want))
					}
				}
				if cl.tool != "summarize_revenue" {
					return
				}
				lo, hi, _ := parseRangeArgs(args)
				total, _ := bruteRevenue(sb, revQuery{from: lo, to: hi})
				var got revenueResult
				b, _ := json.Marshal(want)
				json.Unmarshal(b, &got)
				checkRevenueRow(t, "total", got.Total, total)
			})
		}
	}
}

func parseRangeArgs(args map[string]any) (int64, int64, error) {
	f, _ := args["from"].(string)
	to, _ := args["to"].(string)
	r, err := parseRange(f, to)
	return r.min, r.max, err
}

// Every insight, cut short after every few pages and resumed until done,
// gives exactly the uninterrupted answer, and no list page is read twice.
func TestInsightResumeGivesTheUninterruptedAnswer(t *testing.T) {
	profiletest.Run(t, testInsightResumeGivesTheUninterruptedAnswer)
}

func testInsightResumeGivesTheUninterruptedAnswer(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 9, Transactions: 1500})
	whole := Deps{Client: newSandboxClient(t, sb, nil)}
	for _, tc := range []struct {
		tool string
		args map[string]any
		list string // the list walked (others are lookups, read by every call)
		// lookups: pages every call reads first (one per looked-up list
		// here), left room under the cap.
		lookups int
	}{
		{"summarize_revenue", map[string]any{"group_by": "month"}, "/api/v2/transactions", 0},
		{"summarize_revenue", map[string]any{"group_by": "partner", "from": "2026-03-01", "to": "2026-09-30"}, "/api/v2/transactions", 2},
		{"partner_leaderboard", map[string]any{"metric": "revenue", "top": 100}, "/api/v2/transactions", 2},
		{"partner_leaderboard", map[string]any{"metric": "customers"}, "/api/v2/customers", 1},
		{"partner_leaderboard", map[string]any{"metric": "rewards"}, "/api/v2/rewards", 1},
		{"pipeline_summary", map[string]any{"by": "partner"}, "/api/v2/deals", 1},
		{"reward_summary", map[string]any{"status": "approved"}, "/api/v2/rewards", 0},
		{"inactive_partners", map[string]any{"days": 20, "as_of": "2026-10-01", "top": 100}, "/api/v2/transactions", 2},
	} {
		t.Run(tc.tool+" "+figures(t, tc.args), func(t *testing.T) {
			want, _ := resumeChain(t, whole, tc.tool, tc.args)
			for _, conc := range []int{1, 4} {
				if conc == 1 && tc.tool != "summarize_revenue" {
					continue // one sequential case is enough
				}
				rec := newPageRecorder(sb.Client().Transport)
				cut := Deps{Client: newSandboxClient(t, sb, rec), InsightPageCap: 2 + tc.lookups, InsightConcurrency: conc}
				got, calls := resumeChain(t, cut, tc.tool, tc.args)
				if figures(t, got) != figures(t, want) {
					t.Errorf("concurrency %d, %d calls: resumed answer differs:\n got %s\nwant %s", conc, calls, figures(t, got), figures(t, want))
				}
				if calls < 2 && rec.count(tc.list) > 2 {
					t.Errorf("concurrency %d: the cap never stopped a call", conc)
				}
				if r := rec.repeated(tc.list); len(r) > 0 {
					t.Errorf("concurrency %d: pages read twice: %v", conc, r)
				}
			}
		})
	}
}

func TestResumeTokensAreBoundAndTamperEvident(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Seed: 2, Transactions: 800})
	d := Deps{Client: newSandboxClient(t, sb, nil), InsightPageCap: 1, InsightConcurrency: 1}
	args := map[string]any{"group_by": "currency"}
	first := runInsight[revenueResult](t, t.Context(), d, "summarize_revenue", args)
	tok := first.Coverage.ResumeToken
	if tok == "" {
		t.Fatal("no token")
	}
	other, err := client.New(client.Config{PublicKey: sandbox.DefaultPublicKey, SecretKey: "sk_another_account",
		BaseURL: "http://sandbox.invalid/api", HTTPClient: sb.Client()})
	if err != nil {
		t.Fatal(err)
	}
	flip := []byte(tok)
	flip[len(flip)/3] ^= 1
	scoped := d
	scoped.DedupeScope = func(context.Context) string { return "another caller" }
	for _, tc := range []struct {
		name string
		d    Deps
		tool string
		args map[string]any
	}{
		{"altered", d, "summarize_revenue", map[string]any{"group_by": "currency", "resume_token": string(flip)}},
		{"not a token", d, "summarize_revenue", map[string]any{"group_by": "currency", "resume_token": "hello"}},
		{"other arguments", d, "summarize_revenue", map[string]any{"group_by": "day", "resume_token": tok}},
		{"other range", d, "summarize_revenue", map[string]any{"group_by": "currency", "from": "2026-01-01", "resume_token": tok}},
		{"another tool", d, "reward_summary", map[string]any{"resume_token": tok}},
		{"another account", Deps{Client: other, InsightConcurrency: 1}, "summarize_revenue", map[string]any{"group_by": "currency", "resume_token": tok}},
		{"another caller", scoped, "summarize_revenue", map[string]any{"group_by": "currency", "resume_token": tok}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, text := callInsight(t, t.Context(), tc.d, tc.tool, tc.args)
			if !res.IsError || !strings.Contains(text, "'resume_token'") || !strings.Contains(text, "Fix:") {
				t.Errorf("got isError=%v %q, want an argument error naming resume_token", res.IsError, text)
			}
		})
	}
	t.Run("the token as given continues", func(t *testing.T) {
		next := runInsight[revenueResult](t, t.Context(), d, "summarize_revenue", map[string]any{"group_by": "currency", "resume_token": tok})
		if next.Total.Count <= first.Total.Count {
			t.Errorf("coverage %+v, count %d after %d", next.Coverage, next.Total.Count, first.Total.Count)
		}
	})
}

// The deadline: pages start only within the budget and the answer comes
// before the call's own deadline, incomplete but resumable, never a timeout.
func TestInsightStopsBeforeTheDeadlineAndResumes(t *testing.T) {
	profiletest.Run(t, testInsightStopsBeforeTheDeadlineAndResumes)
}

func testInsightStopsBeforeTheDeadlineAndResumes(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 3, Transactions: 6000})
	sb.AddFault(sandbox.Fault{Route: "GET /v2/transactions", Kind: sandbox.FaultLatency, Latency: 30 * time.Millisecond})
	c := newSandboxClient(t, sb, nil)
	want, _ := bruteRevenue(sb, revQuery{})

	t.Run("the budget", func(t *testing.T) {
		d := Deps{Client: c, InsightConcurrency: 2, InsightBudget: 150 * time.Millisecond}
		start := time.Now()
		first := runInsight[revenueResult](t, t.Context(), d, "summarize_revenue", map[string]any{})
		if took := time.Since(start); took > time.Second {
			t.Errorf("took %v with a 150 ms budget", took)
		}
		if c := first.Coverage; c.Complete || c.ResumeToken == "" || !strings.Contains(c.Note, "time budget") {
			t.Fatalf("coverage = %+v", c)
		}
		last, calls := resumeChain(t, d, "summarize_revenue", map[string]any{"resume_token": first.Coverage.ResumeToken})
		var got revenueResult
		b, _ := json.Marshal(last)
		json.Unmarshal(b, &got)
		checkRevenueRow(t, "resumed total", got.Total, want)
		if calls < 2 {
			t.Errorf("finished in %d more call(s); the budget did not bite", calls)
		}
	})
	t.Run("a call deadline shorter than the budget", func(t *testing.T) {
		// The answer is a result, not a timeout: pages stop a margin before
		// the deadline (a tenth of it here), leaving time to build it. The
		// bound checked is looser, for a loaded machine.
		ctx, cancel := context.WithTimeout(t.Context(), 400*time.Millisecond)
		defer cancel()
		d := Deps{Client: c, InsightConcurrency: 2}
		start := time.Now()
		got := runInsight[revenueResult](t, ctx, d, "summarize_revenue", map[string]any{})
		if took := time.Since(start); took >= time.Second {
			t.Errorf("answered after %v, long past the call's 400 ms deadline", took)
		}
		if c := got.Coverage; c.Complete || c.ResumeToken == "" || got.Total.Count == 0 {
			t.Errorf("coverage = %+v, count %d", c, got.Total.Count)
		}
	})
}

func TestInsightThrottlingEndsTheCallWithWhatItHas(t *testing.T) {
	profiletest.Run(t, testInsightThrottlingEndsTheCallWithWhatItHas)
}

func testInsightThrottlingEndsTheCallWithWhatItHas(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 3, Transactions: 3000})
	sb.AddFault(sandbox.Fault{Route: "GET /v2/transactions", Kind: sandbox.FaultRateLimit, RetryAfter: time.Minute, Every: 4})
	d := Deps{Client: newSandboxClient(t, sb, nil), InsightConcurrency: 2}
	start := time.Now()
	first := runInsight[revenueResult](t, t.Context(), d, "summarize_revenue", map[string]any{})
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %v", took)
	}
	if c := first.Coverage; c.Complete || c.ResumeToken == "" || !strings.Contains(c.Note, "throttled") ||
		!strings.Contains(c.Note, "1m0s") {
		t.Fatalf("coverage = %+v", c)
	}
	// A minute later (a fresh client: no pause), the token finishes the walk.
	sb.ClearFaults()
	later := Deps{Client: newSandboxClient(t, sb, nil), InsightConcurrency: 2}
	last, _ := resumeChain(t, later, "summarize_revenue", map[string]any{"resume_token": first.Coverage.ResumeToken})
	var got revenueResult
	b, _ := json.Marshal(last)
	json.Unmarshal(b, &got)
	want, _ := bruteRevenue(sb, revQuery{})
	checkRevenueRow(t, "total", got.Total, want)
}

// Dense spans split until every worker has one: with enough data, the
// walk keeps all workers busy and reads few pages beyond the minimum.
func TestInsightWorkersSplitDenseSpans(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Seed: 5, Transactions: 12000})
	sb.AddFault(sandbox.Fault{Route: "GET /v2/transactions", Kind: sandbox.FaultLatency, Latency: 20 * time.Millisecond})
	rec := newPageRecorder(sb.Client().Transport)
	d := Deps{Client: newSandboxClient(t, sb, rec), InsightConcurrency: 6}
	got := runInsight[revenueResult](t, t.Context(), d, "summarize_revenue", map[string]any{"from": "2020-01-01", "to": "2030-01-01"})
	want, _ := bruteRevenue(sb, revQuery{})
	checkRevenueRow(t, "total", got.Total, want)
	floor := (want.count + client.MaxPageSize - 1) / client.MaxPageSize
	if got.Coverage.Pages > floor*115/100+8 {
		t.Errorf("read %d pages for %d items (minimum %d)", got.Coverage.Pages, want.count, floor)
	}
	if rec.peak < 5 {
		t.Errorf("at most %d requests in flight with 6 workers", rec.peak)
	}
}

// cancelAfter cancels the call's context once n requests have been served.
type cancelAfter struct {
	next   http.RoundTripper
	n      int32
	seen   atomic.Int32
	cancel context.CancelFunc
}

func (c *cancelAfter) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := c.next.RoundTrip(r)
	if c.seen.Add(1) == c.n {
		c.cancel()
	}
	return res, err
}

func TestInsightCancellationStopsEveryWorker(t *testing.T) {
	profiletest.Run(t, testInsightCancellationStopsEveryWorker)
}

func testInsightCancellationStopsEveryWorker(t *testing.T, profile sandbox.Profile) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sb := profiletest.New(t, sandbox.Options{Seed: 2, Transactions: 4000})
	sb.AddFault(sandbox.Fault{Route: "GET /v2/", Kind: sandbox.FaultLatency, Latency: 5 * time.Millisecond})
	rt := &cancelAfter{next: sb.Client().Transport, n: 3}
	d := Deps{Client: newSandboxClient(t, sb, rt), InsightConcurrency: 4}
	for _, name := range []string{"summarize_revenue", "partner_leaderboard", "pipeline_summary", "reward_summary", "inactive_partners"} {
		rt.seen.Store(0)
		ctx, cancel := context.WithCancel(t.Context())
		rt.cancel = cancel
		res, text := callInsight(t, ctx, d, name, map[string]any{})
		if !res.IsError || !strings.Contains(text, "cancelled") {
			t.Errorf("%s: got isError=%v %q, want a cancellation error", name, res.IsError, text)
		}
		if n := rt.seen.Load(); n > 3+4 {
			t.Errorf("%s: %d requests after cancelling at 3", name, n)
		}
		cancel()
	}
}

func TestInsightProgressIsThrottled(t *testing.T) {
	profiletest.Run(t, testInsightProgressIsThrottled)
}

func testInsightProgressIsThrottled(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 2, Transactions: 3000})
	sb.AddFault(sandbox.Fault{Route: "GET /v2/transactions", Kind: sandbox.FaultLatency, Latency: 40 * time.Millisecond})
	tool := insightTool(t, Deps{Client: newSandboxClient(t, sb, nil), InsightConcurrency: 2}, "summarize_revenue")
	s := server.NewMCPServer("insights-test", "0")
	s.AddTool(tool.Def, tool.Handler)
	c, err := mcpclient.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var mu sync.Mutex
	var progress []map[string]any
	c.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == "notifications/progress" {
			mu.Lock()
			progress = append(progress, n.Params.AdditionalFields)
			mu.Unlock()
		}
	})
	ctx := t.Context()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ClientInfo = mcp.Implementation{Name: "t", Version: "0"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = "summarize_revenue"
	req.Params.Arguments = map[string]any{"group_by": "currency"}
	req.Params.Meta = &mcp.Meta{ProgressToken: "p1"}
	start := time.Now()
	res, err := c.CallTool(ctx, req)
	took := time.Since(start)
	if err != nil || res.IsError {
		t.Fatalf("call failed: %v %+v", err, res)
	}
	var got revenueResult
	b, _ := json.Marshal(res.StructuredContent)
	json.Unmarshal(b, &got)
	mu.Lock()
	defer mu.Unlock()
	most := 1 + int(took/progressEvery)
	if len(progress) == 0 || len(progress) > most || len(progress) >= got.Coverage.Pages {
		t.Fatalf("%d notifications for %d pages in %v; want 1..%d", len(progress), got.Coverage.Pages, took, most)
	}
	last := 0.0
	for i, p := range progress {
		v, _ := p["progress"].(float64)
		if p["progressToken"] != "p1" || v <= last || !strings.Contains(p["message"].(string), "transactions: ") ||
			!strings.Contains(p["message"].(string), "items read") {
			t.Errorf("notification %d = %v", i, p)
		}
		last = v
	}
}

// Whenever the deadline falls (between pages, mid-page, on a worker about
// to fetch or one waiting for a span), the answer is a result, and one that
// says complete holds every item.
func TestInsightDeadlinesNeverLoseASpan(t *testing.T) {
	profiletest.Run(t, testInsightDeadlinesNeverLoseASpan)
}

func testInsightDeadlinesNeverLoseASpan(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 3, Transactions: 3000})
	sb.AddFault(sandbox.Fault{Route: "GET /v2/transactions", Kind: sandbox.FaultLatency, Latency: 20 * time.Millisecond})
	d := Deps{Client: newSandboxClient(t, sb, nil), InsightConcurrency: 2}
	want, _ := bruteRevenue(sb, revQuery{})
	for i := range 4 {
		for _, deadline := range []time.Duration{60 * time.Millisecond, 130 * time.Millisecond, 210 * time.Millisecond} {
			ctx, cancel := context.WithTimeout(t.Context(), deadline+time.Duration(i)*7*time.Millisecond)
			got := runInsight[revenueResult](t, ctx, d, "summarize_revenue", map[string]any{})
			cancel()
			if got.Coverage.Complete && got.Total.Count != want.count {
				t.Fatalf("deadline %v: complete with %d of %d items", deadline, got.Total.Count, want.count)
			}
			if !got.Coverage.Complete && (got.Coverage.ResumeToken == "" || len(got.Coverage.Unread) == 0) {
				t.Fatalf("deadline %v: incomplete without a token or unread spans: %+v", deadline, got.Coverage)
			}
		}
	}
}
