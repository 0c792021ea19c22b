package sandbox

// Wire structs: the JSON the sandbox serves, one type per API object. They
// are the sandbox's own reading of the API notes (not shared with package
// client, so contract tests catch disagreements). Optional strings the API
// leaves unset are null, hence the pointers. Times are epoch ms, money cents.

// GroupFeatures are a group's feature switches.
type GroupFeatures struct {
	ApplicationEnabled bool `json:"application_enabled"`
	DealsEnabled       bool `json:"deals_enabled"`
	DealsSalesforce    bool `json:"deals_salesforce"`
	DisableLinkCreate  bool `json:"disable_link_create"`
	LeadsEnabled       bool `json:"leads_enabled"`
}

// Group is a partner group (GET /v2/groups).
type Group struct {
	Key       string        `json:"key"`
	Name      string        `json:"name"`
	Slug      string        `json:"slug"`
	Archived  bool          `json:"archived"`
	Default   bool          `json:"default"`
	Features  GroupFeatures `json:"features"`
	CreatedAt int64         `json:"created_at"`
	UpdatedAt int64         `json:"updated_at"`
}

// GroupRef is the group nested in a partnership.
type GroupRef struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// Team is a partner team ("stack").
type Team struct {
	Key       string `json:"key"`
	Name      string `json:"name"`
	CreatedAt int64  `json:"created_at"`
	UpdatedAt int64  `json:"updated_at"`
}

// Manager is the partner manager on the vendor side.
// Inferred: field names from the hand-typed SDK (manager_email, manager_name).
type Manager struct {
	ManagerEmail *string `json:"manager_email"`
	ManagerName  *string `json:"manager_name"`
}

// PartnershipStats are computed from the sandbox's data: customers, paying
// customers, revenue (sum of amount_usd) and commission (approved + paid
// rewards), in USD cents.
type PartnershipStats struct {
	CustomerCount    int64 `json:"CUSTOMER_COUNT"`
	PaidAccountCount int64 `json:"PAID_ACCOUNT_COUNT"`
	Revenue          int64 `json:"REVENUE"`
	CommissionEarned int64 `json:"COMMISSION_EARNED"`
}

// Field is one custom field value (FieldData, reduced).
type Field struct {
	APIName string `json:"api_name"`
	Name    string `json:"name"`
	Value   any    `json:"value"`
}

// Partnership is a partner in the program.
type Partnership struct {
	Key        string           `json:"key"`
	CreatedAt  int64            `json:"created_at"`
	UpdatedAt  int64            `json:"updated_at"`
	Email      string           `json:"email"`
	FirstName  *string          `json:"first_name"`
	LastName   *string          `json:"last_name"`
	PartnerKey string           `json:"partner_key"`
	JoinedAt   *int64           `json:"joined_at"`
	Claimed    bool             `json:"claimed"`
	Archived   bool             `json:"archived"` // Inferred: the archived flag's name
	Test       bool             `json:"test"`     // Emulator choice: marks test partners (gstest, test-key creations)
	Group      GroupRef         `json:"group"`
	Team       *Team            `json:"team"`
	Tier       *TierRef         `json:"tier,omitempty"` // the hand-typed SDK's {key, name}; absent when none is set
	Manager    *Manager         `json:"manager"`
	Tags       []string         `json:"tags"`
	Stats      PartnershipStats `json:"stats"`
	Fields     []Field          `json:"fields"`
	Meta       map[string]any   `json:"meta"` // always {}: written values show in Fields
}

// Customer is a customer referred by a partner. CustomerKey is the vendor's
// external key; Key is PartnerStack's internal cus_ key.
type Customer struct {
	Key            string         `json:"key"`
	CreatedAt      int64          `json:"created_at"`
	UpdatedAt      int64          `json:"updated_at"`
	CustomerKey    *string        `json:"customer_key"`
	Email          string         `json:"email"`
	Name           *string        `json:"name"`
	PartnerKey     string         `json:"partner_key"`
	PartnershipKey string         `json:"partnership_key"`
	ProviderKey    *string        `json:"provider_key"`
	Test           bool           `json:"test"`
	Archived       bool           `json:"archived"`
	Meta           map[string]any `json:"meta"` // always {} (live behaviour): values show in Fields
	Fields         []Field        `json:"fields"`
}

// TransactionCustomer is the customer nested in a transaction.
type TransactionCustomer struct {
	Key         string  `json:"key"`
	Email       string  `json:"email"`
	ExternalKey *string `json:"external_key"`
}

// Transaction is a payment (negative amount: refund).
type Transaction struct {
	Key            string              `json:"key"`
	CreatedAt      int64               `json:"created_at"`
	UpdatedAt      int64               `json:"updated_at"`
	Amount         int64               `json:"amount"`
	AmountUSD      int64               `json:"amount_usd"`
	Currency       string              `json:"currency"`
	Approved       bool                `json:"approved"`
	Archived       bool                `json:"archived"`
	Test           bool                `json:"test"`
	ProductKey     *string             `json:"product_key"`
	CategoryKey    *string             `json:"category_key"`
	CustomerKey    string              `json:"customer_key"` // internal cus_ key
	Customer       TransactionCustomer `json:"customer"`
	PartnershipKey string              `json:"partnership_key"`
	Metadata       map[string]any      `json:"metadata"`
}

