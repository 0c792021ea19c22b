package tools

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

// FuzzToolArguments feeds arbitrary bytes as the arguments of a tool picked
// by index, through the real handler against an in-process sandbox.
// Properties: no panic, never a Go (protocol) error, every rejection a
// readable tool error (never "Internal error"), arguments over the size cap
// refused, and no invisible character in anything returned.
func FuzzToolArguments(f *testing.F) {
	sb := sandbox.New(sandbox.Options{Seed: 7, Transactions: 50})
	all := All(Deps{Client: newSandboxClient(f, sb, nil), CallTimeout: 5 * time.Second, InsightPageCap: 3})
	index := map[string]uint8{}
	for i, tl := range all {
		index[tl.Def.Name] = uint8(i)
	}
	seeds := map[string][]string{
		"list_partnerships":  {`{"limit":5,"fields":["team"]}`, `{"cursor":"\u202e","created_after":"2026-13-45"}`},
		"get_partnership":    {`{"key":"\u0000"}`, `{"key":"../../v2/rewards"}`},
		"create_partnership": {`{"email":"a@b.co","dry_run":true}`, `{"email":"a@b.co","tags":["` + strings.Repeat("t", 200) + `"]}`},
		"list_transactions":  {`{"currency":"usd","limit":500}`, `{"limit":1e309}`, `{"limit":-0}`},
		"record_transaction": {`{"customer_key":"c","amount":9900,"currency":"USD","dry_run":true}`, `{"customer_key":"c","amount":9007199254740993,"currency":"USD"}`, `{"customer_key":"c","amount":1,"currency":"USD","metadata":{"k":"v"},"allow_duplicate":true}`},
		"create_reward":      {`{"partner_key":"p","amount":5000,"description":"x","dry_run":true}`},
		"record_action":      {`{"customer_email":"a@b.co","key":"signup","value":1}`, `{"partner_key":"p","customer_key":"c","key":"k","value":1}`},
		"create_webhook":     {`{"target":"https://[::1]/x","events":["a"]}`, `{"target":"https://hooks.example.com","events":["a"],"dry_run":true}`},
		"summarize_revenue":  {`{"group_by":"day","from":"2026-01-01","to":"2025-01-01"}`, `{"top":100}`},
		"update_deal":        {`{"key":"deal_x"}`},
		"create_lead":        {`{"partner_key":"p","email":"a@b.co","name":"A B","dry_run":true}`},
	}
	for name, list := range seeds {
		for _, s := range list {
			f.Add(index[name], []byte(s))
		}
	}
	for i := range all {
		f.Add(uint8(i), []byte(`{}`))
		f.Add(uint8(i), []byte(`null`))
	}
	f.Add(uint8(0), []byte(`[1,2]`))
	f.Add(uint8(0), []byte(`{"limit":5,"limit":6}`))

	f.Fuzz(func(t *testing.T, pick uint8, raw []byte) {
		tl := all[int(pick)%len(all)]
		req := mcp.CallToolRequest{}
		req.Params.Name = tl.Def.Name
		req.Params.RawArguments = json.RawMessage(raw)
		res, err := tl.Handler(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: Go error %v", tl.Def.Name, err)
		}
		if res == nil || len(res.Content) == 0 {
			t.Fatalf("%s: empty result", tl.Def.Name)
		}
		text := res.Content[0].(mcp.TextContent).Text
		if i := strings.IndexFunc(text, invisible); i >= 0 {
			t.Fatalf("%s: invisible character %U returned", tl.Def.Name, []rune(text[i:])[0])
		}
		if res.StructuredContent != nil {
			sc, _ := json.Marshal(res.StructuredContent)
			if needsCleaning(sc) {
				t.Fatalf("%s: structured content holds invisible characters: %s", tl.Def.Name, sc)
			}
		}
		if len(raw) > MaxArgumentBytes && !res.IsError {
			t.Fatalf("%s: %d bytes of arguments accepted", tl.Def.Name, len(raw))
		}
		if res.IsError && (text == "" || strings.HasPrefix(text, "Internal error")) {
			t.Fatalf("%s(%s): unclear error %q", tl.Def.Name, raw, text)
		}
	})
}
