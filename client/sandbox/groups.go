package sandbox

func (g *group) wire() Group {
	return Group{Key: g.key, Name: g.name, Slug: g.slug, Archived: g.archived, Default: g.isDflt,
		Features: g.features, CreatedAt: g.created, UpdatedAt: g.updated}
}

func (g *group) pageMeta() itemMeta {
	return itemMeta{key: g.key, created: g.created, updated: g.updated, archived: g.archived}
}

var groupList = listSpec[Group]{
	what: "group",
	records: func(st *store) (int, map[string]int32, func(int) itemMeta) {
		return len(st.groups), st.groupIdx, func(i int) itemMeta { return st.groups[i].pageMeta() }
	},
	wire: func(s *Sandbox) func(int32) Group { return func(i int32) Group { return s.st.groups[i].wire() } },
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
