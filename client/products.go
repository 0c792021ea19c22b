package client

import (
	"context"
	"net/http"
)

const productBookPath = "/v2/product_book"

// Product is one entry of the product book, the catalogue product
// attribution links transactions to. The shape is PartnerStack's own
// example response (support article "Setting up Product Attribution via
// the API"). A transaction belongs to a product through a per-customer
// product (/v2/products) whose external_subscription_key equals the
// transaction's subscription_key.
type Product struct {
	Base
	Name        string  `json:"name"`
	Description *string `json:"description"`
	ExternalKey *string `json:"external_key"`
	Archived    Flag    `json:"archived"`
}

// ProductListOptions filters GET /v2/product_book. Keywords searches name
// and description (PartnerStack's docs index).
type ProductListOptions struct {
	ListOptions
	Keywords string `url:"keywords,omitempty"`
}

// ProductCreate is the body of POST /v2/product_book: name is required.
type ProductCreate struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	ExternalKey string `json:"external_key,omitempty"`
}

// ProductBookService covers /v2/product_book.
type ProductBookService struct{ c *Client }

// List fetches one page.
func (s *ProductBookService) List(ctx context.Context, opts *ProductListOptions) (*Page[Product], error) {
	return listPage[Product](ctx, s.c, productBookPath, orZero(opts))
}

// All walks every page.
func (s *ProductBookService) All(opts *ProductListOptions) *Iterator[Product] {
	return allPages(opts, s.List)
}

// Create adds a product to the book.
func (s *ProductBookService) Create(ctx context.Context, body *ProductCreate) (*Product, error) {
	return writeObject[Product](ctx, s.c, http.MethodPost, productBookPath, body)
}
