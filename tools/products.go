package tools

import (
	"context"
	"strings"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// The products toolset (opt-in): the product book, which product
// attribution links transactions to (record_transaction subscription_key).

type productItem struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	ExternalKey string `json:"external_key,omitempty"`
	Archived    bool   `json:"archived,omitempty"`
	CreatedAt   string `json:"created_at"`
}

func projectProduct(p client.Product) productItem {
	return productItem{Key: p.Key, Name: p.Name, Description: str(p.Description), ExternalKey: str(p.ExternalKey),
		Archived: bool(p.Archived), CreatedAt: isoTime(p.CreatedAt)}
}

type listProductsArgs struct {
	ListArgs
	Keywords string `json:"keywords,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Words in the name or description."`
}

type createProductArgs struct {
	Name        string `json:"name" jsonschema:"minLength=1,maxLength=255"`
	Description string `json:"description,omitempty" jsonschema:"maxLength=1000"`
	ExternalKey string `json:"external_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Your id, e.g. the billing system's product id."`
	DryRunArg
}

// hasWords: every word of keywords in the product's name or description,
// case aside: the documented search, checked again on each item.
func hasWords(p client.Product, keywords string) bool {
	text := strings.ToLower(p.Name + " " + str(p.Description))
	for _, w := range strings.Fields(strings.ToLower(keywords)) {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

func productTools(d Deps) []Tool {
	c := d.Client
	const ts = "products"
	byKeywords := listFilter[client.Product]("product_book", "keywords", "keywords")
	return []Tool{
		newTool(spec{name: "list_products", title: "List the product book", toolset: ts, hints: readOnly,
			description: "List the product book: the products transactions are attributed to."},
			func(ctx context.Context, call *Call, a *listProductsArgs) (ListResult[productItem], error) {
				o := &client.ProductListOptions{Keywords: strings.TrimSpace(a.Keywords)}
				if err := a.apply(&o.ListOptions); err != nil {
					return ListResult[productItem]{}, err
				}
				return gather(ctx, call, d, c.ProductBook.All(o), &a.ListArgs, projectProduct,
					byKeywords.on(o.Keywords != "", func(p client.Product) bool { return hasWords(p, o.Keywords) }))
			}),
		newTool(spec{name: "create_product", title: "Add a product", toolset: ts, hints: additive,
			description: "Add a product to the product book."},
			func(ctx context.Context, _ *Call, a *createProductArgs) (WriteResult[productItem], error) {
				body := &client.ProductCreate{Name: a.Name, Description: a.Description, ExternalKey: a.ExternalKey}
				return write(ctx, a.DryRun, func(ctx context.Context) (*client.Product, error) {
					return c.ProductBook.Create(ctx, body)
				}, projectProduct)
			}),
	}
}
