package tools

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// The partnerships toolset's opt-in tools: tags, the bulk group move and
// referral links. Each relies on a body or a shape PartnerStack does not
// document (evidence.go), so each reads back what it changed and says
// plainly when the API did not do what was asked.

var _ = []*rule{
	lookupRule("partnerships", kindBody, "PATCH .../tags"),
	lookupRule("partnerships", kindField, "tags"),
	lookupRule("partnerships", kindBody, "PATCH /v2/partnerships (bulk move)"),
	lookupRule("partnerships", kindLookup, "GET /v2/links/{partnership_identifier}"),
}

type tagPartnershipArgs struct {
	PartnershipKey string   `json:"partnership_key" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Partnership key or partner_key."`
	Add            []string `json:"add,omitempty" jsonschema:"maxItems=50,minLength=1,maxLength=100"`
	Remove         []string `json:"remove,omitempty" jsonschema:"maxItems=50,minLength=1,maxLength=100"`
	DryRunArg
}

func (a *tagPartnershipArgs) validate() error {
	if len(a.Add) == 0 && len(a.Remove) == 0 {
		return argErr("", "nothing to change", "pass add, remove or both")
	}
	for _, t := range a.Add {
		if slices.Contains(a.Remove, t) {
			return argErr("remove", "'"+t+"' is both added and removed", "drop it from one of the two")
		}
	}
	return nil
}

// mergeTags is current with add appended (in order, once) and remove taken out.
func mergeTags(current, add, remove []string) []string {
	out := []string{}
	for _, t := range slices.Concat(current, add) {
		if !slices.Contains(out, t) && !slices.Contains(remove, t) {
			out = append(out, t)
		}
	}
	return out
}

