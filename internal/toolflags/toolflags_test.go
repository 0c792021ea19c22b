package toolflags

import (
	"encoding/json"
	"flag"
	"io"
	"strings"
	"testing"
)

const schema = `{"type":"object","required":["name"],"properties":{
	"name":{"type":"string","description":"Who."},
	"count":{"type":"integer","default":25,"minimum":1,"maximum":500},
	"ratio":{"type":"number"},
	"on":{"type":"boolean"},
	"ids":{"type":"array","items":{"type":"integer"}},
	"tags":{"type":"array","items":{"type":"string","enum":["a","b"]}},
	"labels":{"type":"object","additionalProperties":{"type":"string"}},
	"pairs":{"type":"array","items":{"type":"object","required":["k","v"],"properties":{"k":{"type":"string"},"v":{"type":"string"}}}},
	"rows":{"type":"array","items":{"type":"object","properties":{"a":{"type":"integer"}}}},
	"any":{}
}}`

func parse(t *testing.T, args ...string) (*Set, map[string]any, error) {
	t.Helper()
	s, err := New("demo", json.RawMessage(schema))
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := s.Define(fs); err != nil {
		t.Fatal(err)
	}
	if err := fs.Parse(args); err != nil {
		return s, nil, err
	}
	return s, s.Arguments(map[string]any{"name": "base", "count": 1}), nil
}

func TestArgumentsFollowTheSchemaTypes(t *testing.T) {
	_, got, err := parse(t, "--count", "7", "--ratio=0.5", "--on", "--ids", "1,2", "--ids", "3",
		"--tags", "a", "--labels", "x=1", "--labels", `{"y":"2"}`, "--pairs", "p=q=r", "--any", `{"deep":[1]}`, "--rows", `{"a":1}`)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(got)
	want := `{"any":{"deep":[1]},"count":7,"ids":[1,2,3],"labels":{"x":"1","y":"2"},"name":"base","on":true,"pairs":[{"k":"p","v":"q=r"}],"ratio":0.5,"rows":[{"a":1}],"tags":["a"]}`
	if string(raw) != want {
		t.Errorf("arguments\n%s\nwant\n%s", raw, want)
	}
}

func TestValuesThatAreNotTheirTypeAreSentAsTyped(t *testing.T) {
	_, got, err := parse(t, "--count", "many", "--on=maybe", "--ids", "1,x", "--any", "plain words", "--rows", "a=1")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(got)
	// The tool's validation then names each as the wrong type.
	want := `{"any":"plain words","count":"many","ids":[1,"x"],"name":"base","on":"maybe","rows":["a=1"]}`
	if string(raw) != want {
		t.Errorf("arguments\n%s\nwant\n%s", raw, want)
	}
}

func TestRenameNamesTheFlagAsTyped(t *testing.T) {
	s, _, err := parse(t, "--on=maybe", "--ids", "x")
	if err != nil {
		t.Fatal(err)
	}
	text := "invalid argument 'on': got string, want boolean\ninvalid argument 'ids.0': got string\n" +
		"invalid argument 'ratio': too big\ninvalid argument 'name': too short. Fix: one of 'on', 'off'"
	want := "invalid argument '--on': got string, want boolean\ninvalid argument '--ids.0': got string\n" +
		"invalid argument '--ratio': too big\ninvalid argument 'name': too short. Fix: one of 'on', 'off'"
	if got := s.Rename(text); got != want {
		t.Errorf("renamed\n%s\nwant\n%s", got, want)
	}
}

func TestBothSpellingsAndPairSyntax(t *testing.T) {
	s, err := New("demo", json.RawMessage(`{"type":"object","properties":{"partner_key":{"type":"string"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	if err := s.Define(fs); err != nil || fs.Lookup("partner_key") == nil || fs.Lookup("partner-key") == nil {
		t.Fatalf("spellings not both defined: %v", err)
	}
	if err := s.Define(fs); err == nil || !strings.Contains(err.Error(), "clashes") {
		t.Errorf("a second definition of the same flags: %v, want a clash", err)
	}
	if _, _, err := parse(t, "--pairs", "novalue"); err == nil || !strings.Contains(err.Error(), "want K=V") {
		t.Errorf("a pair without =: %v", err)
	}
}

func TestHelpShowsEveryArgument(t *testing.T) {
	s, _, _ := parse(t)
	var b strings.Builder
	if err := s.WriteHelp(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--name", "string", "required", "Who.", "--count", "From 1 to 500. Default: 25.", "--tags", "One of: a, b.",
		"--labels", "KEY=VALUE", "--pairs", "K=V", "--any", "JSON value", "--ids", "list of integer"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, b.String())
		}
	}
}
