package client

import (
	"context"
	"net/http"
)

const transactionsPath = "/v2/transactions"

// TransactionCustomer is the customer embedded in a transaction.
type TransactionCustomer struct {
	Key         string  `json:"key"`
	Email       string  `json:"email,omitempty"`
	ExternalKey *string `json:"external_key"`
}

// Transaction is a payment (or refund, when negative) by a customer.
type Transaction struct {
	Base
	Amount         int64                `json:"amount"`     // cents in Currency
	AmountUSD      *int64               `json:"amount_usd"` // cents, converted by PartnerStack
	Currency       string               `json:"currency"`
	Approved       *bool                `json:"approved"`
	Archived       bool                 `json:"archived"`
	Test           bool                 `json:"test"`
	ProductKey     *string              `json:"product_key"`
	CategoryKey    *string              `json:"category_key"`
	CustomerKey    *string              `json:"customer_key"` // internal customer key
	Customer       *TransactionCustomer `json:"customer"`
	PartnershipKey *string              `json:"partnership_key,omitempty"`
	Metadata       map[string]any       `json:"metadata,omitempty"`
}

// TransactionListOptions filters GET /v2/transactions.
type TransactionListOptions struct {
	ListOptions
	CustomerKey         string `url:"customer_key,omitempty"`
	CustomerExternalKey string `url:"customer_external_key,omitempty"`
	PartnerKey          string `url:"partner_key,omitempty"`
	ProductKey          string `url:"product_key,omitempty"`
	Currency            string `url:"currency,omitempty"`
}

// TransactionCreate is the body of POST /v2/transactions. Exactly one of
// CustomerKey (internal key), CustomerExternalKey or CustomerEmail is required.
type TransactionCreate struct {
	CustomerKey         string `json:"customer_key,omitempty"`
	CustomerExternalKey string `json:"customer_external_key,omitempty"`
	CustomerEmail       string `json:"customer_email,omitempty"`
	Amount              int64  `json:"amount"` // cents; negative for refunds
	Currency            string `json:"currency"`
	Key                 string `json:"key,omitempty"`
	ProductKey          string `json:"product_key,omitempty"`
	CategoryKey         string `json:"category_key,omitempty"`
	// SubscriptionKey links the transaction to a product: a per-customer
	// product whose external_subscription_key equals it, case-sensitively.
	SubscriptionKey string         `json:"subscription_key,omitempty"`
	Metadata        map[string]any `json:"metadata,omitempty"`
	CreatedAt       *int64         `json:"created_at,omitempty"` // epoch ms; nil = now (0 is the epoch)
}

// TransactionsService covers /v2/transactions.
type TransactionsService struct{ c *Client }

// List fetches one page.
func (s *TransactionsService) List(ctx context.Context, opts *TransactionListOptions) (*Page[Transaction], error) {
	return listPage[Transaction](ctx, s.c, transactionsPath, orZero(opts))
}

// All walks every page.
func (s *TransactionsService) All(opts *TransactionListOptions) *Iterator[Transaction] {
	return allPages(opts, s.List)
}

// Create records a transaction.
func (s *TransactionsService) Create(ctx context.Context, body *TransactionCreate) (*Transaction, error) {
	return writeObject[Transaction](ctx, s.c, http.MethodPost, transactionsPath, body)
}

// Delete deletes a transaction.
func (s *TransactionsService) Delete(ctx context.Context, key string) error {
	return deleteObject(ctx, s.c, transactionsPath, key)
}
