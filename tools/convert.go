package tools

import (
	"context"
	"fmt"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// Conversions: a won deal or a qualified lead becomes a customer (POST
// .../convert {email, customer_key?}, documented for deals [H], for leads
// [M]). Both tools share this flow.

// convertArgs are the arguments after the deal_key or lead_key.
type convertArgs struct {
	Email       string `json:"email" jsonschema:"format=email,maxLength=255" jsonschema_description:"The new customer's email."`
	CustomerKey string `json:"customer_key,omitempty" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Your id for the customer."`
	DryRunArg
}

// conversion names the record being converted and how to reach it.
type conversion struct {
	what, arg, key string // "deal", "deal_key", the key given
	// converted reads the record's customer_key (documented on both): set
	// once it is converted.
	converted func(ctx context.Context) (*string, error)
	send      func(ctx context.Context, body *client.Conversion) (*client.Customer, error)
}

// convert refuses a record already converted (its customer_key is set),
// sends the conversion and answers the new customer. When the answer holds
// no customer, the customer is read back through the record's customer_key,
// so the result is right whatever the response shape.
func convert(ctx context.Context, c *client.Client, a *convertArgs, cv conversion) (WriteResult[customerItem], error) {
	had, err := cv.converted(ctx)
	if err != nil {
		if client.IsNotFound(err) {
			return WriteResult[customerItem]{}, argErr(cv.arg, fmt.Sprintf("no %s has the key '%s'", cv.what, cv.key),
				"find it with list_"+cv.what+"s")
		}
		return WriteResult[customerItem]{}, err
	}
	if had != nil && *had != "" {
		return WriteResult[customerItem]{}, argErr(cv.arg, fmt.Sprintf("the %s is already converted (customer_key '%s')", cv.what, *had),
			"see the customer with get_customer customer_key "+*had)
	}
	body := &client.Conversion{Email: a.Email, CustomerKey: a.CustomerKey}
	res, err := write(ctx, a.DryRun, func(ctx context.Context) (*client.Customer, error) {
		return cv.send(ctx, body)
	}, projectCustomer(nil))
	if err != nil || a.DryRun || (res.Result != nil && res.Result.Key != "") {
		return res, err
	}
	ck, err := cv.converted(ctx)
	if err != nil || ck == nil || *ck == "" {
		return res, &UnconfirmedError{Msg: fmt.Sprintf("PartnerStack accepted the conversion of %s %s but showed no customer, and the %s has no customer_key now; check list_customers (email %s) before converting again.",
			cv.what, cv.key, cv.what, a.Email)}
	}
	cu, err := c.Customers.Get(ctx, *ck)
	if err != nil {
		return res, fmt.Errorf("the %s was converted (customer_key %s), but reading the customer back failed: %w", cv.what, *ck, err)
	}
	out := projectCustomer(nil)(*cu)
	res.Result = &out
	return res, nil
}
