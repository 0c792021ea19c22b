package tools

import (
	"context"
	"errors"
	"strings"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

type applicationItem struct {
	Key            string `json:"key"`
	Status         string `json:"status"`
	Name           string `json:"name,omitempty"`
	Email          string `json:"email,omitempty"`
	BusinessName   string `json:"business_name,omitempty"`
	GroupKey       string `json:"group_key,omitempty"`
	PartnershipKey string `json:"partnership_key,omitempty"`
	DeclineReason  string `json:"decline_reason,omitempty"`
	CreatedAt      string `json:"created_at"`
}

func projectApplication(a client.Application) applicationItem {
	it := applicationItem{Key: a.Key, Status: a.Status(),
		Name:  strings.TrimSpace(a.Content.FirstName + " " + a.Content.LastName),
		Email: a.Content.Email, BusinessName: a.Content.BusinessName, PartnershipKey: str(a.PartnershipKey),
		DeclineReason: str(a.DeclineReason), CreatedAt: isoTime(a.CreatedAt)}
	if a.Group != nil {
		it.GroupKey = a.Group.Key
	}
	return it
}

type listApplicationsArgs struct {
	ListArgs
	Status   string `json:"status,omitempty" jsonschema:"enum=pending,enum=approved,enum=declined"`
	GroupKey string `json:"group_key,omitempty" jsonschema:"maxLength=255"`
}

type decideApplicationArgs struct {
	ApplicationKey string `json:"application_key" jsonschema:"minLength=1,maxLength=255"`
	Decision       string `json:"decision" jsonschema:"enum=approve,enum=decline"`
	DeclineReason  string `json:"decline_reason,omitempty" jsonschema:"maxLength=1000" jsonschema_description:"Only with decline."`
	DryRunArg
}

func (a *decideApplicationArgs) validate() error {
	if a.Decision == "approve" && a.DeclineReason != "" {
		return argErr("decline_reason", "is only for decision decline", "drop decline_reason, or set decision to decline")
	}
	return nil
}

func applicationTools(d Deps) []Tool {
	c := d.Client
	const ts = "applications"
	byStatus := listFilter[client.Application]("applications", "status", "status")
	byGroup := listFilter[client.Application]("applications", "group_key", "group_key")
	return []Tool{
		newTool(spec{name: "list_applications", title: "List partner applications", toolset: ts, hints: readOnly,
			description: "List applications to join the program, newest first; status pending is the backlog."},
			func(ctx context.Context, call *Call, a *listApplicationsArgs) (ListResult[applicationItem], error) {
				o := &client.ApplicationListOptions{Status: a.Status, GroupKey: a.GroupKey}
				if err := a.apply(&o.ListOptions); err != nil {
					return ListResult[applicationItem]{}, err
				}
				return gather(ctx, call, d, c.Applications.All(o), &a.ListArgs, projectApplication,
					byStatus.on(a.Status != "", func(ap client.Application) bool { return ap.Status() == a.Status }),
					byGroup.on(a.GroupKey != "", func(ap client.Application) bool { return ap.Group != nil && ap.Group.Key == a.GroupKey }))
			}),
		newTool(spec{name: "decide_application", title: "Approve or decline an application", toolset: ts, hints: update,
			description: "Approve or decline a pending application; a decline is final. " +
				"Inferred request body {approved, decline_reason}: the API documents only the endpoint."},
			func(ctx context.Context, _ *Call, a *decideApplicationArgs) (WriteResult[applicationItem], error) {
				body := &client.ApplicationDecision{Approved: a.Decision == "approve", DeclineReason: a.DeclineReason}
				res, err := write(ctx, a.DryRun, func(ctx context.Context) (*client.Application, error) {
					return c.Applications.Decide(ctx, a.ApplicationKey, body)
				}, projectApplication)
				var ae *client.Error
				if errors.As(err, &ae) && client.IsNotFound(ae) {
					return res, argErr("application_key", "no application has the key '"+a.ApplicationKey+"'",
						"find pending ones with list_applications status pending")
				}
				return res, err
			}),
	}
}
