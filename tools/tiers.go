package tools

import (
	"context"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// The tiers toolset (opt-in): the partner tiers update_partnership's
// tier_key names.

type tierItem struct {
	Key       string `json:"key"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
}

func projectTier(t client.Tier) tierItem {
	return tierItem{Key: t.Key, Name: t.Name, CreatedAt: isoTime(t.CreatedAt)}
}

type listTiersArgs struct {
	ListArgs
}

func tierTools(d Deps) []Tool {
	c := d.Client
	return []Tool{
		newTool(spec{name: "list_tiers", title: "List partner tiers", toolset: "tiers", hints: readOnly,
			description: "List partner tiers; set a partner's with update_partnership tier_key."},
			func(ctx context.Context, call *Call, a *listTiersArgs) (ListResult[tierItem], error) {
				o := &client.TierListOptions{}
				if err := a.apply(&o.ListOptions); err != nil {
					return ListResult[tierItem]{}, err
				}
				return gather(ctx, call, d, c.Tiers.All(o), &a.ListArgs, projectTier)
			}),
	}
}
