package httpserve

import (
	"context"
	"fmt"
	"net"
	"strings"
)

// checkListenAddr refuses a non-loopback listen address without a token:
// an open MCP server on a shared network would let anyone spend the account.
func (o Options) checkListenAddr(addr string) error {
	if o.Token != "" {
		return nil
	}
	loop, err := loopbackAddr(addr)
	if err != nil {
		return err
	}
	if !loop {
		return fmt.Errorf("--addr %s is not a loopback address: set --http-token (or PARTNERSTACK_HTTP_TOKEN) so only callers with the token get in, or listen on 127.0.0.1", addr)
	}
	return nil
}

// loopbackAddr reports whether every address host:port may listen on is a
// loopback one. An empty host means all interfaces.
func loopbackAddr(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("--addr %q: %v", addr, err)
	}
	if host == "" {
		return false, nil
	}
	if strings.EqualFold(host, "localhost") {
		return true, nil
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback(), nil
	}
	ips, err := net.DefaultResolver.LookupIPAddr(context.Background(), host)
	if err != nil {
		return false, fmt.Errorf("--addr %q: %v", addr, err)
	}
	for _, ip := range ips {
		if !ip.IP.IsLoopback() {
			return false, nil
		}
	}
	return len(ips) > 0, nil
}
