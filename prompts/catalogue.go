package prompts

// The four workflows. Every write they lead to is previewed with dry_run and
// confirmed by the user first; tool names are checked in prompts_test.go.

var catalogue = []template{
	{
		name: "review_pending_applications", title: "Review pending partner applications",
		description: "Go through the partner application backlog and approve or decline each one with the user.",
		args:        []arg{{name: "group_key", description: "Only applications to this group (a key from list_groups)."}},
		text: `Review the pending partner applications[[ for group {group_key}]].

1. Call list_applications with status "pending"[[ and group_key "{group_key}"]]; page with cursor until has_more is false.
2. Show them as a short table: name, email, business, group, applied on. Call list_groups if group names are needed.
3. For each application, suggest approve or decline with a one-line reason, then ask the user to confirm or change each decision. Decide nothing the user has not confirmed.
4. For each confirmed decision call decide_application first with dry_run true and show the request, then without dry_run. A decline is final and its decline_reason may reach the applicant: confirm the wording.
5. Finish with what was approved, declined and left pending; quote any error PartnerStack returned as it came.`,
	},
	{
		name: "monthly_payout_review", title: "Monthly partner payout review",
		description: "Check a month's partner rewards against the revenue behind them before payouts.",
		args: []arg{
			{name: "month", description: "The month to review, YYYY-MM.", required: true, check: checkMonth},
			{name: "group_key", description: "Only partners in this group."},
		},
		derive: func(v map[string]string) { v["from"], v["to"] = monthRange(v["month"]) },
		text: `Review partner payouts for {month} ({from} to {to})[[, group {group_key}]]. This review only reads; change nothing.

1. Call reward_summary with from "{from}" and to "{to}"[[ and group_key "{group_key}"]]: totals by status and by partner.
2. Call summarize_revenue with the same range, group_by "partner"[[ and group_key "{group_key}"]], and partner_leaderboard with metric "rewards" for the same range.
3. Flag partners whose rewards look out of line with the revenue they drove, rewards still on hold or pending, and declined ones; use list_rewards with partner_key to show the detail of any flagged partner.
4. Report: total to pay (approved, in USD), what is still pending or on hold, and the flags, each with the partner's key. Say whether every summary reported complete coverage.
5. If the user wants a correction (a bonus with create_reward, a refund with record_transaction), preview it with dry_run true, confirm the amount in cents with the user, and only then send it.`,
	},
	{
		name: "pipeline_review", title: "Partner pipeline review",
		description: "Review partner-sourced deals and leads: stage totals, stale deals, and the next steps.",
		args: []arg{
			{name: "group_key", description: "Only deals and leads of partners in this group."},
			{name: "partner_key", description: "Only one partner's deals and leads."},
		},
		text: `Review the partner pipeline[[ for group {group_key}]][[ for partner {partner_key}]].

1. Call pipeline_summary[[ with group_key "{group_key}"]][[ with partner_key "{partner_key}"]]: deals by stage and status, leads by status.
2. Call list_deals[[ with partner_key "{partner_key}"]][[ with group_key "{group_key}"]] and point out open deals with a close_date in the past or no amount.
3. Call list_leads[[ with partner_key "{partner_key}"]] and point out open leads that have no deal yet.
4. Summarise: open pipeline value in cents per stage, won and lost this period, and the stale items with their keys.
5. Propose updates (update_deal stage, close_date or lost_reason; update_lead status) as a list; apply only those the user confirms, each previewed with dry_run true first.`,
	},
	{
		name: "reengage_inactive_partners", title: "Re-engage inactive partners",
		description: "Find partners who stopped bringing customers or revenue, and plan how to re-engage them.",
		args: []arg{
			{name: "since", description: "Inactive since this date (YYYY-MM-DD); default: 90 days ago."},
			{name: "group_key", description: "Only partners in this group."},
		},
		text: `Find inactive partners[[ in group {group_key}]] and plan their re-engagement.

1. Call partner_leaderboard with metric "revenue"[[ and from "{since}"]][[ and group_key "{group_key}"]] and top 100, then with metric "customers" for the same range.
2. Call list_partnerships[[ with group_key "{group_key}"]] and list every partner who appears in neither leaderboard (no revenue and no new customer in the range), with email, group, joined_at and lifetime stats.
3. Group them: never active since joining, and active before but quiet now.
4. Draft a short re-engagement message per group for the user to send; this server sends no email.
5. If the user wants to tag them (for example "re-engage") or move them to another group, list the partners and the change, confirm, and apply it with update_partnership, previewing with dry_run true first.`,
	},
}

// All returns the prompts, in catalogue order.
func All() []Prompt {
	out := make([]Prompt, len(catalogue))
	for i, t := range catalogue {
		out[i] = t.prompt()
	}
	return out
}
