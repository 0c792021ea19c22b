package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	partnerstackmcp "github.com/partnerstack-mcp/partnerstack-mcp"
	"github.com/partnerstack-mcp/partnerstack-mcp/client"
)

// writeHelp prints the help of one command, or of all with cmd nil. It is
// generated from the flag definitions, so it cannot drift from the parser.
func writeHelp(w io.Writer, cmd *command) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if cmd == nil {
		fmt.Fprintf(tw, "%s %s: an MCP server for the PartnerStack Vendor API v2.\n\n", partnerstackmcp.Name, partnerstackmcp.Version)
		fmt.Fprintf(tw, "Usage: partnerstack-mcp [COMMAND] [ARGUMENTS] [FLAGS]   (flags may come before or after the command)\n\nCommands:\n")
		for _, c := range commands {
			fmt.Fprintf(tw, "  %s %s\t%s\n", c.name, c.usage, c.summary)
		}
		fmt.Fprintln(tw, "\nFlags of serve, tools and call; each has an environment variable, and a flag on the command line wins:")
		writeFlags(tw, serverFlags(), true)
		fmt.Fprintln(tw, "\nFlags of one command:")
		for _, c := range commands {
			if fs := ownFlags(c); fs != nil {
				fs.VisitAll(func(f *flag.Flag) { writeFlag(tw, c.name+" ", f, false) })
			}
		}
	} else {
		fmt.Fprintf(tw, "Usage: partnerstack-mcp %s %s\n%s.\n", cmd.name, cmd.usage, upperFirst(cmd.summary))
		if fs := ownFlags(cmd); fs != nil {
			fmt.Fprintln(tw, "\nFlags:")
			writeFlags(tw, fs, false)
		}
		if cmd.server {
			fmt.Fprintln(tw, "\nServer flags; each has an environment variable, and a flag on the command line wins:")
			writeFlags(tw, serverFlags(), true)
		}
	}
	if cmd == nil || cmd.server {
		fmt.Fprintf(tw, "\nEnvironment only:\n  %s, %s\tthe API key pair (PartnerStack: Settings > Integrations > PartnerStack API Keys); without them, try --sandbox\n",
			client.EnvPublicKey, client.EnvSecretKey)
	}
	if cmd == nil || cmd.name == "call" {
		fmt.Fprintln(tw, "\nExit codes: 0 done; 1 the tool answered with an error, or the server could not start; 2 the command line is wrong.")
	}
	return tw.Flush()
}

func serverFlags() *flag.FlagSet {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	(&options{}).register(fs)
	return fs
}

// ownFlags is a command's own flags, without the server's; nil if none.
func ownFlags(cmd *command) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	cmd.flags(fs)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return nil
	}
	return fs
}

func writeFlags(w io.Writer, fs *flag.FlagSet, env bool) {
	fs.VisitAll(func(f *flag.Flag) { writeFlag(w, "", f, env) })
}

func writeFlag(w io.Writer, prefix string, f *flag.Flag, env bool) {
	placeholder, usage := flag.UnquoteUsage(f)
	name := "--" + f.Name
	if placeholder != "" {
		name += " " + strings.ToUpper(placeholder)
	}
	if def := shortDefault(f.DefValue); def != "" {
		usage += " [default " + def + "]"
	}
	if env {
		name += "\t" + envName(f.Name)
	}
	// Multi-line usages (the fault syntax) keep their lines under the text column.
	usage = strings.ReplaceAll(usage, "\n", "\n\t")
	if env {
		usage = strings.ReplaceAll(usage, "\n\t", "\n\t\t")
	}
	fmt.Fprintf(w, "  %s%s\t%s\n", prefix, name, usage)
}

// shortDefault drops zero defaults and writes durations as people do (1m, not 1m0s).
func shortDefault(def string) string {
	switch def {
	case "", "false", "0", "0s":
		return ""
	}
	if strings.HasSuffix(def, "m0s") {
		def = strings.TrimSuffix(def, "0s")
	}
	if strings.HasSuffix(def, "h0m") {
		def = strings.TrimSuffix(def, "0m")
	}
	return def
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
