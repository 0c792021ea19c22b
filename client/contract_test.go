package client_test

// Contract tests: the typed client against the sandbox emulator of the
// Vendor API, for every operation, paging in both directions, every error
// class, and each retry rule under fault injection. Assertions about what
// reached the API use the sandbox's own request log.

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

func newPair(t *testing.T, opts sandbox.Options, mod ...func(*client.Config)) (*sandbox.Sandbox, *client.Client) {
	t.Helper()
	sb := profiletest.New(t, opts)
	cfg := client.Config{
		PublicKey: sandbox.DefaultPublicKey, SecretKey: sandbox.DefaultSecretKey,
		BaseURL: "http://sandbox.invalid/api/v2", HTTPClient: sb.Client(), RetryWait: 5 * time.Millisecond,
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return sb, c
}

// must(call())(t) fails the test on an error and returns the value.
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func collect[T interface{ ItemKey() string }](t *testing.T, it *client.Iterator[T]) []string {
	t.Helper()
	var keys []string
	for item, err := range it.Seq(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, item.ItemKey())
	}
	return keys
}

// newestFirst is the API's default list order: created_at desc, ties by key desc.
func newestFirst[T any](items []T, created func(T) int64, key func(T) string, archived func(T) bool) []string {
	var live []T
	for _, it := range items {
		if !archived(it) {
			live = append(live, it)
		}
	}
	sort.SliceStable(live, func(i, j int) bool {
		if created(live[i]) != created(live[j]) {
			return created(live[i]) > created(live[j])
		}
		return key(live[i]) > key(live[j])
	})
	var keys []string
	for _, it := range live {
		keys = append(keys, key(it))
	}
	return keys
}

func TestIteratorWalksEveryPageInOrder(t *testing.T) {
	profiletest.Run(t, testIteratorWalksEveryPageInOrder)
}

func testIteratorWalksEveryPageInOrder(t *testing.T, profile sandbox.Profile) {
	sb, c := newPair(t, sandbox.Options{Transactions: 1003})
	want := newestFirst(sb.Transactions(), func(x sandbox.Transaction) int64 { return x.CreatedAt },
		func(x sandbox.Transaction) string { return x.Key }, func(x sandbox.Transaction) bool { return x.Archived })
	for _, pageSize := range []int{0, 7, 250} {
		sb.ResetLog()
		it := c.Transactions.All(&client.TransactionListOptions{ListOptions: client.ListOptions{Limit: pageSize}})
		got := collect(t, it)
		if !slices.Equal(got, want) {
			t.Fatalf("page size %d: walked %d keys, want %d in API order", pageSize, len(got), len(want))
		}
		size := pageSize
		if size == 0 {
			size = client.MaxPageSize
		}
		if pages := (len(want) + size - 1) / size; it.Pages() != pages || len(sb.Requests()) != pages {
			t.Fatalf("page size %d: %d pages fetched (%d requests), want %d", size, it.Pages(), len(sb.Requests()), pages)
		}
		if it.HasMore() {
			t.Fatal("HasMore after a full walk")
		}
	}
}

func TestIteratorMaxFetchesOnlyWhatIsNeeded(t *testing.T) {
	profiletest.Run(t, testIteratorMaxFetchesOnlyWhatIsNeeded)
}

func testIteratorMaxFetchesOnlyWhatIsNeeded(t *testing.T, profile sandbox.Profile) {
	sb, c := newPair(t, sandbox.Options{})
	it := c.Transactions.All(nil).Max(260)
	got := collect(t, it)
	if len(got) != 260 || !it.HasMore() || it.Pages() != 2 {
		t.Fatalf("got %d items in %d pages, HasMore %v", len(got), it.Pages(), it.HasMore())
	}
	if q, _ := url.ParseQuery(sb.Requests()[1].RawQuery); q.Get("limit") != "10" {
		t.Fatalf("second page asked limit=%q, want 10", q.Get("limit"))
	}
	// Max equal to everything: no more.
	all := len(collect(t, c.Groups.All(nil)))
	it2 := c.Groups.All(nil).Max(all)
	collect(t, it2)
	if it2.HasMore() {
		t.Fatal("HasMore when exactly everything was taken")
	}
}

