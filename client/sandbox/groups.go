package sandbox

func (g *group) wire() Group {
	return Group{Key: g.key, Name: g.name, Slug: g.slug, Archived: g.archived, Default: g.isDflt,
		Features: g.features, CreatedAt: g.created, UpdatedAt: g.updated}
}

func (g *group) pageMeta() itemMeta {
	return itemMeta{key: g.key, created: g.created, updated: g.updated, archived: g.archived}
}

func (s *Sandbox) listGroups(c *call) reply {
	lq, e := parseListQuery(c.query, false)
	if e != nil {
		return e.reply()
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := s.st
	idx, more, e := st.page(lq, len(st.groups), func(i int) itemMeta { return st.groups[i].pageMeta() }, nil, st.groupIdx, "group")
	if e != nil {
		return e.reply()
	}
	items := make([]Group, len(idx))
	for j, i := range idx {
		items[j] = st.groups[i].wire()
	}
	return listReply(items, more)
}

// Groups returns a copy of every group, archived ones included, in creation order.
func (s *Sandbox) Groups() []Group {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Group, len(s.st.groups))
	for i, g := range s.st.groups {
		out[i] = g.wire()
	}
	return out
}
