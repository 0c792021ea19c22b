package sandbox

import (
	"fmt"
	"strings"
	"time"
)

// Report configurations and exports (PartnerStack guide "Exporting reports
// via the PartnerStack API"; docs index):
//   - GET /v2/vendor_report_configuration/list and /{key}: saved custom
//     reports. Inferred: the path spelling follows the guide's
//     vendor_report_export; the list is served with the usual envelope.
//   - POST /v2/vendor_report_export/{config_key} {member_email,
//     webhook_target_url?, show_unexpanded?} starts an export (data.key vrex_).
//   - GET /v2/vendor_report_export/export/{export_key}: file_url and
//     file_name once ready and not expired.
//
// The documented limits are enforced in both profiles: one export per
// report every 2 hours, 20 per member_email every 2 hours, 429 beyond.
// Emulator choices: an export is ready Options.ExportDelay after it was
// started (by the sandbox clock) and its file expires ExportFileTTL after
// that; the default profile adds a status field, strict does not (no
// source shows one).

// DefaultExportDelay is how long an export takes when Options.ExportDelay is 0.
const DefaultExportDelay = 20 * time.Second

// ExportFileTTL is how long a ready export's file_url is served.
const ExportFileTTL = 24 * time.Hour

// Export limits (docs index).
const (
	ExportWindow         = 2 * time.Hour
	ExportsPerEmail      = 20
	pfxReportConfig      = "vrc"  // doc examples
	pfxReportExport      = "vrex" // the guide's example
	exportFileURLPattern = "https://exports.sandbox.invalid/%s/%s"
)

type reportConfig struct {
	key, name, description string
	created, updated       int64
}

type reportExport struct {
	key, email       string
	config           int32
	created, updated int64
}

// ReportConfiguration is a saved custom report (settings only).
type ReportConfiguration struct {
	Key         string  `json:"key"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	CreatedAt   int64   `json:"created_at"`
	UpdatedAt   int64   `json:"updated_at"`
}

// ReportExport is one export of a report configuration.
type ReportExport struct {
	Key                          string  `json:"key"`
	VendorReportConfigurationKey string  `json:"vendor_report_configuration_key,omitempty"` // Emulator choice; not under strict
	MemberEmail                  string  `json:"member_email,omitempty"`                    // Emulator choice; not under strict
	Status                       string  `json:"status,omitempty"`                          // Emulator choice; not under strict
	FileURL                      *string `json:"file_url"`
	FileName                     *string `json:"file_name"`
	CreatedAt                    int64   `json:"created_at"`
	UpdatedAt                    int64   `json:"updated_at"`
}

func (r *reportConfig) wire() ReportConfiguration {
	return ReportConfiguration{Key: r.key, Name: r.name, Description: strp(r.description), CreatedAt: r.created, UpdatedAt: r.updated}
}

// exportWire renders export i as of now (epoch ms).
func (s *Sandbox) exportWire(i int32, now int64) ReportExport {
	e := s.st.exports[i]
	cfg := s.st.reports[e.config]
	w := ReportExport{Key: e.key, VendorReportConfigurationKey: cfg.key, MemberEmail: e.email, CreatedAt: e.created, UpdatedAt: e.created}
	ready := e.created + s.exportDelay.Milliseconds()
	switch {
	case now < ready:
		w.Status = "processing"
	case now < ready+ExportFileTTL.Milliseconds():
		name := fmt.Sprintf("%s-%s.csv", stripName(cfg.name), time.UnixMilli(ready).UTC().Format("2006-01-02"))
		w.Status, w.FileName, w.FileURL = "ready", &name, strp(fmt.Sprintf(exportFileURLPattern, e.key, name))
		w.UpdatedAt = ready
	default:
		w.Status, w.UpdatedAt = "expired", ready+ExportFileTTL.Milliseconds()
	}
	if s.strict {
		w.Status, w.MemberEmail, w.VendorReportConfigurationKey = "", "", ""
	}
	return w
}

var reportConfigList = listSpec[ReportConfiguration]{
	what: "report configuration",
	records: func(st *store) (int, map[string]int32, func(int) itemMeta) {
		return len(st.reports), st.reportIdx, func(i int) itemMeta {
			r := st.reports[i]
			return itemMeta{key: r.key, created: r.created, updated: r.updated}
		}
	},
	wire: func(s *Sandbox) func(int32) ReportConfiguration {
		return func(i int32) ReportConfiguration { return s.st.reports[i].wire() }
	},
}

func (s *Sandbox) getReportConfig(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.st.reportIdx[c.id]
	if !ok {
		return notFound("Vendor report configuration")
	}
	return success(s.st.reports[i].wire(), "Vendor report configuration returned successfully")
}

var exportStartSchema = schema{
	{name: "member_email", typ: tString, required: true, email: true, maxLen: 255},
	{name: "webhook_target_url", typ: tString, nullable: true, url: true, maxLen: 2048},
	{name: "show_unexpanded", typ: tBool, nullable: true},
}

func (s *Sandbox) startExport(c *call) reply {
	b, e := decodeBody(c.body, exportStartSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	email := strings.ToLower(b.str("member_email"))
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	ci, ok := st.reportIdx[c.id]
	if !ok {
		return notFound("Vendor report configuration")
	}
	since := c.now - ExportWindow.Milliseconds()
	byEmail := 0
	for _, x := range st.exports {
		if x.created <= since {
			continue
		}
		if x.config == ci {
			return fail(429, "This report can only be exported once every 2 hours")
		}
		if x.email == email {
			byEmail++
		}
	}
	if byEmail >= ExportsPerEmail {
		return fail(429, fmt.Sprintf("'%s' has reached the limit of %d exports every 2 hours", email, ExportsPerEmail))
	}
	x := &reportExport{key: newKey(st.rng, pfxReportExport, st.exportIdx), email: email, config: ci, created: c.now, updated: c.now}
	st.exports = append(st.exports, x)
	index(&st.exportIdx, x.key, len(st.exports)-1)
	st.version++
	c.applied = true
	return success(s.exportWire(int32(len(st.exports)-1), c.now), "Vendor report export started")
}

func (s *Sandbox) getExport(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.st.exportIdx[c.id]
	if !ok {
		return notFound("Vendor report export")
	}
	return success(s.exportWire(i, c.now), "Vendor report export returned successfully")
}

// ReportConfigurations returns a copy of every saved report, in creation order.
func (s *Sandbox) ReportConfigurations() []ReportConfiguration {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]ReportConfiguration, len(s.st.reports))
	for i, r := range s.st.reports {
		out[i] = r.wire()
	}
	return out
}

// reportConfigs seeds the saved custom reports and one old export.
func (sd *seeder) reportConfigs() {
	st := sd.st
	for i, r := range [][2]string{
		{"Partner performance", "Clicks, signups and revenue per partner"},
		{"Link clicks", "Clicks per referral link and day"},
		{"Monthly revenue by partner", "Revenue and commission per partner and month"},
		{"Lead funnel", "Leads by status and partner"},
	} {
		t := seedEnd - int64(200-20*i)*dayMs
		st.reports = append(st.reports, &reportConfig{key: sd.key(pfxReportConfig, st.reportIdx), name: r[0], description: r[1], created: t, updated: t})
		index(&st.reportIdx, st.reports[i].key, i)
	}
	// One past export, long expired, so an export key exists to read.
	x := &reportExport{key: sd.key(pfxReportExport, st.exportIdx), email: "ops@northbeam.example", config: 0,
		created: seedEnd - 10*dayMs, updated: seedEnd - 10*dayMs}
	st.exports = append(st.exports, x)
	index(&st.exportIdx, x.key, 0)
}
