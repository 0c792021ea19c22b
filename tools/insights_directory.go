package tools

import (
	"context"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// The partner directory: transactions, customers, deals, leads and rewards
// each name their partner differently (partnership key, partner key, a
// nested partnership), so insights that filter or break down by partner or
// group resolve every item through one walk over the partnerships.

// partnerInfo is one partnership as the insights show it.
type partnerInfo struct {
	Key, PartnerKey, Name, Email, GroupKey, GroupName string
}

// directory maps partnership keys and partner keys to partners; built by one
// walk over the partnerships, asking for archived ones too (they still have
// history). include_archived is undocumented: a partner the list left out is
// fetched by the documented GET when an item names it, at most
// maxDirectoryFetches per call.
type directory struct {
	byKey, byPartnerKey map[string]*partnerInfo
	groupNames          map[string]string

	ctx     context.Context
	c       *client.Client
	fetched int
	absent  map[string]bool // identifiers the GET did not find
}

const maxDirectoryFetches = 100

func loadDirectory(w *walker, c *client.Client) (*directory, error) {
	d := &directory{byKey: map[string]*partnerInfo{}, byPartnerKey: map[string]*partnerInfo{}, groupNames: map[string]string{},
		ctx: w.ctx, c: c, absent: map[string]bool{}}
	all := lister(c.Partnerships.All, client.PartnershipListOptions{IncludeArchived: true})
	err := walkLookup(w, "partnerships", all, partnershipCreated, func(p client.Partnership) { d.add(&p) })
	return d, err
}

func (d *directory) add(p *client.Partnership) *partnerInfo {
	info := &partnerInfo{Key: p.Key, PartnerKey: p.PartnerKey, Name: fullName(p.FirstName, p.LastName), Email: p.Email}
	if p.Group != nil {
		info.GroupKey, info.GroupName = p.Group.Key, p.Group.Name
		d.groupNames[p.Group.Key] = p.Group.Name
	}
	d.byKey[p.Key] = info
	if p.PartnerKey != "" {
		d.byPartnerKey[p.PartnerKey] = info
	}
	return info
}

// fetch gets a partner the walk did not list, by partner_key (documented)
// or key, and keeps the answer only if it is the one asked for.
func (d *directory) fetch(key, partnerKey string) *partnerInfo {
	id := partnerKey
	if id == "" {
		id = key
	}
	if id == "" || d.c == nil || d.absent[id] || d.fetched >= maxDirectoryFetches {
		return nil
	}
	d.fetched++
	p, err := d.c.Partnerships.Get(d.ctx, id)
	if err != nil || (p.Key != key && key != "") || (p.PartnerKey != partnerKey && partnerKey != "") {
		d.absent[id] = true
		return nil
	}
	return d.add(p)
}

// resolve names the partner of an item from what the item carries
// (partnership key, partner key, group key; any may be empty) completed by
// the directory. A nil directory resolves from the item alone. The item's
// own group wins: deals and leads record the group they were made in.
func (d *directory) resolve(key, partnerKey, groupKey string) partnerInfo {
	info := partnerInfo{Key: key, PartnerKey: partnerKey}
	if d != nil {
		p := d.byKey[key]
		if p == nil && partnerKey != "" {
			p = d.byPartnerKey[partnerKey]
		}
		if p == nil {
			p = d.fetch(key, partnerKey)
		}
		if p != nil {
			info = *p
		}
	}
	if groupKey != "" && groupKey != info.GroupKey {
		info.GroupKey, info.GroupName = groupKey, ""
		if d != nil {
			info.GroupName = d.groupNames[groupKey]
		}
	}
	return info
}

// partnerFilter is the partner_key/group_key filter of an insight, applied
// client-side whether or not the API honoured it.
type partnerFilter struct{ partnerKey, groupKey string }

func (f partnerFilter) match(p partnerInfo) bool {
	return (f.partnerKey == "" || p.PartnerKey == f.partnerKey) && (f.groupKey == "" || p.GroupKey == f.groupKey)
}

func rewardPartner(dir *directory, r *client.Reward) partnerInfo {
	p := r.Partnership
	if p == nil {
		return partnerInfo{}
	}
	var group string
	if p.Group != nil {
		group = p.Group.Key
	}
	info := dir.resolve(p.Key, p.PartnerKey, group)
	if info.Name == "" {
		info.Name = p.Name
	}
	if info.GroupName == "" && p.Group != nil {
		info.GroupName = p.Group.Name
	}
	return info
}
