package tools

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Upstream text is untrusted: a partner name or a PartnerStack error message
// can carry control characters, zero-width characters or bidi overrides that
// hide or reorder what the model (and a human reading the transcript) sees.
// Every string a tool returns passes through here exactly once, at the two
// exits of newTool: structuredResult and errorResult.
//
// Arguments carrying such characters are refused instead (refuseInvisible,
// at decodeArgs): cleaning them would silently change what the caller asked
// for, and sending them would make a dry run's preview, which is cleaned on
// the way out, differ from the request actually sent.

// invisible reports runes that are stripped: C0 controls except \n and \t,
// DEL, C1 controls, zero-width and other invisible formatting characters,
// bidi embeddings, overrides, isolates and marks, the BOM, interlinear
// annotation controls and the Unicode tag block (used to smuggle hidden text).
func invisible(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	case r == 0x00ad, r == 0x061c, r == 0x180e, r == 0xfeff:
		return true
	case r >= 0x200b && r <= 0x200f: // zero-width space/non-joiner/joiner, LRM, RLM
		return true
	case r >= 0x202a && r <= 0x202e: // bidi embeddings and overrides
		return true
	case r >= 0x2060 && r <= 0x206f: // word joiner, invisible operators, bidi isolates, deprecated formats
		return true
	case r >= 0xfff9 && r <= 0xfffb:
		return true
	case r >= 0xe0000 && r <= 0xe007f:
		return true
	}
	return false
}

// refuseInvisible reports the first argument (a dotted path into the
// decoded JSON document doc) whose name or text holds an invisible rune.
func refuseInvisible(doc any, path string) error {
	const fix = "remove it: control (other than line breaks and tabs), zero-width and bidi characters are not accepted, so what a dry run shows is exactly what is sent"
	at := func(name string) string {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	switch v := doc.(type) {
	case string:
		if i := strings.IndexFunc(v, invisible); i >= 0 {
			r, _ := utf8.DecodeRuneInString(v[i:])
			return argErr(path, fmt.Sprintf("contains the invisible character %U at byte %d", r, i), fix)
		}
	case map[string]any:
		for _, name := range slices.Sorted(maps.Keys(v)) {
			if i := strings.IndexFunc(name, invisible); i >= 0 {
				r, _ := utf8.DecodeRuneInString(name[i:])
				return argErr(path, fmt.Sprintf("has a name holding the invisible character %U", r), fix)
			}
			if err := refuseInvisible(v[name], at(name)); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range v {
			if err := refuseInvisible(e, at(strconv.Itoa(i))); err != nil {
				return err
			}
		}
	}
	return nil
}

// cleanText removes invisible runes from plain text.
func cleanText(s string) string {
	if strings.IndexFunc(s, invisible) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)
}

// cleanJSON removes invisible characters from every string (keys and values)
// of a JSON document produced by encoding/json, whether they appear raw or as
// \u escapes. It works on the text, so the document's structure and number
// formatting are untouched; documents without anything to strip are returned
// as they are.
func cleanJSON(doc []byte) []byte {
	if !needsCleaning(doc) {
		return doc
	}
	out := make([]byte, 0, len(doc))
	inString := false
	for i := 0; i < len(doc); {
		c := doc[i]
		if !inString {
			out = append(out, c)
			inString = c == '"'
			i++
			continue
		}
		switch {
		case c == '"':
			out = append(out, c)
			inString = false
			i++
		case c == '\\' && i+1 < len(doc):
			n := escapeLen(doc[i:])
			if r, ok := escapedRune(doc[i : i+n]); !ok || !invisible(r) {
				out = append(out, doc[i:i+n]...)
			}
			i += n
		case c < utf8.RuneSelf:
			if !invisible(rune(c)) {
				out = append(out, c)
			}
			i++
		default:
			r, size := utf8.DecodeRune(doc[i:])
			if !invisible(r) {
				out = append(out, doc[i:i+size]...)
			}
			i += size
		}
	}
	return out
}

// needsCleaning is the fast path: true when doc may hold something to strip.
func needsCleaning(doc []byte) bool {
	for i := 0; i < len(doc); {
		c := doc[i]
		switch {
		case c == '\\' && i+1 < len(doc):
			n := escapeLen(doc[i:])
			if r, ok := escapedRune(doc[i : i+n]); ok && invisible(r) {
				return true
			}
			i += n
		case c < utf8.RuneSelf:
			if invisible(rune(c)) {
				return true
			}
			i++
		default:
			r, size := utf8.DecodeRune(doc[i:])
			if invisible(r) {
				return true
			}
			i += size
		}
	}
	return false
}

// escapeLen is the length of the JSON escape at the start of s (which begins
// with a backslash): 6 for \uXXXX, else 2.
func escapeLen(s []byte) int {
	if len(s) >= 6 && s[1] == 'u' {
		return 6
	}
	if len(s) >= 2 {
		return 2
	}
	return 1
}

// escapedRune decodes one JSON escape. A lone surrogate half decodes to
// itself; it is not invisible, so it is kept as encoding/json wrote it.
func escapedRune(e []byte) (rune, bool) {
	if len(e) == 2 {
		switch e[1] {
		case 'b':
			return '\b', true
		case 'f':
			return '\f', true
		case 'r':
			return '\r', true
		case 'n':
			return '\n', true
		case 't':
			return '\t', true
		}
		return rune(e[1]), true
	}
	if len(e) != 6 || e[1] != 'u' {
		return 0, false
	}
	var r rune
	for _, h := range e[2:] {
		switch {
		case h >= '0' && h <= '9':
			r = r<<4 | rune(h-'0')
		case h >= 'a' && h <= 'f':
			r = r<<4 | rune(h-'a'+10)
		case h >= 'A' && h <= 'F':
			r = r<<4 | rune(h-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
