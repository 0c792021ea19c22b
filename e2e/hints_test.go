package e2e_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/httpserve"
	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// TestToolsListSendsEveryHint reads tools/list as raw JSON off the wire of a
// server built with no tool configuration, the way a directory reviewer's
// checker does: every seed operation is offered, and every tool carries all
// four hints as JSON booleans plus annotations.title.
func TestToolsListSendsEveryHint(t *testing.T) {
	f := newFixture(t, partnerstackmcp.Config{Toolsets: []tools.ToolsetID{tools.ToolsetDefault}})
	base := serveGuarded(t, f, httpserve.TransportHTTP, httpserve.Options{}, nil)
	post := func(body, session string) (*http.Response, []byte) {
		req, _ := http.NewRequestWithContext(t.Context(), "POST", base+"/mcp", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Mcp-Protocol-Version", "2025-11-25")
		if session != "" {
			req.Header.Set("Mcp-Session-Id", session)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(resp.Body)
		raw := buf.Bytes()
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") { // one data: line
			sc := bufio.NewScanner(bytes.NewReader(raw))
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
					raw = []byte(data)
				}
			}
		}
		return resp, raw
	}
	resp, _ := post(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"hints","version":"0"}}}`, "")
	session := resp.Header.Get("Mcp-Session-Id")
	if session == "" {
		t.Fatalf("initialize: %d, no session", resp.StatusCode)
	}
	_, raw := post(`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`, session)
	var msg struct {
		Result struct {
			Tools []map[string]any `json:"tools"`
		} `json:"result"`
	}
	if err := json.Unmarshal(raw, &msg); err != nil || len(msg.Result.Tools) == 0 {
		t.Fatalf("tools/list: %v %.300s", err, raw)
	}
	offered := map[string]bool{}
	for _, tool := range msg.Result.Tools {
		name, _ := tool["name"].(string)
		offered[name] = true
		ann, _ := tool["annotations"].(map[string]any)
		for _, hint := range []string{"readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"} {
			if _, ok := ann[hint].(bool); !ok {
				t.Errorf("%s: %s = %#v on the wire, want true or false", name, hint, ann[hint])
			}
		}
		if title, _ := ann["title"].(string); title == "" || title != tool["title"] {
			t.Errorf("%s: annotations.title %#v, title %#v", name, ann["title"], tool["title"])
		}
	}
	for _, seed := range []string{"list_partnerships", "create_partnership", "list_customers", "create_customer",
		"record_transaction", "list_deals", "create_deal", "record_action", "create_reward", "list_leads",
		"create_lead", "list_groups", "list_webhooks", "create_webhook", "delete_webhook"} {
		if !offered[seed] {
			t.Errorf("the default tools/list lacks %s", seed)
		}
	}
}
