package tools

import (
	"context"
	"fmt"

	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

type rewardItem struct {
	Key            string `json:"key"`
	AmountCents    int64  `json:"amount_cents"`
	Currency       string `json:"currency"`
	Status         string `json:"status"`
	Description    string `json:"description,omitempty"`
	Partner        *ref   `json:"partner,omitempty"`
	PartnerKey     string `json:"partner_key,omitempty"`
	CustomerEmail  string `json:"customer_email,omitempty"`
	TransactionKey string `json:"transaction_key,omitempty"`
	CreatedAt      string `json:"created_at"`
}

func projectReward(r client.Reward) rewardItem {
	// Rewards are always in USD cents (PartnerStack's payout currency).
	it := rewardItem{Key: r.Key, AmountCents: r.Amount, Currency: "USD", Status: r.RewardStatus,
		Description: str(r.Description), CreatedAt: isoTime(r.CreatedAt)}
	if p := r.Partnership; p != nil {
		it.Partner = &ref{Key: p.Key, Name: p.Name}
		it.PartnerKey = p.PartnerKey
	}
	if r.Customer != nil {
		it.CustomerEmail = r.Customer.Email
	}
	if r.Transaction != nil {
		it.TransactionKey = r.Transaction.Key
	}
	return it
}

type listRewardsArgs struct {
	ListArgs
	PartnerKey string `json:"partner_key,omitempty" jsonschema:"maxLength=255"`
	Status     string `json:"status,omitempty" jsonschema:"enum=hold,enum=pending,enum=approved,enum=declined,enum=paid"`
}

// createRewardArgs name the reward's target: a partner (the seed's form),
// or the documented customer and transaction targets.
type createRewardArgs struct {
	PartnerKey     string `json:"partner_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Partner to reward."`
	CustomerKey    string `json:"customer_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Instead: reward for this customer (your customer key)."`
	TransactionKey string `json:"transaction_key,omitempty" jsonschema:"maxLength=255" jsonschema_description:"Instead: reward for this transaction."`
	Amount         int64  `json:"amount" jsonschema:"minimum=1,maximum=100000000" jsonschema_description:"USD integer cents (5000 = $50.00)."`
	Description    string `json:"description" jsonschema:"minLength=1,maxLength=255"`
	DryRunArg
	DedupeArg
}

func (a *createRewardArgs) validate() error {
	n := 0
	for _, v := range []string{a.PartnerKey, a.CustomerKey, a.TransactionKey} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		return argErr("partner_key", fmt.Sprintf("%d reward targets given", n),
			"pass exactly one of partner_key, customer_key, transaction_key")
	}
	return nil
}

// target is the body's target. Customer and transaction targets are
// documented (typed SDK); Inferred: a partnership target keyed by
// partner_key, and the customer target's key being the external
// customer_key (as for actions).
func (a *createRewardArgs) target() client.RewardTarget {
	switch {
	case a.CustomerKey != "":
		return client.RewardTarget{Type: client.TargetCustomer, Key: a.CustomerKey}
	case a.TransactionKey != "":
		return client.RewardTarget{Type: client.TargetTransaction, Key: a.TransactionKey}
	}
	return client.RewardTarget{Type: client.TargetPartnership, Key: a.PartnerKey}
}

func (a *createRewardArgs) followUp() string {
	switch {
	case a.CustomerKey != "":
		return "list_rewards (look for customer_key " + a.CustomerKey + ")"
	case a.TransactionKey != "":
		return "list_rewards (look for transaction_key " + a.TransactionKey + ")"
	}
	return "list_rewards (partner_key=" + a.PartnerKey + ")"
}

func rewardTools(d Deps) []Tool {
	c := d.Client
	const ts = "rewards"
	byPartner := listFilter[client.Reward]("rewards", "partner_key", "partner_key")
	byStatus := listFilter[client.Reward]("rewards", "reward_status", "status")
	return []Tool{
		newTool(spec{name: "list_rewards", title: "List rewards", toolset: ts, hints: readOnly,
			description: "List partner rewards (commissions, USD cents) with status hold/pending/approved/declined/paid."},
			func(ctx context.Context, call *Call, a *listRewardsArgs) (ListResult[rewardItem], error) {
				o := &client.RewardListOptions{PartnerKey: a.PartnerKey, RewardStatus: a.Status}
				if err := a.apply(&o.ListOptions); err != nil {
					return ListResult[rewardItem]{}, err
				}
				var ofPartner func(client.Reward) bool
				if a.PartnerKey != "" {
					m, err := rewardOfPartner(ctx, c, a.PartnerKey)
					if err != nil {
						return ListResult[rewardItem]{}, err
					}
					ofPartner = m
				}
				return gather(ctx, call, d, c.Rewards.All(o), &a.ListArgs, withPartnerKeys(ctx, c, a.PartnerKey, projectReward),
					byPartner.on(a.PartnerKey != "", ofPartner),
					byStatus.on(a.Status != "", func(r client.Reward) bool { return r.RewardStatus == a.Status }))
			}),
		newTool(spec{name: "create_reward", title: "Reward a partner", toolset: ts, hints: movesMoney, guard: d.guard,
			description: "Grant a manual reward (bonus) in USD cents to a partner, or for a customer or a transaction."},
			func(ctx context.Context, _ *Call, a *createRewardArgs) (WriteResult[rewardItem], error) {
				body := &client.RewardCreate{Amount: a.Amount, Description: a.Description, Target: a.target()}
				return write(ctx, a.DryRun, func(ctx context.Context) (*client.Reward, error) {
					return c.Rewards.Create(ctx, body)
				}, projectReward)
			}),
	}
}

// rewardOfPartner tests whether a reward is the partner's. A reward names
// its partnership by key (documented); its nested partner_key is not
// documented, so it is used only when present, and the partnership key is
// found with the documented GET by partner_key (an unknown partner matches
// nothing).
func rewardOfPartner(ctx context.Context, c *client.Client, partnerKey string) (func(client.Reward) bool, error) {
	var key string
	p, err := c.Partnerships.Get(ctx, partnerKey)
	switch {
	case err == nil && (p.PartnerKey == partnerKey || p.Key == partnerKey):
		key = p.Key
	case err != nil && !client.IsNotFound(err):
		return nil, err
	}
	return func(r client.Reward) bool {
		rp := r.Partnership
		if rp == nil {
			return false
		}
		if rp.PartnerKey != "" {
			return rp.PartnerKey == partnerKey
		}
		return key != "" && rp.Key == key
	}, nil
}

// withPartnerKeys completes a reward's partner_key, which no source documents
// on the nested partnership: the filter's own value when there is one, else
// the documented GET /v2/partnerships/{key}, once per partner of the result.
// A failed GET leaves it empty; the partner's key and name are still shown.
func withPartnerKeys(ctx context.Context, c *client.Client, filtered string, project func(client.Reward) rewardItem) func(client.Reward) rewardItem {
	known := map[string]string{}
	return func(r client.Reward) rewardItem {
		it := project(r)
		if it.PartnerKey != "" || it.Partner == nil || it.Partner.Key == "" {
			return it
		}
		if filtered != "" {
			it.PartnerKey = filtered
			return it
		}
		pk, ok := known[it.Partner.Key]
		if !ok {
			if p, err := c.Partnerships.Get(ctx, it.Partner.Key); err == nil && p.Key == it.Partner.Key {
				pk = p.PartnerKey
			}
			known[it.Partner.Key] = pk
		}
		it.PartnerKey = pk
		return it
	}
}
