package client

import (
	"context"
	"encoding/json"
	"net/http"
)

const linksPath = "/v2/links"

// ReferralLink is one of a partnership's referral links. GET
// /v2/links/{partnership_identifier} exists [H]; its item shape is not
// documented, so the URL is read from the first of url, link,
// referral_link and href, and every field stays in Raw.
type ReferralLink struct {
	Key         string         `json:"-"`
	URL         string         `json:"-"`
	Name        string         `json:"-"`
	Destination string         `json:"-"`
	CreatedAt   int64          `json:"-"`
	Raw         map[string]any `json:"-"`
}

// UnmarshalJSON reads the inferred fields and keeps the object whole in Raw.
func (l *ReferralLink) UnmarshalJSON(b []byte) error {
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	first := func(names ...string) string {
		for _, n := range names {
			if s, ok := raw[n].(string); ok && s != "" {
				return s
			}
		}
		return ""
	}
	*l = ReferralLink{Key: first("key", "link_key"), URL: first("url", "link", "referral_link", "href"),
		Name: first("name", "label", "title"), Destination: first("destination", "destination_url", "target_url"), Raw: raw}
	var created struct {
		CreatedAt json.RawMessage `json:"created_at"`
	}
	if json.Unmarshal(b, &created) == nil {
		l.CreatedAt, _ = readInt(created.CreatedAt)
	}
	return nil
}

// LinksService covers GET /v2/links/{partnership_identifier}.
type LinksService struct{ c *Client }

// ForPartnership lists one partnership's referral links (by partnership key
// or partner_key: the parameter is a "partnership identifier"). data as an
// array and data.items are both read.
func (s *LinksService) ForPartnership(ctx context.Context, id string) ([]ReferralLink, error) {
	path, err := objectPath(linksPath, id)
	if err != nil {
		return nil, err
	}
	var out Items[ReferralLink]
	if err := s.c.do(ctx, http.MethodGet, path, nil, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}
