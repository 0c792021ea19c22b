package client_test

import (
	"context"
	"testing"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/profiletest"
)

func TestApplicationsContract(t *testing.T) { profiletest.Run(t, testApplicationsContract) }

func testApplicationsContract(t *testing.T, _ sandbox.Profile) {
	ctx := context.Background()
	sb, c := newPair(t, sandbox.Options{})
	seeded := sb.Applications()
	pending := 0
	for _, a := range seeded {
		if a.Approved == nil {
			pending++
		}
	}

	// The status filter is undocumented (strict ignores it): the list is
	// re-filtered by its reader, here as tools/list.go does.
	t.Run("the pending applications, re-filtered by status", func(t *testing.T) {
		it := c.Applications.All(&client.ApplicationListOptions{Status: "pending"})
		var got []client.Application
		for a, err := range it.Seq(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			if a.Status() == "pending" {
				got = append(got, a)
			}
		}
		if len(got) != pending {
			t.Fatalf("got %d pending applications, want %d", len(got), pending)
		}
		for _, a := range got {
			if a.Status() != "pending" || a.Group == nil || a.Group.Key == "" || a.Content.Email == "" {
				t.Fatalf("application %+v", a)
			}
		}
	})

	t.Run("a decision is sent to the decision path and returns the application", func(t *testing.T) {
		key := ""
		for _, a := range seeded {
			if a.Approved == nil {
				key = a.Key
				break
			}
		}
		a := must(c.Applications.Decide(ctx, key, &client.ApplicationDecision{DeclineReason: "No audience"}))(t)
		if a.Status() != "declined" || a.DeclineReason == nil || *a.DeclineReason != "No audience" {
			t.Fatalf("declined application %+v", a)
		}
		log := sb.Requests()
		if w := log[len(log)-1]; w.Method != "PATCH" || w.Path != "/api/v2/applications/"+key+"/decision" {
			t.Fatalf("request %s %s", w.Method, w.Path)
		}
		_, err := c.Applications.Decide(ctx, key, &client.ApplicationDecision{Approved: true})
		if !client.IsValidation(err) {
			t.Fatalf("deciding twice: %v, want a 400", err)
		}
	})
}
