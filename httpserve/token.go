package httpserve

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// realm names the server in the token challenge: partnerstackmcp.Name,
// which this package (below the root) cannot import.
const realm = "partnerstack-mcp"

// requireToken refuses every request, loopback included, without
// "Authorization: Bearer <token>". The comparison is of hashes, in constant
// time, so neither the token's bytes nor its length leak through timing.
func requireToken(next http.Handler, token string, refuse refuseFunc) http.Handler {
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := bearer(r.Header.Get("Authorization"))
		sum := sha256.Sum256([]byte(got))
		if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			challenge := `Bearer realm="` + realm + `"`
			if ok {
				challenge += `, error="invalid_token"`
			}
			w.Header().Set("WWW-Authenticate", challenge)
			refuse(w, r, http.StatusUnauthorized, "Unauthorized: send Authorization: Bearer <token> (the server's --http-token)")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// bearer extracts the token of an "Authorization: Bearer <token>" header.
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
