package tools

import (
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

func TestPartnerLeaderboardMatchesBruteForce(t *testing.T) {
	profiletest.Run(t, testPartnerLeaderboardMatchesBruteForce)
}

func testPartnerLeaderboardMatchesBruteForce(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 11, Transactions: 1200})
	d := Deps{Client: newSandboxClient(t, sb, nil)}
	partners := partnersOf(sb)
	from, to := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC).UnixMilli()-1
	type fig struct {
		value int64
		count int
	}
	brute := map[string]func(group string) map[string]*fig{
		"revenue": func(group string) map[string]*fig {
			m := map[string]*fig{}
			partnerOf := partnerOfTransaction(sb)
			for _, x := range sb.Transactions() {
				p := partners[partnerOf(x)]
				if x.Archived || !inRange(x.CreatedAt, from, to) || (group != "" && p.groupKey != group) {
					continue
				}
				if m[p.key] == nil {
					m[p.key] = &fig{}
				}
				m[p.key].value += x.AmountUSD
				m[p.key].count++
			}
			return m
		},
		"customers": func(group string) map[string]*fig {
			m := map[string]*fig{}
			for _, x := range sb.Customers() {
				p := partners[x.PartnershipKey]
				if x.Archived || !inRange(x.CreatedAt, from, to) || (group != "" && p.groupKey != group) {
					continue
				}
				if m[p.key] == nil {
					m[p.key] = &fig{}
				}
				m[p.key].value++
				m[p.key].count++
			}
			return m
		},
		"rewards": func(group string) map[string]*fig {
			m := map[string]*fig{}
			for _, x := range sb.Rewards() {
				if x.Archived || x.Partnership == nil || !inRange(x.CreatedAt, from, to) || x.RewardStatus == "declined" {
					continue
				}
				p := partners[x.Partnership.Key]
				if group != "" && p.groupKey != group {
					continue
				}
				if m[p.key] == nil {
					m[p.key] = &fig{}
				}
				m[p.key].value += x.Amount
				m[p.key].count++
			}
			return m
		},
	}
	someGroup := sb.Partnerships()[5].Group.Key
	for _, metric := range []string{"revenue", "customers", "rewards"} {
		for _, group := range []string{"", someGroup} {
			name := metric
			if group != "" {
				name += " within one group"
			}
			t.Run(name, func(t *testing.T) {
				args := map[string]any{"metric": metric, "from": iso(from), "to": iso(to), "top": 5}
				if group != "" {
					args["group_key"] = group
				}
				got := runInsight[leaderboardResult](t, t.Context(), d, "partner_leaderboard", args)
				want := brute[metric](group)
				kept, rest := bruteTop(want, 5, func(f *fig) (int64, int) { return f.value, f.count })
				if len(got.Partners) != len(kept) {
					t.Fatalf("got %d partners, want %d", len(got.Partners), len(kept))
				}
				for i, k := range kept {
					row, p := got.Partners[i], partners[k]
					if row.Rank != i+1 || row.Key != k || row.Value != want[k].value || row.Count != want[k].count ||
						row.PartnerKey != p.partnerKey || row.Name != p.name || row.Email != p.email || row.Group != p.groupName {
						t.Errorf("rank %d: got %+v, want key=%s value=%d count=%d partner=%+v", i+1, row, k, want[k].value, want[k].count, p)
					}
				}
				var rv int64
				var rc int
				for _, k := range rest {
					rv += want[k].value
					rc += want[k].count
				}
				if len(rest) > 0 && (got.Rest == nil || got.Rest.Partners != len(rest) || got.Rest.Value != rv || got.Rest.Count != rc) {
					t.Errorf("rest = %+v, want partners=%d value=%d count=%d", got.Rest, len(rest), rv, rc)
				}
				if got.Basis == "" || !got.Coverage.Complete || got.Unattributed != 0 {
					t.Errorf("basis=%q coverage=%+v unattributed=%d", got.Basis, got.Coverage, got.Unattributed)
				}
			})
		}
	}
}
