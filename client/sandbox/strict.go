package sandbox

// The strict profile's response views: each wire struct as strict serves it,
// without the fields no vendor schema shows (API notes, sections 5 and 10).
// A view embeds the wire struct and shadows a dropped field with an omit
// field of the same JSON name: encoding/json takes the shallower field, and
// a nil omit with omitempty writes nothing.

// omit shadows an embedded wire field so that it is left out.
type omit *struct{}

// view is w as the sandbox's profile serves it; strict renders the strict
// view (nil: the same under both profiles).
func view[W any](s *Sandbox, w W, strict func(W) any) any {
	if s.strict && strict != nil {
		return strict(w)
	}
	return w
}

// strictPartnership drops test (an emulator marker) and archived (no vendor
// schema shows the flag). Inferred: the flag is served as is_archived, the
// Partner API's spelling, because strict lists archived partnerships and a
// client needs some flag to drop them.
type strictPartnership struct {
	Partnership
	Test       omit `json:"test,omitempty"`
	Archived   omit `json:"archived,omitempty"`
	IsArchived bool `json:"is_archived"`
}

func asStrictPartnership(p Partnership) any {
	return strictPartnership{Partnership: p, IsArchived: p.Archived}
}

// strictCustomer drops archived: only partner-side pages show it, and
// deleted customers leave lists in both profiles.
type strictCustomer struct {
	Customer
	Archived omit `json:"archived,omitempty"`
}

func asStrictCustomer(c Customer) any { return strictCustomer{Customer: c} }

// strictTransaction drops partnership_key: the Airbyte, pyscriptbug and
// Fivetran vendor schemas show only customer_key and customer on a
// transaction; the documented link is transaction -> customer -> partnership.
type strictTransaction struct {
	Transaction
	PartnershipKey omit `json:"partnership_key,omitempty"`
}

func asStrictTransaction(t Transaction) any { return strictTransaction{Transaction: t} }

// strictDeal serves archived as is_archived (Inferred, as on partnerships:
// Fern's DealObject has no archived flag).
type strictDeal struct {
	Deal
	Archived   omit `json:"archived,omitempty"`
	IsArchived bool `json:"is_archived"`
}

func asStrictDeal(d Deal) any { return strictDeal{Deal: d, IsArchived: d.Archived} }

// strictLead serves archived as is_archived (Inferred: the lead reference
// pages show no archived flag).
type strictLead struct {
	Lead
	Archived   omit `json:"archived,omitempty"`
	IsArchived bool `json:"is_archived"`
}

func asStrictLead(l Lead) any { return strictLead{Lead: l, IsArchived: l.Archived} }

// strictRewardPartnership drops partner_key: the typed SDK's reward shows
// partnership {key, name, group}.
type strictRewardPartnership struct {
	RewardPartnership
	PartnerKey omit `json:"partner_key,omitempty"`
}

// strictReward drops archived (an emulator choice; archived rewards leave
// lists in both profiles) and the nested partnership's partner_key.
type strictReward struct {
	Reward
	Archived    omit                     `json:"archived,omitempty"`
	Partnership *strictRewardPartnership `json:"partnership"`
}

func asStrictReward(r Reward) any {
	v := strictReward{Reward: r}
	if r.Partnership != nil {
		v.Partnership = &strictRewardPartnership{RewardPartnership: *r.Partnership}
	}
	return v
}
