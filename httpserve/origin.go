package httpserve

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// checkOrigin refuses a browser request (one with an Origin header) unless
// its origin is allowed (originAllowed). Requests without Origin (MCP
// clients, scripts) pass.
func checkOrigin(next http.Handler, allowed map[string]bool, refuse refuseFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" && !originAllowed(origin, allowed, localAddr(r)) {
			refuse(w, r, http.StatusForbidden, "Forbidden: origin not allowed (see --allowed-origins)")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// allowedOrigins normalizes the configured allow list; a malformed entry
// stops start-up.
func allowedOrigins(list []string) (map[string]bool, error) {
	origins := map[string]bool{}
	for _, o := range list {
		n, err := normalizeOrigin(o)
		if err != nil {
			return nil, fmt.Errorf("--allowed-origins: %v", err)
		}
		origins[n] = true
	}
	return origins, nil
}

// normalizeOrigin turns "HTTPS://App.example.com:443" into
// "https://app.example.com"; it fails on anything that is not a bare origin.
func normalizeOrigin(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("%q is not an origin such as https://app.example.com", raw)
	}
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host, nil
}

// originAllowed: the allow list, or a loopback origin on the port this
// connection arrived at (the server's own pages, were it to serve any).
func originAllowed(origin string, allowed map[string]bool, local net.Addr) bool {
	n, err := normalizeOrigin(origin)
	if err != nil {
		return false // "null" and other opaque origins
	}
	if allowed[n] {
		return true
	}
	u, _ := url.Parse(n)
	if local == nil || !isLoopbackHost(u.Host) {
		return false
	}
	_, localPort, err := net.SplitHostPort(local.String())
	if err != nil {
		return false
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return port == localPort
}
