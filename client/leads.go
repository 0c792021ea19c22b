package client

import (
	"context"
	"net/http"
)

const leadsPath = "/v2/leads"

// Lead statuses the API accepts (dashboard: open = New, closed = Qualified, dead = Unqualified).
var LeadStatuses = []string{"open", "closed", "dead", "closed won", "closed lost"}

// Lead is a prospect a partner submitted.
type Lead struct {
	Base
	ExternalKey *string        `json:"external_key"`
	PartnerKey  *string        `json:"partner_key"`
	GroupKey    *string        `json:"group_key"`
	Status      string         `json:"status"`
	Amount      *int64         `json:"amount"`
	Approved    *bool          `json:"approved"`
	CustomerKey *string        `json:"customer_key"`
	Archived    bool           `json:"archived"`
	Meta        map[string]any `json:"meta,omitempty"`
	Fields      []FieldData    `json:"fields,omitempty"`
}

// LeadListOptions filters GET /v2/leads.
type LeadListOptions struct {
	ListOptions
	PartnerKey      string `url:"partner_key,omitempty"`
	Status          string `url:"status,omitempty"`
	IncludeArchived bool   `url:"include_archived,omitempty"`
}

// LeadCreate is the body of POST /v2/leads. Meta must hold first_name and last_name.
type LeadCreate struct {
	PartnerKey  string         `json:"partner_key"`
	ExternalKey string         `json:"external_key"`
	Status      string         `json:"status"`
	Meta        map[string]any `json:"meta"`
	Amount      *int64         `json:"amount,omitempty"`
	GroupKey    string         `json:"group_key,omitempty"`
}

// LeadUpdate is the body of PATCH /v2/leads/{key}; nil fields are unchanged.
type LeadUpdate struct {
	Status      *string        `json:"status,omitempty"`
	Amount      *int64         `json:"amount,omitempty"`
	Approved    *bool          `json:"approved,omitempty"`
	CustomerKey *string        `json:"customer_key,omitempty"`
	Meta        map[string]any `json:"meta,omitempty"`
}

// LeadsService covers /v2/leads.
type LeadsService struct{ c *Client }

// List fetches one page.
func (s *LeadsService) List(ctx context.Context, opts *LeadListOptions) (*Page[Lead], error) {
	return listPage[Lead](ctx, s.c, leadsPath, orZero(opts))
}

// All walks every page.
func (s *LeadsService) All(opts *LeadListOptions) *Iterator[Lead] {
	return allPages(opts, s.List)
}

// Get retrieves a lead by key or external_key.
func (s *LeadsService) Get(ctx context.Context, id string) (*Lead, error) {
	return getObject[Lead](ctx, s.c, leadsPath, id)
}

// Create submits a lead.
func (s *LeadsService) Create(ctx context.Context, body *LeadCreate) (*Lead, error) {
	return writeObject[Lead](ctx, s.c, http.MethodPost, leadsPath, body)
}

// Update changes a lead.
func (s *LeadsService) Update(ctx context.Context, id string, body *LeadUpdate) (*Lead, error) {
	return patchObject[Lead](ctx, s.c, leadsPath, id, body)
}

// Archive archives a lead.
func (s *LeadsService) Archive(ctx context.Context, id string) error {
	return deleteObject(ctx, s.c, leadsPath, id)
}

// Convert turns a lead into a customer and returns the customer; a
// Customer with an empty Key means the answer held none (read it back). The body
// is the deal conversion's (Conversion); for leads it is [M], typed SDK.
func (s *LeadsService) Convert(ctx context.Context, id string, body *Conversion) (*Customer, error) {
	path, err := objectPath(leadsPath, id)
	if err != nil {
		return nil, err
	}
	return writeMaybe[Customer](ctx, s.c, http.MethodPost, path+"/convert", body)
}
