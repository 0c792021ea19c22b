package tools

import (
	"cmp"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

func bruteDealStatus(x sandbox.Deal) string {
	stage := strings.ToLower(x.Stage)
	switch {
	case x.Archived:
		return "archived"
	case stage == "closed won":
		return "won"
	case stage == "closed lost" || deref(x.LostReason) != "":
		return "lost"
	}
	return "open"
}

func TestPipelineSummaryMatchesBruteForce(t *testing.T) {
	profiletest.Run(t, testPipelineSummaryMatchesBruteForce)
}

func testPipelineSummaryMatchesBruteForce(t *testing.T, profile sandbox.Profile) {
	sb := profiletest.New(t, sandbox.Options{Seed: 5})
	d := Deps{Client: newSandboxClient(t, sb, nil)}
	partners := partnersOf(sb)
	byPartnerKey := map[string]brutePartner{}
	for _, p := range partners {
		byPartnerKey[p.partnerKey] = p
	}
	deals, leads := sb.Deals(), sb.Leads()
	somePartner := deref(deals[3].PartnerKey)
	someGroup := byPartnerKey[somePartner].groupKey
	from, to := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC).UnixMilli()-1

	cases := []struct {
		name                 string
		args                 map[string]any
		from, to             int64
		partnerKey, groupKey string
		by                   string
	}{
		{"everything", map[string]any{}, 0, 0, "", "", ""},
		{"a range by partner", map[string]any{"from": iso(from), "to": iso(to), "by": "partner", "top": 100}, from, to, "", "", "partner"},
		{"by group", map[string]any{"by": "group"}, 0, 0, "", "", "group"},
		{"one partner", map[string]any{"partner_key": somePartner}, 0, 0, somePartner, "", ""},
		{"one group by partner, top 2", map[string]any{"group_key": someGroup, "by": "partner", "top": 2}, 0, 0, "", someGroup, "partner"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := runInsight[pipelineResult](t, t.Context(), d, "pipeline_summary", tc.args)
			stage, status, leadStatus := map[string]countCents{}, map[string]countCents{}, map[string]countCents{}
			rows := map[string]*pipelineRow{}
			row := func(p brutePartner, pk, gk string) *pipelineRow {
				key := cmp.Or(pk, "(none)")
				if tc.by == "group" {
					key = cmp.Or(gk, "(none)")
				}
				if rows[key] == nil {
					rows[key] = &pipelineRow{Key: key}
				}
				return rows[key]
			}
			var dealN, leadN int
			var dealC, leadC int64
			for _, x := range deals {
				pk := deref(x.PartnerKey)
				gk := cmp.Or(deref(x.GroupKey), byPartnerKey[pk].groupKey)
				if !inRange(x.CreatedAt, tc.from, tc.to) || (tc.partnerKey != "" && pk != tc.partnerKey) || (tc.groupKey != "" && gk != tc.groupKey) {
					continue
				}
				amt := int64Val(x.Amount)
				dealN++
				dealC += amt
				addTo(stage, cmp.Or(x.Stage, "(none)"), amt)
				st := bruteDealStatus(x)
				addTo(status, st, amt)
				r := row(byPartnerKey[pk], pk, gk)
				r.Deals++
				r.DealCents += amt
				switch st {
				case "open":
					r.Open++
				case "won":
					r.Won++
				case "lost":
					r.Lost++
				case "archived":
					r.Archived++
				}
			}
			for _, x := range leads {
				gk := cmp.Or(deref(x.GroupKey), byPartnerKey[x.PartnerKey].groupKey)
				if x.Archived || !inRange(x.CreatedAt, tc.from, tc.to) || (tc.partnerKey != "" && x.PartnerKey != tc.partnerKey) || (tc.groupKey != "" && gk != tc.groupKey) {
					continue
				}
				leadN++
				leadC += int64Val(x.Amount)
				addTo(leadStatus, x.Status, int64Val(x.Amount))
				row(byPartnerKey[x.PartnerKey], x.PartnerKey, gk).Leads++
			}
			if got.Deals.Count != dealN || got.Deals.Cents != dealC || !maps.Equal(got.Deals.ByStage, stage) || !maps.Equal(got.Deals.ByStatus, status) {
				t.Errorf("deals = %+v, want count=%d cents=%d stages=%v statuses=%v", got.Deals, dealN, dealC, stage, status)
			}
			if got.Leads.Count != leadN || got.Leads.Cents != leadC || !maps.Equal(got.Leads.ByStatus, leadStatus) {
				t.Errorf("leads = %+v, want count=%d cents=%d statuses=%v", got.Leads, leadN, leadC, leadStatus)
			}
			if tc.name == "everything" && (len(status) < 3 || dealN == 0 || leadN == 0) {
				t.Errorf("seed data too thin: statuses %v", status)
			}
			if tc.by == "" {
				if len(got.Breakdown) != 0 {
					t.Errorf("unasked breakdown %+v", got.Breakdown)
				}
				return
			}
			top := 10
			if n, ok := tc.args["top"].(int); ok {
				top = n
			}
			kept, rest := bruteTop(rows, top, func(r *pipelineRow) (int64, int) { return r.DealCents, r.Deals + r.Leads })
			if len(got.Breakdown) != len(kept) {
				t.Fatalf("breakdown has %d rows, want %d", len(got.Breakdown), len(kept))
			}
			for i, k := range kept {
				g, w := got.Breakdown[i], rows[k]
				g.Name = ""
				if g != *w {
					t.Errorf("row %d: got %+v, want %+v", i, g, *w)
				}
			}
			if len(rest) > 0 {
				o := pipelineRow{Key: "other", Folded: len(rest)}
				for _, k := range rest {
					r := rows[k]
					o.Deals, o.DealCents, o.Open, o.Won, o.Lost, o.Archived, o.Leads = o.Deals+r.Deals, o.DealCents+r.DealCents,
						o.Open+r.Open, o.Won+r.Won, o.Lost+r.Lost, o.Archived+r.Archived, o.Leads+r.Leads
				}
				if got.Other == nil || *got.Other != o {
					t.Errorf("other = %+v, want %+v", got.Other, o)
				}
			}
		})
	}
}

func TestDealStatusIsDerivedFromStageAndLostReason(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		deal client.Deal
		want string
	}{
		{client.Deal{Stage: s("Closed Won")}, "won"},
		{client.Deal{Stage: s("closed_lost")}, "lost"},
		{client.Deal{Stage: s("Negotiation"), LostReason: s("budget")}, "lost"},
		{client.Deal{Stage: s("closed won"), Archived: true}, "archived"},
		{client.Deal{Stage: s("Demo")}, "open"},
		{client.Deal{}, "open"},
	} {
		if got := dealStatus(tc.deal); got != tc.want {
			t.Errorf("dealStatus(stage=%q lost=%q archived=%v) = %s, want %s", str(tc.deal.Stage), str(tc.deal.LostReason), tc.deal.Archived, got, tc.want)
		}
	}
}
