package sandbox

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Applications: partners asking to join a group (GET /v2/applications and
// PATCH /v2/applications/{key}/decision, both in PartnerStack's docs index).
// The object follows the v1 application webhook payload (API notes,
// section 10). Emulator choice: deciding does not create or change a
// partnership; a decided application cannot be decided again.

type application struct {
	key                 string
	created, updated    int64
	group               int32
	firstName, lastName string
	email, business     string
	approved            *bool
	declineReason       *string
	partnershipKey      *string
	partnerKey, moldKey *string
}

// ApplicationContent is what the applicant filled in.
type ApplicationContent struct {
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	Email        string `json:"email"`
	BusinessName string `json:"business_name"`
}

// Application is a partner application (GET /v2/applications).
type Application struct {
	Key            string             `json:"key"`
	PartnershipKey *string            `json:"partnership_key"`
	PartnerKey     *string            `json:"partner_key"`
	Group          GroupRef           `json:"group"`
	Content        ApplicationContent `json:"content"`
	Approved       *bool              `json:"approved"`
	DeclineReason  *string            `json:"decline_reason"`
	MoldKey        *string            `json:"mold_key"`
	Meta           map[string]any     `json:"meta"`
	CreatedAt      int64              `json:"created_at"`
	UpdatedAt      int64              `json:"updated_at"`
}

const pfxApplication = "appl" // from the v1 webhook payload

func (s *Sandbox) applicationWire(i int32) Application {
	a := s.st.applications[i]
	g := s.st.groups[a.group]
	var approved *bool
	if a.approved != nil {
		v := *a.approved
		approved = &v
	}
	return Application{Key: a.key, PartnershipKey: cloneStrp(a.partnershipKey), PartnerKey: cloneStrp(a.partnerKey),
		Group:    GroupRef{Key: g.key, Name: g.name, Slug: g.slug},
		Content:  ApplicationContent{FirstName: a.firstName, LastName: a.lastName, Email: a.email, BusinessName: a.business},
		Approved: approved, DeclineReason: cloneStrp(a.declineReason), MoldKey: cloneStrp(a.moldKey),
		Meta: map[string]any{}, CreatedAt: a.created, UpdatedAt: a.updated}
}

func (a *application) status() string {
	switch {
	case a.approved == nil:
		return "pending"
	case *a.approved:
		return "approved"
	}
	return "declined"
}

// applicationList: no filter beyond the shared ones is documented; status
// and group_key are Emulator choice conveniences the strict profile ignores.
var applicationList = listSpec[Application]{
	what: "application",
	records: func(st *store) (int, map[string]int32, func(int) itemMeta) {
		return len(st.applications), st.applicationIdx, func(i int) itemMeta {
			a := st.applications[i]
			return itemMeta{key: a.key, created: a.created, updated: a.updated}
		}
	},
	wire: func(s *Sandbox) func(int32) Application { return s.applicationWire },
	filters: []listFilter{
		{param: "status", keep: func(st *store, i int, v string) bool { return st.applications[i].status() == v }},
		{param: "group_key", keep: func(st *store, i int, v string) bool {
			return st.groups[st.applications[i].group].key == v
		}},
	},
}

// decisionSchema: Inferred: the decision endpoint is documented, its body
// is not; this emulator takes {approved, decline_reason?}, the fields of
// the application object.
var decisionSchema = schema{
	{name: "approved", typ: tBool, required: true},
	{name: "decline_reason", typ: tString, nullable: true, maxLen: 1000},
}

func (s *Sandbox) decideApplication(c *call) reply {
	b, e := decodeBody(c.body, decisionSchema, s.strict)
	if e != nil {
		return e.reply()
	}
	approved := *b.boolp("approved")
	if approved && b.given("decline_reason") {
		return fail(400, "'decline_reason' is only accepted when declining") // Emulator choice
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.st.applicationIdx[c.id]
	if !ok {
		return notFound("Application")
	}
	a := s.st.applications[i]
	if a.approved != nil {
		return fail(400, fmt.Sprintf("Application has already been %s", a.status())) // Emulator choice
	}
	a.approved, a.updated = &approved, c.now
	if !approved {
		a.declineReason = b.strp("decline_reason")
	}
	s.st.version++
	c.applied = true
	return success(s.applicationWire(i), "Application decision saved")
}

// Applications returns a copy of every application, in creation order.
func (s *Sandbox) Applications() []Application {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Application, len(s.st.applications))
	for i := range s.st.applications {
		out[i] = s.applicationWire(int32(i))
	}
	return out
}

func (st *store) addApplication(a *application) int32 {
	i := int32(len(st.applications))
	st.applications = append(st.applications, a)
	st.applicationIdx[a.key] = i
	return i
}

// applications seeds a backlog: most pending, a few decided, across the
// groups that take applications. It draws from its own RNG so the rest of
// the seed stays as it was before applications existed.
func (sd *seeder) applications(seed int64, n int) {
	st := sd.st
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6170706c))
	var open []int32
	for i, g := range st.groups {
		if g.features.ApplicationEnabled {
			open = append(open, int32(i))
		}
	}
	if len(open) == 0 {
		return
	}
	for i := 0; i < n; i++ {
		first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
		biz := companyA[rng.IntN(len(companyA))] + " " + companyB[rng.IntN(len(companyB))]
		t := seedEnd - int64(n-i)*dayMs/2
		a := &application{key: newKey(rng, pfxApplication, st.applicationIdx), created: t, updated: t,
			group: open[i%len(open)], firstName: first, lastName: last, business: biz,
			email: fmt.Sprintf("%s.%s%d@%s.example", strings.ToLower(first), strings.ToLower(last), i, strings.ToLower(companyA[rng.IntN(len(companyA))]))}
		switch i % 5 {
		case 1: // approved
			a.approved = boolp(true)
		case 3:
			if i%2 == 1 { // declined
				a.approved, a.declineReason = boolp(false), strp("Audience outside our market")
			}
		}
		st.addApplication(a)
	}
}

func boolp(b bool) *bool { return &b }
