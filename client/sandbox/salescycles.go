package sandbox

import (
	"fmt"
	"slices"
	"strings"
)

// Sales cycles: GET /v2/sales-cycles/{object_type}/stages?group_key= lists
// the deal stages configured for the company or one group [M]. The columns
// are Fivetran's (api_name, name, internal_status, position,
// sales_cycle_key, ...). Inferred: {object_type} is "deal"; the response
// shape is not documented, so the default profile sends data as an array and
// strict as {items: [...]}, and the client must read both.

// dealStage is one stage of a group's deal cycle.
type dealStage struct{ apiName, name, status string }

// defaultCycle is the company's deal cycle.
var defaultCycle = []dealStage{
	{"new", "New", "open"}, {"qualified", "Qualified", "open"}, {"proposal", "Proposal", "open"},
	{"negotiation", "Negotiation", "open"}, {"closed won", "Closed won", "won"}, {"closed lost", "Closed lost", "lost"},
}

// dealStages are the default cycle's api names: every seeded group has them,
// so seeded deals (drawn from these) are valid in any group.
var dealStages = func() []string {
	out := make([]string, len(defaultCycle))
	for i, st := range defaultCycle {
		out[i] = st.apiName
	}
	return out
}()

// cycleFor is a seeded group's cycle. Emulator choice: real programs
// configure stages per group; here Resellers add procurement and Agencies
// discovery to the default cycle, so the groups differ.
func cycleFor(group string) []dealStage {
	cycle := slices.Clone(defaultCycle)
	switch group {
	case "Resellers":
		return slices.Insert(cycle, 4, dealStage{"procurement", "Procurement", "open"})
	case "Agencies":
		return slices.Insert(cycle, 1, dealStage{"discovery", "Discovery", "open"})
	}
	return cycle
}

// hasStage reports whether the group's cycle has the stage (by api name).
func (g *group) hasStage(stage string) bool {
	return slices.ContainsFunc(g.stages, func(s dealStage) bool { return s.apiName == stage })
}

// wonStage is the group's first stage with internal status won, if any.
func (g *group) wonStage() (string, bool) {
	for _, s := range g.stages {
		if s.status == "won" {
			return s.apiName, true
		}
	}
	return "", false
}

// checkStage refuses a deal stage the deal's group does not have.
func (st *store) checkStage(d *deal) *apiError {
	if d.group < 0 {
		return nil
	}
	g := st.groups[d.group]
	if g.hasStage(d.stage) {
		return nil
	}
	names := make([]string, len(g.stages))
	for i, s := range g.stages {
		names[i] = s.apiName
	}
	// Emulator choice: the message; the docs say only that the stage "must
	// be one of the group's configured deal stages".
	return badRequest(fmt.Sprintf("'stage' must be one of the group's deal stages (%s), not '%s'", strings.Join(names, ", "), d.stage))
}

// Stage is one sales-cycle stage.
type Stage struct {
	Key            string  `json:"key"`
	CreatedAt      int64   `json:"created_at"`
	UpdatedAt      int64   `json:"updated_at"`
	APIName        string  `json:"api_name"`
	Name           string  `json:"name"`
	Description    *string `json:"description"`
	InternalStatus string  `json:"internal_status"`
	ObjectType     string  `json:"object_type"`
	Position       int     `json:"position"`
	SalesCycleKey  string  `json:"sales_cycle_key"`
	SalesCycleName string  `json:"sales_cycle_name"`
}

// stageWires renders a group's cycle. Keys derive from the group's key
// (Emulator choice), so they are stable and draw nothing from the seed.
func (g *group) stageWires() []Stage {
	suffix := strings.TrimPrefix(g.key, pfxGroup+"_")
	out := make([]Stage, len(g.stages))
	for i, s := range g.stages {
		out[i] = Stage{Key: fmt.Sprintf("stg_%s%02d", suffix[:12], i), CreatedAt: g.created, UpdatedAt: g.updated,
			APIName: s.apiName, Name: s.name, InternalStatus: s.status, ObjectType: "deal", Position: i,
			SalesCycleKey: "scyc_" + suffix, SalesCycleName: g.name + " deals"}
	}
	return out
}

func (s *Sandbox) listStages(c *call) reply {
	if c.id != "deal" {
		return notFound("Sales cycle")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := s.st
	gi := int32(-1)
	if gk := c.query.Get("group_key"); gk != "" {
		i, ok := st.groupIdx[gk]
		if !ok {
			return notFound("Group")
		}
		gi = i
	} else {
		gi = st.defaultGroup()
	}
	stages := st.groups[gi].stageWires()
	if s.strict {
		return success(listData[Stage]{Items: stages}, "Stages returned successfully")
	}
	return success(stages, "Stages returned successfully")
}

// defaultGroup is the index of the default group (0 when none is marked).
func (st *store) defaultGroup() int32 {
	for i, g := range st.groups {
		if g.isDflt {
			return int32(i)
		}
	}
	return 0
}
