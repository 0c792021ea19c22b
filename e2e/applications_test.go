package e2e_test

import (
	"strings"
	"testing"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

// The application backlog: list_applications filters by status and group
// whatever the API does with the undocumented filters (the strict profile
// ignores them), and decide_application sends the inferred decision body,
// previews it on a dry run, and quotes the API's 400 as it came.
func TestApplicationsWorkflow(t *testing.T) { profiletest.Run(t, testApplicationsWorkflow) }

func testApplicationsWorkflow(t *testing.T, _ sandbox.Profile) {
	f := newFixture(t, partnerstackmcp.Config{})
	c := f.inProcess(t, "")

	var pendingWant, groupWant int
	groupKey := f.sb.Applications()[0].Group.Key
	for _, a := range f.sb.Applications() {
		if a.Approved == nil {
			pendingWant++
			if a.Group.Key == groupKey {
				groupWant++
			}
		}
	}
	if pendingWant < 3 {
		t.Fatalf("the seed has %d pending applications; want a backlog", pendingWant)
	}

	pending := ok(t, call(t, c, "list_applications", map[string]any{"status": "pending", "limit": 100}), "list_applications").items(t)
	if len(pending) != pendingWant {
		t.Fatalf("list_applications status pending: %d items, want %d", len(pending), pendingWant)
	}
	for _, a := range pending {
		if a["status"] != "pending" {
			t.Fatalf("list_applications status pending returned %v", a)
		}
	}
	inGroup := ok(t, call(t, c, "list_applications", map[string]any{"status": "pending", "group_key": groupKey, "limit": 100}), "list_applications").items(t)
	if len(inGroup) != groupWant {
		t.Fatalf("list_applications in group %s: %d items, want %d", groupKey, len(inGroup), groupWant)
	}
	for _, a := range inGroup {
		if a["group_key"] != groupKey {
			t.Fatalf("list_applications group_key %s returned %v", groupKey, a)
		}
	}

	approveKey, declineKey := pending[0]["key"].(string), pending[1]["key"].(string)
	t.Run("a dry run previews the decision and sends nothing", func(t *testing.T) {
		before := f.writes()
		r := ok(t, call(t, c, "decide_application", map[string]any{"application_key": declineKey, "decision": "decline",
			"decline_reason": "Not a fit", "dry_run": true}), "decide_application")
		prev, _ := r.Structured["dry_run"].(map[string]any)
		body, _ := prev["body"].(map[string]any)
		if prev["method"] != "PATCH" || !strings.HasSuffix(prev["url"].(string), "/v2/applications/"+declineKey+"/decision") ||
			body["approved"] != false || body["decline_reason"] != "Not a fit" {
			t.Fatalf("dry run preview %v", prev)
		}
		if f.writes() != before {
			t.Fatal("a dry run reached the API")
		}
	})
	t.Run("approving sends approved true", func(t *testing.T) {
		r := ok(t, call(t, c, "decide_application", map[string]any{"application_key": approveKey, "decision": "approve"}), "decide_application")
		body := wantWrite(t, f, "PATCH", "/v2/applications/"+approveKey+"/decision")
		if body["approved"] != true || len(body) != 1 {
			t.Fatalf("approve sent %v", body)
		}
		if r.obj(t)["status"] != "approved" {
			t.Fatalf("approve answered %v", r.Structured)
		}
	})
	t.Run("declining sends approved false and the reason", func(t *testing.T) {
		r := ok(t, call(t, c, "decide_application", map[string]any{"application_key": declineKey, "decision": "decline",
			"decline_reason": "Audience too small"}), "decide_application")
		body := wantWrite(t, f, "PATCH", "/v2/applications/"+declineKey+"/decision")
		if body["approved"] != false || body["decline_reason"] != "Audience too small" {
			t.Fatalf("decline sent %v", body)
		}
		if got := r.obj(t); got["status"] != "declined" || got["decline_reason"] != "Audience too small" {
			t.Fatalf("decline answered %v", got)
		}
	})
	t.Run("a 400 from the API is quoted as it came", func(t *testing.T) {
		r := call(t, c, "decide_application", map[string]any{"application_key": approveKey, "decision": "decline"})
		if !r.IsError || !strings.Contains(r.Text, "Application has already been approved") {
			t.Fatalf("re-deciding answered %v %q", r.IsError, r.Text)
		}
	})
	t.Run("bad input is a tool error naming the field", func(t *testing.T) {
		for field, args := range map[string]map[string]any{
			"decline_reason":  {"application_key": approveKey, "decision": "approve", "decline_reason": "x"},
			"decision":        {"application_key": approveKey, "decision": "maybe"},
			"application_key": {"application_key": "appl_nosuchkey0000", "decision": "approve"},
		} {
			r := call(t, c, "decide_application", args)
			if !r.IsError || !strings.Contains(r.Text, field) {
				t.Errorf("%v answered %v %q; want a tool error naming %s", args, r.IsError, r.Text, field)
			}
		}
	})
}
