package client

import (
	"context"
	"net/http"
)

const actionsPath = "/v2/actions"

// Action target types.
const (
	TargetPartnership = "partnership"
	TargetCustomer    = "customer"
)

// ActionCustomer is the customer embedded in a listed action.
type ActionCustomer struct {
	Key    string   `json:"key"`
	SubIDs []string `json:"sub_ids,omitempty"`
}

// Action is an event (signup, upgrade, ...) that can trigger rewards. The
// list shape and the record response differ; both are merged here.
type Action struct {
	Base
	Type           string          `json:"type"`
	Value          int64           `json:"value"`
	Archived       bool            `json:"archived,omitempty"`
	PartnershipKey *string         `json:"partnership_key,omitempty"`
	Customer       *ActionCustomer `json:"customer,omitempty"`
	Company        *Ref            `json:"company,omitempty"`
	ExternalKey    *string         `json:"external_key,omitempty"`
	TargetKey      *string         `json:"target_key,omitempty"`
	TargetType     *string         `json:"target_type,omitempty"`
}

// ActionListOptions filters GET /v2/actions.
type ActionListOptions struct {
	ListOptions
	PartnershipKey string `url:"partnership_key,omitempty"`
	ActionType     string `url:"action_type,omitempty"`
}

// ActionRecord is the body of POST /v2/actions.
type ActionRecord struct {
	TargetType  string `json:"target_type"` // TargetPartnership or TargetCustomer
	TargetKey   string `json:"target_key"`  // partner_key, or the customer's external key
	Type        string `json:"type"`        // action name, e.g. signup_completed
	Value       int64  `json:"value"`       // >= 1
	ExternalKey string `json:"external_key,omitempty"`
}

// ActionsService covers /v2/actions.
type ActionsService struct{ c *Client }

// List fetches one page.
func (s *ActionsService) List(ctx context.Context, opts *ActionListOptions) (*Page[Action], error) {
	return listPage[Action](ctx, s.c, actionsPath, orZero(opts))
}

// All walks every page.
func (s *ActionsService) All(opts *ActionListOptions) *Iterator[Action] {
	return allPages(opts, s.List)
}

// Record records an action.
func (s *ActionsService) Record(ctx context.Context, body *ActionRecord) (*Action, error) {
	return writeObject[Action](ctx, s.c, http.MethodPost, actionsPath, body)
}

// Archive archives an action and the rewards it produced.
func (s *ActionsService) Archive(ctx context.Context, key string) error {
	return deleteObject(ctx, s.c, actionsPath, key)
}
