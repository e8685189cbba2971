package faketelegram

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Entity is one formatting entity found in a message's HTML.
type Entity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"` // UTF-16 code units
	Length int    `json:"length"`
	URL    string `json:"url,omitempty"`
}

// entityOf maps an allowed tag to its entity type.
var entityOf = map[string]string{
	"b": "bold", "strong": "bold",
	"i": "italic", "em": "italic",
	"u": "underline", "ins": "underline",
	"s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
	"span": "spoiler", "tg-spoiler": "spoiler",
	"a":          "text_link",
	"tg-emoji":   "custom_emoji",
	"code":       "code",
	"pre":        "pre",
	"blockquote": "blockquote",
}

// ParseError is what Telegram answers to HTML it cannot parse.
type ParseError struct {
	Offset int // byte offset in the input
	Reason string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("Bad Request: can't parse entities: %s at byte offset %d", e.Reason, e.Offset)
}

// ParseHTML parses text in Telegram's HTML parse mode the way Telegram
// does: only the allowed tags, properly nested; only the named entities
// &lt; &gt; &amp; &quot; and numeric ones; a bare '<' or '&' is an error.
// It returns the visible text and its entities.
func ParseHTML(s string) (string, []Entity, error) {
	if !utf8.ValidString(s) {
		return "", nil, &ParseError{Offset: firstInvalid(s), Reason: "text must be encoded in UTF-8"}
	}
	type open struct {
		tag    string
		offset int // UTF-16 offset where the entity starts
		url    string
	}
	var (
		out      strings.Builder
		units    int
		stack    []open
		entities []Entity
	)
	emit := func(t string) {
		out.WriteString(t)
		units += utf16Len(t)
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '&':
			r, n, err := parseEntity(s, i)
			if err != nil {
				return "", nil, err
			}
			emit(r)
			i += n
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return "", nil, &ParseError{Offset: i, Reason: "Unclosed start tag"}
			}
			raw := s[i+1 : i+end]
			if strings.HasPrefix(raw, "/") {
				name := strings.ToLower(strings.TrimSpace(raw[1:]))
				if len(stack) == 0 {
					return "", nil, &ParseError{Offset: i, Reason: fmt.Sprintf("Unexpected end tag \"%s\"", name)}
				}
				top := stack[len(stack)-1]
				if top.tag != name {
					return "", nil, &ParseError{Offset: i, Reason: fmt.Sprintf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top.tag, name)}
				}
				stack = stack[:len(stack)-1]
				entities = append(entities, Entity{Type: entityOf[top.tag], Offset: top.offset, Length: units - top.offset, URL: top.url})
			} else {
				name, attrs, err := parseTag(raw, i)
				if err != nil {
					return "", nil, err
				}
				if _, ok := entityOf[name]; !ok {
					return "", nil, &ParseError{Offset: i, Reason: fmt.Sprintf("Unsupported start tag \"%s\"", name)}
				}
				o := open{tag: name, offset: units}
				switch name {
				case "a":
					href, ok := attrs["href"]
					if !ok {
						return "", nil, &ParseError{Offset: i, Reason: "Tag \"a\" must have attribute \"href\""}
					}
					o.url = href
				case "span":
					if attrs["class"] != "tg-spoiler" {
						return "", nil, &ParseError{Offset: i, Reason: "Tag \"span\" must have class \"tg-spoiler\""}
					}
				case "tg-emoji":
					if _, ok := attrs["emoji-id"]; !ok {
						return "", nil, &ParseError{Offset: i, Reason: "Tag \"tg-emoji\" must have attribute \"emoji-id\""}
					}
				}
				stack = append(stack, o)
			}
			i += end + 1
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			out.WriteRune(r)
			units += utf16Width(r)
			i += n
		}
	}
	if len(stack) > 0 {
		return "", nil, &ParseError{Offset: len(s), Reason: fmt.Sprintf("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].tag)}
	}
	return out.String(), entities, nil
}

// parseEntity decodes the character reference at s[i] ('&').
func parseEntity(s string, i int) (string, int, error) {
	semi := strings.IndexByte(s[i:], ';')
	if semi < 0 || semi > 12 {
		return "", 0, &ParseError{Offset: i, Reason: "Character '&' is reserved and must be escaped as &amp;"}
	}
	name := s[i+1 : i+semi]
	switch name {
	case "lt":
		return "<", semi + 1, nil
	case "gt":
		return ">", semi + 1, nil
	case "amp":
		return "&", semi + 1, nil
	case "quot":
		return "\"", semi + 1, nil
	}
	if strings.HasPrefix(name, "#") {
		num, base := name[1:], 10
		if strings.HasPrefix(num, "x") || strings.HasPrefix(num, "X") {
			num, base = num[1:], 16
		}
		v, err := strconv.ParseUint(num, base, 32)
		if err == nil && num != "" && v <= utf8.MaxRune && !(v >= 0xD800 && v <= 0xDFFF) && v != 0 {
			return string(rune(v)), semi + 1, nil
		}
		return "", 0, &ParseError{Offset: i, Reason: "Invalid numeric character reference"}
	}
	return "", 0, &ParseError{Offset: i, Reason: fmt.Sprintf("Unsupported HTML entity \"&%s;\"", name)}
}

// parseTag splits "a href=\"x\"" into its lower-case name and attributes,
// with entities in attribute values decoded.
func parseTag(raw string, at int) (string, map[string]string, error) {
	raw = strings.TrimSuffix(raw, "/")
	j := 0
	for j < len(raw) && !isSpace(raw[j]) {
		j++
	}
	name := strings.ToLower(raw[:j])
	if name == "" {
		return "", nil, &ParseError{Offset: at, Reason: "Empty tag name"}
	}
	attrs := map[string]string{}
	rest := raw[j:]
	for {
		rest = strings.TrimLeft(rest, " \t\r\n")
		if rest == "" {
			return name, attrs, nil
		}
		k := 0
		for k < len(rest) && rest[k] != '=' && !isSpace(rest[k]) {
			k++
		}
		key := strings.ToLower(rest[:k])
		rest = strings.TrimLeft(rest[k:], " \t\r\n")
		if !strings.HasPrefix(rest, "=") {
			attrs[key] = ""
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \t\r\n")
		var val string
		if rest != "" && (rest[0] == '"' || rest[0] == '\'') {
			q := rest[0]
			end := strings.IndexByte(rest[1:], q)
			if end < 0 {
				return "", nil, &ParseError{Offset: at, Reason: "Unclosed attribute value"}
			}
			val, rest = rest[1:1+end], rest[2+end:]
		} else {
			e := 0
			for e < len(rest) && !isSpace(rest[e]) {
				e++
			}
			val, rest = rest[:e], rest[e:]
		}
		if strings.ContainsRune(val, '<') {
			return "", nil, &ParseError{Offset: at, Reason: "Character '<' in attribute value"}
		}
		dec, _, err := ParseHTML(val)
		if err != nil {
			return "", nil, &ParseError{Offset: at, Reason: "Bad attribute value: " + err.(*ParseError).Reason}
		}
		attrs[key] = dec
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func utf16Width(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// UTF16Len counts s in UTF-16 code units, as Telegram counts lengths.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16Width(r)
	}
	return n
}

func utf16Len(s string) int { return UTF16Len(s) }

func firstInvalid(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(s)
}
