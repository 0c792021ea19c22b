package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/partnerstack-mcp/partnerstack-mcp/internal/toolflags"
)

// The glue between `call` and package toolflags, which builds a tool's flags
// from its input schema: finding the tool among the arguments, its flags'
// errors and its help.

// findTool returns the tool `call` names: the first word that is no flag or
// flag value. Past a flag no command knows (a tool's own, before the tool
// name), values cannot be told from words, so the first word that is a
// tool's name is taken.
func findTool(args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			if i+1 < len(args) {
				return args[i+1]
			}
			return ""
		}
		if len(a) < 2 || a[0] != '-' {
			return a
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		known, value := lookupFlag(name)
		if !known {
			for _, w := range args[i+1:] {
				if catalogTool(w) != nil {
					return w
				}
			}
			return ""
		}
		if value && !hasValue {
			i++
		}
	}
	return ""
}

// defineToolFlags adds the named tool's arguments to call's flags. A word
// that is no tool's name is refused here, before its flags are read as
// unknown ones.
func defineToolFlags(fs *flag.FlagSet, args []string) (*toolflags.Set, error) {
	name := findTool(args)
	if name == "" {
		return nil, nil // call's own usage error follows
	}
	t := catalogTool(name)
	if t == nil {
		return nil, unknownTool(name)
	}
	set, err := toolflags.New(name, t.Def.RawInputSchema)
	if err != nil {
		return nil, err
	}
	return set, set.Define(fs)
}

// toolFlagError explains a tool flag that does not parse or does not exist,
// naming the tool's flags (or the one meant).
func toolFlagError(set *toolflags.Set, fs *flag.FlagSet, err error) error {
	msg := err.Error()
	name, unknown := strings.CutPrefix(msg, "flag provided but not defined: -")
	if !unknown {
		// "invalid value "x" for flag -metadata: want KEY=VALUE"
		return usagef("call %s: %s (see: partnerstack-mcp call %s --help)", set.Tool, strings.Replace(msg, "flag -", "flag --", 1), set.Tool)
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	msg = fmt.Sprintf("call %s: unknown flag --%s", set.Tool, name)
	if near := closest(name, names); near != "" {
		msg += fmt.Sprintf("; did you mean --%s?", near)
	}
	if name == "dry-run" || name == "dry_run" {
		msg += fmt.Sprintf("; %s changes nothing, so it takes no --dry-run", set.Tool)
	}
	flags := strings.Join(set.Names(), " ")
	if flags == "" {
		flags = "no arguments"
	}
	return usagef("%s (%s takes %s; server flags: partnerstack-mcp help call)", msg, set.Tool, flags)
}

// writeToolHelp prints `call TOOL --help`: the tool's title, description
// and arguments, all from its definition.
func writeToolHelp(w io.Writer, set *toolflags.Set) error {
	t := catalogTool(set.Tool)
	access := "changes data"
	if t.ReadOnly() {
		access = "read-only"
	}
	fmt.Fprintf(w, "Usage: partnerstack-mcp call %s [ARGUMENT FLAGS] [--args JSON] [--json|--text] [server flags]\n", set.Tool)
	fmt.Fprintf(w, "%s: %s\n(toolset %s; %s)\n\n", t.Def.Title, t.Def.Description, t.Toolset, access)
	fmt.Fprintln(w, "Arguments (--kebab-case or --snake_case; a flag wins over the same argument in --args;")
	fmt.Fprintln(w, "a boolean alone is true, --name=false is false; a list takes the flag repeated or a,b):")
	if err := set.WriteHelp(w); err != nil {
		return err
	}
	var notes []string
	for _, a := range set.Args {
		switch a.Name {
		case "dry_run":
			notes = append(notes, "--dry-run sends nothing: the answer is the exact request the call would send.")
		case "cursor":
			notes = append(notes, "--limit is the total wanted (pages are fetched for you); when has_more is true, call again with --cursor NEXT_CURSOR.")
		}
	}
	for _, n := range notes {
		fmt.Fprintln(w, "\n"+n)
	}
	fmt.Fprintln(w, "\nOutput: the text form on a terminal, JSON (structuredContent) when piped; --json or --text to choose.")
	fmt.Fprintln(w, "Server flags (--sandbox, --read-only, --base-url, ...): partnerstack-mcp help call")
	fmt.Fprintln(w, "Exit codes: 0 done; 1 the tool answered with an error (on stderr); 2 the command line is wrong.")
	return nil
}