func sameTags(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

// tagPartnership reads the partner's tags, sends the whole new list to the
// tags endpoint (Inferred body, as update_partnership's tags) and compares
// the tags read back with the list sent.
func tagPartnership(ctx context.Context, d Deps, a *tagPartnershipArgs) (WriteResult[partnershipItem], error) {
	c := d.Client
	p, err := findPartnership(ctx, c, d, a.PartnershipKey)
	if err != nil {
		return WriteResult[partnershipItem]{}, err
	}
	if p.Tags == nil {
		// Inferred: tags are not in the documented partnership object; an
		// answer without them leaves the current list unknown, and the new
		// list would replace it.
		return WriteResult[partnershipItem]{}, &UnconfirmedError{Msg: "PartnerStack did not send partner " + p.Key +
			"'s current tags, so adding or removing one would replace tags it cannot see; nothing was sent. Set the whole list with update_partnership tags."}
	}
	want := mergeTags(p.Tags, a.Add, a.Remove)
	if sameTags(want, p.Tags) {
		cur := projectPartnership(nil)(*p)
		return WriteResult[partnershipItem]{Result: &cur, Message: "The tags are already as asked; nothing was sent."}, nil
	}
	res, err := write(ctx, a.DryRun, func(ctx context.Context) (*client.Partnership, error) {
		got, err := c.Partnerships.SetTags(ctx, p.Key, want)
		if err != nil {
			return nil, err
		}
		if got.Key == "" || got.Tags == nil { // what the endpoint answers is not documented: read the partner back
			if got, err = c.Partnerships.Get(ctx, p.Key); err != nil {
				return nil, fmt.Errorf("the tags were sent, but reading the partner back failed: %w", err)
			}
		}
		if !sameTags(got.Tags, want) {
			return nil, &UnconfirmedError{Msg: fmt.Sprintf("PartnerStack accepted the tag change, but partner %s now has tags [%s], not [%s]; check with get_partnership.",
				p.Key, strings.Join(got.Tags, ", "), strings.Join(want, ", "))}
		}
		return got, nil
	}, projectPartnership(nil))
	if err == nil && !a.DryRun {
		res.Message = "Tags now: " + strings.Join(want, ", ") + "."
	}
	return res, err
}

type movePartnershipsArgs struct {
	PartnershipKeys []string `json:"partnership_keys" jsonschema:"minItems=1,maxItems=100,minLength=1,maxLength=255" jsonschema_description:"Partnership keys (part_...), at most 100."`
	GroupKey        string   `json:"group_key" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Destination group (see list_groups)."`
	DryRunArg
}

func (a *movePartnershipsArgs) validate() error {
	if len(a.PartnershipKeys) > client.MaxMoveKeys {
		return argErr("partnership_keys", fmt.Sprintf("holds %d keys; one move takes at most %d", len(a.PartnershipKeys), client.MaxMoveKeys),
			"split the keys into calls of 100 or fewer")
	}
	for i, k := range a.PartnershipKeys {
		if slices.Contains(a.PartnershipKeys[:i], k) {
			return argErr("partnership_keys", "'"+k+"' is listed twice", "list each partnership once")
		}
	}
	return nil
}

// moveResult is what a bulk move did, as read back.
type moveResult struct {
	GroupKey string   `json:"group_key"`
	Moved    []string `json:"moved"`
}

// readBackParallel bounds the reads that verify a bulk move.
const readBackParallel = 4

// movePartnerships sends the bulk move (Inferred body) and reads every
// partnership back: the answer lists those now in the group, and any that
// are not (or cannot be read) make it an error that names them.
func movePartnerships(ctx context.Context, d Deps, a *movePartnershipsArgs) (WriteResult[moveResult], error) {
	c := d.Client
	return write(ctx, a.DryRun, func(ctx context.Context) (*moveResult, error) {
		if err := c.Partnerships.Move(ctx, &client.PartnershipMove{PartnershipKeys: a.PartnershipKeys, GroupKey: a.GroupKey}); err != nil {
			return nil, err
		}
		now := make([]string, len(a.PartnershipKeys)) // each one's group after the move, or why it is unknown
		var wg sync.WaitGroup
		slots := make(chan struct{}, readBackParallel)
		for i, k := range a.PartnershipKeys {
			wg.Add(1)
			slots <- struct{}{}
			go func() {
				defer func() { <-slots; wg.Done() }()
				switch p, err := c.Partnerships.Get(ctx, k); {
				case err != nil:
					now[i] = "unreadable: " + clip(describe(err))
				case p.Group == nil:
					now[i] = "no group shown"
				default:
					now[i] = p.Group.Key
				}
			}()
		}
		wg.Wait()
		res := &moveResult{GroupKey: a.GroupKey, Moved: []string{}}
		var off []string
		for i, k := range a.PartnershipKeys {
			if now[i] == a.GroupKey {
				res.Moved = append(res.Moved, k)
				continue
			}
			off = append(off, k+" ("+now[i]+")")
		}
		if len(off) > 0 {
			return nil, &UnconfirmedError{Msg: fmt.Sprintf("PartnerStack accepted the move, but read back %d of %d partnerships are not in group %s: %s. Moved: %s.",
				len(off), len(a.PartnershipKeys), a.GroupKey, strings.Join(off, "; "), listOrNone(res.Moved))}
		}
		return res, nil
	}, func(r moveResult) moveResult { return r })
}

func listOrNone(keys []string) string {
	if len(keys) == 0 {
		return "none"
	}
	return strings.Join(keys, ", ")
}

type referralLinksArgs struct {
	PartnershipKey string `json:"partnership_key" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Partnership key or partner_key."`
}

type linkItem struct {
	Key         string         `json:"key,omitempty"`
	URL         string         `json:"url,omitempty"`
	Name        string         `json:"name,omitempty"`
	Destination string         `json:"destination,omitempty"`
	CreatedAt   string         `json:"created_at,omitempty"`
	Fields      map[string]any `json:"fields,omitempty"` // every field, when no URL could be read
}

func projectLink(l client.ReferralLink) linkItem {
	it := linkItem{Key: l.Key, URL: l.URL, Name: l.Name, Destination: l.Destination}
	if l.CreatedAt != 0 {
		it.CreatedAt = isoTime(l.CreatedAt)
	}
	if l.URL == "" {
		it.Fields = l.Raw
	}
	return it
}

func partnershipManageTools(d Deps) []Tool {
	c := d.Client
	const ts = "partnerships"
	return []Tool{
		newTool(spec{name: "tag_partnership", title: "Tag a partner", toolset: ts, hints: update, optIn: true,
			description: "Add or remove a partner's tags; the other tags stay."},
			func(ctx context.Context, _ *Call, a *tagPartnershipArgs) (WriteResult[partnershipItem], error) {
				return tagPartnership(ctx, d, a)
			}),
		newTool(spec{name: "move_partnerships", title: "Move partners to a group", toolset: ts, hints: update, optIn: true,
			description: "Move up to 100 partners to another group in one call; each is read back and any not moved is named."},
			func(ctx context.Context, _ *Call, a *movePartnershipsArgs) (WriteResult[moveResult], error) {
				return movePartnerships(ctx, d, a)
			}),
		newTool(spec{name: "list_referral_links", title: "List a partner's referral links", toolset: ts, hints: readOnly, optIn: true,
			description: "List one partner's referral links (URLs to hand them)."},
			func(ctx context.Context, _ *Call, a *referralLinksArgs) (ListResult[linkItem], error) {
				links, err := c.Links.ForPartnership(ctx, a.PartnershipKey)
				if client.IsNotFound(err) {
					return ListResult[linkItem]{}, argErr("partnership_key", "no partner has the key '"+a.PartnershipKey+"'", "find it with list_partnerships")
				}
				if err != nil {
					return ListResult[linkItem]{}, err
				}
				return whole(d, links, projectLink)
			}),
	}
}
