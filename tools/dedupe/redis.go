package dedupe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// KeyPrefix starts every key the guard writes to a shared store.
const KeyPrefix = "partnerstack-mcp:dedupe:"

// Redis shares the guard's memory between replicas through Redis or Valkey
// (7.0 or newer: SET with NX and GET together). A reservation is one atomic
// SET key value NX PX window GET: it claims the key, or changes nothing and
// answers the holder's entry. Settling compares the entry's ID in a short
// Lua script, so a reservation that expired and was taken by another call
// is never touched. Values are the entry's ID, a space and its JSON.
type Redis struct {
	rdb *redis.Client
}

// Timeouts of one store operation, unless the URL sets its own: a money
// write waits at most this long on the store before it is refused.
const (
	redisDialTimeout = 2 * time.Second
	redisIOTimeout   = time.Second
)

// NewRedis connects lazily to the store at opts (see Open).
func NewRedis(opts *redis.Options) *Redis {
	if opts.DialTimeout == 0 {
		opts.DialTimeout = redisDialTimeout
	}
	if opts.ReadTimeout == 0 {
		opts.ReadTimeout = redisIOTimeout
	}
	if opts.WriteTimeout == 0 {
		opts.WriteTimeout = redisIOTimeout
	}
	// One retry at most, one dial per attempt: with the store down a money
	// write is refused quickly instead of waiting out go-redis's defaults
	// (3 retries of 5 dials). A retried SET is safe: see Reserve.
	if opts.MaxRetries == 0 {
		opts.MaxRetries = 1
	}
	if opts.DialerRetries == 0 {
		opts.DialerRetries = 1
	}
	opts.ContextTimeoutEnabled = true
	// No CLIENT SETINFO and no maintenance-notification handshake: plain
	// Redis and Valkey answer them with errors the client would log.
	opts.DisableIdentity = true
	opts.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	return &Redis{rdb: redis.NewClient(opts)}
}

// RouteRedisLogs sends go-redis's own messages (a failed dial, a closed
// pool), which it would print on stderr, to logger at debug level: the
// guard logs the failures that matter itself. go-redis has one logger per
// process, so only the command line calls this.
func RouteRedisLogs(logger *slog.Logger) {
	redis.SetLogger(redisLogger{logger})
}

type redisLogger struct{ l *slog.Logger }

func (r redisLogger) Printf(ctx context.Context, format string, v ...any) {
	r.l.DebugContext(ctx, "redis client", "msg", fmt.Sprintf(format, v...))
}

func (r *Redis) unavailable(op string, err error) error {
	return fmt.Errorf("%w: %s: %v", ErrUnavailable, op, err)
}

func encode(e Entry) (string, error) {
	raw, err := json.Marshal(e)
	if err != nil {
		return "", err
	}
	return e.ID + " " + string(raw), nil
}

func decode(v string) (*Entry, error) {
	_, raw, ok := strings.Cut(v, " ")
	var e Entry
	if !ok || json.Unmarshal([]byte(raw), &e) != nil {
		return nil, errors.New("unreadable entry")
	}
	return &e, nil
}

func (r *Redis) Reserve(ctx context.Context, key Key, e Entry, window time.Duration, replace bool) (*Entry, error) {
	val, err := encode(e)
	if err != nil {
		return nil, err
	}
	k := key.storeKey(KeyPrefix)
	px := strconv.FormatInt(window.Milliseconds(), 10)
	if replace {
		if err := r.rdb.Do(ctx, "SET", k, val, "PX", px).Err(); err != nil {
			return nil, r.unavailable("reserve", err)
		}
		return nil, nil
	}
	prev, err := r.rdb.Do(ctx, "SET", k, val, "NX", "PX", px, "GET").Text()
	switch {
	case errors.Is(err, redis.Nil): // the key was free and is ours now
		return nil, nil
	case err != nil:
		return nil, r.unavailable("reserve", err)
	}
	held, err := decode(prev)
	if err != nil {
		// Someone else's value under our prefix: treat it as held, so the
		// write is refused rather than sent twice.
		return &Entry{At: time.Now(), Outcome: OutcomeUnknown}, nil
	}
	if held.ID == e.ID {
		// The client retried a SET whose first answer was lost: it was ours.
		return nil, nil
	}
	return held, nil
}

// settleScript replaces (ARGV[2] set) or deletes the key when its value
// still starts with the owner's ID and a space (ARGV[1]), keeping its TTL.
var settleScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if not v or string.sub(v, 1, string.len(ARGV[1])) ~= ARGV[1] then
  return 0
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
end
return 1
`)

func (r *Redis) Keep(ctx context.Context, key Key, e Entry) error {
	val, err := encode(e)
	if err != nil {
		return err
	}
	if err := settleScript.Run(ctx, r.rdb, []string{key.storeKey(KeyPrefix)}, e.ID+" ", val).Err(); err != nil {
		return r.unavailable("keep", err)
	}
	return nil
}

func (r *Redis) Release(ctx context.Context, key Key, e Entry) error {
	if err := settleScript.Run(ctx, r.rdb, []string{key.storeKey(KeyPrefix)}, e.ID+" ", "").Err(); err != nil {
		return r.unavailable("release", err)
	}
	return nil
}

func (r *Redis) Ping(ctx context.Context) error {
	if err := r.rdb.Ping(ctx).Err(); err != nil {
		return r.unavailable("ping", err)
	}
	return nil
}

func (r *Redis) Kind() string { return "redis" }
func (r *Redis) Close() error { return r.rdb.Close() }
