package e2e_test

import (
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
)

// The four workflow prompts as a client sees them: listed with their
// arguments, filled on prompts/get, and a missing or malformed required
// argument refused with a message naming it.
func TestPromptsAsAClientSeesThem(t *testing.T) {
	f := newFixture(t, partnerstackmcp.Config{})
	for _, version := range []string{"", "2025-11-25"} {
		c := f.inProcess(t, version)
		listed, err := c.ListPrompts(t.Context(), mcp.ListPromptsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"monthly_payout_review", "pipeline_review", "reengage_inactive_partners", "review_pending_applications"} // by name, as mcp-go lists them
		var got []string
		for _, p := range listed.Prompts {
			got = append(got, p.Name)
			if p.Title == "" || p.Description == "" {
				t.Errorf("%s: no title or description", p.Name)
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("prompts/list: %v, want %v", got, want)
		}

		get := func(name string, args map[string]string) (string, error) {
			req := mcp.GetPromptRequest{}
			req.Params.Name, req.Params.Arguments = name, args
			res, err := c.GetPrompt(t.Context(), req)
			if err != nil {
				return "", err
			}
			if len(res.Messages) != 1 || res.Messages[0].Role != mcp.RoleUser {
				t.Fatalf("%s: messages %+v", name, res.Messages)
			}
			return res.Messages[0].Content.(mcp.TextContent).Text, nil
		}
		text, err := get("monthly_payout_review", map[string]string{"month": "2026-02", "group_key": "grup_Resellers"})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{`from "2026-02-01" and to "2026-02-28"`, `group_key "grup_Resellers"`, "reward_summary", "dry_run true"} {
			if !strings.Contains(text, s) {
				t.Errorf("monthly_payout_review: %q missing from\n%s", s, text)
			}
		}
		if _, err := get("monthly_payout_review", nil); err == nil || !strings.Contains(err.Error(), `"month" is required`) {
			t.Errorf("without month: %v", err)
		}
		if _, err := get("monthly_payout_review", map[string]string{"month": "February"}); err == nil || !strings.Contains(err.Error(), "YYYY-MM") {
			t.Errorf("month February: %v", err)
		}
		text, err = get("review_pending_applications", nil)
		if err != nil || !strings.Contains(text, `list_applications with status "pending";`) || strings.Contains(text, "{group_key}") {
			t.Errorf("review_pending_applications without group: %v %q", err, text)
		}
	}
}
