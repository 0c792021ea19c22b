package schemas

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

type inner struct {
	City string `json:"city"`
}

type sample struct {
	Email  string   `json:"email" jsonschema:"format=email,maxLength=50" jsonschema_description:"Who."`
	Amount int64    `json:"amount" jsonschema:"minimum=1"`
	Events []string `json:"events,omitempty" jsonschema:"minItems=1,enum=a,enum=b"`
	Where  *inner   `json:"where,omitempty"`
}

func TestReflectInlinesAndIsStrict(t *testing.T) {
	s := string(Reflect[sample]())
	for _, banned := range []string{"$ref", "$defs", "$id", "$schema"} {
		if strings.Contains(s, banned) {
			t.Errorf("schema has %s: %s", banned, s)
		}
	}
	for _, want := range []string{`"additionalProperties":false`, `"required":["email","amount"]`, `"minimum":1`, `"description":"Who."`, `"required":["city"]`} {
		if !strings.Contains(s, want) {
			t.Errorf("schema lacks %s: %s", want, s)
		}
	}
	if got := strings.Join(Properties(Reflect[sample]()), ","); got != "amount,email,events,where" {
		t.Errorf("Properties = %s", got)
	}
}

func TestReflectOutputIsLean(t *testing.T) {
	s := string(ReflectOutput[sample]())
	if strings.Contains(s, "required") || strings.Contains(s, "additionalProperties") {
		t.Fatalf("output schema keeps strictness: %s", s)
	}
	if !strings.Contains(s, `"type":"object"`) || !strings.Contains(s, `"city"`) {
		t.Fatalf("output schema lost structure: %s", s)
	}
}

func TestValidatorNamesEveryProblem(t *testing.T) {
	v, err := NewValidator(Reflect[sample]())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ParseDocument([]byte(`{"amount":"x","events":["c"],"where":{},"bogus":1}`))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range v.Validate(doc) {
		got[p.Field] = p.Message
	}
	want := map[string]string{
		"email":      "is required",
		"bogus":      "is not a known argument",
		"amount":     "want integer",
		"events.0":   "must be one of",
		"where.city": "is required",
	}
	for field, msg := range want {
		if !strings.Contains(got[field], msg) {
			t.Errorf("%s: got %q, want it to contain %q (all: %v)", field, got[field], msg, got)
		}
	}
	ok, _ := ParseDocument([]byte(`{"email":"a@b.co","amount":3}`))
	if p := v.Validate(ok); p != nil {
		t.Errorf("valid document rejected: %v", p)
	}
}

// Issue 17, item 12: "@b.com" (an empty local part) passed format: email.
func TestEmailFormatNeedsBothParts(t *testing.T) {
	v, err := NewValidator(Reflect[sample]())
	if err != nil {
		t.Fatal(err)
	}
	for email, valid := range map[string]bool{
		"@b.com": false, "a@": false, "@": false, "a": false, "a@b": true, "ada@acme.test": true,
		"first.last+tag@sub.example.co": true, `"quoted"@example.com`: true, ".a@b.com": false, "a..b@c.com": false,
	} {
		doc, err := ParseDocument([]byte(`{"amount":1,"email":` + strconvQuote(email) + `}`))
		if err != nil {
			t.Fatal(err)
		}
		problems := v.Validate(doc)
		if got := len(problems) == 0; got != valid {
			t.Errorf("%q: valid=%v, want %v (%v)", email, got, valid, problems)
		}
		for _, p := range problems {
			if p.Field != "email" {
				t.Errorf("%q: problem names %q, not email", email, p.Field)
			}
		}
	}
}

func strconvQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// The first validators of a process compile at once, from several calls:
// with the release build's validator
// (scripts/patches/jsonschema-lazy-meta-schemas.patch) the first of them also
// compiles the meta-schemas, while Warm may be doing the same. CI runs this
// test alone, first in its process, under -race; each validator must then
// check as it does alone, format included.
func TestValidatorsCompileConcurrently(t *testing.T) {
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			if i == 0 {
				Warm()
			}
			v, err := NewValidator(Reflect[sample]())
			if err != nil {
				errs[i] = err
				return
			}
			bad, _ := ParseDocument([]byte(`{"amount":0,"email":"nope"}`))
			good, _ := ParseDocument([]byte(`{"amount":1,"email":"a@b.co"}`))
			problems := map[string]bool{}
			for _, p := range v.Validate(bad) {
				problems[p.Field] = true
			}
			if !problems["amount"] || !problems["email"] || len(v.Validate(good)) != 0 {
				errs[i] = fmt.Errorf("validator %d: problems %v for a bad document, %v for a good one", i, problems, v.Validate(good))
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
