package sandbox

import (
	"fmt"
	"slices"
	"strings"
)

func (s *Sandbox) partnershipWire(i int32, stats []PartnershipStats) Partnership {
	p := s.st.partnerships[i]
	g := s.st.groups[p.group]
	w := Partnership{
		Key: p.key, CreatedAt: p.created, UpdatedAt: p.updated, Email: p.email,
		FirstName: cloneStrp(p.firstName), LastName: cloneStrp(p.lastName), PartnerKey: p.partnerKey,
		Claimed: p.joinedAt != 0, Archived: p.archived, Test: p.test,
		Group: GroupRef{Key: g.key, Name: g.name, Slug: g.slug}, Tier: s.st.tierRef(p.tier),
		Tags: append([]string{}, p.tags...), Stats: stats[i],
		Fields: cloneFields(p.fields), Meta: map[string]any{},
	}
	team := p.team
	w.Team = &team
	if p.joinedAt != 0 {
		j := p.joinedAt
		w.JoinedAt = &j
	}
	if p.managerEmail != nil || p.managerName != nil {
		w.Manager = &Manager{ManagerEmail: cloneStrp(p.managerEmail), ManagerName: cloneStrp(p.managerName)}
	}
	return w
}

func (p *partnership) pageMeta() itemMeta {
	return itemMeta{key: p.key, created: p.created, updated: p.updated, archived: p.archived}
}

// partnershipList: Emulator choice: group_key and email are conveniences; no
// source documents them on the vendor list (API notes, section 10).
var partnershipList = listSpec[Partnership]{
	what: "partnership",
	records: func(st *store) (int, map[string]int32, func(int) itemMeta) {
		return len(st.partnerships), st.partIdx, func(i int) itemMeta { return st.partnerships[i].pageMeta() }
	},
	wire: func(s *Sandbox) func(int32) Partnership {
		stats := s.partnershipStats()
		return func(i int32) Partnership { return s.partnershipWire(i, stats) }
	},
	strict:         asStrictPartnership,
	strictArchived: true,
	filters: []listFilter{
		{param: "group_key", keep: func(st *store, i int, v string) bool {
			return st.groups[st.partnerships[i].group].key == v
		}},
		{param: "email", keep: func(st *store, i int, v string) bool {
			return strings.EqualFold(st.partnerships[i].email, v)
		}},
	},
}

// getPartnership resolves {id} as key, partner_key or email.
func (s *Sandbox) getPartnership(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.st.partnershipByID(c.id, s.strict)
	if !ok {
		return notFound("Partnership")
	}
	return success(view(s, s.partnershipWire(i, s.partnershipStats()), asStrictPartnership), "Partnership returned successfully")
}

var partnershipCreateSchema = schema{
	{name: "email", typ: tString, required: true, maxLen: 255, email: true},
	{name: "first_name", typ: tString, nullable: true, maxLen: 50},
	{name: "last_name", typ: tString, nullable: true, maxLen: 50},
	{name: "group_key", typ: tString, nullable: true, maxLen: 255},
	{name: "partner_key", typ: tString, nullable: true, minLen: 1, maxLen: 255},
	{name: "manager_email", typ: tString, nullable: true, maxLen: 255, email: true},
	{name: "manager_name", typ: tString, nullable: true, maxLen: 255},
	{name: "tags", typ: tStrings, nullable: true},
	{name: "fields", typ: tArray, nullable: true},
	{name: "meta", typ: tObject, nullable: true},
	{name: "field_data", typ: tObject, nullable: true},
}

// partnershipUpdateSchema: the create fields, all optional, plus tier_key.
// The typed SDK's update body is fields, group_key, manager_email and
// tier_key; PartnerStack's support article on changing a partner key adds
// partner_key. The others are the default profile's conveniences, ignored
// under strict (tags have their own endpoint: PATCH .../tags).
var partnershipUpdateSchema = func() schema {
	documented := []string{"fields", "group_key", "manager_email", "partner_key", "tier_key"}
	sc := schema{}
	for _, f := range partnershipCreateSchema {
		f.required = false
		f.undocumented = !slices.Contains(documented, f.name)
		sc = append(sc, f)
	}
	return append(sc, field{name: "tier_key", typ: tString, nullable: true, maxLen: 255})
}()

