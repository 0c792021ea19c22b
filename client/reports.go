package client

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
)

// Report exports: the saved custom reports of the dashboard and their
// exports, the only documented route to click and performance metrics
// (PartnerStack guide "Exporting reports via the PartnerStack API").
const (
	reportConfigurationsPath = "/v2/vendor_report_configuration" // Inferred: spelled like the export path (M)
	reportExportsPath        = "/v2/vendor_report_export"        // the guide's own paths
)

// ReportConfiguration is one saved custom report: its settings, no data.
// Inferred: the docs index names the endpoints, not the item's fields; key
// (vrc_...) and name are what a caller needs to pick one.
type ReportConfiguration struct {
	Base
	Name        string  `json:"name"`
	Description *string `json:"description"`
}

// ReportExport is one export of a report. FileURL and FileName are set
// once the file is ready and while it has not expired (the guide); no
// status field is documented, so none is read.
type ReportExport struct {
	Base
	FileURL  *string `json:"file_url"`
	FileName *string `json:"file_name"`
}

// Ready reports a file to download: a non-empty file_url, the documented sign.
func (e ReportExport) Ready() bool { return e.FileURL != nil && *e.FileURL != "" }

// ReportExportStart is the body of POST /v2/vendor_report_export/{key}:
// member_email (required) is the teammate the export runs as.
type ReportExportStart struct {
	MemberEmail string `json:"member_email"`
}

// ReportConfigurationListOptions: the shared paging (Inferred: whether the
// list pages at all is undocumented; see reportPage).
type ReportConfigurationListOptions struct {
	ListOptions
}

// ReportsService covers the report configurations and exports.
type ReportsService struct{ c *Client }

// reportPage reads the configurations list as a page whether data is the
// usual {items, has_more} or a bare array (Inferred: the shape is not
// documented; Fern shows bare arrays for other settings lists).
type reportPage[T any] struct{ Page[T] }

func (p *reportPage[T]) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		return json.Unmarshal(t, &p.Items)
	}
	return json.Unmarshal(b, &p.Page)
}

// ListConfigurations fetches one page of GET /v2/vendor_report_configuration/list.
func (s *ReportsService) ListConfigurations(ctx context.Context, opts *ReportConfigurationListOptions) (*Page[ReportConfiguration], error) {
	opts = orZero(opts)
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	q, err := encodeQuery(opts)
	if err != nil {
		return nil, err
	}
	var p reportPage[ReportConfiguration]
	if err := s.c.do(ctx, http.MethodGet, reportConfigurationsPath+"/list", q, nil, &p); err != nil {
		return nil, err
	}
	return &p.Page, nil
}

// Configurations walks every page of the configurations list.
func (s *ReportsService) Configurations(opts *ReportConfigurationListOptions) *Iterator[ReportConfiguration] {
	return allPages(opts, s.ListConfigurations)
}

// StartExport starts an export of the report configuration key and
// returns it (data.key is its vrex_ key). PartnerStack allows one export
// per report every 2 hours and 20 per member_email every 2 hours, and
// answers 429 beyond (docs index).
func (s *ReportsService) StartExport(ctx context.Context, configKey string, body *ReportExportStart) (*ReportExport, error) {
	path, err := objectPath(reportExportsPath, configKey)
	if err != nil {
		return nil, err
	}
	return writeObject[ReportExport](ctx, s.c, http.MethodPost, path, body)
}

// Export fetches an export's status (GET /v2/vendor_report_export/export/{key}).
func (s *ReportsService) Export(ctx context.Context, exportKey string) (*ReportExport, error) {
	return getObject[ReportExport](ctx, s.c, reportExportsPath+"/export", exportKey)
}
