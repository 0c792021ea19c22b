package client

import (
	"encoding/json"
	"testing"
)

func TestLenientDecodingKeepsThePage(t *testing.T) {
	page := `{"items":[
		{"key":"part_1","partner_key":"a","stats":{"REVENUE":"1200","CUSTOMER_COUNT":3.0,"RATIO":0.5,"NOTE":"n/a","BAD":{}},"is_archived":true},
		{"key":"part_2","partner_key":"b","stats":"oops","archived":"false"},
		{"key":"part_3","partner_key":"c","stats":null,"archived":1}
	],"has_more":false}`
	var p Page[Partnership]
	if err := json.Unmarshal([]byte(page), &p); err != nil {
		t.Fatalf("a page with odd stats and archived values failed: %v", err)
	}
	if len(p.Items) != 3 {
		t.Fatalf("got %d items, want 3", len(p.Items))
	}
	got := p.Items[0].Stats
	want := Stats{"REVENUE": 1200, "CUSTOMER_COUNT": 3, "RATIO": 1}
	if len(got) != len(want) {
		t.Errorf("stats = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("stats[%s] = %d, want %d", k, got[k], v)
		}
	}
	if p.Items[1].Stats != nil || p.Items[2].Stats != nil {
		t.Errorf("non-object stats should read as none, got %v and %v", p.Items[1].Stats, p.Items[2].Stats)
	}
	if !p.Items[0].Archived || p.Items[1].Archived || !p.Items[2].Archived {
		t.Errorf("archived = %v %v %v, want true (is_archived) false (\"false\") true (1)",
			p.Items[0].Archived, p.Items[1].Archived, p.Items[2].Archived)
	}
	if p.Items[0].Key != "part_1" || p.Items[2].PartnerKey != "c" {
		t.Errorf("the other fields were not decoded: %+v", p.Items)
	}
}

func TestArchivedIsReadUnderBothNamesOnEveryObject(t *testing.T) {
	cases := map[string]func([]byte) (bool, error){
		"partnership": func(b []byte) (bool, error) { var x Partnership; err := json.Unmarshal(b, &x); return x.Archived, err },
		"customer":    func(b []byte) (bool, error) { var x Customer; err := json.Unmarshal(b, &x); return x.Archived, err },
		"transaction": func(b []byte) (bool, error) { var x Transaction; err := json.Unmarshal(b, &x); return x.Archived, err },
		"deal":        func(b []byte) (bool, error) { var x Deal; err := json.Unmarshal(b, &x); return x.Archived, err },
		"lead":        func(b []byte) (bool, error) { var x Lead; err := json.Unmarshal(b, &x); return x.Archived, err },
		"group":       func(b []byte) (bool, error) { var x Group; err := json.Unmarshal(b, &x); return x.Archived, err },
		"webhook":     func(b []byte) (bool, error) { var x Webhook; err := json.Unmarshal(b, &x); return x.Archived, err },
		"action":      func(b []byte) (bool, error) { var x Action; err := json.Unmarshal(b, &x); return x.Archived, err },
	}
	for name, decode := range cases {
		for body, want := range map[string]bool{
			`{"key":"k","archived":true}`:    true,
			`{"key":"k","is_archived":true}`: true,
			`{"key":"k","archived":"true"}`:  true,
			`{"key":"k","archived":false}`:   false,
			`{"key":"k"}`:                    false,
		} {
			got, err := decode([]byte(body))
			if err != nil || got != want {
				t.Errorf("%s %s: archived = %v (err %v), want %v", name, body, got, err, want)
			}
		}
	}
}

func TestGroupFeaturesAcceptStringsAndNumbers(t *testing.T) {
	var g Group
	err := json.Unmarshal([]byte(`{"key":"grup_1","features":{"deals_enabled":"true","leads_enabled":0,"x":"maybe","y":true}}`), &g)
	if err != nil {
		t.Fatal(err)
	}
	if !g.Features["deals_enabled"] || g.Features["leads_enabled"] || !g.Features["y"] {
		t.Errorf("features = %v", g.Features)
	}
	if _, ok := g.Features["x"]; ok {
		t.Errorf("an unreadable feature value should be left out, got %v", g.Features)
	}
}

func TestItemsReadsAnArrayOrAnItemsObject(t *testing.T) {
	for _, tc := range []struct {
		body string
		want int
		ok   bool
	}{
		{`[{"api_name":"new"},{"api_name":"won"}]`, 2, true},
		{`{"items":[{"api_name":"new"}],"has_more":false}`, 1, true},
		{`{"items":[]}`, 0, true},
		{`{"stages":[{"api_name":"new"}]}`, 0, false}, // unreadable, not "no stages"
		{`"new"`, 0, false},
	} {
		var got Items[Stage]
		err := json.Unmarshal([]byte(tc.body), &got)
		if (err == nil) != tc.ok || len(got) != tc.want {
			t.Errorf("%s: %d items, err %v; want %d, ok %v", tc.body, len(got), err, tc.want, tc.ok)
		}
	}
}
