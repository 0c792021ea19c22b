package tools

import (
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
// walk over the partnerships (archived included: they still have history).
type directory struct {
	byKey, byPartnerKey map[string]*partnerInfo
	groupNames          map[string]string
}

func loadDirectory(w *walker, c *client.Client) (*directory, error) {
	d := &directory{byKey: map[string]*partnerInfo{}, byPartnerKey: map[string]*partnerInfo{}, groupNames: map[string]string{}}
	it := c.Partnerships.All(&client.PartnershipListOptions{IncludeArchived: true})
	err := walk(w.ctx, w, "partnerships", timeRange{}, it, nil, func(p client.Partnership) {
		info := &partnerInfo{Key: p.Key, PartnerKey: p.PartnerKey, Name: fullName(p.FirstName, p.LastName), Email: p.Email}
		if p.Group != nil {
			info.GroupKey, info.GroupName = p.Group.Key, p.Group.Name
			d.groupNames[p.Group.Key] = p.Group.Name
		}
		d.byKey[p.Key] = info
		if p.PartnerKey != "" {
			d.byPartnerKey[p.PartnerKey] = info
		}
	})
	return d, err
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
