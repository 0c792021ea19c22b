// Package prompts holds the server's MCP prompts: short templates for a
// partner manager's recurring workflows (hosts such as Claude Code show them
// as slash commands). Each names the tools to call, in order, and what to
// confirm with the user before any write. It knows nothing of PartnerStack's
// wire format; the tool names it cites are checked against the catalogue in
// its tests.
package prompts

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Prompt is one registered prompt: its MCP definition and its handler.
type Prompt struct {
	Def     mcp.Prompt
	Handler server.PromptHandlerFunc
}

// arg is one template argument.
type arg struct {
	name, description string
	required          bool
	check             func(string) error // nil: any text
}

// template is a prompt's data; {name} in text is replaced by the argument,
// and optional blocks [[...{name}...]] are dropped when name is not given.
type template struct {
	name, title, description string
	args                     []arg
	text                     string
	// derive, when set, adds values computed from the given ones (a
	// month's first and last day).
	derive func(vals map[string]string)
}

var optionalBlock = regexp.MustCompile(`\[\[([^\]]*)\]\]`)

// render fills t with the given arguments; a missing required one or a
// value its check refuses is an error naming the argument and the fix.
func (t template) render(given map[string]string) (string, error) {
	vals := map[string]string{}
	for _, a := range t.args {
		v := strings.TrimSpace(given[a.name])
		if v == "" {
			if a.required {
				return "", fmt.Errorf("prompt %s: argument %q is required: %s", t.name, a.name, a.description)
			}
			continue
		}
		if a.check != nil {
			if err := a.check(v); err != nil {
				return "", fmt.Errorf("prompt %s: argument %q: %v", t.name, a.name, err)
			}
		}
		vals[a.name] = v
	}
	for k := range given {
		if !t.known(k) {
			return "", fmt.Errorf("prompt %s: unknown argument %q; it takes: %s", t.name, k, t.argNames())
		}
	}
	if t.derive != nil {
		t.derive(vals)
	}
	out := optionalBlock.ReplaceAllStringFunc(t.text, func(block string) string {
		inner := block[2 : len(block)-2]
		for _, a := range t.args {
			if strings.Contains(inner, "{"+a.name+"}") && vals[a.name] == "" {
				return ""
			}
		}
		return inner
	})
	for k, v := range vals {
		out = strings.ReplaceAll(out, "{"+k+"}", v)
	}
	return out, nil
}

func (t template) known(name string) bool {
	for _, a := range t.args {
		if a.name == name {
			return true
		}
	}
	return false
}

func (t template) argNames() string {
	var names []string
	for _, a := range t.args {
		names = append(names, a.name)
	}
	return strings.Join(names, ", ")
}

func (t template) prompt() Prompt {
	opts := []mcp.PromptOption{mcp.WithPromptDescription(t.description)}
	for _, a := range t.args {
		aopts := []mcp.ArgumentOption{mcp.ArgumentDescription(a.description)}
		if a.required {
			aopts = append(aopts, mcp.RequiredArgument())
		}
		opts = append(opts, mcp.WithArgument(a.name, aopts...))
	}
	opts = append(opts, mcp.WithPromptTitle(t.title))
	def := mcp.NewPrompt(t.name, opts...)
	return Prompt{Def: def, Handler: func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		text, err := t.render(req.Params.Arguments)
		if err != nil {
			return nil, err
		}
		return mcp.NewGetPromptResult(t.description, []mcp.PromptMessage{
			mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(text)),
		}), nil
	}}
}

// checkMonth accepts YYYY-MM.
func checkMonth(v string) error {
	if _, err := time.Parse("2006-01", v); err != nil {
		return fmt.Errorf("%q is not a month; send YYYY-MM, e.g. 2026-10", v)
	}
	return nil
}

// monthRange is the first and last day of a YYYY-MM month, for the text.
func monthRange(v string) (string, string) {
	m, _ := time.Parse("2006-01", v)
	return m.Format("2006-01-02"), m.AddDate(0, 1, -1).Format("2006-01-02")
}

// Register adds every prompt to s and declares the prompts capability.
func Register(s *server.MCPServer) {
	for _, p := range All() {
		s.AddPrompt(p.Def, p.Handler)
	}
}
