package tools

import (
	"context"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

type groupItem struct {
	Key       string `json:"key"`
	Name      string `json:"name"`
	Slug      string `json:"slug,omitempty"`
	Default   bool   `json:"default,omitempty"`
	Archived  bool   `json:"archived,omitempty"`
	CreatedAt string `json:"created_at"`
}

func projectGroup(g client.Group) groupItem {
	return groupItem{Key: g.Key, Name: g.Name, Slug: g.Slug, Default: g.Default, Archived: g.Archived, CreatedAt: isoTime(g.CreatedAt)}
}

type listGroupsArgs struct {
	ListArgs
}

func groupTools(d Deps) []Tool {
	c := d.Client
	return []Tool{
		newTool(spec{name: "list_groups", title: "List partner groups", toolset: "groups", hints: readOnly,
			description: "List partner groups; their keys are used by partner and deal tools."},
			func(ctx context.Context, call *Call, a *listGroupsArgs) (ListResult[groupItem], error) {
				o := &client.GroupListOptions{}
				if err := a.apply(&o.ListOptions); err != nil {
					return ListResult[groupItem]{}, err
				}
				return gather(ctx, call, d, c.Groups.All(o), &a.ListArgs, projectGroup)
			}),
	}
}
