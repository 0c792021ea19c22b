package main

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/partnerstack-mcp/partnerstack-mcp/tools"
)

// splitCommand finds the command among args, which may come after flags
// (`--sandbox call list_groups`), and returns the other arguments in order.
// A flag that takes a value skips that value, so `--addr serve` is no command.
func splitCommand(args []string) (name, prev string, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if len(a) > 1 && a[0] == '-' {
			name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
			known, value := lookupFlag(name)
			if !known {
				break // whether it takes a value is unknown; the parser will name it
			}
			if value && !hasValue {
				i++
			}
			continue
		}
		if i > 0 {
			prev = args[i-1]
		}
		return a, prev, slices.Concat(args[:i], args[i+1:])
	}
	return "", "", args
}

// lookupFlag reports whether some command has the flag and whether it takes
// a value (a flag name means the same kind of thing in every command).
func lookupFlag(name string) (known, takesValue bool) {
	if name == "version" || name == "h" || name == "help" {
		return true, false
	}
	for _, c := range commands {
		fs, _, _ := newFlagSet(c)
		if f := fs.Lookup(name); f != nil {
			b, ok := f.Value.(interface{ IsBoolFlag() bool })
			return true, !ok || !b.IsBoolFlag()
		}
	}
	return false, false
}

// parseInterspersed parses flags wherever they stand among the positional
// arguments and returns those; after "--" everything is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func commandNames() string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	return strings.Join(names, ", ")
}

// unknownCommand explains a word that is no command; prev is the argument
// before it, which may be a boolean flag given a separate value.
func unknownCommand(name, prev string) error {
	msg := fmt.Sprintf("unknown command %q; valid: %s", name, commandNames())
	if (name == "true" || name == "false") && strings.HasPrefix(prev, "-") {
		msg += fmt.Sprintf(" (write a boolean flag with =: %s=%s)", prev, name)
	}
	for _, t := range tools.All(tools.Deps{}) {
		if t.Def.Name == name {
			msg += fmt.Sprintf(" (to call that tool: partnerstack-mcp call %s)", name)
		}
	}
	return &usageError{msg}
}

func strayArgument(cmd *command, arg string) error {
	hint := fmt.Sprintf("see: partnerstack-mcp help %s", cmd.name)
	switch {
	case arg == "true" || arg == "false":
		hint = "write a boolean flag with =, e.g. --read-only=" + arg
	case cmd.name == "call":
		hint = `pass the tool's arguments as flags, --limit 5, or as one JSON object: --args '{"limit":5}'`
	case cmd.name == "serve":
		hint = "valid commands: " + commandNames()
	}
	what := "takes no arguments"
	if cmd.maxArgs > 0 {
		what = fmt.Sprintf("takes %s", cmd.usage)
	}
	return usagef("unexpected argument %q: %s %s (%s)", arg, cmd.name, what, hint)
}

// hinted wraps a flag's value so that a value that fails to parse says what
// a valid one looks like; flag and environment errors both carry the hint.
type hinted struct {
	flag.Value
	hint string
}

func (h hinted) Set(s string) error {
	if err := h.Value.Set(s); err != nil {
		if h.hint == "" {
			return err
		}
		return errors.New(h.hint)
	}
	return nil
}

func (h hinted) IsBoolFlag() bool {
	b, ok := h.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func (h hinted) Get() any {
	if g, ok := h.Value.(flag.Getter); ok {
		return g.Get()
	}
	return nil
}

// flagError rewrites the flag package's error in the command's terms,
// suggesting the closest flag for one that does not exist.
func flagError(cmd *command, fs *flag.FlagSet, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		msg = fmt.Sprintf("unknown flag --%s", name)
		if near := closest(name, names); near != "" {
			msg += fmt.Sprintf("; did you mean --%s?", near)
		}
	}
	return usagef("%s: %s (see: partnerstack-mcp help %s)", cmd.name, msg, cmd.name)
}

func valueHint(f *flag.Flag) string {
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return "" // a custom value explains its own errors
	}
	switch g.Get().(type) {
	case bool:
		return "want true or false"
	case time.Duration:
		return "want a duration with a unit, such as 30s, 2m or 1h30m"
	case int, int64, uint, uint64:
		return "want a whole number, such as " + f.DefValue
	}
	return ""
}
