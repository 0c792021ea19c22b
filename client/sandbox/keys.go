package sandbox

import "math/rand/v2"

// Object keys: a prefix, "_" and 14 alphanumerics, like the API's.

const keyAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// appendKey appends prefix + "_" + 14 alphanumerics drawn from rng.
func appendKey(b []byte, rng *rand.Rand, prefix string) []byte {
	b = append(b, prefix...)
	b = append(b, '_')
	for i := 0; i < 14; i++ {
		b = append(b, keyAlphabet[rng.IntN(len(keyAlphabet))])
	}
	return b
}

// newKey draws a key not yet in idx.
func newKey(rng *rand.Rand, prefix string, idx map[string]int32) string {
	for {
		k := string(appendKey(make([]byte, 0, len(prefix)+15), rng, prefix))
		if _, taken := idx[k]; !taken {
			return k
		}
	}
}

// Key prefixes. part, grup, cus, stck and rew are observed; the others are
// Emulator choice: prefixes for transactions, deals, leads, actions and
// webhooks were not found in any source.
const (
	pfxGroup   = "grup"
	pfxPart    = "part"
	pfxTeam    = "stck"
	pfxCust    = "cus"
	pfxTxn     = "tran"
	pfxReward  = "rew"
	pfxDeal    = "deal"
	pfxLead    = "lead"
	pfxAction  = "actn"
	pfxWebhook = "whk"
	pfxCompany = "comp" // Emulator choice
)
