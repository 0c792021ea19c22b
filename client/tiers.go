package client

import "context"

const tiersPath = "/v2/tiers"

// Tier is a partner tier (GET /v2/tiers, in PartnerStack's docs index).
// Inferred: the endpoint is documented, its item schema is not; key and
// name are what a partnership's nested tier shows (hand-typed SDK), the
// timestamps are every object's base.
type Tier struct {
	Base
	Name string `json:"name"`
}

// TierListOptions filters GET /v2/tiers (the shared paging only).
type TierListOptions struct {
	ListOptions
}

// TiersService covers /v2/tiers: the tiers a partnership's tier_key names.
type TiersService struct{ c *Client }

// List fetches one page. Inferred: the list has the usual envelope and paging.
func (s *TiersService) List(ctx context.Context, opts *TierListOptions) (*Page[Tier], error) {
	return listPage[Tier](ctx, s.c, tiersPath, orZero(opts))
}

// All walks every page.
func (s *TiersService) All(opts *TierListOptions) *Iterator[Tier] {
	return allPages(opts, s.List)
}

// Get fetches one tier by key (GET /v2/tiers/{tier_key}).
func (s *TiersService) Get(ctx context.Context, key string) (*Tier, error) {
	return getObject[Tier](ctx, s.c, tiersPath, key)
}
