package tools

import (
	"context"
	"strings"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

func pipelineSummaryTool(d Deps) Tool {
	return newTool(spec{name: "pipeline_summary", title: "Pipeline summary", toolset: insightsToolset, hints: readOnly,
		description: "Deals by stage and derived status (open/won/lost/archived), leads by status: counts and amounts; partner or group filter or breakdown."},
		func(ctx context.Context, call *Call, a *pipelineSummaryArgs) (pipelineResult, error) {
			return pipelineSummary(ctx, d, call, a)
		})
}

type pipelineSummaryArgs struct {
	rangeArgs
	PartnerKey string `json:"partner_key,omitempty" jsonschema:"maxLength=255"`
	GroupKey   string `json:"group_key,omitempty" jsonschema:"maxLength=255"`
	By         string `json:"by,omitempty" jsonschema:"enum=partner,enum=group"`
	topArg
}

type dealFigures struct {
	Count    int                   `json:"count"`
	Cents    int64                 `json:"amount_cents"`
	ByStage  map[string]countCents `json:"by_stage"`
	ByStatus map[string]countCents `json:"by_status" jsonschema_description:"Derived: see status_note."`
}

type leadFigures struct {
	Count    int                   `json:"count"`
	Cents    int64                 `json:"amount_cents"`
	ByStatus map[string]countCents `json:"by_status"`
}

type pipelineRow struct {
	Key       string `json:"key"`
	Name      string `json:"name,omitempty"`
	Deals     int    `json:"deals"`
	DealCents int64  `json:"deal_cents"`
	Open      int    `json:"open"`
	Won       int    `json:"won"`
	Lost      int    `json:"lost"`
	Archived  int    `json:"archived"`
	Leads     int    `json:"leads"`
	Folded    int    `json:"folded_groups,omitempty"`
}

func (r *pipelineRow) rankKey() (int64, int, string) { return r.DealCents, r.Deals + r.Leads, r.Key }

type pipelineResult struct {
	Deals      dealFigures   `json:"deals"`
	Leads      leadFigures   `json:"leads"`
	By         string        `json:"by,omitempty"`
	Breakdown  []pipelineRow `json:"breakdown,omitempty"`
	Other      *pipelineRow  `json:"other,omitempty"`
	StatusNote string        `json:"status_note"`
	Coverage   Coverage      `json:"coverage"`
}

const pipelineStatusNote = "Deal status is derived (the API has none): archived; won or lost from stage 'closed won'/'closed lost' or a lost_reason; else open. Archived leads are left out. Amounts are cents; deals carry no currency."

func pipelineSummary(ctx context.Context, d Deps, call *Call, a *pipelineSummaryArgs) (pipelineResult, error) {
	r, _ := parseRange(a.From, a.To)
	res := pipelineResult{By: a.By, StatusNote: pipelineStatusNote,
		Deals: dealFigures{ByStage: map[string]countCents{}, ByStatus: map[string]countCents{}},
		Leads: leadFigures{ByStatus: map[string]countCents{}}}
	w := newWalker(ctx, call, d)
	rows := map[string]*pipelineRow{}
	if err := w.resume("pipeline_summary", a, map[string]any{"deals": &res.Deals, "leads": &res.Leads, "rows": &rows}); err != nil {
		return res, err
	}
	filter := partnerFilter{a.PartnerKey, a.GroupKey}
	var dir *directory
	if a.By != "" || a.GroupKey != "" {
		var err error
		if dir, err = loadDirectory(w, d.Client); err != nil {
			return res, err
		}
	}
	row := func(p partnerInfo) *pipelineRow {
		key, name := orNone(p.PartnerKey), p.Name
		if a.By == "group" {
			key, name = orNone(p.GroupKey), p.GroupName
		}
		g := rows[key]
		if g == nil {
			g = &pipelineRow{Key: key, Name: name}
			rows[key] = g
		}
		return g
	}

	do := client.DealListOptions{PartnerKey: a.PartnerKey, GroupKey: a.GroupKey, IncludeArchived: true}
	err := walkRange(w, "deals", r, lister(d.Client.Deals.All, do), func(x client.Deal) int64 { return x.CreatedAt }, func(x client.Deal) {
		p := dir.resolve("", str(x.PartnerKey), str(x.GroupKey))
		if !filter.match(p) {
			return
		}
		cents := int64Val(x.Amount)
		status := dealStatus(x)
		res.Deals.Count++
		res.Deals.Cents += cents
		addTo(res.Deals.ByStage, orNone(str(x.Stage)), cents)
		addTo(res.Deals.ByStatus, status, cents)
		if a.By == "" {
			return
		}
		g := row(p)
		g.Deals++
		g.DealCents += cents
		switch status {
		case "open":
			g.Open++
		case "won":
			g.Won++
		case "lost":
			g.Lost++
		case "archived":
			g.Archived++
		}
	})
	if err != nil {
		return res, err
	}
	lo := client.LeadListOptions{PartnerKey: a.PartnerKey}
	err = walkRange(w, "leads", r, lister(d.Client.Leads.All, lo), func(l client.Lead) int64 { return l.CreatedAt }, func(l client.Lead) {
		if l.Archived {
			return
		}
		p := dir.resolve("", str(l.PartnerKey), str(l.GroupKey))
		if !filter.match(p) {
			return
		}
		cents := int64Val(l.Amount)
		res.Leads.Count++
		res.Leads.Cents += cents
		addTo(res.Leads.ByStatus, orNone(l.Status), cents)
		if a.By != "" {
			row(p).Leads++
		}
	})
	if err != nil {
		return res, err
	}
	if a.By != "" {
		list := make([]*pipelineRow, 0, len(rows))
		for _, g := range rows {
			list = append(list, g)
		}
		kept, rest := topN(list, a.top(defaultTop))
		res.Breakdown = make([]pipelineRow, len(kept))
		for i, g := range kept {
			res.Breakdown[i] = *g
		}
		if len(rest) > 0 {
			o := &pipelineRow{Key: "other", Folded: len(rest)}
			for _, g := range rest {
				o.Deals += g.Deals
				o.DealCents += g.DealCents
				o.Open += g.Open
				o.Won += g.Won
				o.Lost += g.Lost
				o.Archived += g.Archived
				o.Leads += g.Leads
			}
			res.Other = o
		}
	}
	res.Coverage = w.coverage(r)
	return res, nil
}

func int64Val(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// dealStatus derives a deal's status: the API has none, only stages.
func dealStatus(d client.Deal) string {
	if d.Archived {
		return "archived"
	}
	stage := normalizeStage(str(d.Stage))
	switch {
	case stage == "closed won":
		return "won"
	case stage == "closed lost", strings.TrimSpace(str(d.LostReason)) != "":
		return "lost"
	}
	return "open"
}

func normalizeStage(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.NewReplacer("_", " ", "-", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}
