package tools

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// Issue 17, item 7: a dry run shows exactly what would be sent. The preview
// used to be cleaned of bidi overrides, zero-width characters and NUL while
// the API received them (the preview read "Adaevilx", PartnerStack got
// "Ada\u202eevil\u200b\x00\u2066x"), and its body was re-encoded (keys
// reordered, numbers as floats). Now such characters are refused in any
// argument, naming it, and the preview is the request body byte for byte.
func TestDryRunPreviewIsByteForByteWhatIsSent(t *testing.T) {
	f := newGuardFixture(t, Deps{})
	partner, cust := f.partnerAndCustomer(t)
	cases := []struct {
		tool, path string
		args       map[string]any
	}{
		{"create_customer", "/v2/customers", map[string]any{"email": "zoe@acme.test", "partner_key": partner,
			"name": "Zoë «Ω» 日本 <b>&amp; \"q\" \\ 👍\tline\nnext", "customer_key": "zoe-1"}},
		{"record_transaction", "/v2/transactions", map[string]any{"customer_key": cust, "amount": 49999999999,
			"currency": "usd", "created_at": "2026-01-05", "metadata": map[string]any{"b": "2", "a": "1 <x>"}}},
		{"create_reward", "/v2/rewards", map[string]any{"partner_key": partner, "amount": 1234, "description": "Q1 bonus — ✓"}},
		{"update_customer", "/v2/customers/", map[string]any{"customer_key": cust, "name": "Renamed é"}},
	}
	for _, tc := range cases {
		t.Run(tc.tool, func(t *testing.T) {
			dry := clone(tc.args)
			dry["dry_run"] = true
			res, err := f.tools[tc.tool].Handler(t.Context(), mcpReq(tc.tool, dry))
			if err != nil || res.IsError {
				t.Fatalf("dry run: %v %v", err, res.Content)
			}
			raw, _ := json.Marshal(res.StructuredContent)
			var preview struct {
				DryRun struct {
					Method string          `json:"method"`
					URL    string          `json:"url"`
					Body   json.RawMessage `json:"body"`
				} `json:"dry_run"`
			}
			if err := json.Unmarshal(raw, &preview); err != nil || len(preview.DryRun.Body) == 0 {
				t.Fatalf("no preview body in %s", raw)
			}
			f.sb.ResetLog()
			if isErr, text := f.call(t, tc.tool, tc.args); isErr {
				t.Fatalf("real call: %s", text)
			}
			var sent []byte
			var sentURL string
			for _, r := range f.sb.Requests() {
				if r.Method == preview.DryRun.Method && strings.HasPrefix(r.Path, "/api"+tc.path) {
					sent, sentURL = r.Body, r.Path
				}
			}
			if !bytes.Equal(sent, preview.DryRun.Body) {
				t.Fatalf("preview body differs from the body sent:\npreview %s\nsent    %s", preview.DryRun.Body, sent)
			}
			if !strings.HasSuffix(preview.DryRun.URL, sentURL) {
				t.Fatalf("preview URL %s, sent %s", preview.DryRun.URL, sentURL)
			}
		})
	}
}

func TestInvisibleCharactersInArgumentsAreRefused(t *testing.T) {
	f := newGuardFixture(t, Deps{})
	partner, _ := f.partnerAndCustomer(t)
	for name, tc := range map[string]struct {
		tool, field string
		args        map[string]any
	}{
		"bidi override, zero-width space, NUL, isolate": {"create_customer", "name",
			map[string]any{"email": "ada@acme.test", "partner_key": partner, "name": "Ada\u202eevil\u200b\x00\u2066x"}},
		"zero-width joiner in a key":  {"get_partnership", "key", map[string]any{"key": "part\u200d_1"}},
		"tag characters in a dry run": {"create_reward", "description", map[string]any{"partner_key": partner, "amount": 100, "description": "ok\U000E0041", "dry_run": true}},
		"BOM in a metadata value":     {"record_transaction", "metadata.note", map[string]any{"customer_key": "c", "amount": 1, "currency": "USD", "metadata": map[string]any{"note": "\ufeffx"}}},
		"control character in a name": {"create_customer", "name", map[string]any{"email": "ada@acme.test", "partner_key": partner, "name": "A\x1b[31mB"}},
		"in a metadata name":          {"record_transaction", "metadata", map[string]any{"customer_key": "c", "amount": 1, "currency": "USD", "metadata": map[string]any{"n\u200bote": "x"}}},
		"in an array element":         {"create_webhook", "events.1", map[string]any{"target": "https://hooks.example.com/x", "events": []any{"customer.created", "deal\u202e.created"}}},
	} {
		t.Run(name, func(t *testing.T) {
			f.sb.ResetLog()
			isErr, text := f.call(t, tc.tool, tc.args)
			if !isErr || !strings.Contains(text, "invalid argument '"+tc.field+"'") || !strings.Contains(text, "U+") || !strings.Contains(text, "Fix: ") {
				t.Fatalf("not refused, or unclear: %v %s", isErr, text)
			}
			if got := f.sb.Requests(); len(got) != 0 {
				t.Fatalf("sent %s %s", got[0].Method, got[0].Path)
			}
		})
	}
	// Line breaks and tabs are text, not hidden characters.
	if isErr, text := f.call(t, "create_reward", map[string]any{"partner_key": partner, "amount": 100, "description": "two\nlines\tok", "dry_run": true}); isErr {
		t.Fatalf("a line break was refused: %s", text)
	}
}
