package sandbox

import "sync"

// Partnership stats are computed from the data and cached per store version.

type statsCache struct {
	mu      sync.Mutex
	version uint64
	valid   bool
	stats   []PartnershipStats
}

// partnershipStats returns stats indexed like st.partnerships. The caller
// holds s.mu (read or write); the cache has its own lock because concurrent
// readers may race to fill it.
func (s *Sandbox) partnershipStats() []PartnershipStats {
	st := s.st
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	if s.stats.valid && s.stats.version == st.version && len(s.stats.stats) == len(st.partnerships) {
		return s.stats.stats
	}
	out := make([]PartnershipStats, len(st.partnerships))
	paid := make([]bool, len(st.customers))
	for _, c := range st.customers {
		if !c.archived {
			out[c.part].CustomerCount++
		}
	}
	for i := range st.txns {
		t := &st.txns[i]
		if t.archived {
			continue
		}
		c := st.customers[t.cust]
		out[c.part].Revenue += t.amountUSD
		if t.amount > 0 && !c.archived && !paid[t.cust] {
			paid[t.cust] = true
			out[c.part].PaidAccountCount++
		}
	}
	for i := range st.rewards {
		r := &st.rewards[i]
		if !r.archived && r.part >= 0 && (r.status == rsApproved || r.status == rsPaid) {
			out[r.part].CommissionEarned += r.amount
		}
	}
	s.stats.stats, s.stats.version, s.stats.valid = out, st.version, true
	return out
}
