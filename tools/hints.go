package tools

import "github.com/mark3labs/mcp-go/mcp"

// effect is what a tool does to the PartnerStack account. Every tool
// declares one (spec.hints); the four MCP behaviour hints follow from it
// here and nowhere else.
type effect int

const (
	// readOnly tools never change data.
	readOnly effect = iota
	// additive tools create one new record and touch nothing else; the
	// record can be archived or deleted again.
	additive
	// update tools change values of an existing record: the old values are
	// gone, but the same call again changes nothing more.
	update
	// removes: archives and deletes.
	removes
	// movesMoney: a payment or refund (record_transaction), a reward
	// (create_reward), or an action (record_action), which can trigger a
	// reward whenever a reward rule matches its name. Commissions and
	// payouts follow, and they are hard to take back.
	movesMoney
	// sendsOut makes PartnerStack send program data to an outside URL from
	// then on (create_webhook): what was sent cannot be called back.
	sendsOut
	// converts turns a record into a new one and changes the first
	// (convert_deal, convert_lead: a customer is created and the deal or
	// lead is marked converted): more than an addition, and a second call
	// is not a no-op (it fails, or makes another customer).
	converts
)

// hints are the four MCP hints of an effect.
type hints struct {
	ReadOnly, Destructive, Idempotent, OpenWorld bool
}

// hintsOf is the rule, one line per hint:
//   - readOnlyHint: the tool never changes data.
//   - destructiveHint: a write that is not purely additive: it removes,
//     overwrites, moves money or sends data out, so hosts ask the user first
//     (MCP: "false: the tool performs only additive updates"; directory
//     reviews ask for true on deletes, overwrites and irreversible effects).
//   - idempotentHint: the same call again has no further effect: reads,
//     updates (same values) and removals (already gone); never a create, a
//     money write or a webhook (each call adds one more).
//   - openWorldHint: always true, since every tool reaches PartnerStack, an
//     outside system, and returns its data.
func hintsOf(e effect) hints {
	return hints{
		ReadOnly:    e == readOnly,
		Destructive: e != readOnly && e != additive,
		Idempotent:  e == readOnly || e == update || e == removes,
		OpenWorld:   true,
	}
}

// wireHints publishes every hint explicitly, true or false, with the title:
// a missing hint blocks OpenAI's app review even where the spec gives it a
// default, and Anthropic's directory and Copilot/Cursor agents look for
// readOnlyHint, destructiveHint and a title on every tool.
func wireHints(title string, e effect) mcp.ToolAnnotation {
	h := hintsOf(e)
	return mcp.ToolAnnotation{
		Title:           title,
		ReadOnlyHint:    mcp.ToBoolPtr(h.ReadOnly),
		DestructiveHint: mcp.ToBoolPtr(h.Destructive),
		IdempotentHint:  mcp.ToBoolPtr(h.Idempotent),
		OpenWorldHint:   mcp.ToBoolPtr(h.OpenWorld),
	}
}
