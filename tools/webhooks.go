package tools

import (
	"context"
	"slices"
	"strings"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

type webhookItem struct {
	Key       string   `json:"key"`
	Target    string   `json:"target"`
	Events    []string `json:"events"`
	Archived  bool     `json:"archived,omitempty"`
	CreatedAt string   `json:"created_at"`
}

func projectWebhook(w client.Webhook) webhookItem {
	return webhookItem{Key: w.Key, Target: w.Target, Events: w.Events, Archived: w.Archived, CreatedAt: isoTime(w.CreatedAt)}
}

type listWebhooksArgs struct {
	ListArgs
}

type createWebhookArgs struct {
	Target string   `json:"target" jsonschema:"minLength=8,maxLength=2048" jsonschema_description:"https URL that receives the events."`
	Events []string `json:"events" jsonschema:"minItems=1,maxItems=50,minLength=1,maxLength=100" jsonschema_description:"Event names, e.g. partnership.created, customer_created."`
	DryRunArg
}

// validate accepts only documented event names (client.WebhookEvents).
func (a *createWebhookArgs) validate() error {
	for _, e := range a.Events {
		if !slices.Contains(client.WebhookEvents, e) {
			return argErr("events", "'"+e+"' is not a PartnerStack webhook event",
				"use one of "+strings.Join(client.WebhookEvents, ", "))
		}
	}
	return nil
}

func (a *createWebhookArgs) followUp() string {
	return "list_webhooks (look for target " + a.Target + ")"
}

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

func webhookTools(d Deps) []Tool {
	c := d.Client
	const ts = "webhooks"
	return []Tool{
		newTool(spec{name: "list_webhooks", title: "List webhooks", toolset: ts, hints: readOnly,
			description: "List webhook subscriptions."},
			func(ctx context.Context, call *Call, a *listWebhooksArgs) (ListResult[webhookItem], error) {
				o := &client.WebhookListOptions{}
				if err := a.apply(&o.ListOptions); err != nil {
					return ListResult[webhookItem]{}, err
				}
				return gather(ctx, call, d, c.Webhooks.All(o), &a.ListArgs, projectWebhook)
			}),
		newTool(spec{name: "create_webhook", title: "Create a webhook", toolset: ts, hints: sendsOut,
			description: "Subscribe an https URL to PartnerStack events."},
			func(ctx context.Context, _ *Call, a *createWebhookArgs) (WriteResult[webhookItem], error) {
				if err := checkWebhookTarget(a.Target, d.AllowLocalWebhooks); err != nil {
					return WriteResult[webhookItem]{}, err
				}
				body := &client.WebhookCreate{Target: a.Target, Events: a.Events}
				return write(ctx, a.DryRun, func(ctx context.Context) (*client.Webhook, error) {
					return c.Webhooks.Create(ctx, body)
				}, projectWebhook)
			}),
		newTool(spec{name: "delete_webhook", title: "Delete a webhook", toolset: ts, hints: removes,
			description: "Delete a webhook subscription (deliveries stop)."},
			func(ctx context.Context, _ *Call, a *archiveArgs) (DoneResult, error) {
				return remove(ctx, a.DryRun, a.Key, "Webhook deleted.", func(ctx context.Context) error {
					return c.Webhooks.Delete(ctx, a.Key)
				})
			}),
		// Opt-in: rarer changes to integration plumbing.
		newTool(spec{name: "get_webhook", title: "Get a webhook", toolset: ts, hints: readOnly, optIn: true,
			description: "Get one webhook subscription by key."},
			func(ctx context.Context, _ *Call, a *keyArgs) (webhookItem, error) {
				w, err := c.Webhooks.Get(ctx, a.Key)
				if err != nil {
					return webhookItem{}, err
				}
				return projectWebhook(*w), nil
			}),
		newTool(spec{name: "update_webhook", title: "Update a webhook", toolset: ts, hints: update, optIn: true,
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
