package sandbox

import (
	"fmt"
	"strings"
)

// Referral links: GET /v2/links/{partnership_identifier} lists one
// partnership's links [H exists]; bare /v2/links is a 404 (seen live). The
// item shape is not documented. Emulator choice: every partnership has two
// links derived from its partner_key (the homepage and the pricing page);
// the default profile sends data as an array of {key, url, name,
// destination, created_at}, strict as {items: [...]} with the URL in link,
// so a client must read both.

// ReferralLink is one referral link.
type ReferralLink struct {
	Key         string `json:"key"`
	URL         string `json:"url,omitempty"`
	Link        string `json:"link,omitempty"`
	Name        string `json:"name"`
	Destination string `json:"destination"`
	CreatedAt   int64  `json:"created_at"`
}

var linkPages = []struct{ name, path string }{{"Homepage", "/"}, {"Pricing", "/pricing"}}

func (s *Sandbox) links(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.st.partnershipByID(c.id, s.strict)
	if !ok {
		return notFound("Partnership")
	}
	p := s.st.partnerships[i]
	suffix := strings.TrimPrefix(p.key, pfxPart+"_")
	out := make([]ReferralLink, len(linkPages))
	for j, pg := range linkPages {
		u := fmt.Sprintf("https://northbeam.example%s?ps_partner_key=%s", pg.path, p.partnerKey)
		out[j] = ReferralLink{Key: fmt.Sprintf("link_%s%02d", suffix[:12], j), Name: pg.name,
			Destination: "https://northbeam.example" + pg.path, CreatedAt: p.created}
		if s.strict {
			out[j].Link = u
		} else {
			out[j].URL = u
		}
	}
	if s.strict {
		return success(listData[ReferralLink]{Items: out}, "Links returned successfully")
	}
	return success(out, "Links returned successfully")
}
