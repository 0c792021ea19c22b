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

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

func TestInsightPageCapGivesAnHonestPartialResult(t *testing.T) {
	profiletest.Run(t, testInsightPageCapGivesAnHonestPartialResult)
}

func testInsightPageCapGivesAnHonestPartialResult(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 2, Transactions: 600})
	c := newSandboxClient(t, sb, nil)

	t.Run("a cap below the data marks the result incomplete", func(t *testing.T) {
		got := runInsight[revenueResult](t, t.Context(), Deps{Client: c, InsightPageCap: 2}, "summarize_revenue", map[string]any{})
		cv := got.Coverage
		// The figures are exactly those of the newest 500 items.
		txns := sb.Transactions()
		slices.SortFunc(txns, func(a, b sandbox.Transaction) int {
			return cmp.Or(cmp.Compare(b.CreatedAt, a.CreatedAt), strings.Compare(b.Key, a.Key))
		})
		if cv.Complete || cv.Pages != 2 || cv.ItemsSeen != 500 || !strings.Contains(cv.Note, "cap of 2") ||
			len(cv.Unread) != 1 || cv.Unread[0] != (span{"", iso(txns[499].CreatedAt)}) {
			t.Errorf("coverage = %+v, want unread up to %s", cv, iso(txns[499].CreatedAt))
		}
		var want bruteRow
		for _, x := range txns[:500] {
			want.add(x.Amount, x.AmountUSD, x.Currency)
		}
		checkRevenueRow(t, "partial total", got.Total, want)
	})
	t.Run("a cap spent by the partner directory still says so", func(t *testing.T) {
		got := runInsight[leaderboardResult](t, t.Context(), Deps{Client: c, InsightPageCap: 1}, "partner_leaderboard", map[string]any{})
		if got.Coverage.Complete || !strings.Contains(got.Coverage.Note, "transactions") || len(got.Partners) != 0 {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("a cap exactly big enough is complete", func(t *testing.T) {
		sb := profiletest.New(t, sandbox.Options{Seed: 2, Transactions: 500})
		got := runInsight[revenueResult](t, t.Context(), Deps{Client: newSandboxClient(t, sb, nil), InsightPageCap: 2}, "summarize_revenue", map[string]any{})
		if !got.Coverage.Complete || got.Coverage.Pages != 2 || got.Total.Count != 500 {
			t.Errorf("coverage = %+v, count %d", got.Coverage, got.Total.Count)
		}
	})
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

func TestInsightWindowsMergeExactly(t *testing.T) { profiletest.Run(t, testInsightWindowsMergeExactly) }

func testInsightWindowsMergeExactly(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 4, Transactions: 1500})
	c := newSandboxClient(t, sb, nil)
	// Transactions exactly on the window boundaries of December 2025 (before
	// the seeded data) and one millisecond either side.
	from := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli() - 1
	var cust string
	for _, cu := range sb.Customers() {
		if !cu.Archived && !cu.Test {
			cust = cu.Key
			break
		}
	}
	for _, w := range (timeRange{from, to}).split(4) {
		for _, at := range []int64{w.min - 1, w.min, w.min + 1, w.max} {
			if _, err := c.Transactions.Create(t.Context(), &client.TransactionCreate{CustomerKey: cust, Amount: 100 + at%1000,
				Currency: "USD", CreatedAt: at}); err != nil {
				t.Fatal(err)
			}
		}
	}
	sequential := Deps{Client: c, InsightWindows: 1}
	parallel := Deps{Client: c, InsightWindows: 4}
	odd := Deps{Client: c, InsightWindows: 7}
	blind := Deps{Client: newSandboxClient(t, sb, ignoreTimeFilters{sb.Client().Transport}), InsightWindows: 4}

	ranges := []map[string]any{
		{"from": "2025-12-01", "to": "2025-12-31"},
		{"from": "2026-02-01", "to": "2026-06-30"},
		{"from": iso(from + 3), "to": "2026-10-15T12:00:00Z"},
	}
	calls := []struct {
		tool string
		args map[string]any
	}{
		{"summarize_revenue", map[string]any{"group_by": "partner", "top": 100}},
		{"summarize_revenue", map[string]any{"group_by": "day", "top": 100}},
		{"partner_leaderboard", map[string]any{"metric": "revenue", "top": 100}},
		{"partner_leaderboard", map[string]any{"metric": "customers", "top": 100}},
		{"partner_leaderboard", map[string]any{"metric": "rewards", "top": 100}},
		{"pipeline_summary", map[string]any{"by": "partner", "top": 100}},
		{"reward_summary", map[string]any{"top": 100}},
	}
	for _, rg := range ranges {
		for _, cl := range calls {
			args := maps.Clone(cl.args)
			maps.Copy(args, rg)
			t.Run(cl.tool+" "+rg["from"].(string), func(t *testing.T) {
				var want string
				for i, d := range []Deps{sequential, parallel, odd, blind} {
					res, text := callInsight(t, t.Context(), d, cl.tool, args)
					if res.IsError {
						t.Fatal(text)
					}
					var m map[string]any
					if err := json.Unmarshal([]byte(text), &m); err != nil {
						t.Fatal(err)
					}
					cov := m["coverage"].(map[string]any)
					if cov["complete"] != true {
						t.Fatalf("incomplete: %v", cov)
					}
					delete(m, "coverage") // pages and items differ by design
					norm, _ := json.Marshal(m)
					if i == 0 {
						want = string(norm)
					} else if string(norm) != want {
						t.Errorf("deps %d differ from the sequential walk:\n got %s\nwant %s", i, norm, want)
					}
				}
			})
		}
	}
	t.Run("the boundary items are all counted once", func(t *testing.T) {
		got := runInsight[revenueResult](t, t.Context(), parallel, "summarize_revenue", map[string]any{"from": "2025-12-01", "to": "2025-12-31"})
		total, _ := bruteRevenue(sb, revQuery{from: from, to: to})
		checkRevenueRow(t, "total", got.Total, total)
		if total.count != 15 { // 16 created, one a millisecond before the range
			t.Errorf("brute force found %d, want 15", total.count)
		}
	})
}

func TestInsightPageCapWithWindowsNamesTheUnreadSpans(t *testing.T) {
	profiletest.Run(t, testInsightPageCapWithWindowsNamesTheUnreadSpans)
}

func testInsightPageCapWithWindowsNamesTheUnreadSpans(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 6, Transactions: 3000})
	d := Deps{Client: newSandboxClient(t, sb, nil), InsightPageCap: 5, InsightWindows: 4}
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).UnixMilli()-1
	got := runInsight[revenueResult](t, t.Context(), d, "summarize_revenue", map[string]any{"from": iso(from), "to": iso(to)})
	cv := got.Coverage
	if cv.Complete || cv.Pages != 5 || len(cv.Unread) == 0 || !strings.Contains(cv.Note, "unread spans") {
		t.Fatalf("coverage = %+v", cv)
	}
	// Outside the unread spans every item was counted; inside, none was,
	// except items sharing a span's last millisecond with a read one.
	var unread []timeRange
	for _, u := range cv.Unread {
		lo, _ := parseTime("", u.From, false)
		hi, _ := parseTime("", u.To, false)
		unread = append(unread, timeRange{lo, hi})
	}
	var outside, atEdge int
	for _, x := range sb.Transactions() {
		if x.Archived || !inRange(x.CreatedAt, from, to) {
			continue
		}
		in, edge := false, false
		for _, u := range unread {
			in = in || u.contains(x.CreatedAt)
			edge = edge || x.CreatedAt == u.max
		}
		switch {
		case !in:
			outside++
		case edge:
			atEdge++
		}
	}
	if got.Total.Count < outside || got.Total.Count > outside+atEdge {
		t.Errorf("counted %d, want %d (+ up to %d at span edges)", got.Total.Count, outside, atEdge)
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

func TestInsightCancellationStopsWithAnError(t *testing.T) {
	profiletest.Run(t, testInsightCancellationStopsWithAnError)
}

func testInsightCancellationStopsWithAnError(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 2, Transactions: 4000})
	rt := &cancelAfter{next: sb.Client().Transport, n: 2}
	d := Deps{Client: newSandboxClient(t, sb, rt)}
	for _, name := range []string{"summarize_revenue", "partner_leaderboard", "pipeline_summary", "reward_summary"} {
		for _, args := range []map[string]any{
			{"group_key": "grup_x"},                    // one sequential walk
			{"from": "2026-01-01", "to": "2026-12-31"}, // parallel windows
		} {
			rt.seen.Store(0)
			ctx, cancel := context.WithCancel(t.Context())
			rt.cancel = cancel
			res, text := callInsight(t, ctx, d, name, args)
			if !res.IsError || !strings.Contains(text, "cancelled") {
				t.Errorf("%s %v: got isError=%v %q, want a cancellation error", name, args, res.IsError, text)
			}
			if n := rt.seen.Load(); n > 2+DefaultInsightWindows {
				t.Errorf("%s %v: %d requests after cancelling at 2", name, args, n)
			}
			cancel()
		}
	}
}

func TestInsightProgressIsReportedPerPage(t *testing.T) {
	profiletest.Run(t, testInsightProgressIsReportedPerPage)
}

func testInsightProgressIsReportedPerPage(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 2, Transactions: 600})
	tool := insightTool(t, Deps{Client: newSandboxClient(t, sb, nil)}, "summarize_revenue")
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
	res, err := c.CallTool(ctx, req)
	if err != nil || res.IsError {
		t.Fatalf("call failed: %v %+v", err, res)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(progress) != 3 { // 600 items = pages of 250, 250, 100
		t.Fatalf("got %d progress notifications, want 3: %v", len(progress), progress)
	}
	for i, p := range progress {
		if p["progressToken"] != "p1" || p["progress"] != float64(i+1) || !strings.Contains(p["message"].(string), "transactions: page") {
			t.Errorf("notification %d = %v", i, p)
		}
	}
	if !strings.Contains(progress[2]["message"].(string), "600 items") {
		t.Errorf("last message %q does not count items", progress[2]["message"])
	}
}
