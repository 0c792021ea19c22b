package sandbox

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable sandbox clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func TestTiers(t *testing.T) {
	for _, p := range Profiles() {
		t.Run(string(p), func(t *testing.T) {
			s := newTestSandbox(t, Options{Profile: p})
			tiers := get(t, s, "/v2/tiers?limit=250")
			mustStatus(t, tiers, 200)
			if len(tiers.items()) != 3 || tiers.items()[0]["name"] == nil {
				t.Fatalf("tiers %s", tiers.raw)
			}
			gold := tiers.items()[0] // newest first
			mustStatus(t, get(t, s, "/v2/tiers/"+gold["key"].(string)), 200)
			mustStatus(t, get(t, s, "/v2/tiers/tier_nosuchkey00000"), 404)

			part := s.Partnerships()[3]
			r := send(t, s, &prodKeys, "PATCH", "/v2/partnerships/"+part.Key, map[string]any{"tier_key": gold["key"]})
			mustStatus(t, r, 200)
			if tier, _ := r.data()["tier"].(map[string]any); tier["key"] != gold["key"] || tier["name"] != gold["name"] {
				t.Fatalf("tier after update: %v", r.data()["tier"])
			}
			bad := send(t, s, &prodKeys, "PATCH", "/v2/partnerships/"+part.Key, map[string]any{"tier_key": "tier_nosuchkey00000"})
			mustStatus(t, bad, 400)
			if !strings.Contains(bad.message(), "tier_key") {
				t.Fatalf("unknown tier_key answered %q", bad.message())
			}
			cleared := send(t, s, &prodKeys, "PATCH", "/v2/partnerships/"+part.Key, map[string]any{"tier_key": nil})
			if mustStatus(t, cleared, 200); cleared.data()["tier"] != nil {
				t.Fatalf("tier_key null left %v", cleared.data()["tier"])
			}
		})
	}
}

func TestProductBook(t *testing.T) {
	for _, p := range Profiles() {
		t.Run(string(p), func(t *testing.T) {
			s := newTestSandbox(t, Options{Profile: p})
			if n := len(get(t, s, "/v2/product_book?limit=250").items()); n != len(s.Products()) || n < 3 {
				t.Fatalf("%d products listed, %d in the book", n, len(s.Products()))
			}
			pro := get(t, s, "/v2/product_book?keywords=PRO+plan").keys()
			var want []string
			for _, x := range s.Products() {
				if strings.Contains(strings.ToLower(x.Name+" "+deref(x.Description)), "pro") &&
					strings.Contains(strings.ToLower(x.Name+" "+deref(x.Description)), "plan") {
					want = append(want, x.Key)
				}
			}
			slices.Sort(pro)
			slices.Sort(want)
			if len(want) == 0 || !slices.Equal(pro, want) {
				t.Fatalf("keywords 'PRO plan' found %v, want %v", pro, want)
			}

			r := send(t, s, &prodKeys, "POST", "/v2/product_book", map[string]any{"name": "Inbox 2", "external_key": "stripe_prod_inbox"})
			mustStatus(t, r, 200)
			d := r.data()
			if r.message() != "Product Book Created" || !strings.HasPrefix(d["key"].(string), "pbook_") ||
				d["archived"] != false || d["id"] != nil || d["company_id"] == nil {
				t.Fatalf("create answered %s", r.raw)
			}
			mustStatus(t, send(t, s, &prodKeys, "POST", "/v2/product_book", map[string]any{"name": "Again", "external_key": "stripe_prod_inbox"}), 400)
			if m := send(t, s, &prodKeys, "POST", "/v2/product_book", map[string]any{"description": "x"}); m.status != 400 || m.message() != "'name' is a required property" {
				t.Fatalf("no name answered %d %q", m.status, m.message())
			}
		})
	}
}

