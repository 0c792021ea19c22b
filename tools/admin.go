package tools

import (
	"context"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// The admin toolset: rarer changes to integration plumbing, opt-in so the
// default tools/list stays within its token budget.

type updateWebhookArgs struct {
	Key    string   `json:"key" jsonschema:"minLength=1,maxLength=255"`
	Target *string  `json:"target,omitempty" jsonschema:"minLength=8,maxLength=2048" jsonschema_description:"New https URL."`
	Events []string `json:"events,omitempty" jsonschema:"minItems=1,maxItems=50,minLength=1,maxLength=100" jsonschema_description:"Replaces the event list."`
	DryRunArg
}

func (a *updateWebhookArgs) validate() error {
	if a.Target == nil && a.Events == nil {
		return argErr("", "nothing to update", "pass target, events or both")
	}
	return nil
}

func adminTools(d Deps) []Tool {
	c := d.Client
	const ts = "admin"
	return []Tool{
		newTool(spec{name: "archive_action", title: "Archive an action", toolset: ts, hints: removes,
			description: "Archive a recorded custom action (key from list_actions)."},
			func(ctx context.Context, _ *Call, a *archiveArgs) (DoneResult, error) {
				return remove(ctx, a.DryRun, a.Key, "Action archived.", func(ctx context.Context) error {
					return c.Actions.Archive(ctx, a.Key)
				})
			}),
		newTool(spec{name: "get_webhook", title: "Get a webhook", toolset: ts, hints: readOnly,
			description: "Get one webhook subscription by key."},
			func(ctx context.Context, _ *Call, a *keyArgs) (webhookItem, error) {
				w, err := c.Webhooks.Get(ctx, a.Key)
				if err != nil {
					return webhookItem{}, err
				}
				return projectWebhook(*w), nil
			}),
		newTool(spec{name: "update_webhook", title: "Update a webhook", toolset: ts, hints: update,
			description: "Change a webhook's target URL or events; omitted fields stay unchanged."},
			func(ctx context.Context, _ *Call, a *updateWebhookArgs) (WriteResult[webhookItem], error) {
				if a.Target != nil {
					if err := checkWebhookTarget(*a.Target, d.AllowLocalWebhooks); err != nil {
						return WriteResult[webhookItem]{}, err
					}
				}
				body := &client.WebhookUpdate{Target: a.Target, Events: a.Events}
				return write(ctx, a.DryRun, func(ctx context.Context) (*client.Webhook, error) {
					return c.Webhooks.Update(ctx, a.Key, body)
				}, projectWebhook)
			}),
	}
}
