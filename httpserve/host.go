package httpserve

import (
	"net"
	"net/http"
	"strings"
)

// checkHost refuses, on a loopback listener, a Host header that is no
// loopback name: DNS rebinding, a page on evil.example resolved to 127.0.0.1.
func checkHost(next http.Handler, refuse refuseFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if local := localAddr(r); local != nil && isLoopbackHost(local.String()) && !isLoopbackHost(r.Host) {
			refuse(w, r, http.StatusForbidden, "Forbidden: Host header is not a loopback name")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// localAddr is the address the request's connection arrived at, if known.
func localAddr(r *http.Request) net.Addr {
	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	return local
}

// isLoopbackHost reports whether a Host header or host name names this
// machine's loopback interface: localhost, 127.0.0.0/8 or ::1, with or
// without a port.
func isLoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
