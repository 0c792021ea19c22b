// Package sandbox is an in-memory emulator of the PartnerStack Vendor API v2,
// served as an http.Handler. It backs the contract tests, the server's
// --sandbox mode, benchmarks and offline demos, so it follows the real API's
// paths, envelope, status codes and cursor semantics; where the real behaviour
// is unknown the choice is marked "Inferred:" or "Emulator choice:" in a
// comment. It deliberately does not import package client: contract tests
// between the two catch disagreements.
package sandbox

import (
	"crypto/subtle"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Default key pairs. They are fake, so printing them is harmless.
const (
	DefaultPublicKey     = "pk_sandbox_live0000000000" // production pair
	DefaultSecretKey     = "sk_sandbox_live0000000000"
	DefaultTestPublicKey = "pk_sandbox_test0000000000" // test pair (objects created with it get test:true)
	DefaultTestSecretKey = "sk_sandbox_test0000000000"
)

// KeyPair is one Basic-auth credential: public key as user, secret as password.
type KeyPair struct{ PublicKey, SecretKey string }

// Options configure New. The zero value gives the default keys, seed 1 and the
// demo program.
type Options struct {
	Keys     KeyPair // production pair; zero value -> DefaultPublicKey/DefaultSecretKey
	TestKeys KeyPair // test pair; zero value -> DefaultTestPublicKey/DefaultTestSecretKey
	// Seed drives the demo data and the keys of new objects; 0 -> 1.
	Seed int64
	// Empty seeds no demo data: only the default group and the gstest partner.
	Empty bool
	// Transactions is the number of seeded transactions; 0 -> DefaultTransactions.
	// Ignored when Empty is set.
	Transactions int
	// Now is the clock for new writes; nil -> time.Now.
	Now func() time.Time
	// Profile is ProfileDefault ("" too) or ProfileStrict (profile.go).
	Profile Profile
	// ExportDelay is how long a report export takes, by Now (reports.go);
	// 0 -> DefaultExportDelay, negative -> ready at once.
	ExportDelay time.Duration
}

// DefaultTransactions is the number of seeded transactions when
// Options.Transactions is 0.
const DefaultTransactions = 600

// Sandbox is the emulator. It is safe for concurrent use.
type Sandbox struct {
	keys, testKeys KeyPair
	now            func() time.Time
	strict         bool // ProfileStrict
	exportDelay    time.Duration

	mu sync.RWMutex // guards st
	st *store

	stats  statsCache
	faults faultSet
	log    requestLog
}

// New builds a sandbox seeded with deterministic demo data. An unknown
// Options.Profile panics: it is a programming error (command lines check
// names with ParseProfile).
func New(opts Options) *Sandbox {
	profile, err := ParseProfile(string(opts.Profile))
	if err != nil {
		panic("sandbox.New: " + err.Error())
	}
	if opts.Keys == (KeyPair{}) {
		opts.Keys = KeyPair{DefaultPublicKey, DefaultSecretKey}
	}
	if opts.TestKeys == (KeyPair{}) {
		opts.TestKeys = KeyPair{DefaultTestPublicKey, DefaultTestSecretKey}
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Transactions <= 0 {
		opts.Transactions = DefaultTransactions
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	switch {
	case opts.ExportDelay == 0:
		opts.ExportDelay = DefaultExportDelay
	case opts.ExportDelay < 0:
		opts.ExportDelay = 0
	}
	s := &Sandbox{keys: opts.Keys, testKeys: opts.TestKeys, now: opts.Now, strict: profile == ProfileStrict, exportDelay: opts.ExportDelay}
	// The demo program is seeded in the background (a few milliseconds, a
	// fifth of --sandbox start-up) while the caller goes on building, e.g.
	// the MCP server answering initialize. New holds the write lock until
	// the data is in; every reader and writer of st takes s.mu, so the first
	// request simply waits for the rest of the seeding, if any is left. (A
	// sync.RWMutex may be unlocked by another goroutine than the one that
	// locked it.)
	s.mu.Lock()
	go func() {
		defer s.mu.Unlock()
		s.st = seed(opts)
	}()
	return s
}

// call is one authenticated API request on its way through a handler.
type call struct {
	r       *http.Request
	query   url.Values
	id      string // item segment of the path (unescaped); "" on collections
	body    []byte
	test    bool  // authenticated with the test key pair
	now     int64 // epoch ms, read once per request
	applied bool  // set by handlers when a write took effect
}

type handlerFunc func(s *Sandbox, c *call) reply

// resource lists the handlers of one top-level path segment.
type resource struct {
	coll map[string]handlerFunc            // on /v2/<name>
	item map[string]handlerFunc            // on /v2/<name>/{id}
	sub  map[string]map[string]handlerFunc // on /v2/<name>/{id}/<sub>
	// under holds resources below a fixed second segment:
	// /v2/<name>/<fixed> and /v2/<name>/<fixed>/{id}.
	under map[string]resource
}

var routes = map[string]resource{
	"partnerships": {
		coll: map[string]handlerFunc{"GET": list(&partnershipList), "POST": (*Sandbox).createPartnership, "PATCH": (*Sandbox).movePartnerships},
		item: map[string]handlerFunc{"GET": (*Sandbox).getPartnership, "PATCH": (*Sandbox).updatePartnership, "DELETE": (*Sandbox).archivePartnership},
		sub:  map[string]map[string]handlerFunc{"tags": {"PATCH": (*Sandbox).updatePartnershipTags}},
	},
	"groups": {coll: map[string]handlerFunc{"GET": list(&groupList)}},
	"customers": {
		coll: map[string]handlerFunc{"GET": list(&customerList), "POST": (*Sandbox).createCustomer},
		item: map[string]handlerFunc{"GET": (*Sandbox).getCustomer, "PATCH": (*Sandbox).updateCustomer, "DELETE": (*Sandbox).deleteCustomer},
	},
	"transactions": {
		coll: map[string]handlerFunc{"GET": list(&transactionList), "POST": (*Sandbox).createTransaction},
		// Inferred: GET /v2/transactions/{key} is undocumented; served as a convenience.
		item: map[string]handlerFunc{"GET": (*Sandbox).getTransaction, "DELETE": (*Sandbox).deleteTransaction},
	},
	"deals": {
		coll: map[string]handlerFunc{"GET": list(&dealList), "POST": (*Sandbox).createDeal},
		item: map[string]handlerFunc{"GET": (*Sandbox).getDeal, "PATCH": (*Sandbox).updateDeal, "DELETE": (*Sandbox).archiveDeal},
		sub:  map[string]map[string]handlerFunc{"convert": {"POST": (*Sandbox).convertDeal}},
	},
	"leads": {
		coll: map[string]handlerFunc{"GET": list(&leadList), "POST": (*Sandbox).createLead},
		item: map[string]handlerFunc{"GET": (*Sandbox).getLead, "PATCH": (*Sandbox).updateLead, "DELETE": (*Sandbox).archiveLead},
		sub:  map[string]map[string]handlerFunc{"convert": {"POST": (*Sandbox).convertLead}},
	},
	// {id} is the object type; the underscore spelling is accepted too, as
	// the notes advise where a slug's spelling is unconfirmed.
	"sales-cycles": {sub: map[string]map[string]handlerFunc{"stages": {"GET": (*Sandbox).listStages}}},
	"sales_cycles": {sub: map[string]map[string]handlerFunc{"stages": {"GET": (*Sandbox).listStages}}},
	"links":        {item: map[string]handlerFunc{"GET": (*Sandbox).links}},
	"actions": {
		coll: map[string]handlerFunc{"GET": list(&actionList), "POST": (*Sandbox).recordAction},
		item: map[string]handlerFunc{"DELETE": (*Sandbox).archiveAction},
	},
	"applications": {
		coll: map[string]handlerFunc{"GET": list(&applicationList)},
		sub:  map[string]map[string]handlerFunc{"decision": {"PATCH": (*Sandbox).decideApplication}},
	},
	"tiers":        {coll: map[string]handlerFunc{"GET": list(&tierList)}, item: map[string]handlerFunc{"GET": (*Sandbox).getTier}},
	"product_book": {coll: map[string]handlerFunc{"GET": list(&productList), "POST": (*Sandbox).createProduct}},
	"vendor_report_configuration": {
		item:  map[string]handlerFunc{"GET": (*Sandbox).getReportConfig},
		under: map[string]resource{"list": {coll: map[string]handlerFunc{"GET": list(&reportConfigList)}}},
	},
	"vendor_report_export": {
		item:  map[string]handlerFunc{"POST": (*Sandbox).startExport},
		under: map[string]resource{"export": {item: map[string]handlerFunc{"GET": (*Sandbox).getExport}}},
	},
	"rewards": {coll: map[string]handlerFunc{"GET": list(&rewardList), "POST": (*Sandbox).createReward}},
	"webhooks": {
		coll: map[string]handlerFunc{"GET": list(&webhookList), "POST": (*Sandbox).createWebhook},
		item: map[string]handlerFunc{"GET": (*Sandbox).getWebhook, "PATCH": (*Sandbox).updateWebhook, "DELETE": (*Sandbox).archiveWebhook},
	},
}

// apiPath strips the optional "/api" mount prefix, so both "/api/v2/x" and
// "/v2/x" become "/v2/x". Other paths are returned unchanged.
func apiPath(p string) string {
	if strings.HasPrefix(p, "/api/v2/") || p == "/api/v2" {
		return p[len("/api"):]
	}
	return p
}

// route resolves a request path to its handlers and the item id.
func route(r *http.Request) (h map[string]handlerFunc, id string, found bool) {
	p := apiPath(r.URL.EscapedPath())
	if !strings.HasPrefix(p, "/v2/") {
		return nil, "", false
	}
	segs := strings.Split(strings.TrimSuffix(p[len("/v2/"):], "/"), "/")
	res, ok := routes[segs[0]]
	if !ok {
		return nil, "", false
	}
	if len(segs) > 1 {
		if fixed, ok := res.under[segs[1]]; ok {
			res, segs = fixed, segs[1:]
		}
	}
	if len(segs) == 1 {
		return res.coll, "", res.coll != nil
	}
	if len(segs) > 3 || segs[1] == "" {
		return nil, "", false
	}
	h = res.item
	if len(segs) == 3 {
		h = res.sub[segs[2]]
	}
	if h == nil {
		return nil, "", false
	}
	id, err := url.PathUnescape(segs[1])
	if err != nil {
		return nil, "", false
	}
	return h, id, true
}

// authenticate checks Basic auth against both key pairs. ok reports a match;
// test reports the test pair.
func (s *Sandbox) authenticate(r *http.Request) (test, ok bool) {
	user, pass, has := r.BasicAuth()
	if !has {
		return false, false
	}
	match := func(k KeyPair) bool {
		u := subtle.ConstantTimeCompare([]byte(user), []byte(k.PublicKey))
		p := subtle.ConstantTimeCompare([]byte(pass), []byte(k.SecretKey))
		return u&p == 1
	}
	if match(s.keys) {
		return false, true
	}
	if match(s.testKeys) {
		return true, true
	}
	return false, false
}

// dispatch runs routing, auth and the handler. Faults are handled by the
// caller (handle), before and after this.
func (s *Sandbox) dispatch(r *http.Request, body []byte) (reply, bool) {
	methods, id, found := route(r)
	if !found {
		return fail(http.StatusNotFound, "Not Found"), false
	}
	test, authed := s.authenticate(r)
	if !authed {
		return fail(http.StatusUnauthorized, "Unauthorized"), false
	}
	h, ok := methods[r.Method]
	if !ok {
		rep := fail(http.StatusMethodNotAllowed, "Method Not Allowed")
		allow := make([]string, 0, len(methods))
		for m := range methods {
			allow = append(allow, m)
		}
		slices.Sort(allow)
		rep.header = http.Header{"Allow": {strings.Join(allow, ", ")}}
		return rep, false
	}
	c := &call{r: r, query: r.URL.Query(), id: id, body: body, test: test, now: s.now().UnixMilli()}
	rep := h(s, c)
	return rep, c.applied
}

// abortKind says how a request ends without a normal response.
type abortKind int

const (
	abortNone   abortKind = iota
	abortReset            // the connection drops after the request was processed
	abortRefuse           // the connection is refused; nothing processed
	abortCtx              // the caller's context ended during injected latency
)

// outcome is the result of handle, turned into a response by ServeHTTP or
// into an *http.Response / error by the in-process transport.
type outcome struct {
	status      int
	contentType string
	header      http.Header
	body        []byte
	abort       abortKind
	err         error // abortCtx: the context error
}

// handle is the full pipeline shared by ServeHTTP and Client(): read body,
// pick a fault, dispatch, apply post-processing faults, log.
func (s *Sandbox) handle(r *http.Request) outcome {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
	}
	entry := LoggedRequest{
		Seq:      s.log.nextSeq(),
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Body:     body,
	}
	if user, _, has := r.BasicAuth(); has {
		entry.PublicKey = user // never the secret or the header
	}
	f, fired := s.faults.pick(r.Method, apiPath(r.URL.Path))
	if fired {
		entry.Fault = f.Kind
	}
	out := s.run(r, body, f, fired, &entry)
	entry.Status = out.status
	s.log.add(entry)
	return out
}

func (s *Sandbox) run(r *http.Request, body []byte, f Fault, fired bool, entry *LoggedRequest) outcome {
	jsonOut := func(rep reply) outcome {
		return outcome{status: rep.status, contentType: "application/json", body: rep.body, header: rep.header}
	}
	if fired {
		switch f.Kind {
		case FaultRefuse:
			return outcome{abort: abortRefuse}
		case FaultRateLimit:
			o := jsonOut(fail(http.StatusTooManyRequests, "Too Many Requests"))
			if secs := int64(f.RetryAfter / time.Second); secs > 0 {
				o.header = http.Header{"Retry-After": {itoa(secs)}}
			}
			return o
		case FaultServerError:
			return jsonOut(fail(f.Status, http.StatusText(f.Status)))
		case FaultMalformedBody:
			// A proxy error page where JSON was expected; nothing is processed.
			return outcome{status: http.StatusOK, contentType: "text/html; charset=utf-8",
				body: []byte("<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>\n")}
		case FaultLatency:
			t := time.NewTimer(f.Latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				// Emulator choice: logged with nginx's 499 "client closed request".
				return outcome{status: 499, abort: abortCtx, err: r.Context().Err()}
			}
		}
	}
	rep, applied := s.dispatch(r, body)
	entry.Applied = applied
	out := jsonOut(rep)
	if fired {
		switch f.Kind {
		case FaultResetAfterWrite:
			out.abort = abortReset
		case FaultTruncatedBody:
			out.body = out.body[:len(out.body)/2]
		}
	}
	return out
}

// ServeHTTP serves the emulated API under both /api/v2/... and /v2/....
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	out := s.handle(r)
	switch out.abort {
	case abortReset, abortRefuse:
		// Over a real socket the closest thing to a reset or a refused
		// connection is dropping it without a response.
		panic(http.ErrAbortHandler)
	case abortCtx:
		return
	}
	h := w.Header()
	for k, v := range out.header {
		h[k] = v
	}
	h.Set("Content-Type", out.contentType)
	w.WriteHeader(out.status)
	_, _ = w.Write(out.body)
}
