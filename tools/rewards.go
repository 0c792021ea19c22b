package tools

import (
	"context"

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

type createRewardArgs struct {
	PartnerKey  string `json:"partner_key" jsonschema:"minLength=1,maxLength=255" jsonschema_description:"Partner to reward."`
	Amount      int64  `json:"amount" jsonschema:"minimum=1,maximum=100000000" jsonschema_description:"USD integer cents (5000 = $50.00)."`
	Description string `json:"description" jsonschema:"minLength=1,maxLength=255"`
	DryRunArg
	DedupeArg
}

func (a *createRewardArgs) followUp() string {
	return "list_rewards (partner_key=" + a.PartnerKey + ")"
}

func rewardTools(d Deps) []Tool {
	c := d.Client
	const ts = "rewards"
	return []Tool{
		newTool(spec{name: "list_rewards", title: "List rewards", toolset: ts, hints: readOnly,
			description: "List partner rewards (commissions, USD cents) with status hold/pending/approved/declined/paid."},
			func(ctx context.Context, call *Call, a *listRewardsArgs) (ListResult[rewardItem], error) {
				o := &client.RewardListOptions{PartnerKey: a.PartnerKey, RewardStatus: a.Status}
				if err := a.apply(&o.ListOptions); err != nil {
					return ListResult[rewardItem]{}, err
				}
				return gather(ctx, call, c.Rewards.All(o), a.limit(), d.budget(), projectReward)
			}),
		newTool(spec{name: "create_reward", title: "Reward a partner", toolset: ts, hints: movesMoney, guard: d.guard,
			description: "Grant a partner a manual reward (bonus) in USD cents."},
			func(ctx context.Context, _ *Call, a *createRewardArgs) (WriteResult[rewardItem], error) {
				body := &client.RewardCreate{Amount: a.Amount, Description: a.Description,
					Target: client.RewardTarget{Type: client.TargetPartnership, Key: a.PartnerKey}}
				return write(ctx, a.DryRun, func(ctx context.Context) (*client.Reward, error) {
					return c.Rewards.Create(ctx, body)
				}, projectReward)
			}),
	}
}
