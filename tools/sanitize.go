package tools

import (
	"strings"
	"unicode/utf8"
)

// Upstream text is untrusted: a partner name or a PartnerStack error message
// can carry control characters, zero-width characters or bidi overrides that
// hide or reorder what the model (and a human reading the transcript) sees.
// Every string a tool returns passes through here exactly once, at the two
// exits of newTool: structuredResult and errorResult.

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
