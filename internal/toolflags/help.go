package toolflags

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteHelp prints the tool's arguments, one line each: the flag, its
// type (how to write it), required or not, the description, the allowed
// values and the default. It is generated from the schema, like the flags.
func (s *Set) WriteHelp(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if len(s.Args) == 0 {
		fmt.Fprintln(tw, "  (no arguments)")
	}
	for _, a := range s.Args {
		req := "optional"
		if a.Required {
			req = "required"
		}
		line := fmt.Sprintf("  %s\t%s\t%s", a.Flag(), a.TypeText(), req)
		if d := a.Details(); d != "" {
			line += "\t" + d // none: no padding left at the end of the line
		}
		fmt.Fprintln(tw, line)
	}
	return tw.Flush()
}

// TypeText says what a value looks like on the command line.
func (a *Arg) TypeText() string {
	switch a.Type {
	case "array":
		if a.Pair != ([2]string{}) {
			return fmt.Sprintf("%s=%s... (repeat)", strings.ToUpper(a.Pair[0]), strings.ToUpper(a.Pair[1]))
		}
		return "list of " + orAny(a.Items) + " (repeat or a,b)"
	case "object":
		return "KEY=VALUE... (repeat)"
	}
	return orAny(a.Type)
}

func orAny(t string) string {
	if t == "" {
		return "JSON value"
	}
	return t
}

// Details is the description, the allowed values, the bounds, the format
// and the default.
func (a *Arg) Details() string {
	parts := []string{}
	if a.Description != "" {
		parts = append(parts, a.Description)
	}
	if len(a.Enum) > 0 {
		parts = append(parts, "One of: "+strings.Join(a.Enum, ", ")+".")
	}
	switch {
	case a.Min != "" && a.Max != "":
		parts = append(parts, "From "+a.Min+" to "+a.Max+".")
	case a.Min != "":
		parts = append(parts, "At least "+a.Min+".")
	case a.Max != "":
		parts = append(parts, "At most "+a.Max+".")
	}
	if a.Format != "" {
		parts = append(parts, "Format: "+a.Format+".")
	}
	if a.Default != "" {
		parts = append(parts, "Default: "+a.Default+".")
	}
	return strings.Join(parts, " ")
}