// Deal is a partner-registered (or vendor-sourced) sales opportunity.
type Deal struct {
	Key              string  `json:"key"`
	CreatedAt        int64   `json:"created_at"`
	UpdatedAt        int64   `json:"updated_at"`
	AccountName      *string `json:"account_name"`
	Amount           *int64  `json:"amount"`
	CloseDate        *string `json:"close_date"` // YYYY-MM-DD
	ContactFirstName *string `json:"contact_first_name"`
	ContactLastName  *string `json:"contact_last_name"`
	CustomerKey      *string `json:"customer_key"`
	ExternalKey      *string `json:"external_key"`
	GroupKey         *string `json:"group_key"`
	PartnerKey       *string `json:"partner_key"`
	LostReason       *string `json:"lost_reason"`
	Source           string  `json:"source"` // partner | vendor
	Stage            string  `json:"stage"`
	Archived         bool    `json:"archived"`
}

// Lead is a partner-submitted lead.
type Lead struct {
	Key         string         `json:"key"`
	CreatedAt   int64          `json:"created_at"`
	UpdatedAt   int64          `json:"updated_at"`
	ExternalKey string         `json:"external_key"`
	PartnerKey  string         `json:"partner_key"`
	GroupKey    *string        `json:"group_key"`
	Status      string         `json:"status"` // open | closed | dead | closed won | closed lost
	Amount      *int64         `json:"amount"`
	Approved    *bool          `json:"approved"`
	Meta        map[string]any `json:"meta"`
	CustomerKey *string        `json:"customer_key"`
	Archived    bool           `json:"archived"`
}

// ActionRecord is the data of POST /v2/actions.
type ActionRecord struct {
	Key         string  `json:"key"`
	CreatedAt   int64   `json:"created_at"`
	UpdatedAt   int64   `json:"updated_at"`
	ExternalKey *string `json:"external_key"`
	TargetKey   string  `json:"target_key"`
	TargetType  string  `json:"target_type"`
	Type        string  `json:"type"`
	Value       int64   `json:"value"`
}

// CompanyRef is the vendor company nested in actions.
type CompanyRef struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// ActionCustomer is the customer nested in an action list item.
type ActionCustomer struct {
	Key    string   `json:"key"`
	SubIDs []string `json:"sub_ids"`
}

// Action is an item of GET /v2/actions.
type Action struct {
	Key            string          `json:"key"`
	CreatedAt      int64           `json:"created_at"`
	UpdatedAt      int64           `json:"updated_at"`
	Archived       bool            `json:"archived"`
	Company        CompanyRef      `json:"company"`
	Customer       *ActionCustomer `json:"customer"` // null for partnership targets
	PartnershipKey string          `json:"partnership_key"`
	Type           string          `json:"type"`
	Value          int64           `json:"value"`
}

// RewardAction is the action nested in a reward.
type RewardAction struct {
	Key   string `json:"key"`
	Type  string `json:"type"`
	Value int64  `json:"value"`
}

// RewardCustomer is the customer nested in a reward.
type RewardCustomer struct {
	Key         string  `json:"key"`
	Email       string  `json:"email"`
	Name        *string `json:"name"`
	ExternalKey *string `json:"external_key"`
}

// RewardGroup is the group nested in a reward's partnership.
type RewardGroup struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// RewardPartnership is the partnership nested in a reward.
type RewardPartnership struct {
	Key        string      `json:"key"`
	Name       string      `json:"name"`
	PartnerKey string      `json:"partner_key"`
	Group      RewardGroup `json:"group"`
}

// RewardTransaction is the transaction nested in a reward.
type RewardTransaction struct {
	Key      string `json:"key"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// Reward is a commission or bonus owed to a partner, in USD cents.
type Reward struct {
	Key          string             `json:"key"`
	CreatedAt    int64              `json:"created_at"`
	UpdatedAt    int64              `json:"updated_at"`
	Amount       int64              `json:"amount"`
	Description  string             `json:"description"`
	RewardStatus string             `json:"reward_status"` // hold | pending | approved | declined | paid
	Archived     bool               `json:"archived"`      // Emulator choice: exposed so archived rewards are recognisable with include_archived
	Action       *RewardAction      `json:"action"`
	Customer     *RewardCustomer    `json:"customer"`
	Partnership  *RewardPartnership `json:"partnership"`
	Transaction  *RewardTransaction `json:"transaction"`
}

// Webhook is a webhook subscription.
type Webhook struct {
	Key       string   `json:"key"`
	Target    string   `json:"target"`
	Events    []string `json:"events"`
	Archived  bool     `json:"archived"`
	CreatedAt int64    `json:"created_at"`
	UpdatedAt int64    `json:"updated_at"`
}
