package tools

import (
	"net/netip"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/idna"
)

// checkWebhookTarget keeps PartnerStack from being pointed at addresses that
// are not the public internet: a webhook to a loopback, private or
// link-local address would deliver program data to whatever answers there.
//
// The host is first normalised the way URL parsers and resolvers read it
// (IDNA/UTS-46 mapping: full-width digits and letters, ideographic and
// full-width full stops, circled digits), then judged: local names, IP
// literals in any spelling (including IPv4 embedded in IPv6), and names that
// spell an address. Names are not resolved here (PartnerStack resolves them
// later, at delivery), so this refuses what is local by its spelling.
// local relaxes all of it for the embedded sandbox, which delivers nothing.
func checkWebhookTarget(target string, local bool) error {
	const fix = "use a public https:// address such as https://hooks.example.com/partnerstack"
	u, err := url.Parse(target)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return argErr("target", "'"+target+"' is not an absolute URL", fix)
	}
	if u.Scheme != "https" && !(local && u.Scheme == "http") {
		return argErr("target", "'"+target+"' is not an https URL", fix)
	}
	if u.User != nil {
		return argErr("target", "the URL carries credentials (user:password@)", "put credentials in the receiving service, not in the URL")
	}
	if local {
		return nil
	}
	if addr, err := netip.ParseAddr(u.Hostname()); err == nil && strings.HasPrefix(u.Host, "[") {
		if reason := privateAddr(addr); reason != "" {
			return argErr("target", "'"+u.Hostname()+"' is "+reason, fix)
		}
		return nil
	}
	host, err := hostProfile.ToASCII(u.Hostname())
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if err != nil || host == "" {
		return argErr("target", "'"+u.Hostname()+"' is not a valid host name", fix)
	}
	if reason := localName(host); reason != "" {
		return argErr("target", "'"+host+"' "+reason, fix)
	}
	return nil
}

// hostProfile maps a host as WHATWG URL parsers do (UTS-46, non-transitional,
// STD3 rules off), so "127。0。0。1" is judged as the 127.0.0.1 a client dials.
var hostProfile = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false))

// Wildcard-DNS services answer every name below them with an address the
// name spells, in syntaxes of their own (dots, dashes, hex, IPv6), or with
// loopback for every name. Names below them are refused whatever they spell.
var wildcardDomains = []string{"nip.io", "sslip.io", "xip.io", "nip.direct", "traefik.me", "localtest.me", "lvh.me",
	"vcap.me", "lacolhost.com", "fuf.me", "localhost.direct"}

// Names that spell an IPv4 address: four dotted decimal labels anywhere in
// the name, or one label holding four dash-separated numbers.
var (
	dottedIPv4 = regexp.MustCompile(`(^|\.)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(\.|$)`)
	dashedIPv4 = regexp.MustCompile(`(^|[^0-9])\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}([^0-9]|$)`)
)

// localName says why an ASCII host name is refused, or "". An IPv4 literal
// is judged by its address; any other name that spells an IPv4 address is
// refused outright: it is either a wildcard-DNS name that resolves to what
// it spells (whichever address that is, public ones included, since each
// service reads the spelling its own way), or a provider's name for one
// machine, which is not where a webhook endpoint lives.
func localName(host string) string {
	for _, suffix := range []string{"localhost", "local", "internal", "localdomain", "home.arpa"} {
		if host == suffix || strings.HasSuffix(host, "."+suffix) {
			return "is a local host name"
		}
	}
	if addr, err := netip.ParseAddr(host); err == nil {
		if reason := privateAddr(addr); reason != "" {
			return "is " + reason
		}
		return ""
	}
	// "127.1", "2130706433" or "0x7f.0.0.1" are not DNS names (no top-level
	// domain is numeric) but many HTTP clients read them as IPv4 addresses.
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" || strings.Trim(last, "0123456789") == "" || strings.HasPrefix(last, "0x") {
		return "looks like an IP address in a non-standard form"
	}
	for _, d := range wildcardDomains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return "is under " + d + ", a wildcard DNS service that resolves names to the address they spell"
		}
	}
	if dottedIPv4.MatchString(host) || dashedIPv4.MatchString(host) {
		return "spells an IP address inside a name, as wildcard DNS names do"
	}
	return ""
}

// Address ranges that are not public unicast, beyond what netip classifies.
var reservedRanges = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "a reserved"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a private"}, // carrier-grade NAT
	{netip.MustParsePrefix("192.0.0.0/24"), "a reserved"}, // IETF protocol assignments
	{netip.MustParsePrefix("192.0.2.0/24"), "a documentation"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "a documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "a documentation"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved"}, // includes the broadcast address
	{netip.MustParsePrefix("100::/64"), "a discard-only"},
	{netip.MustParsePrefix("2001:db8::/32"), "a documentation"},
	{netip.MustParsePrefix("fec0::/10"), "a site-local"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "a local-use NAT64"}, // RFC 8215: for private networks
}

// privateAddr says what addr is when it is not a public unicast address
// (e.g. "a loopback address"), or "". An IPv6
// address that carries an IPv4 address (mapped, compatible, NAT64, 6to4,
// Teredo) is judged by that address too: a gateway delivers to it.
func privateAddr(a netip.Addr) string {
	a = a.Unmap()
	if kind := addrKind(a); kind != "" {
		return kind + " address"
	}
	for _, v4 := range embeddedIPv4(a) {
		if kind := addrKind(v4); kind != "" {
			return "an IPv6 address carrying " + v4.String() + ", " + kind + " address"
		}
	}
	return ""
}

// addrKind names the class of a non-public address ("a loopback"), or "".
func addrKind(a netip.Addr) string {
	switch {
	case a.IsUnspecified():
		return "an unspecified"
	case a.IsLoopback():
		return "a loopback"
	case a.IsPrivate():
		return "a private"
	case a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast():
		return "a link-local"
	case a.IsMulticast():
		return "a multicast"
	}
	for _, r := range reservedRanges {
		if r.prefix.Contains(a) {
			return r.reason
		}
	}
	return ""
}

var (
	ipv4Compatible = netip.MustParsePrefix("::/96")
	nat64          = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour      = netip.MustParsePrefix("2002::/16")
	teredo         = netip.MustParsePrefix("2001::/32")
)

// embeddedIPv4 returns the IPv4 addresses an IPv6 address carries.
func embeddedIPv4(a netip.Addr) []netip.Addr {
	if !a.Is6() {
		return nil
	}
	b := a.As16()
	v4 := func(i int) netip.Addr { return netip.AddrFrom4([4]byte{b[i], b[i+1], b[i+2], b[i+3]}) }
	switch {
	case ipv4Compatible.Contains(a), nat64.Contains(a):
		return []netip.Addr{v4(12)}
	case sixToFour.Contains(a):
		return []netip.Addr{v4(2)}
	case teredo.Contains(a): // server, then the client's address (stored inverted)
		return []netip.Addr{v4(4), netip.AddrFrom4([4]byte{^b[12], ^b[13], ^b[14], ^b[15]})}
	}
	return nil
}