func TestPagingBackwardWithEndingBefore(t *testing.T) {
	profiletest.Run(t, testPagingBackwardWithEndingBefore)
}

func testPagingBackwardWithEndingBefore(t *testing.T, profile sandbox.Profile) {
	_, c := newPair(t, sandbox.Options{})
	ctx := context.Background()
	forward := collect(t, c.Customers.All(&client.CustomerListOptions{ListOptions: client.ListOptions{Limit: 9}}))
	anchor := forward[40]
	page := must(c.Customers.List(ctx, &client.CustomerListOptions{ListOptions: client.ListOptions{Limit: 9, EndingBefore: anchor}}))(t)
	var keys []string
	for _, it := range page.Items {
		keys = append(keys, it.Key)
	}
	if !slices.Equal(keys, forward[31:40]) || !page.HasMore {
		t.Fatalf("ending_before %s gave %v, want %v with has_more", anchor, keys, forward[31:40])
	}
	// The iterator walks backwards from the anchor, nearest first, to the start.
	back := collect(t, c.Customers.All(&client.CustomerListOptions{ListOptions: client.ListOptions{Limit: 7, EndingBefore: anchor}}))
	want := slices.Clone(forward[:40])
	slices.Reverse(want)
	if !slices.Equal(back, want) {
		t.Fatalf("backward walk: %d keys, want %d nearest-first", len(back), len(want))
	}
}

func TestTimeFiltersAreInclusive(t *testing.T) { profiletest.Run(t, testTimeFiltersAreInclusive) }

func testTimeFiltersAreInclusive(t *testing.T, profile sandbox.Profile) {
	sb, c := newPair(t, sandbox.Options{})
	txs := sb.Transactions()
	lo, hi := txs[100].CreatedAt, txs[200].CreatedAt
	if lo > hi {
		lo, hi = hi, lo
	}
	want := 0
	for _, x := range txs {
		if !x.Archived && x.CreatedAt >= lo && x.CreatedAt <= hi {
			want++
		}
	}
	got := collect(t, c.Transactions.All(&client.TransactionListOptions{ListOptions: client.ListOptions{MinCreated: &lo, MaxCreated: &hi}}))
	if len(got) != want {
		t.Fatalf("got %d in [%d, %d], want %d", len(got), lo, hi, want)
	}
}

func TestEveryOperation(t *testing.T) { profiletest.Run(t, testEveryOperation) }

