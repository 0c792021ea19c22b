package client

import (
	"context"
	"net/http"
)

const partnershipsPath = "/v2/partnerships"

// Partnership is a partner's membership in the program.
type Partnership struct {
	Base
	Email      string         `json:"email"`
	FirstName  *string        `json:"first_name"`
	LastName   *string        `json:"last_name"`
	PartnerKey string         `json:"partner_key"`
	JoinedAt   *int64         `json:"joined_at"`
	Archived   bool           `json:"archived"`
	Claimed    *bool          `json:"claimed,omitempty"`
	Test       bool           `json:"test,omitempty"`
	Group      *Group         `json:"group"`
	Team       *Ref           `json:"team"`
	Tier       *Ref           `json:"tier"`
	Manager    map[string]any `json:"manager,omitempty"`
	Tags       []string       `json:"tags"`
	Stats      Stats          `json:"stats"` // UPPER_SNAKE keys; money in cents
	Fields     []FieldData    `json:"fields,omitempty"`
	Meta       map[string]any `json:"meta,omitempty"`
}

// PartnershipListOptions filters GET /v2/partnerships.
type PartnershipListOptions struct {
	ListOptions
	GroupKey        string `url:"group_key,omitempty"`
	Email           string `url:"email,omitempty"`
	IncludeArchived bool   `url:"include_archived,omitempty"`
}

// PartnershipCreate is the body of POST /v2/partnerships.
type PartnershipCreate struct {
	Email        string         `json:"email"`
	GroupKey     string         `json:"group_key,omitempty"`
	PartnerKey   string         `json:"partner_key,omitempty"`
	FirstName    string         `json:"first_name,omitempty"`
	LastName     string         `json:"last_name,omitempty"`
	ManagerEmail string         `json:"manager_email,omitempty"`
	ManagerName  string         `json:"manager_name,omitempty"`
	Tags         []string       `json:"tags,omitempty"`
	Meta         map[string]any `json:"meta,omitempty"`
}

// PartnershipUpdate is the body of PATCH /v2/partnerships/{key}; nil fields
// are left unchanged. It holds only the documented fields (typed SDK [M]);
// names, partner_key and tags are not among them (tags: SetTags).
type PartnershipUpdate struct {
	GroupKey     *string     `json:"group_key,omitempty"`
	ManagerEmail *string     `json:"manager_email,omitempty"`
	TierKey      *string     `json:"tier_key,omitempty"`
	Fields       []FieldData `json:"fields,omitempty"`
}

// PartnershipTags is the body of PATCH /v2/partnerships/{key}/tags.
// Inferred: the endpoint is documented, its body is not; {"tags": [...]}
// replacing the partner's tags is our reading of "add or remove tags".
type PartnershipTags struct {
	Tags []string `json:"tags"`
}

// MaxMoveKeys bounds one bulk group move.
// Inferred: the API documents no limit; 100 keeps one call's effect, and
// its read-back, reviewable.
const MaxMoveKeys = 100

// PartnershipMove is the body of the bulk PATCH /v2/partnerships ("move a
// set of partnerships to a new group"). Inferred: the endpoint is
// documented, its body is not; these names mirror the single update's
// group_key and the partnership key.
type PartnershipMove struct {
	PartnershipKeys []string `json:"partnership_keys"`
	GroupKey        string   `json:"group_key"`
}

// PartnershipsService covers /v2/partnerships.
type PartnershipsService struct{ c *Client }

// List fetches one page.
func (s *PartnershipsService) List(ctx context.Context, opts *PartnershipListOptions) (*Page[Partnership], error) {
	return listPage[Partnership](ctx, s.c, partnershipsPath, orZero(opts))
}

// All walks every page.
func (s *PartnershipsService) All(opts *PartnershipListOptions) *Iterator[Partnership] {
	return allPages(opts, s.List)
}

// Get retrieves a partnership by its key, partner_key or email.
func (s *PartnershipsService) Get(ctx context.Context, id string) (*Partnership, error) {
	return getObject[Partnership](ctx, s.c, partnershipsPath, id)
}

// Create adds a partner to the program.
func (s *PartnershipsService) Create(ctx context.Context, body *PartnershipCreate) (*Partnership, error) {
	return writeObject[Partnership](ctx, s.c, http.MethodPost, partnershipsPath, body)
}

// Update changes a partnership, identified by key or partner_key.
func (s *PartnershipsService) Update(ctx context.Context, id string, body *PartnershipUpdate) (*Partnership, error) {
	return patchObject[Partnership](ctx, s.c, partnershipsPath, id, body)
}

// SetTags replaces a partnership's tags through the tags endpoint. Its
// answer is not documented: a partnership with an empty Key means the
// answer held none.
func (s *PartnershipsService) SetTags(ctx context.Context, id string, tags []string) (*Partnership, error) {
	path, err := objectPath(partnershipsPath, id)
	if err != nil {
		return nil, err
	}
	if tags == nil {
		tags = []string{}
	}
	return writeMaybe[Partnership](ctx, s.c, http.MethodPatch, path+"/tags", &PartnershipTags{Tags: tags})
}

// Move sends the bulk group move. What it answers is not documented, so
// nothing is read from it: callers read the partnerships back.
func (s *PartnershipsService) Move(ctx context.Context, body *PartnershipMove) error {
	return s.c.do(ctx, http.MethodPatch, partnershipsPath, nil, body, nil)
}

// Archive removes a partnership from the program (DELETE archives).
func (s *PartnershipsService) Archive(ctx context.Context, id string) error {
	return deleteObject(ctx, s.c, partnershipsPath, id)
}
