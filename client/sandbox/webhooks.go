package sandbox

import (
	"fmt"
	"slices"
)

// DocumentedWebhookEvents are the event names PartnerStack's webhook guides
// list: the current dotted names and the older underscore set (both guides
// are live). The strict profile accepts exactly these.
var DocumentedWebhookEvents = []string{
	"agreement.accepted",
	"partnership.created", "partnership.updated", "partnership.tags_updated",
	"partnership_created", "partnership_updated", "partnership_deleted", "partnership_group_updated",
	"customer_created", "customer_updated", "customer_deleted",
	"application_created", "application_approved", "application_declined",
}

// inventedWebhookEvents: Emulator choice: dotted names for the other
// families, confirmed by no source; the default profile keeps accepting them
// so existing subscriptions and scripts go on working.
var inventedWebhookEvents = []string{
	"customer.created", "customer.updated", "customer.deleted",
	"transaction.created",
	"deal.created", "deal.updated",
	"lead.created", "lead.updated",
	"reward.created",
	"action.created",
}

// WebhookEvents lists the event names a profile accepts.
func WebhookEvents(p Profile) []string {
	if p == ProfileStrict {
		return slices.Clone(DocumentedWebhookEvents)
	}
	return slices.Concat(DocumentedWebhookEvents, inventedWebhookEvents)
}

func (w *webhook) wire() Webhook {
	return Webhook{Key: w.key, Target: w.target, Events: slices.Clone(w.events), Archived: w.archived,
		CreatedAt: w.created, UpdatedAt: w.updated}
}

func (w *webhook) pageMeta() itemMeta {
	return itemMeta{key: w.key, created: w.created, updated: w.updated, archived: w.archived}
}

var webhookList = listSpec[Webhook]{
	what: "webhook",
	records: func(st *store) (int, map[string]int32, func(int) itemMeta) {
		return len(st.webhooks), st.webhookIdx, func(i int) itemMeta { return st.webhooks[i].pageMeta() }
	},
	wire: func(s *Sandbox) func(int32) Webhook { return func(i int32) Webhook { return s.st.webhooks[i].wire() } },
}

// getWebhook: Emulator choice: archived webhooks stay readable (archived:true).
func (s *Sandbox) getWebhook(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.st.webhookIdx[c.id]
	if !ok {
		return notFound("Webhook")
	}
	return success(s.st.webhooks[i].wire(), "Webhook returned successfully")
}

var webhookCreateSchema = schema{
	{name: "target", typ: tString, required: true, maxLen: 2048, url: true},
	{name: "events", typ: tStrings, required: true},
}

var webhookUpdateSchema = schema{
	{name: "target", typ: tString, maxLen: 2048, url: true},
	{name: "events", typ: tStrings},
}

func (s *Sandbox) checkEvents(events []string) *apiError {
	if len(events) == 0 {
		return badRequest("'events' should be non-empty")
	}
	known := WebhookEvents(s.Profile())
	for _, ev := range events {
		if !slices.Contains(known, ev) {
			return badRequest(fmt.Sprintf("'events' contains an unknown event '%s'", ev))
		}
	}
	return nil
}

// createWebhook stores a subscription. Emulator choice: the sandbox never
// delivers events.
func (s *Sandbox) createWebhook(c *call) reply {
	b, e := decodeBody(c.body, webhookCreateSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	events := b.strings("events")
	if e := s.checkEvents(events); e != nil {
		return e.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	w := &webhook{key: newKey(st.rng, pfxWebhook, st.webhookIdx), target: b.str("target"),
		events: events, created: c.now, updated: c.now}
	st.addWebhook(w)
	st.version++
	c.applied = true
	return success(w.wire(), "Webhook Created")
}

func (s *Sandbox) updateWebhook(c *call) reply {
	b, e := decodeBody(c.body, webhookUpdateSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	if b.has("events") {
		if e := s.checkEvents(b.strings("events")); e != nil {
			return e.reply()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.st.webhookIdx[c.id]
	if !ok {
		return notFound("Webhook")
	}
	w := s.st.webhooks[i]
	if b.has("target") {
		w.target = b.str("target")
	}
	if b.has("events") {
		w.events = b.strings("events")
	}
	w.updated = c.now
	s.st.version++
	c.applied = true
	return success(w.wire(), "Webhook Updated")
}

func (s *Sandbox) archiveWebhook(c *call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.st.webhookIdx[c.id]
	if !ok {
		return notFound("Webhook")
	}
	if w := s.st.webhooks[i]; !w.archived {
		w.archived, w.updated = true, c.now
		s.st.version++
		c.applied = true
	}
	return okNoData("Webhook Archived")
}

// Webhooks returns a copy of every webhook, archived ones included, in creation order.
func (s *Sandbox) Webhooks() []Webhook {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Webhook, len(s.st.webhooks))
	for i, w := range s.st.webhooks {
		out[i] = w.wire()
	}
	return out
}
