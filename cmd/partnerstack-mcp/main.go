// Command partnerstack-mcp is an MCP server for the PartnerStack Vendor API.
//
//	partnerstack-mcp [serve] [flags]             serve MCP (stdio by default)
//	partnerstack-mcp tools [--json] [flags]      print the tool catalogue
//	partnerstack-mcp call TOOL [--ARG VALUE]...  call one tool and print its result (or --args JSON)
//	partnerstack-mcp sandbox [--addr A]          serve the fake PartnerStack API
//	partnerstack-mcp version | help [COMMAND | call TOOL]
//
// Flags may stand before or after the command; `partnerstack-mcp help` lists
// them with their environment variables.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/internal/toolflags"
)

func main() {
	// A binary from `go install ...@v1.2.3` carries its module version; use it
	// when no -ldflags -X stamped one.
	if partnerstackmcp.Version == "dev" {
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			partnerstackmcp.Version = bi.Main.Version
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes, documented in the README's "Command line" section.
const (
	exitOK    = 0 // done; for call, the tool succeeded
	exitFail  = 1 // the tool answered with an error, or the server could not start (configuration, network)
	exitUsage = 2 // the command line is wrong: unknown command or flag, bad flag value, stray argument
)

// invocation is what a command runs with: the parsed server options (for the
// commands that take them), its positional arguments and the standard streams.
type invocation struct {
	opts   *options
	args   []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	tool   *toolflags.Set // call's tool, whose arguments are flags too
}

// command is one subcommand. flags registers its own flags and returns the
// function that runs it, so the same definitions drive parsing and help.
type command struct {
	name    string
	usage   string // what follows the name in the usage line
	summary string
	minArgs int
	maxArgs int
	server  bool // takes the server's flags and their PARTNERSTACK_* variables
	flags   func(fs *flag.FlagSet) func(ctx context.Context, in *invocation) error
}

// commands lists every subcommand; the first one runs when none is named.
// (Set in init: help refers back to the list.)
var commands []*command

func init() {
	commands = []*command{
		{name: "serve", usage: "[flags]", summary: "serve MCP over stdio, SSE or streamable HTTP (the default command)", server: true,
			flags: func(*flag.FlagSet) func(context.Context, *invocation) error { return serve }},
		{name: "tools", usage: "[--json] [flags]", summary: "print the tools a configuration offers (no keys needed)", server: true, flags: toolsFlags},
		{name: "call", usage: "TOOL [--ARGUMENT VALUE]... [--args JSON] [flags]", summary: "call one tool and print its result (call TOOL --help: its arguments)", minArgs: 1, maxArgs: 1, server: true, flags: callFlags},
		{name: "sandbox", usage: "[--addr ADDR] [--fault SPEC]... [flags]", summary: "serve the fake PartnerStack API over HTTP", flags: sandboxFlags},
		{name: "version", usage: "", summary: "print the version",
			flags: func(*flag.FlagSet) func(context.Context, *invocation) error { return printVersion }},
		{name: "help", usage: "[COMMAND | call TOOL]", summary: "print this help, one command's, or one tool's", maxArgs: 2,
			flags: func(*flag.FlagSet) func(context.Context, *invocation) error { return help }},
	}
}

func lookupCommand(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// usageError is a mistake on the command line (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// errToolFailed: the tool answered with an error, already printed (exit 1).
var errToolFailed = errors.New("the tool answered with an error")

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, &invocation{stdin: stdin, stdout: stdout, stderr: stderr})
	var usage *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errToolFailed):
		return exitFail
	case errors.As(err, &usage):
		fmt.Fprintln(stderr, "partnerstack-mcp:", err)
		return exitUsage
	}
	fmt.Fprintln(stderr, "partnerstack-mcp:", err)
	return exitFail
}

// dispatch finds the command (flags may come before it), parses its flags
// and the environment, and runs it.
func dispatch(ctx context.Context, args []string, in *invocation) error {
	name, prev, rest := splitCommand(args)
	cmd := commands[0]
	if name != "" {
		if cmd = lookupCommand(name); cmd == nil {
			return unknownCommand(name, prev)
		}
	}
	fs, runCmd, o := newFlagSet(cmd)
	version := fs.Bool("version", false, "print the version and exit")
	if cmd.name == "call" {
		var err error
		if in.tool, err = defineToolFlags(fs, rest); err != nil {
			return err
		}
	}
	pos, err := parseInterspersed(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		if in.tool != nil {
			return writeToolHelp(in.stdout, in.tool)
		}
		if cmd.name == "sandbox" {
			return sandboxUsage(in) // the same as partnerstack-sandbox -h
		}
		if name == "" {
			return writeHelp(in.stdout, nil) // plain --help: everything
		}
		return writeHelp(in.stdout, cmd)
	}
	if err != nil && in.tool != nil {
		return toolFlagError(in.tool, fs, err)
	}
	if err != nil {
		return flagError(cmd, fs, err)
	}
	if *version {
		return printVersion(ctx, in)
	}
	if len(pos) > cmd.maxArgs {
		return strayArgument(cmd, pos[cmd.maxArgs])
	}
	if len(pos) < cmd.minArgs {
		return usagef("usage: partnerstack-mcp %s %s", cmd.name, cmd.usage)
	}
	if cmd.server {
		if err := applyEnv(fs, o); err != nil {
			return err
		}
	}
	in.opts, in.args = o, pos
	return runCmd(ctx, in)
}

// newFlagSet registers a command's flags on a silent flag set (errors are
// reported by dispatch in one line), each value parser saying what a valid
// value looks like.
func newFlagSet(cmd *command) (*flag.FlagSet, func(context.Context, *invocation) error, *options) {
	fs := flag.NewFlagSet("partnerstack-mcp "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var o *options
	if cmd.server {
		o = &options{}
		o.register(fs)
	}
	runCmd := cmd.flags(fs)
	fs.VisitAll(func(f *flag.Flag) { f.Value = hinted{f.Value, valueHint(f)} })
	return fs, runCmd, o
}

func printVersion(_ context.Context, in *invocation) error {
	fmt.Fprintln(in.stdout, partnerstackmcp.Name, partnerstackmcp.Version)
	return nil
}

func help(ctx context.Context, in *invocation) error {
	if len(in.args) == 0 {
		return writeHelp(in.stdout, nil)
	}
	cmd := lookupCommand(in.args[0])
	if cmd == nil {
		return unknownCommand(in.args[0], "")
	}
	if len(in.args) == 2 {
		if cmd.name != "call" {
			return usagef("unexpected argument %q: help takes a command, or call and a tool", in.args[1])
		}
		return dispatch(ctx, []string{"call", in.args[1], "--help"}, in)
	}
	return writeHelp(in.stdout, cmd)
}
