package client

import "context"

const groupsPath = "/v2/groups"

// Group is a partner group (a program tier such as "Affiliates").
type Group struct {
	Base
	Name     string   `json:"name"`
	Slug     string   `json:"slug,omitempty"`
	Archived bool     `json:"archived"`
	Default  bool     `json:"default"`
	Features Switches `json:"features,omitempty"`
}

// GroupListOptions filters GET /v2/groups.
type GroupListOptions struct {
	ListOptions
}

// GroupsService covers /v2/groups (list only; the API has no other group operation).
type GroupsService struct{ c *Client }

// List fetches one page.
func (s *GroupsService) List(ctx context.Context, opts *GroupListOptions) (*Page[Group], error) {
	return listPage[Group](ctx, s.c, groupsPath, orZero(opts))
}

// All walks every page.
func (s *GroupsService) All(opts *GroupListOptions) *Iterator[Group] {
	return allPages(opts, s.List)
}
