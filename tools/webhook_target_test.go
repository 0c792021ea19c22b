package tools

import (
	"errors"
	"strings"
	"testing"
)

// Issue 17, item 6: every spelling of a non-public address that URL parsers
// or resolvers turn into one is refused, naming the target argument.
func TestWebhookTargetSSRFSpellingsAreRefused(t *testing.T) {
	bad := map[string]string{
		// Host names that URL parsers map (IDNA/UTS-46) to an IPv4 literal or a local name.
		"ideographic full stops":         "https://127。0。0。1/x",
		"a full-width digit":             "https://127.0.0.１/x",
		"full-width full stops":          "https://127．0．0．1/x",
		"halfwidth ideographic stops":    "https://127｡0｡0｡1/x",
		"circled digits":                 "https://①②⑦.⓪.⓪.①/x",
		"full-width localhost":           "https://ｌｏｃａｌｈｏｓｔ/x",
		"full-width private address":     "https://１０.０.０.１/x",
		"mixed-case localhost":           "https://LocalHost./x",
		"mapped non-standard IPv4 form":  "https://０x7f.1/x",
		"link-local metadata full-width": "https://169.254.169.２５４/latest/meta-data",
		// IPv6 addresses that embed a non-public IPv4 address.
		"NAT64 loopback":             "https://[64:ff9b::7f00:1]/x",
		"NAT64 dotted loopback":      "https://[64:ff9b::127.0.0.1]/x",
		"NAT64 local-use prefix":     "https://[64:ff9b:1::a00:1]/x",
		"6to4 loopback":              "https://[2002:7f00:1::]/x",
		"6to4 private":               "https://[2002:c0a8:101::1]/x",
		"IPv4-mapped loopback, hex":  "https://[::ffff:7f00:1]/x",
		"IPv4-compatible loopback":   "https://[::127.0.0.1]/x",
		"IPv4-compatible private":    "https://[::a00:1]/x",
		"Teredo with a private peer": "https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/x", // client 10.0.0.1, obfuscated
		"site-local":                 "https://[fec0::1]/x",
		"documentation IPv6":         "https://[2001:db8::1]/x",
		"discard-only IPv6":          "https://[100::1]/x",
		// IPv4 ranges that are not the public internet.
		"benchmarking":     "https://198.18.0.1/x",
		"documentation":    "https://203.0.113.7/x",
		"reserved class E": "https://240.0.0.1/x",
		"broadcast":        "https://255.255.255.255/x",
		"IETF protocol":    "https://192.0.0.8/x",
		// Wildcard DNS names that resolve to the address they spell.
		"nip.io dotted":             "https://127.0.0.1.nip.io/x",
		"nip.io dashed with prefix": "https://app-127-0-0-1.nip.io/x",
		"nip.io hex":                "https://7f000001.nip.io/x",
		"sslip.io dashed":           "https://10-0-0-1.sslip.io/x",
		"sslip.io IPv6":             "https://--1.sslip.io/x",
		"xip.io":                    "https://192.168.1.1.xip.io/x",
		"localtest.me":              "https://hooks.localtest.me/x",
		"lvh.me":                    "https://lvh.me/x",
		"traefik.me":                "https://10.0.0.1.traefik.me/x",
		"full-width nip.io":         "https://127.0.0.1.ｎｉｐ.ｉｏ/x",
		"any dotted IPv4 labels":    "https://169.254.169.254.attacker.example/x",
		"any dashed IPv4 label":     "https://ip-10-0-0-1.attacker.example/x",
		"a public IP spelled in":    "https://8.8.8.8.nip.io/x",
		// Not a host at all once mapped.
		"an invalid IDNA label": "https://xn--/x",
	}
	for name, target := range bad {
		t.Run(name, func(t *testing.T) {
			err := checkWebhookTarget(target, false)
			var ae *ArgError
			if !errors.As(err, &ae) || ae.Field != "target" || ae.Problem == "" || ae.Fix == "" {
				t.Fatalf("%s accepted or unclear: %v", target, err)
			}
		})
	}
	good := []string{
		"https://hooks.example.com/ps", "https://8.8.8.8/x", "https://[2001:4860::1]:8443/x", "https://a.b-c.io",
		"https://bücher.example/hook", "https://hooks.example.com./x", "https://api-v2.example.com/x",
		"https://[2002:808:808::1]/x", "https://[64:ff9b::808:808]/x", "https://v1.2.3.example.com/x",
		"https://build-2024-01-05.example.com/x",
	}
	for _, target := range good {
		if err := checkWebhookTarget(target, false); err != nil {
			t.Errorf("%s: %v", target, err)
		}
	}
	// The error quotes the host as judged, so the model sees what it was read as.
	if err := checkWebhookTarget("https://127。0。0。1/x", false); err == nil || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("the refusal does not show the normalised host: %v", err)
	}
}

func TestWebhookTargetsMustBePublicHTTPS(t *testing.T) {
	bad := []string{
		"http://hooks.example.com/x", "ftp://hooks.example.com", "https://", "hooks.example.com/x",
		"https://user:pw@hooks.example.com/x",
		"https://localhost/x", "https://api.localhost:8443/x", "https://printer.local/x", "https://db.internal/x",
		"https://127.0.0.1/x", "https://127.1/x", "https://2130706433/x", "https://0x7f.0.0.1/x", "https://0177.0.0.1/x",
		"https://10.1.2.3/x", "https://172.16.0.1/x", "https://192.168.1.1/x", "https://100.64.0.1/x",
		"https://169.254.169.254/latest/meta-data", "https://0.0.0.0/x", "https://[::1]/x", "https://[::]/x",
		"https://[fe80::1]/x", "https://[fd00::1]/x", "https://[::ffff:127.0.0.1]/x", "https://224.0.0.1/x",
	}
	for _, target := range bad {
		err := checkWebhookTarget(target, false)
		var ae *ArgError
		if !errors.As(err, &ae) || ae.Field != "target" || ae.Fix == "" {
			t.Errorf("%s: accepted or unclear: %v", target, err)
		}
	}
	for _, target := range []string{"https://hooks.example.com/ps", "https://8.8.8.8/x", "https://[2001:4860::1]:8443/x", "https://a.b-c.io"} {
		if err := checkWebhookTarget(target, false); err != nil {
			t.Errorf("%s: %v", target, err)
		}
	}
	for _, target := range []string{"http://localhost:9000/hook", "https://127.0.0.1/x"} {
		if err := checkWebhookTarget(target, true); err != nil {
			t.Errorf("sandbox mode, %s: %v", target, err)
		}
	}
}
