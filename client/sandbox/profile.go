package sandbox

import (
	"fmt"
	"strings"
)

// Profile says how far the sandbox goes beyond what PartnerStack documents.
//
// ProfileDefault is the convenient emulator: it honours every filter and
// lookup the tools find useful and fills in fields no source shows.
//
// ProfileStrict serves only what a primary source documents (API notes,
// section 10) and takes the hardest reading wherever the real behaviour is
// unknown, so a suite that passes under both profiles depends on no
// assumption. Under strict:
//   - lists honour only the documented query parameters (listFilter.documented,
//     paging, min/max_created, min/max_updated, order_by on created_at or
//     updated_at, except on deals) and silently ignore every other one, as an
//     API that ignores unknown parameters would; include_archived is one of
//     them, so partnerships, deals and leads list archived records too
//     (flagged is_archived) and the client must drop them itself;
//   - responses omit the fields no vendor schema shows (see the strict* view
//     types in strict.go);
//   - request bodies: documented fields only; any other field is ignored, not
//     rejected (Inferred: whether the API rejects or ignores unknown fields is
//     unclear, and ignoring is the case a client cannot notice), and
//     documented required fields are enforced (customer_key on customer
//     create);
//   - lookups resolve only the documented identifiers (the external
//     customer_key in customer paths, key or partner_key on partnership GET,
//     the key alone on partnership PATCH/DELETE); the undocumented GET
//     /v2/transactions/{key} is not served;
//   - webhooks take only the documented event names (both spellings);
//   - the lists no source shows the shape of (deal stages, referral links)
//     come as {items: [...]}, where the default profile sends a bare array
//     (salescycles.go, links.go).
//
// Kept in both profiles: the 400s that refuse a request outright rather than
// change an answer (limit outside 1-250, both cursors at once, an unknown
// cursor, a currency outside the sandbox's table, a reused customer_key,
// partner_key, transaction key or product external_key, an unknown
// tier_key), reward targets of type partnership, and the documented report
// export limits (429, reports.go).
type Profile string

// The sandbox profiles.
const (
	ProfileDefault Profile = "default"
	ProfileStrict  Profile = "strict"
)

// Profiles lists every profile, default first.
func Profiles() []Profile { return []Profile{ProfileDefault, ProfileStrict} }

// ParseProfile reads a profile name; "" is the default profile.
func ParseProfile(s string) (Profile, error) {
	switch p := Profile(strings.ToLower(strings.TrimSpace(s))); p {
	case "", ProfileDefault:
		return ProfileDefault, nil
	case ProfileStrict:
		return ProfileStrict, nil
	}
	return "", fmt.Errorf("unknown sandbox profile %q: use default or strict", s)
}

// Profile reports the sandbox's profile.
func (s *Sandbox) Profile() Profile {
	if s.strict {
		return ProfileStrict
	}
	return ProfileDefault
}
