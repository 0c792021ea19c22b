package tools

import (
	"context"
	"strings"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

type customerItem struct {
	Key         string         `json:"key"`
	CustomerKey string         `json:"customer_key,omitempty"`
	Email       string         `json:"email"`
	Name        string         `json:"name,omitempty"`
	PartnerKey  string         `json:"partner_key,omitempty"`
	Test        bool           `json:"test,omitempty"`
	CreatedAt   string         `json:"created_at"`
	Extra       map[string]any `json:"extra,omitempty"`
}

func projectCustomer(fields []string) func(client.Customer) customerItem {
	return func(c client.Customer) customerItem {
		return customerItem{Key: c.Key, CustomerKey: str(c.CustomerKey), Email: c.Email, Name: str(c.Name),
			PartnerKey: str(c.PartnerKey), Test: c.Test, CreatedAt: isoTime(c.CreatedAt), Extra: extras(c, fields)}
	}
}

type listCustomersArgs struct {
	ListArgs
	PartnerKey string   `json:"partner_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Only customers of this partner."`
	Email      string   `json:"email,omitempty" jsonschema:"maxLength=255"`
	Fields     []string `json:"fields,omitempty" jsonschema:"enum=provider_key,enum=partnership_key,enum=meta,enum=fields,enum=source_key,enum=source_type,enum=updated_at"`
}

type customerArgs struct {
	CustomerRef
}

func (a *customerArgs) validate() error { return a.check() }

type createCustomerArgs struct {
	Email       string `json:"email" jsonschema:"format=email,minLength=4,maxLength=255"`
	PartnerKey  string `json:"partner_key" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Partner who referred the customer."`
	Name        string `json:"name,omitempty" jsonschema:"maxLength=100"`
	CustomerKey string `json:"customer_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Your own customer key; the email if omitted."`
	ProviderKey string `json:"provider_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Billing provider's customer id (e.g. Stripe cus_...)."`
	DryRunArg
}

type updateCustomerArgs struct {
	CustomerRef
	Email       *string `json:"email,omitempty" jsonschema:"format=email,minLength=4,maxLength=255"`
	Name        *string `json:"name,omitempty" jsonschema:"maxLength=100"`
	ProviderKey *string `json:"provider_key,omitempty" jsonschema:"maxLength=255"`
	DryRunArg
}

func (a *updateCustomerArgs) validate() error {
	if err := a.check(); err != nil {
		return err
	}
	if a.Email == nil && a.Name == nil && a.ProviderKey == nil {
		return argErr("", "nothing to update", "pass at least one of email, name, provider_key")
	}
	return nil
}

type deleteCustomerArgs struct {
	CustomerRef
	DryRunArg
}

func (a *deleteCustomerArgs) validate() error { return a.check() }

func customerTools(d Deps) []Tool {
	c := d.Client
	const ts = "customers"
	byPartner := listFilter[client.Customer]("customers", "partner_key", "partner_key")
	byEmail := listFilter[client.Customer]("customers", "email", "email")
	return []Tool{
		newTool(spec{name: "list_customers", title: "List customers", toolset: ts, hints: readOnly,
			description: "List customers referred by partners, newest first."},
			func(ctx context.Context, call *Call, a *listCustomersArgs) (ListResult[customerItem], error) {
				o := &client.CustomerListOptions{PartnerKey: a.PartnerKey, Email: a.Email}
				if err := a.apply(&o.ListOptions); err != nil {
					return ListResult[customerItem]{}, err
				}
				return gather(ctx, call, d, c.Customers.All(o), &a.ListArgs, projectCustomer(a.Fields),
					byPartner.on(a.PartnerKey != "", func(cu client.Customer) bool { return str(cu.PartnerKey) == a.PartnerKey }),
					byEmail.on(a.Email != "", func(cu client.Customer) bool { return strings.EqualFold(cu.Email, a.Email) }))
			}),
		newTool(spec{name: "get_customer", title: "Get a customer", toolset: ts, hints: readOnly,
			description: "Get one customer by exactly one of customer_key, customer_internal_key, customer_email."},
			func(ctx context.Context, _ *Call, a *customerArgs) (customerItem, error) {
				id, cu, err := a.customerPath(ctx, c, d)
				if err != nil && cu == nil {
					return customerItem{}, err
				}
				if cu == nil { // by customer_key: the documented GET
					if cu, err = c.Customers.Get(ctx, id); err != nil {
						return customerItem{}, err
					}
				}
				return projectCustomer([]string{"provider_key", "partnership_key", "fields"})(*cu), nil
			}),
		newTool(spec{name: "create_customer", title: "Add a customer", toolset: ts, hints: additive,
			description: "Add a customer referred by a partner (no click attribution). customer_key defaults to the email."},
			func(ctx context.Context, _ *Call, a *createCustomerArgs) (WriteResult[customerItem], error) {
				// customer_key is required by the reference (string or null).
				// The email is a stable default that many integrations use, so
				// later get/update/delete by customer_key keep working.
				key, derived := a.CustomerKey, a.CustomerKey == ""
				if derived {
					key = strings.ToLower(strings.TrimSpace(a.Email))
				}
				body := &client.CustomerCreate{Email: a.Email, PartnerKey: a.PartnerKey, Name: a.Name,
					CustomerKey: key, ProviderKey: a.ProviderKey}
				res, err := write(ctx, a.DryRun, func(ctx context.Context) (*client.Customer, error) {
					return c.Customers.Create(ctx, body)
				}, projectCustomer(nil))
				if err == nil && derived {
					res.Message = strings.TrimSpace(res.Message + " No customer_key was given, so the email " + key +
						" was sent as customer_key; use it with get_customer, update_customer and record_transaction.")
				}
				return res, err
			}),
		newTool(spec{name: "update_customer", title: "Update a customer", toolset: ts, hints: update,
			description: "Change a customer's email, name or provider_key; omitted fields stay unchanged."},
			func(ctx context.Context, _ *Call, a *updateCustomerArgs) (WriteResult[customerItem], error) {
				id, _, err := a.customerPath(ctx, c, d)
				if err != nil {
					return WriteResult[customerItem]{}, err
				}
				body := &client.CustomerUpdate{Email: a.Email, Name: a.Name, ProviderKey: a.ProviderKey}
				return write(ctx, a.DryRun, func(ctx context.Context) (*client.Customer, error) {
					return c.Customers.Update(ctx, id, body)
				}, projectCustomer(nil))
			}),
		newTool(spec{name: "delete_customer", title: "Delete a customer", toolset: ts, hints: removes,
			description: "Delete (archive) a customer."},
			func(ctx context.Context, _ *Call, a *deleteCustomerArgs) (DoneResult, error) {
				id, _, err := a.customerPath(ctx, c, d)
				if err != nil {
					return DoneResult{}, err
				}
				return remove(ctx, a.DryRun, id, "Customer deleted.", func(ctx context.Context) error {
					return c.Customers.Delete(ctx, id)
				})
			}),
	}
}
