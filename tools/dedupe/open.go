package dedupe

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Open returns the store a --dedupe-store setting names: "memory" (or
// empty) for this process's memory, redis://[user:pass@]host:port/db or
// rediss://… (TLS) for a shared Redis or Valkey. It only parses: the
// connection is made on first use, so a store that is down at start-up
// makes the server not ready (and refuse money writes) rather than exit.
// Errors never contain the URL's password.
func Open(spec string) (Store, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" || spec == "memory" {
		return NewMemory(), nil
	}
	const usage = "use memory or redis://[user:pass@]host:port/db (rediss:// for TLS)"
	u, err := url.Parse(spec)
	if err != nil {
		return nil, errors.New("not a URL; " + usage) // url's own error repeats the URL, password included
	}
	u.RawQuery, u.Fragment = "", "" // options are not needed to say which store
	shown := u.Redacted()
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return nil, fmt.Errorf("%q: %s", shown, usage)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%q: no host; %s", shown, usage)
	}
	opts, err := redis.ParseURL(spec)
	if err != nil {
		return nil, fmt.Errorf("%q: %s", shown, scrub(err.Error(), u))
	}
	return NewRedis(opts), nil
}

// Redact is spec with any password replaced, for logs.
func Redact(spec string) string {
	u, err := url.Parse(strings.TrimSpace(spec))
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}

// scrub removes the URL's password from a message, wherever a parser put it.
func scrub(msg string, u *url.URL) string {
	if pw, ok := u.User.Password(); ok && pw != "" {
		msg = strings.ReplaceAll(msg, pw, "xxxxx")
	}
	return msg
}
