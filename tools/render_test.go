package tools

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

func TestListResultsAreOneTableInBothForms(t *testing.T) {
	type ref struct {
		Key  string `json:"key"`
		Name string `json:"name,omitempty"`
	}
	type item struct {
		Key       string   `json:"key"`
		Note      string   `json:"note,omitempty"`
		Ref       *ref     `json:"ref,omitempty"`
		Tags      []string `json:"tags,omitempty"`
		Cents     int64    `json:"cents"`
		CreatedAt string   `json:"created_at,omitempty"`
	}
	cases := []struct {
		name             string
		res              ListResult[item]
		text, structured string
	}{
		{"an empty list is the count line alone",
			ListResult[item]{Items: []item{}},
			"count=0; has_more=false",
			`{"count":0,"has_more":false,"columns":[],"rows":[]}`},
		{"nested objects become dotted columns and absent values null (text: empty)",
			ListResult[item]{Items: []item{
				{Key: "a", Cents: 100},
				{Key: "b", Ref: &ref{Key: "r1", Name: "R"}, Tags: []string{"x", "y"}, Cents: -5},
			}, Count: 2, HasMore: true, NextCursor: "b"},
			"count=2; has_more=true; next_cursor=b\nkey|ref.key|ref.name|tags|cents\na||||100\nb|r1|R|x,y|-5",
			`{"count":2,"has_more":true,"next_cursor":"b","columns":["key","ref.key","ref.name","tags","cents"],"rows":[["a",null,null,null,100],["b","r1","R",["x","y"],-5]]}`},
		{"separators and line breaks inside values are escaped in the text only",
			ListResult[item]{Items: []item{{Key: "k", Note: "a|b\nc\\d", Tags: []string{"p,q"}}}, Count: 1, Note: "Stopped early."},
			"count=1; has_more=false\nStopped early.\nkey|note|tags|cents\nk|a\\|b\\nc\\\\d|p\\,q|0",
			`{"count":1,"has_more":false,"note":"Stopped early.","columns":["key","note","tags","cents"],"rows":[["k","a|b\nc\\d",["p,q"],0]]}`},
		{"a time column holds the UTC day; other strings stay as they are",
			ListResult[item]{Items: []item{
				{Key: "k", Note: "2026-04-30T23:57:10Z", CreatedAt: "2026-04-30T23:57:10-05:00"},
				{Key: "m", CreatedAt: "not a time"},
			}, Count: 2},
			"count=2; has_more=false\nkey|note|cents|created_at\nk|2026-04-30T23:57:10Z|0|2026-05-01\nm||0|not a time",
			`{"count":2,"has_more":false,"columns":["key","note","cents","created_at"],"rows":[["k","2026-04-30T23:57:10Z",0,"2026-05-01"],["m",null,0,"not a time"]]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := structuredResult(tc.res)
			if err != nil {
				t.Fatal(err)
			}
			if got := mcp.GetTextFromContent(res.Content[0]); got != tc.text {
				t.Errorf("text:\n%s\nwant\n%s", got, tc.text)
			}
			if got, _ := json.Marshal(res.StructuredContent); string(got) != tc.structured {
				t.Errorf("structuredContent\n%s\nwant\n%s", got, tc.structured)
			}
		})
	}
}

func TestOtherResultsKeepJSONInBothForms(t *testing.T) {
	res := DoneResult{Key: "k", Message: "done"}
	js, _ := json.Marshal(res)
	structured, text, err := publish(res, js)
	if err != nil || text != string(js) || string(structured) != string(js) || !strings.HasPrefix(text, "{") {
		t.Errorf("got %s / %s / %v", structured, text, err)
	}
}

// The output schema of a list tool describes the table and names the
// columns its items can produce, so the model knows them before calling.
func TestListOutputSchemaNamesTheColumns(t *testing.T) {
	var schema struct {
		Description string                     `json:"description"`
		Properties  map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(ListResult[partnershipItem]{}.outputSchema(), &schema); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"key, partner_key, email, name, group.key, group.name", "tags[]", "stats.*", "created_at"} {
		if !strings.Contains(schema.Description, want) {
			t.Errorf("description %q lacks %q", schema.Description, want)
		}
	}
	for _, p := range []string{"count", "has_more", "next_cursor", "note", "columns", "rows"} {
		if _, ok := schema.Properties[p]; !ok {
			t.Errorf("no %s property", p)
		}
	}
	if strings.Contains(string(schema.Properties["rows"]), "true") {
		t.Errorf("rows schema %s holds a boolean schema", schema.Properties["rows"])
	}
}
