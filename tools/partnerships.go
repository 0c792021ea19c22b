package tools

import (
	"context"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

type partnershipItem struct {
	Key        string           `json:"key"`
	PartnerKey string           `json:"partner_key"`
	Email      string           `json:"email"`
	Name       string           `json:"name,omitempty"`
	Group      *ref             `json:"group,omitempty"`
	Archived   bool             `json:"archived,omitempty"`
	Test       bool             `json:"test,omitempty"`
	Tags       []string         `json:"tags,omitempty"`
	Stats      map[string]int64 `json:"stats,omitempty"`
	JoinedAt   string           `json:"joined_at,omitempty"`
	CreatedAt  string           `json:"created_at"`
	Extra      map[string]any   `json:"extra,omitempty"`
}

func projectPartnership(fields []string) func(client.Partnership) partnershipItem {
	return func(p client.Partnership) partnershipItem {
		it := partnershipItem{
			Key: p.Key, PartnerKey: p.PartnerKey, Email: p.Email, Name: fullName(p.FirstName, p.LastName),
			Archived: p.Archived, Test: p.Test, Tags: p.Tags, Stats: p.Stats,
			JoinedAt: isoTimePtr(p.JoinedAt), CreatedAt: isoTime(p.CreatedAt), Extra: extras(p, fields),
		}
		if p.Group != nil {
			it.Group = &ref{Key: p.Group.Key, Name: p.Group.Name}
		}
		return it
	}
}

type listPartnershipsArgs struct {
	ListArgs
	GroupKey        string   `json:"group_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Only partners in this group."`
	Email           string   `json:"email,omitempty" jsonschema:"maxLength=255"`
	IncludeArchived bool     `json:"include_archived,omitempty"`
	Fields          []string `json:"fields,omitempty" jsonschema:"enum=team,enum=tier,enum=manager,enum=fields,enum=meta,enum=claimed,enum=updated_at"`
}

type createPartnershipArgs struct {
	Email      string   `json:"email" jsonschema:"format=email,maxLength=255"`
	GroupKey   string   `json:"group_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Group to join (see list_groups); default group if omitted."`
	FirstName  string   `json:"first_name,omitempty" jsonschema:"maxLength=50"`
	LastName   string   `json:"last_name,omitempty" jsonschema:"maxLength=50"`
	PartnerKey string   `json:"partner_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Unique partner key; generated if omitted."`
	Tags       []string `json:"tags,omitempty" jsonschema:"maxItems=50,maxLength=100"`
	DryRunArg
}

type updatePartnershipArgs struct {
	Key        string   `json:"key" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Partnership key or partner_key."`
	GroupKey   *string  `json:"group_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Move to this group."`
	PartnerKey *string  `json:"partner_key,omitempty" jsonschema:"minLength=1,maxLength=255"`
	FirstName  *string  `json:"first_name,omitempty" jsonschema:"maxLength=50"`
	LastName   *string  `json:"last_name,omitempty" jsonschema:"maxLength=50"`
	Tags       []string `json:"tags,omitempty" jsonschema:"maxItems=50,maxLength=100" jsonschema_description:"Replaces the tags."`
	DryRunArg
}

func (a *updatePartnershipArgs) validate() error {
	if a.GroupKey == nil && a.PartnerKey == nil && a.FirstName == nil && a.LastName == nil && a.Tags == nil {
		return argErr("", "nothing to update", "pass at least one of group_key, partner_key, first_name, last_name, tags")
	}
	return nil
}

func partnershipTools(d Deps) []Tool {
	c := d.Client
	const ts = "partnerships"
	return []Tool{
		newTool(spec{name: "list_partnerships", title: "List partners", toolset: ts, hints: readOnly,
			description: "List partners (partnerships), newest first, with group, tags and stats (REVENUE, COMMISSION_EARNED in cents)."},
			func(ctx context.Context, call *Call, a *listPartnershipsArgs) (ListResult[partnershipItem], error) {
				o := &client.PartnershipListOptions{GroupKey: a.GroupKey, Email: a.Email, IncludeArchived: a.IncludeArchived}
				if err := a.apply(&o.ListOptions); err != nil {
					return ListResult[partnershipItem]{}, err
				}
				return gather(ctx, call, c.Partnerships.All(o), a.limit(), d.budget(), projectPartnership(a.Fields))
			}),
		newTool(spec{name: "get_partnership", title: "Get a partner", toolset: ts, hints: readOnly,
			description: "Get one partner by partnership key, partner_key or email."},
			func(ctx context.Context, _ *Call, a *keyArgs) (partnershipItem, error) {
				p, err := c.Partnerships.Get(ctx, a.Key)
				if err != nil {
					return partnershipItem{}, err
				}
				return projectPartnership([]string{"team", "tier", "manager", "claimed"})(*p), nil
			}),
		newTool(spec{name: "create_partnership", title: "Add a partner", toolset: ts, hints: additive,
			description: "Add a partner to the program (an invitation they claim later)."},
			func(ctx context.Context, _ *Call, a *createPartnershipArgs) (WriteResult[partnershipItem], error) {
				body := &client.PartnershipCreate{Email: a.Email, GroupKey: a.GroupKey, FirstName: a.FirstName,
					LastName: a.LastName, PartnerKey: a.PartnerKey, Tags: a.Tags}
				return write(ctx, a.DryRun, func(ctx context.Context) (*client.Partnership, error) {
					return c.Partnerships.Create(ctx, body)
				}, projectPartnership(nil))
			}),
		newTool(spec{name: "update_partnership", title: "Update a partner", toolset: ts, hints: update,
			description: "Change a partner's group, partner_key, name or tags; omitted fields stay unchanged."},
			func(ctx context.Context, _ *Call, a *updatePartnershipArgs) (WriteResult[partnershipItem], error) {
				body := &client.PartnershipUpdate{GroupKey: a.GroupKey, PartnerKey: a.PartnerKey,
					FirstName: a.FirstName, LastName: a.LastName, Tags: a.Tags}
				return write(ctx, a.DryRun, func(ctx context.Context) (*client.Partnership, error) {
					return c.Partnerships.Update(ctx, a.Key, body)
				}, projectPartnership(nil))
			}),
		newTool(spec{name: "archive_partnership", title: "Archive a partner", toolset: ts, hints: removes,
			description: "Archive a partner (removes them from the program)."},
			func(ctx context.Context, _ *Call, a *archiveArgs) (DoneResult, error) {
				return remove(ctx, a.DryRun, a.Key, "Partnership archived.", func(ctx context.Context) error {
					return c.Partnerships.Archive(ctx, a.Key)
				})
			}),
	}
}
