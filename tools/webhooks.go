package tools

import (
	"context"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

type webhookItem struct {
	Key       string   `json:"key"`
	Target    string   `json:"target"`
	Events    []string `json:"events"`
	Archived  bool     `json:"archived,omitempty"`
	CreatedAt string   `json:"created_at"`
}

func projectWebhook(w client.Webhook) webhookItem {
	return webhookItem{Key: w.Key, Target: w.Target, Events: w.Events, Archived: w.Archived, CreatedAt: isoTime(w.CreatedAt)}
}

type listWebhooksArgs struct {
	ListArgs
}

type createWebhookArgs struct {
	Target string   `json:"target" jsonschema:"minLength=8,maxLength=2048" jsonschema_description:"https URL that receives the events."`
	Events []string `json:"events" jsonschema:"minItems=1,maxItems=50,minLength=1,maxLength=100" jsonschema_description:"Event names, e.g. partnership.created, customer_created."`
	DryRunArg
}

// validate accepts only documented event names (client.WebhookEvents).
func (a *createWebhookArgs) validate() error {
	for _, e := range a.Events {
		if !slices.Contains(client.WebhookEvents, e) {
			return argErr("events", "'"+e+"' is not a PartnerStack webhook event",
				"use one of "+strings.Join(client.WebhookEvents, ", "))
		}
	}
	return nil
}

func (a *createWebhookArgs) followUp() string {
	return "list_webhooks (look for target " + a.Target + ")"
}

// checkWebhookTarget keeps PartnerStack from being pointed at addresses that
// are not the public internet: a webhook to a loopback, private or
// link-local address would deliver program data to whatever answers there.
// Names are not resolved (that happens at PartnerStack, later); names that
// are local by definition and IP literals in any spelling are checked.
// local relaxes all of it for the embedded sandbox, which delivers nothing.
func checkWebhookTarget(target string, local bool) error {
	const fix = "use a public https:// address such as https://hooks.example.com/partnerstack"
	u, err := url.Parse(target)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return argErr("target", "'"+target+"' is not an absolute URL", fix)
	}
	if u.Scheme != "https" && !(local && u.Scheme == "http") {
		return argErr("target", "'"+target+"' is not an https URL", fix)
	}
	if u.User != nil {
		return argErr("target", "the URL carries credentials (user:password@)", "put credentials in the receiving service, not in the URL")
	}
	if local {
		return nil
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return argErr("target", "'"+target+"' has no host", fix)
	}
	for _, suffix := range []string{"localhost", "local", "internal", "localdomain", "home.arpa"} {
		if host == suffix || strings.HasSuffix(host, "."+suffix) {
			return argErr("target", "'"+host+"' is a local host name", fix)
		}
	}
	if addr, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		if reason := privateAddr(addr); reason != "" {
			return argErr("target", "'"+host+"' is "+reason+" address", fix)
		}
		return nil
	}
	// "127.1", "2130706433" or "0x7f.0.0.1" are not DNS names (no top-level
	// domain is numeric) but many HTTP clients read them as IPv4 addresses.
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" || strings.Trim(last, "0123456789") == "" || strings.HasPrefix(last, "0x") {
		return argErr("target", "'"+host+"' looks like an IP address in a non-standard form", fix)
	}
	return nil
}

// privateAddr says why addr is not a public unicast address, or "".
func privateAddr(a netip.Addr) string {
	a = a.Unmap()
	cgnat := netip.MustParsePrefix("100.64.0.0/10")
	switch {
	case a.IsUnspecified():
		return "an unspecified"
	case a.IsLoopback():
		return "a loopback"
	case a.IsPrivate() || cgnat.Contains(a):
		return "a private"
	case a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast():
		return "a link-local"
	case a.IsMulticast():
		return "a multicast"
	case a.Is4() && a.As4()[0] == 0:
		return "a reserved"
	}
	return ""
}

func webhookTools(d Deps) []Tool {
	c := d.Client
	const ts = "webhooks"
	return []Tool{
		newTool(spec{name: "list_webhooks", title: "List webhooks", toolset: ts, hints: readOnly,
			description: "List webhook subscriptions."},
			func(ctx context.Context, call *Call, a *listWebhooksArgs) (ListResult[webhookItem], error) {
				o := &client.WebhookListOptions{}
				if err := a.apply(&o.ListOptions); err != nil {
					return ListResult[webhookItem]{}, err
				}
				return gather(ctx, call, d, c.Webhooks.All(o), &a.ListArgs, projectWebhook)
			}),
		newTool(spec{name: "create_webhook", title: "Create a webhook", toolset: ts, hints: additive,
			description: "Subscribe an https URL to PartnerStack events."},
			func(ctx context.Context, _ *Call, a *createWebhookArgs) (WriteResult[webhookItem], error) {
				if err := checkWebhookTarget(a.Target, d.AllowLocalWebhooks); err != nil {
					return WriteResult[webhookItem]{}, err
				}
				body := &client.WebhookCreate{Target: a.Target, Events: a.Events}
				return write(ctx, a.DryRun, func(ctx context.Context) (*client.Webhook, error) {
					return c.Webhooks.Create(ctx, body)
				}, projectWebhook)
			}),
		newTool(spec{name: "delete_webhook", title: "Delete a webhook", toolset: ts, hints: destructive,
			description: "Delete a webhook subscription (deliveries stop)."},
			func(ctx context.Context, _ *Call, a *archiveArgs) (DoneResult, error) {
				return remove(ctx, a.DryRun, a.Key, "Webhook deleted.", func(ctx context.Context) error {
					return c.Webhooks.Delete(ctx, a.Key)
				})
			}),
	}
}
