package tools

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// The reports toolset (opt-in): saved custom reports and their exports,
// the only documented route to click and performance metrics. An export
// runs asynchronously; get_report_export returns its file when ready and
// says how long to wait when not. The limits live in exportlimits.go.

type reportConfigItem struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	CreatedAt   string `json:"created_at"`
}

func projectReportConfig(r client.ReportConfiguration) reportConfigItem {
	return reportConfigItem{Key: r.Key, Name: r.Name, Description: str(r.Description), CreatedAt: isoTime(r.CreatedAt)}
}

// reportExportItem is an export's state: the file once ready, else how
// long to wait.
type reportExportItem struct {
	Key         string `json:"key"`
	Ready       bool   `json:"ready"`
	FileURL     string `json:"file_url,omitempty"`
	FileName    string `json:"file_name,omitempty"`
	StartedAt   string `json:"started_at,omitempty"`
	WaitSeconds int    `json:"wait_seconds,omitempty"`
	Message     string `json:"message"`
}

// exportsTakeUpTo is the documented longest export time.
const exportsTakeUpTo = 30 * time.Minute

// projectExport reads an export as of now (zero: the moment it started).
// Ready means a file_url (the documented sign); the wait grows with the
// time already spent, from 30 s up to 5 min, and past the documented 30
// minutes the export is called failed or expired. The start is created_at
// (every object's base; Inferred for exports), else unknown.
func projectExport(e client.ReportExport, now time.Time) reportExportItem {
	it := reportExportItem{Key: e.Key, Ready: e.Ready(), FileURL: str(e.FileURL), FileName: str(e.FileName)}
	var started time.Time
	if e.CreatedAt != 0 {
		started = time.UnixMilli(e.CreatedAt)
	}
	if now.IsZero() {
		now = started
	}
	if !started.IsZero() {
		it.StartedAt = started.UTC().Format(time.RFC3339)
	}
	if it.Ready {
		it.Message = "Ready: download file_url (it expires)."
		return it
	}
	elapsed := now.Sub(started)
	switch {
	case started.IsZero():
		it.WaitSeconds = 60
		it.Message = fmt.Sprintf("Not ready. Exports take up to %d minutes; call get_report_export again in about 60 s.", int(exportsTakeUpTo.Minutes()))
	case elapsed < time.Second:
		it.WaitSeconds = 30
		it.Message = fmt.Sprintf("Started. Exports take up to %d minutes; call get_report_export in about 30 s.", int(exportsTakeUpTo.Minutes()))
	case elapsed > exportsTakeUpTo:
		it.Message = fmt.Sprintf("No file %d minutes after it started, past the documented %d: the export failed or its file expired. Start a new one (one per report every 2 hours).",
			int(elapsed.Minutes()), int(exportsTakeUpTo.Minutes()))
	default:
		wait := min(max(elapsed/2, 30*time.Second), 5*time.Minute)
		it.WaitSeconds = int(wait.Seconds())
		it.Message = fmt.Sprintf("Not ready after %s; exports take up to %d minutes. Call get_report_export again in about %d s.",
			elapsed.Round(time.Second), int(exportsTakeUpTo.Minutes()), it.WaitSeconds)
	}
	return it
}

type listReportConfigsArgs struct {
	ListArgs
}

type startReportExportArgs struct {
	ReportKey   string `json:"report_key" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"From list_report_configurations."`
	MemberEmail string `json:"member_email" jsonschema:"format=email,maxLength=255" jsonschema_description:"A teammate's email; the export runs as them."`
	DryRunArg
}

// followUp: no endpoint lists exports, so an unconfirmed start can only
// be checked in the dashboard.
func (a *startReportExportArgs) followUp() string {
	return "the dashboard's report exports (no API lists them)"
}

type getReportExportArgs struct {
	ExportKey string `json:"export_key" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"From start_report_export."`
}

func reportTools(d Deps) []Tool {
	c := d.Client
	const ts = "reports"
	limits := d.exports
	if limits == nil {
		limits = newExportLimits(d)
	}
	lookupRule("reports", kindLimit, "one export per report, 20 per member_email, every 2 h")
	return []Tool{
		newTool(spec{name: "list_report_configurations", title: "List saved reports", toolset: ts, hints: readOnly,
			description: "List the saved custom reports (click and performance metrics) that start_report_export exports."},
			func(ctx context.Context, call *Call, a *listReportConfigsArgs) (ListResult[reportConfigItem], error) {
				o := &client.ReportConfigurationListOptions{}
				if err := a.apply(&o.ListOptions); err != nil {
					return ListResult[reportConfigItem]{}, err
				}
				return gather(ctx, call, d, c.Reports.Configurations(o), &a.ListArgs, projectReportConfig)
			}),
		newTool(spec{name: "start_report_export", title: "Start a report export", toolset: ts, hints: additive,
			description: "Start exporting a saved report; fetch the file with get_report_export. PartnerStack allows one export per report " +
				"and 20 per member_email every 2 hours; this server refuses beyond that for the exports it started (not ones started elsewhere)."},
			func(ctx context.Context, _ *Call, a *startReportExportArgs) (WriteResult[reportExportItem], error) {
				claim, err := limits.reserve(ctx, a.ReportKey, a.MemberEmail)
				if err != nil {
					return WriteResult[reportExportItem]{}, err
				}
				body := &client.ReportExportStart{MemberEmail: a.MemberEmail}
				var exportKey string
				res, err := write(ctx, a.DryRun, func(ctx context.Context) (*client.ReportExport, error) {
					e, err := c.Reports.StartExport(ctx, a.ReportKey, body)
					if err == nil {
						exportKey = e.Key
					}
					return e, err
				}, func(e client.ReportExport) reportExportItem { return projectExport(e, time.Time{}) })
				limits.settle(ctx, claim, err, exportKey)
				var ae *client.Error
				switch {
				case errors.As(err, &ae) && client.IsRateLimited(ae):
					return res, rateLimited(ae)
				case errors.As(err, &ae) && client.IsNotFound(ae):
					return res, argErr("report_key", "no saved report has the key '"+a.ReportKey+"'", "find keys with list_report_configurations")
				}
				return res, err
			}),
		newTool(spec{name: "get_report_export", title: "Get a report export", toolset: ts, hints: readOnly,
			description: "Get an export's file URL when ready; when not, how long to wait."},
			func(ctx context.Context, _ *Call, a *getReportExportArgs) (reportExportItem, error) {
				e, err := c.Reports.Export(ctx, a.ExportKey)
				var ae *client.Error
				if errors.As(err, &ae) && client.IsNotFound(ae) {
					return reportExportItem{}, argErr("export_key", "no export has the key '"+a.ExportKey+"'", "pass the key start_report_export returned")
				}
				if err != nil {
					return reportExportItem{}, err
				}
				return projectExport(*e, limits.now()), nil
			}),
	}
}
