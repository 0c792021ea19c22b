package tools

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

// bruteInactive computes inactive_partners from the sandbox's snapshot:
// active (not archived) partnerships, each one's newest customer,
// transaction (through its customer) and deal up to asOf.
func bruteInactive(sb *sandbox.Sandbox, asOf int64, days int, groupKey string) (active int, rows []inactiveRow) {
	since := asOf - int64(days)*dayMs + 1
	type last struct {
		at   int64
		kind string
	}
	lasts := map[string]*last{}
	byPartnerKey := map[string]string{}
	partners := partnersOf(sb)
	for _, p := range sb.Partnerships() {
		if p.Archived || p.CreatedAt > asOf || (groupKey != "" && p.Group.Key != groupKey) {
			continue
		}
		lasts[p.Key] = &last{}
		byPartnerKey[p.PartnerKey] = p.Key
	}
	bump := func(key string, at int64, kind string) {
		if l := lasts[key]; l != nil && at <= asOf && at > l.at {
			l.at, l.kind = at, kind
		}
	}
	custPartner := map[string]string{}
	for _, c := range sb.Customers() {
		if c.Archived { // listed by neither profile
			continue
		}
		custPartner[c.Key] = c.PartnershipKey
		bump(c.PartnershipKey, c.CreatedAt, "customer")
	}
	for _, x := range sb.Transactions() {
		if !x.Archived {
			if key, ok := custPartner[x.CustomerKey]; ok {
				bump(key, x.CreatedAt, "transaction")
			}
		}
	}
	for _, x := range sb.Deals() {
		bump(byPartnerKey[deref(x.PartnerKey)], x.CreatedAt, "deal")
	}
	for key, l := range lasts {
		if l.at >= since {
			continue
		}
		p := partners[key]
		row := inactiveRow{Key: key, PartnerKey: p.partnerKey, Name: p.name, Email: p.email, Group: p.groupName, LastKind: l.kind, at: l.at}
		if l.at > 0 {
			row.LastActivity, row.DaysInactive = iso(l.at), int((asOf-l.at)/dayMs)
		}
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(a, b inactiveRow) int { return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.Key, b.Key)) })
	for i := range rows {
		rows[i].at = 0 // not in the result
	}
	return len(lasts), rows
}

func TestInactivePartnersMatchesBruteForce(t *testing.T) {
	profiletest.Run(t, testInactivePartnersMatchesBruteForce)
}

func testInactivePartnersMatchesBruteForce(t *testing.T, profile sandbox.Profile) {
	// New records are made early in the year: a partner whose only activity
	// is old, and one with none at all, so both kinds of answer occur.
	old := time.Date(2026, 1, 3, 12, 0, 0, 0, time.UTC)
	sb := profiletest.New(t, sandbox.Options{Seed: 13, Transactions: 4000, Now: func() time.Time { return old }})
	c := newSandboxClient(t, sb, nil)
	group := sb.Groups()[0].Key
	var quiet, never *client.Partnership
	for _, email := range []string{"quiet@example.com", "never@example.com"} {
		p, err := c.Partnerships.Create(t.Context(), &client.PartnershipCreate{Email: email, GroupKey: group, FirstName: "Q", LastName: "Uiet"})
		if err != nil {
			t.Fatal(err)
		}
		if quiet == nil {
			quiet = p
		} else {
			never = p
		}
	}
	if _, err := c.Customers.Create(t.Context(), &client.CustomerCreate{CustomerKey: "quiet-cust", Email: "q@example.com",
		PartnerKey: quiet.PartnerKey}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		days  int
		asOf  string
		group string
	}{
		{30, "2026-11-01", ""},
		{90, "2026-11-01", ""},
		{200, "2026-10-15", ""},
		{30, "2026-06-30", group},
		{1, "2026-03-01", ""},
	}
	uncut := Deps{Client: c}
	cut := Deps{Client: c, InsightPageCap: 6, InsightConcurrency: 2}
	for _, tc := range cases {
		args := map[string]any{"days": tc.days, "as_of": tc.asOf, "top": 100}
		if tc.group != "" {
			args["group_key"] = tc.group
		}
		t.Run(figures(t, args), func(t *testing.T) {
			asOf, _ := parseTime("", tc.asOf, true)
			active, want := bruteInactive(sb, asOf, tc.days, tc.group)
			for name, d := range map[string]Deps{"whole": uncut, "resumed": cut} {
				m, calls := resumeChain(t, d, "inactive_partners", args)
				var got inactiveResult
				b, _ := json.Marshal(m)
				if err := json.Unmarshal(b, &got); err != nil {
					t.Fatal(err)
				}
				if got.Active != active || got.Inactive != len(want) || !slices.Equal(got.Partners, want) {
					t.Errorf("%s (%d calls): active %d inactive %d\n got %+v\nwant %+v", name, calls, got.Active, got.Inactive, got.Partners, want)
				}
			}
		})
	}
	t.Run("the floor stops the transactions walk early", func(t *testing.T) {
		rec := newPageRecorder(sb.Client().Transport)
		d := Deps{Client: newSandboxClient(t, sb, rec), InsightConcurrency: 1}
		got := runInsight[inactiveResult](t, t.Context(), d, "inactive_partners", map[string]any{"days": 30, "as_of": "2026-11-01"})
		all := len(sb.Transactions())/client.MaxPageSize + 1
		if n := rec.count("/api/v2/transactions"); n >= all || !got.Coverage.Complete {
			t.Errorf("read %d transaction pages of %d; coverage %+v", n, all, got.Coverage)
		}
		if !slices.ContainsFunc(got.Partners, func(r inactiveRow) bool { return r.Key == never.Key && r.LastActivity == "" }) ||
			!slices.ContainsFunc(got.Partners, func(r inactiveRow) bool {
				return r.Key == quiet.Key && r.LastKind == "customer" && strings.HasPrefix(r.LastActivity, "2026-01-03")
			}) {
			t.Errorf("the quiet and never-active partners are missing: %+v", got.Partners)
		}
	})
}