func validPartnerKey(k string) bool {
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return k != ""
}

// uniquePartnerKey derives a partner_key from the name (or the email's local
// part) and makes it unique with a number suffix.
func (st *store) uniquePartnerKey(first, last *string, email string) string {
	base := ""
	if first != nil {
		base += *first
	}
	if last != nil {
		base += *last
	}
	base = stripName(base)
	if base == "" {
		base = stripName(strings.SplitN(email, "@", 2)[0])
	}
	if base == "" {
		base = "partner"
	}
	k := base
	for n := 2; ; n++ {
		if _, taken := st.partByPK[k]; !taken {
			return k
		}
		k = fmt.Sprintf("%s%d", base, n)
	}
}

func (s *Sandbox) createPartnership(c *call) reply {
	b, e := decodeBody(c.body, partnershipCreateSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	values, order, e := b.fieldValues()
	if e != nil {
		return e.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	email := b.str("email")
	for _, p := range st.partnerships {
		if strings.EqualFold(p.email, email) && !s.strict {
			// Emulator choice: one partnership per email. Strict allows two
			// (undocumented either way), so lookups by email meet ambiguity.
			return fail(400, fmt.Sprintf("a partnership with email '%s' already exists", email))
		}
	}
	gi, e := st.groupFor(b)
	if e != nil {
		return e.reply()
	}
	pk := ""
	if b.given("partner_key") {
		pk = b.str("partner_key")
		if !validPartnerKey(pk) {
			return fail(400, "'partner_key' may only contain letters, digits, '-', '_' and '.'")
		}
		if _, taken := st.partByPK[pk]; taken {
			return fail(400, fmt.Sprintf("'partner_key' '%s' is already in use", pk))
		}
	} else {
		pk = st.uniquePartnerKey(b.strp("first_name"), b.strp("last_name"), email)
	}
	p := &partnership{
		key: newKey(st.rng, pfxPart, st.partIdx), created: c.now, updated: c.now, email: email,
		firstName: b.strp("first_name"), lastName: b.strp("last_name"), partnerKey: pk,
		test: c.test, group: gi, managerEmail: b.strp("manager_email"), managerName: b.strp("manager_name"),
		tags: b.strings("tags"), fields: setFields(nil, values, order),
	}
	teamName := strings.TrimSpace(strings.Join([]string{deref(p.firstName), deref(p.lastName)}, " "))
	if teamName == "" {
		teamName = email
	}
	p.team = Team{Key: newKey(st.rng, pfxTeam, nil), Name: teamName, CreatedAt: c.now, UpdatedAt: c.now}
	i := st.addPartnership(p)
	st.version++
	c.applied = true
	return success(view(s, s.partnershipWire(i, s.partnershipStats()), asStrictPartnership), "Partnership Created")
}

func (s *Sandbox) updatePartnership(c *call) reply {
	b, e := decodeBody(c.body, partnershipUpdateSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	values, order, e := b.fieldValues()
	if e != nil {
		return e.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	i, ok := st.partnershipByKey(c.id, s.strict)
	if !ok {
		return notFound("Partnership")
	}
	p := st.partnerships[i]
	if b.has("email") && !strings.EqualFold(b.str("email"), p.email) {
		for _, q := range st.partnerships {
			if strings.EqualFold(q.email, b.str("email")) {
				return fail(400, fmt.Sprintf("a partnership with email '%s' already exists", b.str("email")))
			}
		}
	}
	gi := p.group
	if b.given("group_key") {
		if gi, e = st.groupFor(b); e != nil {
			return e.reply()
		}
	}
	tk := p.tier
	if b.has("tier_key") {
		if tk, e = st.tierFor(b); e != nil {
			return e.reply()
		}
	}
	pk := p.partnerKey
	if b.given("partner_key") && b.str("partner_key") != p.partnerKey {
		pk = b.str("partner_key")
		if !validPartnerKey(pk) {
			return fail(400, "'partner_key' may only contain letters, digits, '-', '_' and '.'")
		}
		if _, taken := st.partByPK[pk]; taken {
			return fail(400, fmt.Sprintf("'partner_key' '%s' is already in use", pk))
		}
	}
	// All checks passed: apply.
	if b.has("email") {
		p.email = b.str("email")
	}
	for k, dst := range map[string]**string{"first_name": &p.firstName, "last_name": &p.lastName,
		"manager_email": &p.managerEmail, "manager_name": &p.managerName} {
		if b.has(k) {
			*dst = b.strp(k)
		}
	}
	if pk != p.partnerKey {
		delete(st.partByPK, p.partnerKey)
		p.partnerKey = pk
		st.partByPK[pk] = i
	}
	p.group, p.tier = gi, tk
	if b.has("tags") {
		p.tags = b.strings("tags")
	}
	p.fields = setFields(p.fields, values, order)
	p.updated = c.now
	st.version++
	c.applied = true
	return success(view(s, s.partnershipWire(i, s.partnershipStats()), asStrictPartnership), "Partnership Updated")
}

var partnershipTagsSchema = schema{
	{name: "tags", typ: tStrings, required: true},
}

// updatePartnershipTags serves PATCH /v2/partnerships/{partnership_key}/tags
// ("add or remove tags"). Inferred: the body is not documented; the sandbox
// takes {"tags": [...]}, the partner's whole new tag list, so adding and
// removing are one call.
func (s *Sandbox) updatePartnershipTags(c *call) reply {
	b, e := decodeBody(c.body, partnershipTagsSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	i, ok := st.partnershipByKey(c.id, s.strict)
	if !ok {
		return notFound("Partnership")
	}
	p := st.partnerships[i]
	p.tags = b.strings("tags")
	p.updated = c.now
	st.version++
	c.applied = true
	return success(view(s, s.partnershipWire(i, s.partnershipStats()), asStrictPartnership), "Partnership Tags Updated")
}

func (s *Sandbox) archivePartnership(c *call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.st.partnershipByKey(c.id, s.strict)
	if !ok {
		return notFound("Partnership")
	}
	// Emulator choice: archiving twice succeeds; the object stays readable
	// with archived:true and leaves default lists.
	if p := s.st.partnerships[i]; !p.archived {
		p.archived, p.updated = true, c.now
		s.st.version++
		c.applied = true
	}
	return okNoData("Partnership Archived")
}

// Partnerships returns a copy of every partnership, archived ones included,
// in creation order.
func (s *Sandbox) Partnerships() []Partnership {
	s.mu.RLock()
	defer s.mu.RUnlock()
	stats := s.partnershipStats()
	out := make([]Partnership, len(s.st.partnerships))
	for i := range s.st.partnerships {
		out[i] = s.partnershipWire(int32(i), stats)
	}
	return out
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// maxMove bounds one bulk move. Emulator choice: the API documents no limit.
const maxMove = 100

var partnershipMoveSchema = schema{
	{name: "partnership_keys", typ: tStrings, required: true},
	{name: "group_key", typ: tString, required: true, minLen: 1, maxLen: 255},
}

// movePartnerships serves the bulk PATCH /v2/partnerships ("move a set of
// partnerships to a new group"). Inferred: the body is not documented; the
// sandbox takes {partnership_keys: [...], group_key}, in both profiles. It
// moves all or none: an unknown key is a 400 naming it (Emulator choice).
func (s *Sandbox) movePartnerships(c *call) reply {
	b, e := decodeBody(c.body, partnershipMoveSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	keys := b.strings("partnership_keys")
	if len(keys) == 0 || len(keys) > maxMove {
		return fail(400, fmt.Sprintf("'partnership_keys' must hold 1 to %d keys", maxMove))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	gi, e := st.groupFor(b)
	if e != nil {
		return e.reply()
	}
	idx := make([]int32, len(keys))
	for j, k := range keys {
		i, ok := st.partnershipByKey(k, s.strict)
		if !ok {
			return fail(400, fmt.Sprintf("'partnership_keys' has a key that matches no partnership ('%s')", k))
		}
		idx[j] = i
	}
	for _, i := range idx {
		p := st.partnerships[i]
		p.group, p.updated = gi, c.now
	}
	st.version++
	c.applied = true
	return okNoData(fmt.Sprintf("%d partnerships moved", len(idx)))
}
