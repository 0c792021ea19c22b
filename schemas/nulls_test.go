package schemas

import (
	"encoding/json"
	"testing"
)

type pair struct {
	Key   string  `json:"key"`
	Value *string `json:"value,omitempty"`
}

type withNested struct {
	Name  string `json:"name"`
	Note  string `json:"note,omitempty"`
	Pairs []pair `json:"pairs,omitempty"`
	Where *inner `json:"where,omitempty"`
}

func TestDropNullsRemovesOnlyOptionalNulls(t *testing.T) {
	o := OptionalsOf(Reflect[withNested]())
	doc, err := ParseDocument([]byte(`{"name":null,"note":null,"pairs":[{"key":null,"value":null},null],"where":{"city":null}}`))
	if err != nil {
		t.Fatal(err)
	}
	if !o.DropNulls(doc) {
		t.Fatal("reported nothing dropped")
	}
	got, _ := json.Marshal(doc)
	// name, key and city are required: their nulls stay for validation to
	// name; a null array element is not a property.
	if want := `{"name":null,"pairs":[{"key":null},null],"where":{"city":null}}`; string(got) != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	clean, _ := ParseDocument([]byte(`{"name":"a","pairs":[{"key":"k"}]}`))
	if o.DropNulls(clean) {
		t.Fatal("a document without nulls changed")
	}
}
