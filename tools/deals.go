package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

type dealItem struct {
	Key         string         `json:"key"`
	Name        string         `json:"name,omitempty"`
	AmountCents *int64         `json:"amount_cents,omitempty"`
	Stage       string         `json:"stage,omitempty"`
	PartnerKey  string         `json:"partner_key,omitempty"`
	CloseDate   string         `json:"close_date,omitempty"`
	ExternalKey string         `json:"external_key,omitempty"`
	CustomerKey string         `json:"customer_key,omitempty"`
	LostReason  string         `json:"lost_reason,omitempty"`
	Archived    bool           `json:"archived,omitempty"`
	CreatedAt   string         `json:"created_at"`
	Extra       map[string]any `json:"extra,omitempty"`
}

func projectDeal(fields []string) func(client.Deal) dealItem {
	return func(d client.Deal) dealItem {
		return dealItem{Key: d.Key, Name: str(d.AccountName), AmountCents: d.Amount, Stage: str(d.Stage),
			PartnerKey: str(d.PartnerKey), CloseDate: str(d.CloseDate), ExternalKey: str(d.ExternalKey),
			CustomerKey: str(d.CustomerKey), LostReason: str(d.LostReason), Archived: d.Archived,
			CreatedAt: isoTime(d.CreatedAt), Extra: extras(d, fields)}
	}
}

type listDealsArgs struct {
	ListArgs
	PartnerKey string   `json:"partner_key,omitempty" jsonschema:"maxLength=255"`
	GroupKey   string   `json:"group_key,omitempty" jsonschema:"maxLength=255"`
	Stage      string   `json:"stage,omitempty" jsonschema:"maxLength=255"`
	Fields     []string `json:"fields,omitempty" jsonschema:"enum=contact_first_name,enum=contact_last_name,enum=group_key,enum=source,enum=meta,enum=updated_at"`
}

type createDealArgs struct {
	PartnerKey       string `json:"partner_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Partner who registered the deal."`
	GroupKey         string `json:"group_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Instead of partner_key, for a vendor-sourced deal."`
	Name             string `json:"name" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Account (company) name."`
	Amount           *int64 `json:"amount,omitempty" jsonschema:"minimum=0,maximum=2147483647" jsonschema_description:"Deal value in integer cents."`
	Stage            string `json:"stage,omitempty" jsonschema:"maxLength=255" jsonschema_description:"One of the group's deal stages."`
	CloseDate        string `json:"close_date,omitempty" jsonschema:"maxLength=10" jsonschema_description:"YYYY-MM-DD."`
	ContactFirstName string `json:"contact_first_name,omitempty" jsonschema:"maxLength=255"`
	ContactLastName  string `json:"contact_last_name,omitempty" jsonschema:"maxLength=255"`
	ExternalKey      string `json:"external_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Your CRM id for the deal."`
	DryRunArg
}

func (a *createDealArgs) validate() error {
	if (a.PartnerKey == "") == (a.GroupKey == "") {
		return argErr("partner_key", "give exactly one of partner_key or group_key", "use partner_key for a partner's deal")
	}
	return checkDate("close_date", a.CloseDate)
}

type updateDealArgs struct {
	Key        string  `json:"key" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Deal key or external_key."`
	Name       *string `json:"name,omitempty" jsonschema:"maxLength=255"`
	Amount     *int64  `json:"amount,omitempty" jsonschema:"minimum=0,maximum=2147483647" jsonschema_description:"Integer cents."`
	Stage      *string `json:"stage,omitempty" jsonschema:"maxLength=255"`
	CloseDate  *string `json:"close_date,omitempty" jsonschema:"maxLength=10" jsonschema_description:"YYYY-MM-DD."`
	LostReason *string `json:"lost_reason,omitempty" jsonschema:"maxLength=255"`
	DryRunArg
}

func (a *updateDealArgs) validate() error {
	if a.Name == nil && a.Amount == nil && a.Stage == nil && a.CloseDate == nil && a.LostReason == nil {
		return argErr("", "nothing to update", "pass at least one of name, amount, stage, close_date, lost_reason")
	}
	if a.CloseDate != nil {
		return checkDate("close_date", *a.CloseDate)
	}
	return nil
}

