package tools

import (
	"cmp"
	"maps"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

func TestRewardSummaryMatchesBruteForce(t *testing.T) {
	profiletest.Run(t, testRewardSummaryMatchesBruteForce)
}

func testRewardSummaryMatchesBruteForce(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 9, Transactions: 1000})
	d := Deps{Client: newSandboxClient(t, sb, nil)}
	partners := partnersOf(sb)
	rewards := sb.Rewards()
	somePartner := partners[rewards[4].Partnership.Key]
	from, to := rewards[30].CreatedAt, rewards[400].CreatedAt
	if from > to {
		from, to = to, from
	}
	cases := []struct {
		name                         string
		args                         map[string]any
		from, to                     int64
		partnerKey, groupKey, status string
	}{
		{"everything", map[string]any{}, 0, 0, "", "", ""},
		{"a range with items at both edges", map[string]any{"from": iso(from), "to": iso(to), "top": 3}, from, to, "", "", ""},
		{"one partner", map[string]any{"partner_key": somePartner.partnerKey}, 0, 0, somePartner.partnerKey, "", ""},
		{"one group, paid only", map[string]any{"group_key": somePartner.groupKey, "status": "paid", "top": 100}, 0, 0, "", somePartner.groupKey, "paid"},
		{"an empty range", map[string]any{"from": "2019-01-01", "to": "2019-02-01"}, 1, 2, "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := runInsight[rewardSummaryResult](t, t.Context(), d, "reward_summary", tc.args)
			status := map[string]countCents{}
			rows := map[string]*rewardPartnerRow{}
			var n int
			var cents int64
			for _, x := range rewards {
				if x.Archived || !inRange(x.CreatedAt, tc.from, tc.to) || (tc.status != "" && x.RewardStatus != tc.status) {
					continue
				}
				var p brutePartner
				if x.Partnership != nil {
					p = partners[x.Partnership.Key]
				}
				if (tc.partnerKey != "" && p.partnerKey != tc.partnerKey) || (tc.groupKey != "" && p.groupKey != tc.groupKey) {
					continue
				}
				n++
				cents += x.Amount
				addTo(status, x.RewardStatus, x.Amount)
				k := cmp.Or(p.key, "(none)")
				if rows[k] == nil {
					rows[k] = &rewardPartnerRow{Key: k, PartnerKey: p.partnerKey, Name: p.name, ByStatus: map[string]int64{}}
				}
				rows[k].Count++
				rows[k].USDCents += x.Amount
				rows[k].ByStatus[x.RewardStatus] += x.Amount
			}
			if got.Count != n || got.USDCents != cents || !maps.Equal(got.ByStatus, status) {
				t.Errorf("totals: got count=%d cents=%d %v; want %d %d %v", got.Count, got.USDCents, got.ByStatus, n, cents, status)
			}
			if tc.name == "everything" && len(status) < 3 {
				t.Errorf("seed data too thin: %v", status)
			}
			top := 10
			if v, ok := tc.args["top"].(int); ok {
				top = v
			}
			kept, rest := bruteTop(rows, top, func(r *rewardPartnerRow) (int64, int) { return r.USDCents, r.Count })
			if len(got.Partners) != len(kept) {
				t.Fatalf("got %d partners, want %d", len(got.Partners), len(kept))
			}
			for i, k := range kept {
				g, w := got.Partners[i], rows[k]
				if g.Key != w.Key || g.PartnerKey != w.PartnerKey || g.Name != w.Name || g.Count != w.Count || g.USDCents != w.USDCents || !maps.Equal(g.ByStatus, w.ByStatus) {
					t.Errorf("partner %d: got %+v, want %+v", i, g, *w)
				}
			}
			if len(rest) > 0 {
				var c int
				var v int64
				for _, k := range rest {
					c += rows[k].Count
					v += rows[k].USDCents
				}
				if got.Other == nil || got.Other.Folded != len(rest) || got.Other.Count != c || got.Other.USDCents != v {
					t.Errorf("other = %+v, want %d partners, %d rewards, %d cents", got.Other, len(rest), c, v)
				}
			}
		})
	}
}
