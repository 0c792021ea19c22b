package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// seedCommands are the seed CLI's commands and list flags, as issue 18
// lists them: the README's parity table maps every one.
var seedCommands = []string{
	"partnerships list", "partnerships get", "partnerships create", "partnerships update",
	"customers list", "customers get", "customers create", "customers update", "customers delete",
	"transactions list", "transactions create", "transactions delete",
	"deals list", "deals get", "deals create", "deals update", "deals archive",
	"actions list", "actions create", "rewards list", "rewards create",
	"leads list", "leads get", "leads create", "leads update", "groups list",
	"webhooks list", "webhooks get", "webhooks create", "webhooks delete",
	"--limit", "--after", "--before", "--order-by", "--dry-run",
}

// parityWant is what each row's line must print (JSON, as when piped), by
// the row's seed command; a row without one, or one without a row, fails.
var parityWant = map[string][]string{
	"partnerships list":   {`"count":10`, `"kenjiwalsh"`},
	"partnerships get":    {`"partner_key":"rubybrennan"`, `"email":"ruby.brennan@quantummedia.dev"`},
	"partnerships create": {`"email":"ada@example.com"`, `"grup_S3SmzEeBrNOPSI"`, `"emea"`},
	"partnerships update": {`"tags":["podcast","emea"]`},
	"customers list":      {`"mayabrennan"`, `"northwindworks.dev"`},
	"customers get":       {`"email":"billing@northwindworks.dev"`},
	"customers create":    {`"customer_key":"ada@example.com"`, `"partner_key":"rubybrennan"`},
	"customers update":    {`"name":"Northwind Works Ltd"`},
	"customers delete":    {`"Customer deleted."`},
	"transactions list":   {`"tran_d8ZybX3ZWAcukY"`},
	"transactions create": {`"amount_cents":9900`, `"inv-1001"`},
	"transactions delete": {`"tran_d8ZybX3ZWAcukY"`},
	"deals list":          {`"count":5`},
	"deals get":           {`"name":"Rapid Systems"`},
	"deals create":        {`"name":"Acme Corp"`, `"amount_cents":500000`},
	"deals update":        {`"amount_cents":4200000`},
	"deals archive":       {`"deal_bYDnHcmUCxycLZ"`},
	"actions list":        {`"count":5`},
	"actions create":      {`"signup"`},
	"rewards list":        {`"count":5`},
	"rewards create":      {`"amount_cents":5000`, `"Launch bonus"`},
	"leads list":          {`"count":5`},
	"leads get":           {`"name":"Mason Larsen"`},
	"leads create":        {`"name":"Grace Hopper"`, `"partner_key":"priyaclarke"`},
	"leads update":        {`"status":"closed lost"`},
	"groups list":         {`"Resellers"`},
	"webhooks list":       {`"whk_YPm1POeVJrZcd2"`},
	"webhooks get":        {`"key":"whk_YPm1POeVJrZcd2"`, `"partnership.created"`},
	"webhooks create":     {`"https://hooks.example.com/partnerstack"`},
	"webhooks delete":     {`"whk_YPm1POeVJrZcd2"`},
	"--limit":             {`"count":2`},
	"--after":             {`"Resellers"`},
	"--before":            {`"has_more"`},
	"--order-by":          {`"count":25`},
	"--dry-run":           {`"method":"DELETE"`, "nothing was sent"},
}

type parityRow struct{ seed, command string }

// parityRows reads the README's table: seed command, call line, note.
func parityRows(t *testing.T) []parityRow {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "### From the seed's CLI, command by command")
	if !ok {
		t.Fatal("README.md has no seed parity section")
	}
	var rows []parityRow
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, "## ") {
			break
		}
		cells := strings.Split(line, "|")
		if len(cells) != 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		rows = append(rows, parityRow{strings.Trim(strings.TrimSpace(cells[1]), "`"), strings.Trim(strings.TrimSpace(cells[2]), "`")})
	}
	return rows
}

// seedOf is the seed command a row's first cell starts with.
func seedOf(cell string) string {
	for _, c := range seedCommands {
		if cell == c || strings.HasPrefix(cell, c+" ") {
			return c
		}
	}
	return ""
}

// shellWords splits a line as sh does for plain words, '...' and "...".
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case strings.ContainsRune(`\$*?;&|<>()`+"`", r):
			t.Fatalf("the parity line %q uses shell syntax this test does not run: %q", line, r)
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		t.Fatalf("unclosed quote in %q", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// TestSeedParityTable runs every line of the README's parity table against
// the sandbox, under both sandbox profiles, and checks its exit code and
// output; a few lines also run through the real binary, output piped.
func TestSeedParityTable(t *testing.T) {
	noKeys(t)
	rows := parityRows(t)
	covered := map[string]bool{}
	for _, r := range rows {
		seed := seedOf(r.seed)
		if seed == "" {
			t.Errorf("row %q: no seed command of the issue's list", r.seed)
			continue
		}
		covered[seed] = true
		want, ok := parityWant[seed]
		if !ok {
			t.Errorf("row %q: the test has no expectation for it", r.seed)
			continue
		}
		words := shellWords(t, r.command)
		if len(words) < 4 || words[0] != "partnerstack-mcp" || words[1] != "--sandbox" || words[2] != "call" {
			t.Errorf("row %q: %q is no `partnerstack-mcp --sandbox call ...` line", r.seed, r.command)
			continue
		}
		for _, profile := range []string{"default", "strict"} {
			t.Run(seed+"/"+profile, func(t *testing.T) {
				code, out, errOut := runCLI(t, append(words[1:], "--sandbox-profile", profile)...)
				if code != 0 || errOut != "" {
					t.Fatalf("%s: exit %d, stderr %q", r.command, code, errOut)
				}
				for _, w := range want {
					if !strings.Contains(out, w) {
						t.Errorf("%s: output lacks %s:\n%s", r.command, w, out)
					}
				}
			})
		}
	}
	for _, c := range seedCommands {
		if !covered[c] {
			t.Errorf("the README's parity table has no row for %q", c)
		}
	}
	t.Run("through the real binary", func(t *testing.T) {
		bin := binary(t)
		for _, r := range rows {
			switch seed := seedOf(r.seed); seed {
			case "customers create", "transactions create", "webhooks get", "--dry-run", "partnerships list":
				cmd := exec.Command(bin, shellWords(t, r.command)[1:]...)
				cmd.Env = append(os.Environ(), "PARTNERSTACK_PUBLIC_KEY=", "PARTNERSTACK_SECRET_KEY=", "PARTNERSTACK_BASE_URL=")
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil || stderr.Len() > 0 {
					t.Errorf("%s: %v, stderr %q", r.command, err, stderr.String())
				}
				for _, w := range parityWant[seed] {
					if !strings.Contains(stdout.String(), w) {
						t.Errorf("%s: output lacks %s:\n%s", r.command, w, stdout.String())
					}
				}
			}
		}
	})
}