type convertDealArgs struct {
	DealKey string `json:"deal_key" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Deal key or external_key."`
	convertArgs
}

type listDealStagesArgs struct {
	GroupKey string `json:"group_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"The group's stages; the company's when omitted."`
}

type stageItem struct {
	APIName string `json:"api_name"`
	Name    string `json:"name,omitempty"`
	Status  string `json:"internal_status,omitempty"`
	Order   int    `json:"position"`
	Key     string `json:"key,omitempty"`
}

func projectStage(s client.Stage) stageItem {
	return stageItem{APIName: s.APIName, Name: s.Name, Status: str(s.InternalStatus), Order: s.Position, Key: s.Key}
}

// checkDealStage holds a deal's stage against its group's stages when they
// can be read: a stage matched by its display name is sent as its api_name
// (Inferred: the docs do not say which of the two a deal's stage holds; the
// sandbox takes api names), and a stage the group lacks is refused with the
// valid ones. When the group or its stages cannot be read (an error, a 404,
// an unreadable shape, no stages) the call goes on untouched and the API
// decides. The group of a partner's deal is the partner's group (documented
// on the deal's group_key).
func checkDealStage(ctx context.Context, d Deps, a *createDealArgs) error {
	if a.Stage == "" {
		return nil
	}
	group := a.GroupKey
	if group == "" {
		p, err := findPartnership(ctx, d.Client, d, a.PartnerKey)
		if err != nil || p.Group == nil || p.Group.Key == "" {
			return nil
		}
		group = p.Group.Key
	}
	stages, err := d.Client.SalesCycles.Stages(ctx, client.ObjectDeal, group)
	if err != nil || len(stages) == 0 {
		return nil
	}
	var valid []string
	for _, s := range stages {
		switch a.Stage {
		case s.APIName:
			return nil
		case s.Name:
			if s.APIName != "" {
				a.Stage = s.APIName
			}
			return nil
		}
		valid = append(valid, s.APIName)
	}
	return argErr("stage", fmt.Sprintf("'%s' is not a deal stage of group %s", a.Stage, group),
		"use one of: "+strings.Join(valid, ", ")+" (list_deal_stages)")
}