func testEveryOperation(t *testing.T, profile sandbox.Profile) {
	sb, c := newPair(t, sandbox.Options{})
	ctx := context.Background()

	groups := must(c.Groups.List(ctx, nil))(t)
	if len(groups.Items) == 0 || groups.Items[0].Name == "" {
		t.Fatal("no groups")
	}
	group := groups.Items[0]

	// Partnerships.
	p := must(c.Partnerships.Create(ctx, &client.PartnershipCreate{Email: "ct@example.com", GroupKey: group.Key, FirstName: "Con", LastName: "Tract", PartnerKey: "contract"}))(t)
	if p.PartnerKey != "contract" || p.Group == nil || p.Group.Key != group.Key || p.Key == "" {
		t.Fatalf("created %+v", p)
	}
	ids := []string{p.Key, p.PartnerKey}
	if profile == sandbox.ProfileDefault {
		// An email is no documented identifier: strict answers 404, and the
		// tools find partners by email with a verified walk instead.
		ids = append(ids, p.Email)
	}
	for _, id := range ids {
		if got := must(c.Partnerships.Get(ctx, id))(t); got.Key != p.Key {
			t.Fatalf("get by %s returned %s", id, got.Key)
		}
	}
	up := must(c.Partnerships.SetTags(ctx, p.Key, []string{"a", "b"}))(t)
	if !slices.Equal(up.Tags, []string{"a", "b"}) {
		t.Fatalf("update tags: %v", up.Tags)
	}
	list := must(c.Partnerships.List(ctx, &client.PartnershipListOptions{Email: "ct@example.com"}))(t)
	if undocumentedFilter(t, profile, sb, "email", "ct@example.com") && len(list.Items) != 1 {
		t.Fatalf("email filter: %d items", len(list.Items))
	}

	// Customers.
	cu := must(c.Customers.Create(ctx, &client.CustomerCreate{Email: "buyer@ct.example", PartnerKey: "contract", Name: "CT Buyer", CustomerKey: "ct-buyer"}))(t)
	if cu.CustomerKey == nil || *cu.CustomerKey != "ct-buyer" || cu.PartnerKey == nil || *cu.PartnerKey != "contract" {
		t.Fatalf("created customer %+v", cu)
	}
	ids = []string{"ct-buyer"} // the path takes the external customer_key; strict resolves nothing else
	if profile == sandbox.ProfileDefault {
		ids = append(ids, cu.Key)
	}
	for _, id := range ids {
		if got := must(c.Customers.Get(ctx, id))(t); got.Key != cu.Key {
			t.Fatalf("get customer by %s", id)
		}
	}
	name := "CT Buyer Ltd"
	if got := must(c.Customers.Update(ctx, "ct-buyer", &client.CustomerUpdate{Name: &name}))(t); got.Name == nil || *got.Name != name {
		t.Fatalf("update customer: %+v", got)
	}
	if list := must(c.Customers.List(ctx, &client.CustomerListOptions{PartnerKey: "contract"}))(t); undocumentedFilter(t, profile, sb, "partner_key", "contract") && len(list.Items) != 1 {
		t.Fatalf("partner filter: %d customers", len(list.Items))
	}

	// Transactions, by each of the three customer references.
	var txKeys []string
	for _, body := range []*client.TransactionCreate{
		{CustomerExternalKey: "ct-buyer", Amount: 9900, Currency: "USD", ProductKey: "pro", Key: "ct-tx-1"},
		{CustomerKey: cu.Key, Amount: 5000, Currency: "EUR"},
		{CustomerEmail: "buyer@ct.example", Amount: -1000, Currency: "USD"},
	} {
		tx := must(c.Transactions.Create(ctx, body))(t)
		if tx.Amount != body.Amount || tx.Currency != body.Currency || tx.Customer == nil || tx.Customer.Key != cu.Key {
			t.Fatalf("transaction %+v from %+v", tx, body)
		}
		txKeys = append(txKeys, tx.Key)
	}
	listed := collect(t, c.Transactions.All(&client.TransactionListOptions{CustomerExternalKey: "ct-buyer"}))
	if undocumentedFilter(t, profile, sb, "customer_external_key", "ct-buyer") && len(listed) != 3 {
		t.Fatalf("customer's transactions: %v", listed)
	}
	if err := c.Transactions.Delete(ctx, txKeys[2]); err != nil {
		t.Fatal(err)
	}

	// Deals.
	amount := int64(1250000)
	d := must(c.Deals.Create(ctx, &client.DealCreate{PartnerKey: "contract", AccountName: "Globex", Amount: &amount, Stage: "qualified", ExternalKey: "crm-1"}))(t)
	if d.AccountName == nil || *d.AccountName != "Globex" || d.Stage == nil || *d.Stage != "qualified" {
		t.Fatalf("deal %+v", d)
	}
	if got := must(c.Deals.Get(ctx, "crm-1"))(t); got.Key != d.Key {
		t.Fatal("get deal by external_key")
	}
	stage := "proposal"
	if got := must(c.Deals.Update(ctx, d.Key, &client.DealUpdate{Stage: &stage}))(t); *got.Stage != stage {
		t.Fatal("update deal stage")
	}
	if list := must(c.Deals.List(ctx, &client.DealListOptions{PartnerKey: "contract"}))(t); len(list.Items) != 1 {
		t.Fatalf("deals of partner: %d", len(list.Items))
	}
	if err := c.Deals.Archive(ctx, d.Key); err != nil {
		t.Fatal(err)
	}

	// Leads.
	l := must(c.Leads.Create(ctx, &client.LeadCreate{PartnerKey: "contract", ExternalKey: "lead@ct.example", Status: "open",
		Meta: map[string]any{"first_name": "Lee", "last_name": "Ad"}}))(t)
	if got := must(c.Leads.Get(ctx, "lead@ct.example"))(t); got.Key != l.Key || got.Status != "open" {
		t.Fatal("get lead by external_key")
	}
	status := "closed"
	if got := must(c.Leads.Update(ctx, l.Key, &client.LeadUpdate{Status: &status}))(t); got.Status != "closed" {
		t.Fatal("update lead")
	}
	if list := must(c.Leads.List(ctx, &client.LeadListOptions{Status: "closed", PartnerKey: "contract"}))(t); undocumentedFilter(t, profile, sb, "status", "closed") && len(list.Items) != 1 {
		t.Fatal("lead status filter")
	}
	if err := c.Leads.Archive(ctx, l.Key); err != nil {
		t.Fatal(err)
	}

	// Actions.
	a := must(c.Actions.Record(ctx, &client.ActionRecord{TargetType: client.TargetCustomer, TargetKey: "ct-buyer", Type: "signup", Value: 1}))(t)
	if a.Type != "signup" || a.Key == "" {
		t.Fatalf("action %+v", a)
	}
	must(c.Actions.Record(ctx, &client.ActionRecord{TargetType: client.TargetPartnership, TargetKey: "contract", Type: "webinar", Value: 3}))(t)
	if list := must(c.Actions.List(ctx, &client.ActionListOptions{ActionType: "webinar", PartnershipKey: p.Key}))(t); len(list.Items) != 1 || list.Items[0].Value != 3 {
		t.Fatalf("actions filter: %+v", list.Items)
	}
	if err := c.Actions.Archive(ctx, a.Key); err != nil {
		t.Fatal(err)
	}

	// Rewards.
	r := must(c.Rewards.Create(ctx, &client.RewardCreate{Amount: 5000, Description: "bonus", Target: client.RewardTarget{Type: client.TargetPartnership, Key: "contract"}}))(t)
	if r.Amount != 5000 || r.Partnership == nil || r.Partnership.Key != p.Key {
		t.Fatalf("reward %+v", r)
	}
	rewards := collect(t, c.Rewards.All(&client.RewardListOptions{PartnerKey: "contract"}))
	undocumentedFilter(t, profile, sb, "partner_key", "contract")
	if !slices.Contains(rewards, r.Key) || len(rewards) < 2 { // the manual one and the 20% commission on ct-tx-1
		t.Fatalf("partner rewards: %v", rewards)
	}

	// Webhooks.
	w := must(c.Webhooks.Create(ctx, &client.WebhookCreate{Target: "https://hooks.example.com/ct", Events: []string{"customer_created"}}))(t)
	if got := must(c.Webhooks.Get(ctx, w.Key))(t); got.Target != w.Target {
		t.Fatal("get webhook")
	}
	if got := must(c.Webhooks.Update(ctx, w.Key, &client.WebhookUpdate{Events: []string{"customer_created", "partnership.created"}}))(t); len(got.Events) != 2 {
		t.Fatal("update webhook")
	}
	if list := must(c.Webhooks.List(ctx, nil))(t); !slices.ContainsFunc(list.Items, func(x client.Webhook) bool { return x.Key == w.Key }) {
		t.Fatal("list webhooks")
	}
	if err := c.Webhooks.Delete(ctx, w.Key); err != nil {
		t.Fatal(err)
	}

	// Removals last.
	if err := c.Customers.Delete(ctx, "ct-buyer"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Customers.Get(ctx, "ct-buyer"); !client.IsNotFound(err) {
		t.Fatalf("deleted customer: %v", err)
	}
	if err := c.Partnerships.Archive(ctx, p.Key); err != nil {
		t.Fatal(err)
	}

	for _, r := range sb.Requests() {
		if r.Status != 200 && !(r.Method == "GET" && r.Status == 404 && r.Path == "/api/v2/customers/ct-buyer") {
			t.Errorf("%s %s answered %d", r.Method, r.Path, r.Status)
		}
	}
}

// undocumentedFilter checks that the last request sent an undocumented list
// filter and reports whether the sandbox honoured it: the default profile
// does, strict ignores it (as the API may), so only the tools' client-side
// re-filtering makes answers right, and the client's own checks of the
// filtered result hold under the default profile only.
func undocumentedFilter(t *testing.T, profile sandbox.Profile, sb *sandbox.Sandbox, param, value string) bool {
	t.Helper()
	reqs := sb.Requests()
	if q, _ := url.ParseQuery(reqs[len(reqs)-1].RawQuery); q.Get(param) != value {
		t.Fatalf("the request did not send %s=%s: %q", param, value, reqs[len(reqs)-1].RawQuery)
	}
	return profile == sandbox.ProfileDefault
}

func TestErrorClasses(t *testing.T) { profiletest.Run(t, testErrorClasses) }

func testErrorClasses(t *testing.T, profile sandbox.Profile) {
	ctx := context.Background()
	_, wrong := newPair(t, sandbox.Options{}, func(c *client.Config) { c.SecretKey = "sk_wrong" })
	_, err := wrong.Groups.List(ctx, nil)
	if !client.IsUnauthorized(err) {
		t.Fatalf("wrong keys: %v", err)
	}

	sb, c := newPair(t, sandbox.Options{})
	if _, err := c.Deals.Get(ctx, "deal_nope"); !client.IsNotFound(err) {
		t.Fatalf("unknown deal: %v", err)
	}
	_, err = c.Partnerships.Create(ctx, &client.PartnershipCreate{})
	var e *client.Error
	if !client.IsValidation(err) || !errors.As(err, &e) || e.Message != "'email' is not a valid email address" {
		t.Fatalf("validation: %v", err)
	}
	_, err = c.Transactions.Create(ctx, &client.TransactionCreate{Amount: 1, Currency: "USD"})
	if !client.IsValidation(err) {
		t.Fatalf("no customer reference: %v", err)
	}

	// Its own client: the hour-long pause the 429 asks for holds every
	// later request of the account (throttle.go).
	limited, lc := newPair(t, sandbox.Options{})
	limited.AddFault(sandbox.Fault{Kind: sandbox.FaultRateLimit, RetryAfter: time.Hour})
	_, err = lc.Groups.List(ctx, nil)
	if !client.IsRateLimited(err) || !errors.As(err, &e) || e.RetryAfter != time.Hour || e.Attempts != 1 {
		t.Fatalf("rate limited beyond the cap: %v", err)
	}

	sb.AddFault(sandbox.Fault{Route: "GET /v2/groups", Kind: sandbox.FaultMalformedBody})
	_, err = c.Groups.List(ctx, nil)
	if !errors.As(err, &e) || e.Kind != client.KindDecode {
		t.Fatalf("malformed body: %v", err)
	}
	sb.ClearFaults()

	sb.AddFault(sandbox.Fault{Route: "GET /v2/groups", Kind: sandbox.FaultRefuse})
	_, err = c.Groups.List(ctx, nil)
	if !errors.As(err, &e) || e.Kind != client.KindTransport || e.Attempts != 4 {
		t.Fatalf("refused read: %v (attempts %d)", err, e.Attempts)
	}
}

// The two rules the issue names, plus the rest of the retry policy, each
// checked against what the sandbox itself applied.
func TestRetryRulesUnderFaults(t *testing.T) { profiletest.Run(t, testRetryRulesUnderFaults) }

func testRetryRulesUnderFaults(t *testing.T, profile sandbox.Profile) {
	ctx := context.Background()
	newTx := func(k string) *client.TransactionCreate {
		return &client.TransactionCreate{CustomerExternalKey: "harborfoods.com", Amount: 1000, Currency: "USD", Key: k}
	}
	cases := []struct {
		name        string
		fault       sandbox.Fault
		unknown     bool // outcome unknown expected
		wantApplied int
		wantTries   int
	}{
		{"reset after the write was applied: sent exactly once", sandbox.Fault{Route: "POST /v2/transactions", Kind: sandbox.FaultResetAfterWrite, Times: 1}, true, 1, 1},
		{"5xx on a write: not retried, not applied", sandbox.Fault{Route: "POST /v2/transactions", Kind: sandbox.FaultServerError, Status: 502, Times: 1}, true, 0, 1},
		{"truncated answer to a write: applied once, outcome unknown", sandbox.Fault{Route: "POST /v2/transactions", Kind: sandbox.FaultTruncatedBody, Times: 1}, true, 1, 1},
		{"429 on a write: provably unprocessed, retried", sandbox.Fault{Route: "POST /v2/transactions", Kind: sandbox.FaultRateLimit, Times: 2}, false, 1, 3},
		{"refused connection on a write: never sent, retried", sandbox.Fault{Route: "POST /v2/transactions", Kind: sandbox.FaultRefuse, Times: 2}, false, 1, 3},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sb, c := newPair(t, sandbox.Options{})
			sb.AddFault(tc.fault)
			_, err := c.Transactions.Create(ctx, newTx("retry-case-"+string(rune('a'+i))))
			if client.IsOutcomeUnknown(err) != tc.unknown || (!tc.unknown && err != nil) {
				t.Fatalf("err=%v, want outcome unknown=%v", err, tc.unknown)
			}
			if got := sb.AppliedWrites("POST", "/v2/transactions"); got != tc.wantApplied {
				t.Fatalf("sandbox applied %d transactions, want %d", got, tc.wantApplied)
			}
			if tries := len(sb.Requests()); tries != tc.wantTries {
				t.Fatalf("%d requests reached the sandbox, want %d", tries, tc.wantTries)
			}
		})
	}

	t.Run("a GET meeting two 429s then 200 succeeds", func(t *testing.T) {
		sb, c := newPair(t, sandbox.Options{})
		sb.AddFault(sandbox.Fault{Route: "GET /v2/partnerships", Kind: sandbox.FaultRateLimit, RetryAfter: time.Second, Times: 2})
		start := time.Now()
		page, err := c.Partnerships.List(ctx, nil)
		if err != nil || len(page.Items) == 0 {
			t.Fatalf("err=%v", err)
		}
		log := sb.Requests()
		if len(log) != 3 || log[0].Status != 429 || log[1].Status != 429 || log[2].Status != 200 {
			t.Fatalf("sandbox saw %+v", log)
		}
		if waited := time.Since(start); waited < 1900*time.Millisecond {
			t.Fatalf("Retry-After not honoured: waited %v", waited)
		}
	})
	t.Run("a GET survives a 5xx burst", func(t *testing.T) {
		sb, c := newPair(t, sandbox.Options{})
		sb.AddFault(sandbox.Fault{Route: "GET /v2/deals", Kind: sandbox.FaultServerError, Status: 503, Times: 3})
		if _, err := c.Deals.List(ctx, nil); err != nil || len(sb.Requests()) != 4 {
			t.Fatalf("err=%v after %d requests", err, len(sb.Requests()))
		}
	})
	t.Run("a cancelled context stops a slow read", func(t *testing.T) {
		sb, c := newPair(t, sandbox.Options{})
		sb.AddFault(sandbox.Fault{Kind: sandbox.FaultLatency, Latency: 5 * time.Second})
		cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.Groups.List(cctx, nil)
		if !client.IsCanceled(err) || time.Since(start) > 2*time.Second {
			t.Fatalf("err=%v after %v", err, time.Since(start))
		}
	})
}

func TestTestKeysMarkObjectsAndUseTheGstestPartner(t *testing.T) {
	profiletest.Run(t, testTestKeysMarkObjectsAndUseTheGstestPartner)
}

func testTestKeysMarkObjectsAndUseTheGstestPartner(t *testing.T, profile sandbox.Profile) {
	_, c := newPair(t, sandbox.Options{}, func(cfg *client.Config) {
		cfg.PublicKey, cfg.SecretKey = sandbox.DefaultTestPublicKey, sandbox.DefaultTestSecretKey
	})
	ctx := context.Background()
	cu := must(c.Customers.Create(ctx, &client.CustomerCreate{Email: "t@test.example", PartnerKey: "gstest", CustomerKey: "t-1"}))(t)
	if !cu.Test {
		t.Fatal("customer created with test keys is not test:true")
	}
	tx := must(c.Transactions.Create(ctx, &client.TransactionCreate{CustomerExternalKey: "t-1", Amount: 100, Currency: "USD"}))(t)
	if !tx.Test {
		t.Fatal("transaction of a test customer is not test:true")
	}
}
