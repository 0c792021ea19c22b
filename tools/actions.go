package tools

import (
	"context"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

type actionItem struct {
	Key            string `json:"key"`
	Type           string `json:"type"`
	Value          int64  `json:"value"`
	PartnershipKey string `json:"partnership_key,omitempty"`
	CustomerKey    string `json:"customer_key,omitempty"`
	TargetType     string `json:"target_type,omitempty"`
	TargetKey      string `json:"target_key,omitempty"`
	CreatedAt      string `json:"created_at"`
}

func projectAction(a client.Action) actionItem {
	it := actionItem{Key: a.Key, Type: a.Type, Value: a.Value, PartnershipKey: str(a.PartnershipKey),
		TargetType: str(a.TargetType), TargetKey: str(a.TargetKey), CreatedAt: isoTime(a.CreatedAt)}
	if a.Customer != nil {
		it.CustomerKey = a.Customer.Key
	}
	return it
}

type listActionsArgs struct {
	ListArgs
	PartnershipKey string `json:"partnership_key,omitempty" jsonschema:"maxLength=255"`
	Key            string `json:"key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Only actions with this name (API: type)."`
}

type recordActionArgs struct {
	CustomerRef
	PartnerKey  string `json:"partner_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Instead of a customer, for a partner-level action."`
	Key         string `json:"key" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Action name that reward triggers match, e.g. signup (API: type)."`
	Value       int64  `json:"value" jsonschema:"minimum=1,maximum=2147483647" jsonschema_description:"Count or size of the action, >= 1."`
	ExternalKey string `json:"external_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Your id for this action."`
	DryRunArg
	DedupeArg
}

func (a *recordActionArgs) followUp() string {
	return "list_actions (key=" + a.Key + ")"
}

func (a *recordActionArgs) validate() error {
	if a.PartnerKey != "" {
		if a.CustomerKey != "" || a.CustomerInternalKey != "" || a.CustomerEmail != "" {
			return argErr("partner_key", "give either partner_key or a customer identifier, not both", "drop one")
		}
		return nil
	}
	if err := a.check(); err != nil {
		return argErr("customer_key", "no target given", "pass partner_key or exactly one of customer_key, customer_internal_key, customer_email")
	}
	return nil
}

func actionTools(d Deps) []Tool {
	c := d.Client
	const ts = "actions"
	byPartnership := listFilter[client.Action]("actions", "partnership_key", "partnership_key")
	byType := listFilter[client.Action]("actions", "action_type", "key")
	return []Tool{
		newTool(spec{name: "list_actions", title: "List actions", toolset: ts, hints: readOnly,
			description: "List recorded actions (custom events that trigger rewards), newest first."},
			func(ctx context.Context, call *Call, a *listActionsArgs) (ListResult[actionItem], error) {
				o := &client.ActionListOptions{PartnershipKey: a.PartnershipKey, ActionType: a.Key}
				if err := a.apply(&o.ListOptions); err != nil {
					return ListResult[actionItem]{}, err
				}
				return gather(ctx, call, d, c.Actions.All(o), &a.ListArgs, projectAction,
					byPartnership.on(a.PartnershipKey != "", func(x client.Action) bool { return str(x.PartnershipKey) == a.PartnershipKey }),
					byType.on(a.Key != "", func(x client.Action) bool { return x.Type == a.Key }))
			}),
		newTool(spec{name: "record_action", title: "Record an action", toolset: ts, hints: movesMoney, guard: d.guard,
			description: "Record an action (e.g. signup) for a customer or a partner; may trigger rewards."},
			func(ctx context.Context, _ *Call, a *recordActionArgs) (WriteResult[actionItem], error) {
				body := &client.ActionRecord{Type: a.Key, Value: a.Value, ExternalKey: a.ExternalKey,
					TargetType: client.TargetPartnership, TargetKey: a.PartnerKey}
				if a.PartnerKey == "" {
					body.TargetType = client.TargetCustomer
					// The API targets customers by their external key.
					key, _, err := a.customerPath(ctx, c, d)
					if err != nil {
						return WriteResult[actionItem]{}, err
					}
					body.TargetKey = key
				}
				return write(ctx, a.DryRun, func(ctx context.Context) (*client.Action, error) {
					return c.Actions.Record(ctx, body)
				}, projectAction)
			}),
		newTool(spec{name: "archive_action", title: "Archive an action", toolset: ts, hints: removes, optIn: true,
			description: "Archive a recorded custom action (key from list_actions)."},
			func(ctx context.Context, _ *Call, a *archiveArgs) (DoneResult, error) {
				return remove(ctx, a.DryRun, a.Key, "Action archived.", func(ctx context.Context) error {
					return c.Actions.Archive(ctx, a.Key)
				})
			}),
	}
}
