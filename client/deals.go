package client

import (
	"context"
	"net/http"
)

const dealsPath = "/v2/deals"

// Deal is a partner-sourced sales opportunity. The API has no name, status or
// currency on deals: AccountName is the name, Stage the state, Amount cents.
type Deal struct {
	Base
	AccountName      *string        `json:"account_name"`
	Amount           *int64         `json:"amount"`
	CloseDate        *string        `json:"close_date"` // YYYY-MM-DD
	ContactFirstName *string        `json:"contact_first_name"`
	ContactLastName  *string        `json:"contact_last_name"`
	CustomerKey      *string        `json:"customer_key"`
	ExternalKey      *string        `json:"external_key"`
	GroupKey         *string        `json:"group_key"`
	PartnerKey       *string        `json:"partner_key"`
	LostReason       *string        `json:"lost_reason"`
	Source           string         `json:"source,omitempty"`
	Stage            *string        `json:"stage"`
	Archived         bool           `json:"archived"`
	Meta             map[string]any `json:"meta,omitempty"`
}

// DealListOptions filters GET /v2/deals.
type DealListOptions struct {
	ListOptions
	PartnerKey      string `url:"partner_key,omitempty"`
	Group           string `url:"group,omitempty"` // group name without spaces or special characters
	GroupKey        string `url:"group_key,omitempty"`
	Stage           string `url:"stage,omitempty"`
	IncludeArchived bool   `url:"include_archived,omitempty"`
}

// DealCreate is the body of POST /v2/deals. PartnerKey is required for
// partner-sourced deals, GroupKey for vendor-sourced ones.
type DealCreate struct {
	PartnerKey       string         `json:"partner_key,omitempty"`
	GroupKey         string         `json:"group_key,omitempty"`
	Source           string         `json:"source,omitempty"`
	AccountName      string         `json:"account_name,omitempty"`
	Amount           *int64         `json:"amount,omitempty"`
	CloseDate        string         `json:"close_date,omitempty"`
	ContactFirstName string         `json:"contact_first_name,omitempty"`
	ContactLastName  string         `json:"contact_last_name,omitempty"`
	CustomerKey      string         `json:"customer_key,omitempty"`
	ExternalKey      string         `json:"external_key,omitempty"`
	Stage            string         `json:"stage,omitempty"`
	Meta             map[string]any `json:"meta,omitempty"`
}

// DealUpdate is the body of PATCH /v2/deals/{key}; nil fields are unchanged.
type DealUpdate struct {
	AccountName      *string        `json:"account_name,omitempty"`
	Amount           *int64         `json:"amount,omitempty"`
	CloseDate        *string        `json:"close_date,omitempty"`
	ContactFirstName *string        `json:"contact_first_name,omitempty"`
	ContactLastName  *string        `json:"contact_last_name,omitempty"`
	CustomerKey      *string        `json:"customer_key,omitempty"`
	Stage            *string        `json:"stage,omitempty"`
	LostReason       *string        `json:"lost_reason,omitempty"`
	Meta             map[string]any `json:"meta,omitempty"`
}

// DealsService covers /v2/deals.
type DealsService struct{ c *Client }

// List fetches one page.
func (s *DealsService) List(ctx context.Context, opts *DealListOptions) (*Page[Deal], error) {
	return listPage[Deal](ctx, s.c, dealsPath, orZero(opts))
}

// All walks every page.
func (s *DealsService) All(opts *DealListOptions) *Iterator[Deal] {
	return allPages(opts, s.List)
}

// Get retrieves a deal by key or external_key.
func (s *DealsService) Get(ctx context.Context, id string) (*Deal, error) {
	return getObject[Deal](ctx, s.c, dealsPath, id)
}

// Create registers a deal.
func (s *DealsService) Create(ctx context.Context, body *DealCreate) (*Deal, error) {
	return writeObject[Deal](ctx, s.c, http.MethodPost, dealsPath, body)
}

// Update changes a deal.
func (s *DealsService) Update(ctx context.Context, id string, body *DealUpdate) (*Deal, error) {
	return patchObject[Deal](ctx, s.c, dealsPath, id, body)
}

// Archive archives a deal.
func (s *DealsService) Archive(ctx context.Context, id string) error {
	return deleteObject(ctx, s.c, dealsPath, id)
}

// Conversion is the body of POST /v2/deals/{key}/convert (Fern: email
// required, customer_key optional) and, per the typed SDK [M], of POST
// /v2/leads/{key}/convert.
type Conversion struct {
	Email       string `json:"email"`
	CustomerKey string `json:"customer_key,omitempty"`
}

// Convert turns a deal into a customer and returns the customer; a
// Customer with an empty Key means the answer held none (read it back).
func (s *DealsService) Convert(ctx context.Context, id string, body *Conversion) (*Customer, error) {
	path, err := objectPath(dealsPath, id)
	if err != nil {
		return nil, err
	}
	return writeMaybe[Customer](ctx, s.c, http.MethodPost, path+"/convert", body)
}
