package tools

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

func TestListTextIsAHeaderAndATable(t *testing.T) {
	type ref struct {
		Key  string `json:"key"`
		Name string `json:"name,omitempty"`
	}
	type item struct {
		Key   string   `json:"key"`
		Note  string   `json:"note,omitempty"`
		Ref   *ref     `json:"ref,omitempty"`
		Tags  []string `json:"tags,omitempty"`
		Cents int64    `json:"cents"`
	}
	cases := []struct {
		name string
		res  ListResult[item]
		want string
	}{
		{"an empty list is the header alone",
			ListResult[item]{Items: []item{}},
			"count=0; has_more=false"},
		{"nested objects become dotted columns and absent values empty cells",
			ListResult[item]{Items: []item{
				{Key: "a", Cents: 100},
				{Key: "b", Ref: &ref{Key: "r1", Name: "R"}, Tags: []string{"x", "y"}, Cents: -5},
			}, Count: 2, HasMore: true, NextCursor: "b"},
			"count=2; has_more=true; next_cursor=b\nkey|ref.key|ref.name|tags|cents\na||||100\nb|r1|R|x,y|-5"},
		{"separators and line breaks inside values are escaped",
			ListResult[item]{Items: []item{{Key: "k", Note: "a|b\nc\\d", Tags: []string{"p,q"}}}, Count: 1, Note: "Stopped early."},
			"count=1; has_more=false\nStopped early.\nkey|note|tags|cents\nk|a\\|b\\nc\\\\d|p\\,q|0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := structuredResult(tc.res)
			if err != nil {
				t.Fatal(err)
			}
			if got := mcp.GetTextFromContent(res.Content[0]); got != tc.want {
				t.Errorf("text:\n%s\nwant\n%s", got, tc.want)
			}
			want, _ := json.Marshal(tc.res)
			if got, _ := json.Marshal(res.StructuredContent); string(got) != string(want) {
				t.Errorf("structuredContent %s, want the JSON %s", got, want)
			}
		})
	}
}

func TestOtherResultsKeepJSONText(t *testing.T) {
	res := DoneResult{}
	js, _ := json.Marshal(res)
	if got := resultText(res, js); got != string(js) || !strings.HasPrefix(got, "{") {
		t.Errorf("got %s", got)
	}
}
