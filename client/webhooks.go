package client

import (
	"context"
	"net/http"
)

const webhooksPath = "/v2/webhooks"

// WebhookEvents are the event names a subscription may name. The webhook
// guide documents agreement.accepted and partnership.{created, updated,
// tags_updated} in the current dotted style, and an older underscore set
// (v1.0 guide and API notes, section 10 row 8). The current guide's
// customer events are cut off in every stored copy, so their dotted names
// are not offered.
var WebhookEvents = []string{
	"agreement.accepted",
	"partnership.created", "partnership.updated", "partnership.tags_updated",
	"partnership_created", "partnership_updated", "partnership_deleted", "partnership_group_updated",
	"customer_created", "customer_updated", "customer_deleted",
	"application_created", "application_approved", "application_declined",
}

// Webhook is a subscription: PartnerStack POSTs the chosen events to Target.
type Webhook struct {
	Base
	Target   string   `json:"target"`
	Events   []string `json:"events"`
	Archived bool     `json:"archived"`
}

// WebhookListOptions filters GET /v2/webhooks.
type WebhookListOptions struct {
	ListOptions
}

// WebhookCreate is the body of POST /v2/webhooks.
type WebhookCreate struct {
	Target string   `json:"target"`
	Events []string `json:"events"`
}

// WebhookUpdate is the body of PATCH /v2/webhooks/{key}; nil fields are unchanged.
type WebhookUpdate struct {
	Target *string  `json:"target,omitempty"`
	Events []string `json:"events,omitempty"`
}

// WebhooksService covers /v2/webhooks.
type WebhooksService struct{ c *Client }

// List fetches one page.
func (s *WebhooksService) List(ctx context.Context, opts *WebhookListOptions) (*Page[Webhook], error) {
	return listPage[Webhook](ctx, s.c, webhooksPath, orZero(opts))
}

// All walks every page.
func (s *WebhooksService) All(opts *WebhookListOptions) *Iterator[Webhook] {
	return allPages(opts, s.List)
}

// Get retrieves a webhook.
func (s *WebhooksService) Get(ctx context.Context, key string) (*Webhook, error) {
	return getObject[Webhook](ctx, s.c, webhooksPath, key)
}

// Create subscribes a URL to events.
func (s *WebhooksService) Create(ctx context.Context, body *WebhookCreate) (*Webhook, error) {
	return writeObject[Webhook](ctx, s.c, http.MethodPost, webhooksPath, body)
}

// Update changes a webhook's target or events.
func (s *WebhooksService) Update(ctx context.Context, key string, body *WebhookUpdate) (*Webhook, error) {
	return patchObject[Webhook](ctx, s.c, webhooksPath, key, body)
}

// Delete archives a webhook (deliveries stop).
func (s *WebhooksService) Delete(ctx context.Context, key string) error {
	return deleteObject(ctx, s.c, webhooksPath, key)
}
