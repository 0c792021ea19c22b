package client

import (
	"context"
	"encoding/json"
	"net/http"
)

const customersPath = "/v2/customers"

// Customer is an account a partner referred. Key is PartnerStack's internal
// key; CustomerKey is your external key.
type Customer struct {
	Base
	CustomerKey    *string        `json:"customer_key"`
	Email          string         `json:"email"`
	Name           *string        `json:"name"`
	PartnerKey     *string        `json:"partner_key"`
	PartnershipKey *string        `json:"partnership_key"`
	ProviderKey    *string        `json:"provider_key"`
	SourceKey      *string        `json:"source_key,omitempty"`
	SourceType     *string        `json:"source_type,omitempty"`
	Test           bool           `json:"test"`
	Archived       bool           `json:"archived,omitempty"`
	Meta           map[string]any `json:"meta,omitempty"`
	Fields         []FieldData    `json:"fields,omitempty"`
}

// CustomerListOptions filters GET /v2/customers.
type CustomerListOptions struct {
	ListOptions
	PartnerKey      string `url:"partner_key,omitempty"`
	Email           string `url:"email,omitempty"`
	IncludeArchived bool   `url:"include_archived,omitempty"`
}

// CustomerCreate is the body of POST /v2/customers. customer_key is always
// sent (null when empty): the reference marks it required, string or null.
type CustomerCreate struct {
	CustomerKey string         `json:"customer_key"`
	Email       string         `json:"email"`
	PartnerKey  string         `json:"partner_key"`
	Name        string         `json:"name,omitempty"`
	ProviderKey string         `json:"provider_key,omitempty"`
	MemberKey   string         `json:"member_key,omitempty"`
	Meta        map[string]any `json:"meta,omitempty"`
}

// MarshalJSON sends an empty CustomerKey as null rather than "".
func (c CustomerCreate) MarshalJSON() ([]byte, error) {
	type plain CustomerCreate
	aux := struct {
		plain
		CustomerKey *string `json:"customer_key"` // shadows plain's
	}{plain: plain(c)}
	if c.CustomerKey != "" {
		aux.CustomerKey = &c.CustomerKey
	}
	return json.Marshal(aux)
}

// CustomerUpdate is the body of PATCH /v2/customers/{customer_key}; nil fields are unchanged.
type CustomerUpdate struct {
	CustomerKey *string        `json:"customer_key,omitempty"`
	Email       *string        `json:"email,omitempty"`
	Name        *string        `json:"name,omitempty"`
	ProviderKey *string        `json:"provider_key,omitempty"`
	MemberKey   *string        `json:"member_key,omitempty"`
	Meta        map[string]any `json:"meta,omitempty"`
}

// CustomersService covers /v2/customers.
type CustomersService struct{ c *Client }

// List fetches one page.
func (s *CustomersService) List(ctx context.Context, opts *CustomerListOptions) (*Page[Customer], error) {
	return listPage[Customer](ctx, s.c, customersPath, orZero(opts))
}

// All walks every page.
func (s *CustomersService) All(opts *CustomerListOptions) *Iterator[Customer] {
	return allPages(opts, s.List)
}

// Get retrieves a customer by its external customer_key, the documented path
// parameter (internal cus_ keys are not documented there: resolve them first).
func (s *CustomersService) Get(ctx context.Context, customerKey string) (*Customer, error) {
	return getObject[Customer](ctx, s.c, customersPath, customerKey)
}

// Create adds a customer for a partner.
func (s *CustomersService) Create(ctx context.Context, body *CustomerCreate) (*Customer, error) {
	return writeObject[Customer](ctx, s.c, http.MethodPost, customersPath, body)
}

// Update changes a customer.
func (s *CustomersService) Update(ctx context.Context, customerKey string, body *CustomerUpdate) (*Customer, error) {
	return patchObject[Customer](ctx, s.c, customersPath, customerKey, body)
}

// Delete deletes (archives) a customer.
func (s *CustomersService) Delete(ctx context.Context, customerKey string) error {
	return deleteObject(ctx, s.c, customersPath, customerKey)
}