func dealTools(d Deps) []Tool {
	c := d.Client
	const ts = "deals"
	byPartner := listFilter[client.Deal]("deals", "partner_key", "partner_key")
	byGroup := listFilter[client.Deal]("deals", "group_key", "group_key")
	byStage := listFilter[client.Deal]("deals", "stage", "stage")
	unarchived := listFilter[client.Deal]("deals", "include_archived", "archived")
	return []Tool{
		newTool(spec{name: "list_deals", title: "List deals", toolset: ts, hints: readOnly,
			description: "List partner deals, newest first, with stage and amount in cents."},
			func(ctx context.Context, call *Call, a *listDealsArgs) (ListResult[dealItem], error) {
				o := &client.DealListOptions{PartnerKey: a.PartnerKey, GroupKey: a.GroupKey, Stage: a.Stage}
				if err := a.apply(&o.ListOptions); err != nil {
					return ListResult[dealItem]{}, err
				}
				return gather(ctx, call, d, c.Deals.All(o), &a.ListArgs, projectDeal(a.Fields),
					byPartner.on(a.PartnerKey != "", func(x client.Deal) bool { return str(x.PartnerKey) == a.PartnerKey }),
					byGroup.on(a.GroupKey != "", func(x client.Deal) bool { return str(x.GroupKey) == a.GroupKey }),
					byStage.on(a.Stage != "", func(x client.Deal) bool { return str(x.Stage) == a.Stage }),
					unarchived.on(true, func(x client.Deal) bool { return !x.Archived }))
			}),
		newTool(spec{name: "get_deal", title: "Get a deal", toolset: ts, hints: readOnly,
			description: "Get one deal by key or external_key."},
			func(ctx context.Context, _ *Call, a *keyArgs) (dealItem, error) {
				dl, err := c.Deals.Get(ctx, a.Key)
				if err != nil {
					return dealItem{}, err
				}
				return projectDeal([]string{"contact_first_name", "contact_last_name", "group_key", "source"})(*dl), nil
			}),
		newTool(spec{name: "create_deal", title: "Register a deal", toolset: ts, hints: additive,
			description: "Register a deal for a partner. name is the account name; amount in cents."},
			func(ctx context.Context, _ *Call, a *createDealArgs) (WriteResult[dealItem], error) {
				if err := checkDealStage(ctx, d, a); err != nil {
					return WriteResult[dealItem]{}, err
				}
				body := &client.DealCreate{PartnerKey: a.PartnerKey, GroupKey: a.GroupKey, AccountName: a.Name,
					Amount: a.Amount, Stage: a.Stage, CloseDate: a.CloseDate, ContactFirstName: a.ContactFirstName,
					ContactLastName: a.ContactLastName, ExternalKey: a.ExternalKey}
				if a.GroupKey != "" {
					body.Source = "vendor"
				}
				return write(ctx, a.DryRun, func(ctx context.Context) (*client.Deal, error) {
					return c.Deals.Create(ctx, body)
				}, projectDeal(nil))
			}),
		newTool(spec{name: "update_deal", title: "Update a deal", toolset: ts, hints: update,
			description: "Change a deal's name, amount, stage, close date or lost reason; omitted fields stay unchanged."},
			func(ctx context.Context, _ *Call, a *updateDealArgs) (WriteResult[dealItem], error) {
				body := &client.DealUpdate{AccountName: a.Name, Amount: a.Amount, Stage: a.Stage, CloseDate: a.CloseDate, LostReason: a.LostReason}
				return write(ctx, a.DryRun, func(ctx context.Context) (*client.Deal, error) {
					return c.Deals.Update(ctx, a.Key, body)
				}, projectDeal(nil))
			}),
		newTool(spec{name: "archive_deal", title: "Archive a deal", toolset: ts, hints: removes,
			description: "Archive a deal."},
			func(ctx context.Context, _ *Call, a *archiveArgs) (DoneResult, error) {
				return remove(ctx, a.DryRun, a.Key, "Deal archived.", func(ctx context.Context) error {
					return c.Deals.Archive(ctx, a.Key)
				})
			}),
		newTool(spec{name: "convert_deal", title: "Convert a deal into a customer", toolset: ts, hints: converts, optIn: true,
			description: "Convert a won deal into a customer of its partner; returns the new customer."},
			func(ctx context.Context, _ *Call, a *convertDealArgs) (WriteResult[customerItem], error) {
				return convert(ctx, c, &a.convertArgs, conversion{what: "deal", arg: "deal_key", key: a.DealKey,
					converted: func(ctx context.Context) (*string, error) {
						dl, err := c.Deals.Get(ctx, a.DealKey)
						if err != nil {
							return nil, err
						}
						return dl.CustomerKey, nil
					},
					send: func(ctx context.Context, body *client.Conversion) (*client.Customer, error) {
						return c.Deals.Convert(ctx, a.DealKey, body)
					}})
			}),
		newTool(spec{name: "list_deal_stages", title: "List deal stages", toolset: ts, hints: readOnly, optIn: true,
			description: "List the deal stages a group has (the company's without group_key), in order; create_deal's stage takes an api_name."},
			func(ctx context.Context, _ *Call, a *listDealStagesArgs) (ListResult[stageItem], error) {
				stages, err := c.SalesCycles.Stages(ctx, client.ObjectDeal, a.GroupKey)
				if err != nil {
					return ListResult[stageItem]{}, err
				}
				return whole(d, stages, projectStage)
			}),
	}
}

var _ = []*rule{
	lookupRule("deals", kindBody, "POST /v2/deals/{deal_key}/convert {email, customer_key?}"),
	lookupRule("leads", kindBody, "POST /v2/leads/{lead_key}/convert"),
	lookupRule("deals", kindLookup, "GET /v2/sales-cycles/deal/stages?group_key="),
}
