package tools

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// Each answer the API can give maps to its own hint: the client's
// predicates decide the class, this file only the words.
func TestAPIErrorsGiveTheHintOfTheirClass(t *testing.T) {
	api := func(status int) *client.Error {
		return &client.Error{Kind: client.KindAPI, Method: "GET", Path: "/v2/deals/deal_x", StatusCode: status, Message: "nope"}
	}
	limited := api(429)
	limited.RetryAfter = 1500 * time.Millisecond
	cases := []struct {
		name string
		err  *client.Error
		want string
	}{
		{"401 names the key settings", api(401), "PARTNERSTACK_SECRET_KEY"},
		{"403 names the key settings", api(403), "PARTNERSTACK_SECRET_KEY"},
		{"404 quotes the missing key", api(404), "no object has the key 'deal_x'"},
		{"429 says when to retry, rounded up", limited, "retry after 2 s"},
		{"429 without Retry-After still says retry", api(429), "retry after a little while"},
		{"400 asks to correct the field", api(400), "correct the named field"},
		{"500 is a server error", api(500), "server error; retry later"},
		{"503 is a server error", api(503), "server error; retry later"},
		{"another status gets no hint", api(409), "failed with 409: nope."},
		{"an oversized answer says so, not that PartnerStack was unreachable", &client.Error{Kind: client.KindTooLarge, Method: "GET", Path: "/v2/deals",
			StatusCode: 200, Err: fmt.Errorf("%w: the answer was larger than 16 MiB and was not read", client.ErrResponseTooLarge)},
			"the answer was larger than 16 MiB and was not read (nor fetched again). Ask for less"},
		{"an unknown outcome names the check", &client.Error{Kind: client.KindOutcomeUnknown, Method: "POST", Path: "/v2/rewards", StatusCode: 502},
			"Check with list_rewards before sending it again"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := describeFor(c.err, "list_rewards")
			if !strings.Contains(got, c.want) || !strings.HasPrefix(got, "PartnerStack "+c.err.Method+" "+c.err.Path) {
				t.Errorf("describe = %q, want it to start with the request and contain %q", got, c.want)
			}
			if hinted := strings.Contains(got, ". Hint: "); hinted != (c.err.Kind == client.KindAPI && c.err.StatusCode != 409) {
				t.Errorf("%q: hint given = %v", got, hinted)
			}
		})
	}
}

// Issue 17, item 12: a cursor PartnerStack does not accept is reported as
// the tool's cursor argument, not as the API's starting_after parameter the
// caller never saw.
func TestABadCursorIsNamedAsTheCursorArgument(t *testing.T) {
	f := newGuardFixture(t, Deps{})
	for _, tool := range []string{"list_partnerships", "list_transactions", "list_customers"} {
		isErr, text := f.call(t, tool, map[string]any{"cursor": "no-such-key"})
		if !isErr || !strings.Contains(text, "'cursor'") || strings.Contains(text, "starting_after") || !strings.Contains(text, "next_cursor") {
			t.Errorf("%s: %v %s", tool, isErr, text)
		}
	}
}