func TestReportExports(t *testing.T) {
	for _, p := range Profiles() {
		t.Run(string(p), func(t *testing.T) {
			clk := &clock{t: fixedNow}
			s := newTestSandbox(t, Options{Profile: p, Now: clk.now, ExportDelay: time.Minute})
			cfgs := get(t, s, "/v2/vendor_report_configuration/list")
			mustStatus(t, cfgs, 200)
			if len(cfgs.items()) != len(s.ReportConfigurations()) || len(cfgs.items()) < 2 {
				t.Fatalf("configurations %s", cfgs.raw)
			}
			a, b := cfgs.keys()[0], cfgs.keys()[1]
			mustStatus(t, get(t, s, "/v2/vendor_report_configuration/"+a), 200)
			mustStatus(t, get(t, s, "/v2/vendor_report_configuration/vrc_nosuchkey000000"), 404)

			start := send(t, s, &prodKeys, "POST", "/v2/vendor_report_export/"+a, map[string]any{"member_email": "ops@northbeam.example"})
			mustStatus(t, start, 200)
			key := start.data()["key"].(string)
			if !strings.HasPrefix(key, "vrex_") || start.data()["file_url"] != nil {
				t.Fatalf("start answered %s", start.raw)
			}
			_, hasStatus := start.data()["status"]
			if hasStatus == (p == ProfileStrict) {
				t.Fatalf("%s profile: status field present %v", p, hasStatus)
			}
			statusOf := func() map[string]any {
				r := get(t, s, "/v2/vendor_report_export/export/"+key)
				mustStatus(t, r, 200)
				return r.data()
			}
			if d := statusOf(); d["file_url"] != nil {
				t.Fatalf("ready at once: %v", d)
			}
			clk.add(time.Minute)
			d := statusOf()
			if url, _ := d["file_url"].(string); !strings.HasPrefix(url, "https://") || d["file_name"] == nil {
				t.Fatalf("not ready after the delay: %v", d)
			}
			clk.add(ExportFileTTL)
			if d := statusOf(); d["file_url"] != nil {
				t.Fatalf("file still served after it expired: %v", d)
			}
			mustStatus(t, get(t, s, "/v2/vendor_report_export/export/vrex_nosuchkey00000"), 404)

			t.Run("one export per report every 2 hours", func(t *testing.T) {
				clk.t = fixedNow.Add(3 * time.Hour)
				mustStatus(t, send(t, s, &prodKeys, "POST", "/v2/vendor_report_export/"+b, map[string]any{"member_email": "a@x.example"}), 200)
				clk.add(ExportWindow - time.Second)
				mustStatus(t, send(t, s, &prodKeys, "POST", "/v2/vendor_report_export/"+b, map[string]any{"member_email": "b@x.example"}), 429)
				clk.add(time.Second)
				mustStatus(t, send(t, s, &prodKeys, "POST", "/v2/vendor_report_export/"+b, map[string]any{"member_email": "b@x.example"}), 200)
			})
			t.Run("20 exports per member email every 2 hours", func(t *testing.T) {
				clk.t = fixedNow.Add(10 * time.Hour)
				for i := 0; i < ExportsPerEmail; i++ {
					s.mu.Lock()
					s.st.reports = append(s.st.reports, &reportConfig{key: "vrc_extra" + itoaInt(i), name: "Extra"})
					index(&s.st.reportIdx, s.st.reports[len(s.st.reports)-1].key, len(s.st.reports)-1)
					s.mu.Unlock()
					mustStatus(t, send(t, s, &prodKeys, "POST", "/v2/vendor_report_export/vrc_extra"+itoaInt(i), map[string]any{"member_email": "Busy@x.example"}), 200)
				}
				r := send(t, s, &prodKeys, "POST", "/v2/vendor_report_export/"+a, map[string]any{"member_email": "busy@x.example"})
				mustStatus(t, r, 429)
				mustStatus(t, send(t, s, &prodKeys, "POST", "/v2/vendor_report_export/"+a, map[string]any{"member_email": "other@x.example"}), 200)
			})
			mustStatus(t, send(t, s, &prodKeys, "POST", "/v2/vendor_report_export/"+a, map[string]any{}), 400)
			mustStatus(t, send(t, s, &prodKeys, "POST", "/v2/vendor_report_export/vrc_nosuchkey000000", map[string]any{"member_email": "a@x.example"}), 404)
		})
	}
}
