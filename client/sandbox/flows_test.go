package sandbox

import (
	"strings"
	"testing"
)

// The workflow routes' emulator choices: both spellings of sales-cycles,
// the list shapes per profile, stages per group, and the bare /v2/links 404.
func TestWorkflowRoutes(t *testing.T) {
	for _, p := range Profiles() {
		t.Run(string(p), func(t *testing.T) {
			s := newTestSandbox(t, Options{Profile: p})
			for _, path := range []string{"/v2/sales-cycles/deal/stages", "/v2/sales_cycles/deal/stages"} {
				r := get(t, s, path)
				mustStatus(t, r, 200)
				_, isArray := r.env["data"].([]any)
				if isArray == (p == ProfileStrict) {
					t.Fatalf("%s under %s: data %T", path, p, r.env["data"])
				}
			}
			mustStatus(t, get(t, s, "/v2/sales-cycles/lead/stages"), 404)
			mustStatus(t, get(t, s, "/v2/sales-cycles/deal/stages?group_key=grup_nope"), 404)
			mustStatus(t, get(t, s, "/v2/links"), 404)

			st := seeded(s)
			var agencies, resellers *group
			for _, g := range st.groups {
				switch g.name {
				case "Agencies":
					agencies = g
				case "Resellers":
					resellers = g
				}
			}
			if !agencies.hasStage("discovery") || agencies.hasStage("procurement") || !resellers.hasStage("procurement") {
				t.Fatal("the seeded groups should have different deal cycles")
			}
			for _, d := range st.deals {
				if d.group >= 0 && !st.groups[d.group].hasStage(d.stage) {
					t.Fatalf("seeded deal %s has stage %q, which its group lacks", d.key, d.stage)
				}
			}
			r := get(t, s, "/v2/links/"+st.partnerships[1].partnerKey)
			mustStatus(t, r, 200)
			if !strings.Contains(string(r.raw), "ps_partner_key="+st.partnerships[1].partnerKey) {
				t.Fatalf("links %s", r.raw)
			}
		})
	}
}
