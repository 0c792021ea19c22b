// Package sandboxcli is the one command line of the PartnerStack sandbox:
// its flags, their PARTNERSTACK_SANDBOX_* environment twins, the --fault
// syntax, and serving the emulator over HTTP. `partnerstack-mcp sandbox` and
// the partnerstack-sandbox command both run it, so they accept the same
// command line.
package sandboxcli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/partnerstack-mcp/partnerstack-mcp/client/sandbox"
)

// EnvPrefix starts the environment variable of every flag: --seed is
// PARTNERSTACK_SANDBOX_SEED. A flag given on the command line wins.
const EnvPrefix = "PARTNERSTACK_SANDBOX_"

const faultHelp = `inject a fault; repeatable. Form: kind[:key=value]...
kinds: rate_limit, server_error, latency, reset_after_write, malformed_body, truncated_body, refuse
keys: route ("METHOD /path-prefix", method * = any), status (500|502|503|504), retry_after (2s),
      every (every Nth matching request), times (at most N times), latency (200ms)
e.g. rate_limit:every=5:retry_after=2s  server_error:status=503:times=3:route=GET /v2/
     latency:latency=200ms  reset_after_write:route=POST /v2/transactions
env: ` + EnvPrefix + `FAULT holds several specs separated by ';'`

// Config is a parsed command line.
type Config struct {
	Addr    string
	Options sandbox.Options
	Faults  []sandbox.Fault
}

// ErrUsage marks a command-line mistake the flag package has already
// reported (with the usage text) on the error output.
var ErrUsage = errors.New("usage error")

type usageError struct{ err error }

func (e usageError) Error() string   { return e.err.Error() }
func (e usageError) Unwrap() []error { return []error{e.err, ErrUsage} }

type faultList []sandbox.Fault

func (f *faultList) String() string { return "" }
func (f *faultList) Set(v string) error {
	flt, err := sandbox.ParseFault(v)
	if err != nil {
		return err
	}
	*f = append(*f, flt)
	return nil
}

// Parse reads environment defaults, then flags (flags win). name heads the
// usage text. It returns flag.ErrHelp for -h, and an error matching
// ErrUsage for a malformed flag.
func Parse(name string, args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	finish, err := Define(fs, getenv)
	if err != nil {
		return Config{}, err
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return Config{}, err
		}
		return Config{}, usageError{err}
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return finish()
}

// Define registers the sandbox's flags on fs, their defaults taken from the
// environment, so a command with its own parsing (partnerstack-mcp's, which
// takes flags before or after the command) offers exactly these; after
// fs.Parse, finish checks the values and returns the Config.
func Define(fs *flag.FlagSet, getenv func(string) string) (finish func() (Config, error), err error) {
	c := &Config{}
	env := func(name, def string) string {
		if v := getenv(EnvPrefix + name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.Addr, "addr", env("ADDR", "127.0.0.1:8181"), "listen address (env "+EnvPrefix+"ADDR)")
	fs.StringVar(&c.Options.Keys.PublicKey, "public-key", env("PUBLIC_KEY", sandbox.DefaultPublicKey), "production public key (env "+EnvPrefix+"PUBLIC_KEY)")
	fs.StringVar(&c.Options.Keys.SecretKey, "secret-key", env("SECRET_KEY", sandbox.DefaultSecretKey), "production secret key (env "+EnvPrefix+"SECRET_KEY)")
	fs.StringVar(&c.Options.TestKeys.PublicKey, "test-public-key", env("TEST_PUBLIC_KEY", sandbox.DefaultTestPublicKey), "test public key (env "+EnvPrefix+"TEST_PUBLIC_KEY)")
	fs.StringVar(&c.Options.TestKeys.SecretKey, "test-secret-key", env("TEST_SECRET_KEY", sandbox.DefaultTestSecretKey), "test secret key (env "+EnvPrefix+"TEST_SECRET_KEY)")
	var seed, txns string
	fs.StringVar(&seed, "seed", env("SEED", "1"), "seed for the demo data and new keys (env "+EnvPrefix+"SEED)")
	fs.StringVar(&txns, "transactions", env("TRANSACTIONS", strconv.Itoa(sandbox.DefaultTransactions)), "number of seeded transactions (env "+EnvPrefix+"TRANSACTIONS)")
	emptyDefault, envErr := strconv.ParseBool(env("EMPTY", "false"))
	fs.BoolVar(&c.Options.Empty, "empty", emptyDefault, "seed no demo data, only the default group and the gstest partner (env "+EnvPrefix+"EMPTY)")
	var profile string
	fs.StringVar(&profile, "sandbox-profile", env("PROFILE", string(sandbox.ProfileDefault)), "default, or strict: only what PartnerStack documents (env "+EnvPrefix+"PROFILE)")
	var faults faultList
	fs.Var(&faults, "fault", faultHelp)
	if envErr != nil {
		return nil, fmt.Errorf("%sEMPTY: %q is not true or false", EnvPrefix, getenv(EnvPrefix+"EMPTY"))
	}
	return func() (Config, error) { return c.finish(seed, txns, profile, faults, getenv) }, nil
}

func (cfg *Config) finish(seed, txns, profile string, faults faultList, getenv func(string) string) (Config, error) {
	c := *cfg
	var err error
	if c.Options.Profile, err = sandbox.ParseProfile(profile); err != nil {
		return c, fmt.Errorf("--sandbox-profile: %w", err)
	}
	if c.Options.Seed, err = strconv.ParseInt(seed, 10, 64); err != nil {
		return c, fmt.Errorf("--seed: %q is not an integer", seed)
	}
	if c.Options.Transactions, err = strconv.Atoi(txns); err != nil || c.Options.Transactions < 0 {
		return c, fmt.Errorf("--transactions: %q is not a non-negative integer", txns)
	}
	if c.Options.Keys.PublicKey == "" || c.Options.Keys.SecretKey == "" || c.Options.TestKeys.PublicKey == "" || c.Options.TestKeys.SecretKey == "" {
		return c, errors.New("keys must not be empty")
	}
	if c.Options.Keys.PublicKey == c.Options.TestKeys.PublicKey {
		return c, errors.New("the production and test public keys must differ")
	}
	c.Faults = faults
	if len(faults) == 0 { // no --fault flag: take the environment's
		for _, spec := range strings.Split(getenv(EnvPrefix+"FAULT"), ";") {
			if strings.TrimSpace(spec) == "" {
				continue
			}
			f, err := sandbox.ParseFault(spec)
			if err != nil {
				return c, fmt.Errorf("%sFAULT: %w", EnvPrefix, err)
			}
			c.Faults = append(c.Faults, f)
		}
	}
	return c, nil
}
