package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

type transactionItem struct {
	Key            string         `json:"key"`
	AmountCents    int64          `json:"amount_cents"`
	Currency       string         `json:"currency"`
	AmountUSDCents *int64         `json:"amount_usd_cents,omitempty"`
	CustomerKey    string         `json:"customer_key,omitempty"`
	CustomerEmail  string         `json:"customer_email,omitempty"`
	ProductKey     string         `json:"product_key,omitempty"`
	Test           bool           `json:"test,omitempty"`
	CreatedAt      string         `json:"created_at"`
	Extra          map[string]any `json:"extra,omitempty"`
}

func projectTransaction(fields []string) func(client.Transaction) transactionItem {
	return func(t client.Transaction) transactionItem {
		it := transactionItem{Key: t.Key, AmountCents: t.Amount, Currency: t.Currency, AmountUSDCents: t.AmountUSD,
			ProductKey: str(t.ProductKey), Test: t.Test, CreatedAt: isoTime(t.CreatedAt), Extra: extras(t, fields)}
		if t.Customer != nil {
			it.CustomerKey = str(t.Customer.ExternalKey)
			it.CustomerEmail = t.Customer.Email
			if it.CustomerKey == "" {
				it.CustomerKey = t.Customer.Key
			}
		}
		return it
	}
}

type listTransactionsArgs struct {
	ListArgs
	CustomerKey string   `json:"customer_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Only this customer's (your customer key)."`
	PartnerKey  string   `json:"partner_key,omitempty" jsonschema:"maxLength=255"`
	ProductKey  string   `json:"product_key,omitempty" jsonschema:"maxLength=255"`
	Currency    string   `json:"currency,omitempty" jsonschema:"pattern=^[A-Za-z]{3}$"`
	Fields      []string `json:"fields,omitempty" jsonschema:"enum=approved,enum=category_key,enum=metadata,enum=partnership_key,enum=customer,enum=updated_at"`
}

type recordTransactionArgs struct {
	CustomerRef
	Amount      int64  `json:"amount" jsonschema:"minimum=-50000000000,maximum=50000000000" jsonschema_description:"Integer cents (9900 = 99.00); negative for a refund."`
	Currency    string `json:"currency" jsonschema:"pattern=^[A-Za-z]{3}$" jsonschema_description:"ISO 4217 code, e.g. USD."`
	ProductKey  string `json:"product_key,omitempty" jsonschema:"maxLength=255"`
	CategoryKey string `json:"category_key,omitempty" jsonschema:"maxLength=255"`
	// SubscriptionKey links the transaction to a product (a per-customer
	// product with the same external_subscription_key); documented.
	SubscriptionKey string        `json:"subscription_key,omitempty" jsonschema:"maxLength=255"`
	Key             string        `json:"key,omitempty" jsonschema:"minLength=4,maxLength=255" jsonschema_description:"Your unique transaction id (recommended)."`
	CreatedAt       string        `json:"created_at,omitempty" jsonschema:"maxLength=40" jsonschema_description:"ISO-8601 time to backdate to."`
	Metadata        metadataPairs `json:"metadata,omitempty" jsonschema:"maxItems=25"`
	DryRunArg
	DedupeArg
}

// metadataPairs are a transaction's free-form attributes (the API's metadata
// object: at most 25, names up to 30 characters, values up to 100). They are
// published as {key, value} pairs rather than a map because OpenAI strict
// mode allows only closed objects; the map form is still accepted (respell).
type metadataPairs []metadataPair

type metadataPair struct {
	Key   string `json:"key" jsonschema:"maxLength=30"`
	Value string `json:"value" jsonschema:"maxLength=100"`
}

func (m metadataPairs) object() map[string]any {
	obj := make(map[string]any, len(m))
	for _, p := range m {
		obj[p.Key] = p.Value
	}
	return obj
}

// MarshalJSON writes the canonical form, the map with sorted keys, so the
// duplicate guard sees the same metadata in any order or spelling as the
// same call.
func (m metadataPairs) MarshalJSON() ([]byte, error) {
	if m == nil {
		return []byte("null"), nil
	}
	return json.Marshal(m.object())
}

// respell accepts metadata in the map form the schema showed before,
// {"plan": "pro"}, as pairs in key order.
func (*recordTransactionArgs) respell(doc map[string]any) bool {
	obj, ok := doc["metadata"].(map[string]any)
	if !ok {
		return false
	}
	pairs := make([]any, 0, len(obj))
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		pairs = append(pairs, map[string]any{"key": k, "value": obj[k]})
	}
	doc["metadata"] = pairs
	return true
}

// naturalKey makes the caller's own transaction id the duplicate test.
func (a *recordTransactionArgs) naturalKey() string {
	if a.Key == "" {
		return ""
	}
	return "key " + strconv.Quote(a.Key)
}

func (a *recordTransactionArgs) followUp() string {
	return "list_transactions (" + customerFilter(a.CustomerRef) + ")"
}

// customerFilter names the list argument that finds a customer's objects.
func customerFilter(r CustomerRef) string {
	switch {
	case r.CustomerKey != "":
		return "customer_key=" + r.CustomerKey
	case r.CustomerEmail != "":
		return "customer_key of the customer with customer_email=" + r.CustomerEmail + ", from get_customer"
	}
	return "customer_key of the customer with customer_internal_key=" + r.CustomerInternalKey + ", from get_customer"
}

func (a *recordTransactionArgs) validate() error {
	if err := a.check(); err != nil {
		return err
	}
	seen := make(map[string]bool, len(a.Metadata))
	for _, p := range a.Metadata {
		if seen[p.Key] {
			return argErr("metadata", "has the key '"+p.Key+"' more than once", "send each key once")
		}
		seen[p.Key] = true
	}
	_, err := parseTime("created_at", a.CreatedAt, false)
	return err
}

