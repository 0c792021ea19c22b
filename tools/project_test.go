package tools

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

// extrasByRoundTrip is the obvious form of extras: the whole object through
// JSON into a map. extras must give exactly what it gives.
func extrasByRoundTrip(obj any, fields []string) map[string]any {
	raw, err := json.Marshal(obj)
	if err != nil {
		return nil
	}
	var all map[string]any
	if json.Unmarshal(raw, &all) != nil {
		return nil
	}
	out := map[string]any{}
	for _, f := range fields {
		if v, ok := all[f]; ok && v != nil {
			out[f] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// sandboxObjects returns a few objects of every API type, as the client
// decodes them from the sandbox.
func sandboxObjects(t testing.TB) []any {
	sb := sandbox.New(sandbox.Options{Seed: 1})
	c, err := client.New(client.Config{PublicKey: sandbox.DefaultPublicKey, SecretKey: sandbox.DefaultSecretKey,
		BaseURL: "http://sandbox.invalid/api", HTTPClient: sb.Client()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var objs []any
	add := func(items any, err error) {
		if err != nil {
			t.Fatal(err)
		}
		v := reflect.ValueOf(items).Elem().FieldByName("Items")
		for i := range min(v.Len(), 5) {
			objs = append(objs, v.Index(i).Interface())
		}
	}
	add(c.Partnerships.List(ctx, nil))
	add(c.Customers.List(ctx, nil))
	add(c.Transactions.List(ctx, nil))
	add(c.Deals.List(ctx, nil))
	add(c.Leads.List(ctx, nil))
	add(c.Actions.List(ctx, nil))
	add(c.Rewards.List(ctx, nil))
	add(c.Webhooks.List(ctx, nil))
	add(c.Groups.List(ctx, nil))
	return objs
}

func TestExtrasPicksFieldsExactlyAsARoundTripWould(t *testing.T) {
	objs := sandboxObjects(t)
	objs = append(objs,
		map[string]any{"a<b": 1, "plain": "x", "null": nil, "nested": map[string]any{"plain": "inner"}},
		nil, "not an object", []int{1, 2})
	for _, obj := range objs {
		raw, _ := json.Marshal(obj)
		var all map[string]any
		_ = json.Unmarshal(raw, &all)
		names := append(slices.Sorted(func(yield func(string) bool) {
			for k := range all {
				if !yield(k) {
					return
				}
			}
		}), "no_such_field")
		for _, fields := range [][]string{names, names[:1], {"no_such_field"}, {"inner", "plain"}} {
			got, want := extras(obj, fields), extrasByRoundTrip(obj, fields)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%T %v:\n got %#v\nwant %#v", obj, fields, got, want)
			}
		}
	}
}

// BenchmarkExtras picks get_deal's four extra fields from a deal.
//
//	go test ./tools -run '^$' -bench Extras -benchmem
func BenchmarkExtras(b *testing.B) {
	var deal client.Deal
	for _, o := range sandboxObjects(b) {
		if d, ok := o.(client.Deal); ok {
			deal = d
			break
		}
	}
	fields := []string{"contact_first_name", "contact_last_name", "group_key", "source"}
	b.ReportAllocs()
	for b.Loop() {
		extras(deal, fields)
	}
}
