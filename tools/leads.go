package tools

import (
	"context"
	"strings"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

type leadItem struct {
	Key         string         `json:"key"`
	ExternalKey string         `json:"external_key,omitempty"`
	Name        string         `json:"name,omitempty"`
	Email       string         `json:"email,omitempty"`
	Company     string         `json:"company,omitempty"`
	Status      string         `json:"status"`
	PartnerKey  string         `json:"partner_key,omitempty"`
	AmountCents *int64         `json:"amount_cents,omitempty"`
	Approved    *bool          `json:"approved,omitempty"`
	CustomerKey string         `json:"customer_key,omitempty"`
	Archived    bool           `json:"archived,omitempty"`
	CreatedAt   string         `json:"created_at"`
	Extra       map[string]any `json:"extra,omitempty"`
}

// leadField reads a lead's form value from meta, then from fields[].
func leadField(l client.Lead, name string) string {
	if v, ok := l.Meta[name].(string); ok && v != "" {
		return v
	}
	for _, f := range l.Fields {
		if f.APIName == name {
			if v, ok := f.Value.(string); ok {
				return v
			}
		}
	}
	return ""
}

func projectLead(fields []string) func(client.Lead) leadItem {
	return func(l client.Lead) leadItem {
		name := strings.TrimSpace(leadField(l, "first_name") + " " + leadField(l, "last_name"))
		return leadItem{Key: l.Key, ExternalKey: str(l.ExternalKey), Name: name, Email: leadField(l, "email"),
			Company: leadField(l, "company"), Status: l.Status, PartnerKey: str(l.PartnerKey), AmountCents: l.Amount,
			Approved: l.Approved, CustomerKey: str(l.CustomerKey), Archived: l.Archived,
			CreatedAt: isoTime(l.CreatedAt), Extra: extras(l, fields)}
	}
}

type listLeadsArgs struct {
	ListArgs
	PartnerKey string   `json:"partner_key,omitempty" jsonschema:"maxLength=255"`
	Status     string   `json:"status,omitempty" jsonschema:"enum=open,enum=closed,enum=dead,enum=closed won,enum=closed lost"`
	Fields     []string `json:"fields,omitempty" jsonschema:"enum=meta,enum=fields,enum=group_key,enum=updated_at"`
}

type createLeadArgs struct {
	PartnerKey  string `json:"partner_key" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Partner who submitted the lead."`
	Email       string `json:"email" jsonschema:"format=email,maxLength=255"`
	Name        string `json:"name" jsonschema:"minLength=3,maxLength=200" jsonschema_description:"First and last name."`
	Company     string `json:"company,omitempty" jsonschema:"maxLength=255"`
	Status      string `json:"status,omitempty" jsonschema:"enum=open,enum=closed,enum=dead,enum=closed won,enum=closed lost" jsonschema_description:"Default open."`
	Amount      *int64 `json:"amount,omitempty" jsonschema:"minimum=0,maximum=2147483647" jsonschema_description:"Integer cents."`
	ExternalKey string `json:"external_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Unique lead id; defaults to the email."`
	DryRunArg
}

func (a *createLeadArgs) validate() error {
	if _, _, ok := splitName(a.Name); !ok {
		return argErr("name", "must hold a first and a last name", "pass e.g. \"Ada Lovelace\"")
	}
	return nil
}

func splitName(name string) (first, last string, ok bool) {
	parts := strings.Fields(name)
	if len(parts) < 2 {
		return "", "", false
	}
	return parts[0], strings.Join(parts[1:], " "), true
}

type updateLeadArgs struct {
	Key      string  `json:"key" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Lead key or external_key."`
	Status   *string `json:"status,omitempty" jsonschema:"enum=open,enum=closed,enum=dead,enum=closed won,enum=closed lost"`
	Amount   *int64  `json:"amount,omitempty" jsonschema:"minimum=0,maximum=2147483647" jsonschema_description:"Integer cents."`
	Approved *bool   `json:"approved,omitempty"`
	DryRunArg
}

func (a *updateLeadArgs) validate() error {
	if a.Status == nil && a.Amount == nil && a.Approved == nil {
		return argErr("", "nothing to update", "pass at least one of status, amount, approved")
	}
	return nil
}

type convertLeadArgs struct {
	LeadKey string `json:"lead_key" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Lead key or external_key."`
	convertArgs
}

func leadTools(d Deps) []Tool {
	c := d.Client
	const ts = "leads"
	byPartner := listFilter[client.Lead]("leads", "partner_key", "partner_key")
	byStatus := listFilter[client.Lead]("leads", "status", "status")
	unarchived := listFilter[client.Lead]("leads", "include_archived", "archived")
	return []Tool{
		newTool(spec{name: "list_leads", title: "List leads", toolset: ts, hints: readOnly,
			description: "List partner-submitted leads, newest first."},
			func(ctx context.Context, call *Call, a *listLeadsArgs) (ListResult[leadItem], error) {
				o := &client.LeadListOptions{PartnerKey: a.PartnerKey, Status: a.Status}
				if err := a.apply(&o.ListOptions); err != nil {
					return ListResult[leadItem]{}, err
				}
				return gather(ctx, call, d, c.Leads.All(o), &a.ListArgs, projectLead(a.Fields),
					byPartner.on(a.PartnerKey != "", func(l client.Lead) bool { return str(l.PartnerKey) == a.PartnerKey }),
					byStatus.on(a.Status != "", func(l client.Lead) bool { return l.Status == a.Status }),
					unarchived.on(true, func(l client.Lead) bool { return !l.Archived }))
			}),
		newTool(spec{name: "get_lead", title: "Get a lead", toolset: ts, hints: readOnly,
			description: "Get one lead by key or external_key."},
			func(ctx context.Context, _ *Call, a *keyArgs) (leadItem, error) {
				l, err := c.Leads.Get(ctx, a.Key)
				if err != nil {
					return leadItem{}, err
				}
				return projectLead([]string{"group_key"})(*l), nil
			}),
		newTool(spec{name: "create_lead", title: "Submit a lead", toolset: ts, hints: additive,
			description: "Submit a lead for a partner."},
			func(ctx context.Context, _ *Call, a *createLeadArgs) (WriteResult[leadItem], error) {
				first, last, _ := splitName(a.Name)
				status := a.Status
				if status == "" {
					status = "open"
				}
				ext := a.ExternalKey
				if ext == "" {
					ext = a.Email
				}
				meta := map[string]any{"first_name": first, "last_name": last, "email": a.Email}
				if a.Company != "" {
					meta["company"] = a.Company
				}
				body := &client.LeadCreate{PartnerKey: a.PartnerKey, ExternalKey: ext, Status: status, Meta: meta, Amount: a.Amount}
				return write(ctx, a.DryRun, func(ctx context.Context) (*client.Lead, error) {
					return c.Leads.Create(ctx, body)
				}, projectLead(nil))
			}),
		newTool(spec{name: "update_lead", title: "Update a lead", toolset: ts, hints: update,
			description: "Change a lead's status (open=new, closed=qualified, dead=unqualified), amount or approval."},
			func(ctx context.Context, _ *Call, a *updateLeadArgs) (WriteResult[leadItem], error) {
				body := &client.LeadUpdate{Status: a.Status, Amount: a.Amount, Approved: a.Approved}
				return write(ctx, a.DryRun, func(ctx context.Context) (*client.Lead, error) {
					return c.Leads.Update(ctx, a.Key, body)
				}, projectLead(nil))
			}),
		newTool(spec{name: "archive_lead", title: "Archive a lead", toolset: ts, hints: removes,
			description: "Archive a lead."},
			func(ctx context.Context, _ *Call, a *archiveArgs) (DoneResult, error) {
				return remove(ctx, a.DryRun, a.Key, "Lead archived.", func(ctx context.Context) error {
					return c.Leads.Archive(ctx, a.Key)
				})
			}),
		newTool(spec{name: "convert_lead", title: "Convert a lead into a customer", toolset: ts, hints: converts, optIn: true,
			description: "Convert a qualified lead into a customer of its partner; returns the new customer."},
			func(ctx context.Context, _ *Call, a *convertLeadArgs) (WriteResult[customerItem], error) {
				return convert(ctx, c, &a.convertArgs, conversion{what: "lead", arg: "lead_key", key: a.LeadKey,
					converted: func(ctx context.Context) (*string, error) {
						l, err := c.Leads.Get(ctx, a.LeadKey)
						if err != nil {
							return nil, err
						}
						return l.CustomerKey, nil
					},
					send: func(ctx context.Context, body *client.Conversion) (*client.Customer, error) {
						return c.Leads.Convert(ctx, a.LeadKey, body)
					}})
			}),
	}
}