type deleteTransactionArgs struct {
	Key string `json:"key" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Transaction key from list_transactions."`
	DryRunArg
}

func transactionTools(d Deps) []Tool {
	c := d.Client
	const ts = "transactions"
	byCustomer := listFilter[client.Transaction]("transactions", "customer_external_key", "customer_key")
	byPartner := listFilter[client.Transaction]("transactions", "partner_key", "partner_key")
	byProduct := listFilter[client.Transaction]("transactions", "product_key", "product_key")
	byCurrency := listFilter[client.Transaction]("transactions", "currency", "currency")
	return []Tool{
		newTool(spec{name: "list_transactions", title: "List transactions", toolset: ts, hints: readOnly,
			description: "List transactions (payments; negative = refunds), newest first. Amounts in cents."},
			func(ctx context.Context, call *Call, a *listTransactionsArgs) (ListResult[transactionItem], error) {
				o := &client.TransactionListOptions{CustomerExternalKey: a.CustomerKey, PartnerKey: a.PartnerKey,
					ProductKey: a.ProductKey, Currency: strings.ToUpper(a.Currency)}
				if err := a.apply(&o.ListOptions); err != nil {
					return ListResult[transactionItem]{}, err
				}
				var ofCustomer, ofPartner func(client.Transaction) bool
				var err error
				if a.CustomerKey != "" {
					if ofCustomer, err = transactionOfCustomer(ctx, c, a.CustomerKey); err != nil {
						return ListResult[transactionItem]{}, err
					}
				}
				if a.PartnerKey != "" {
					if ofPartner, err = transactionOfPartner(ctx, d, a.PartnerKey); err != nil {
						return ListResult[transactionItem]{}, err
					}
				}
				return gather(ctx, call, d, c.Transactions.All(o), &a.ListArgs, projectTransaction(a.Fields),
					byCustomer.on(a.CustomerKey != "", ofCustomer),
					byPartner.on(a.PartnerKey != "", ofPartner),
					byProduct.on(a.ProductKey != "", func(t client.Transaction) bool { return str(t.ProductKey) == a.ProductKey }),
					byCurrency.on(a.Currency != "", func(t client.Transaction) bool { return strings.EqualFold(t.Currency, a.Currency) }))
			}),
		newTool(spec{name: "record_transaction", title: "Record a transaction", toolset: ts, hints: movesMoney, guard: d.guard,
			description: "Record a customer's payment (or refund) so the partner earns commission. Exactly one customer identifier; amount in cents."},
			func(ctx context.Context, _ *Call, a *recordTransactionArgs) (WriteResult[transactionItem], error) {
				createdAt, _ := parseBound("created_at", a.CreatedAt, false)
				body := &client.TransactionCreate{CustomerExternalKey: a.CustomerKey, CustomerKey: a.CustomerInternalKey,
					CustomerEmail: a.CustomerEmail, Amount: a.Amount, Currency: strings.ToUpper(a.Currency),
					ProductKey: a.ProductKey, CategoryKey: a.CategoryKey, SubscriptionKey: a.SubscriptionKey, Key: a.Key, CreatedAt: createdAt}
				if len(a.Metadata) > 0 {
					body.Metadata = a.Metadata.object()
				}
				return write(ctx, a.DryRun, func(ctx context.Context) (*client.Transaction, error) {
					return c.Transactions.Create(ctx, body)
				}, projectTransaction(nil))
			}),
		newTool(spec{name: "delete_transaction", title: "Delete a transaction", toolset: ts, hints: removes,
			description: "Delete a transaction (and the commission it produced)."},
			func(ctx context.Context, _ *Call, a *deleteTransactionArgs) (DoneResult, error) {
				return remove(ctx, a.DryRun, a.Key, "Transaction deleted.", func(ctx context.Context) error {
					return c.Transactions.Delete(ctx, a.Key)
				})
			}),
	}
}

// transactionOfCustomer tests whether a transaction is the customer's, the
// one with external key ext. The nested customer.external_key decides when
// present; otherwise the internal key, found with the documented GET
// /v2/customers/{customer_key} (an unknown customer matches nothing).
func transactionOfCustomer(ctx context.Context, c *client.Client, ext string) (func(client.Transaction) bool, error) {
	var internal string
	cu, err := c.Customers.Get(ctx, ext)
	switch {
	case err == nil && str(cu.CustomerKey) == ext:
		internal = cu.Key
	case err != nil && !client.IsNotFound(err):
		return nil, err
	}
	return func(t client.Transaction) bool {
		if t.Customer != nil && t.Customer.ExternalKey != nil {
			return *t.Customer.ExternalKey == ext
		}
		return internal != "" && txnCustomer(&t) == internal
	}, nil
}

// transactionOfPartner tests whether a transaction is the partner's through
// the documented link: its customer belongs to the partner. The partner's
// customers are read first (the customers' partner_key filter is itself
// undocumented, so each is checked), within the insights' page cap.
func transactionOfPartner(ctx context.Context, d Deps, partnerKey string) (func(client.Transaction) bool, error) {
	w := newWalker(ctx, nil, d) // no progress: the list reports its own
	attr, err := loadAttribution(w, d.Client, client.CustomerListOptions{PartnerKey: partnerKey},
		func(cu *client.Customer) bool { return str(cu.PartnerKey) == partnerKey })
	if err != nil {
		return nil, err
	}
	if !w.complete() {
		return nil, fmt.Errorf("partner_key on transactions is matched through the partner's customers, and %d pages of customers were read without reaching the end; filter by customer_key instead, or use summarize_revenue with partner_key", w.pages)
	}
	return func(t client.Transaction) bool { return attr.has(txnCustomer(&t)) }, nil
}
