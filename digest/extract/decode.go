package extract

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"
)

// metaCharsetRe finds a charset declared anywhere in the head, also past the
// first 1024 bytes that the HTML prescan looks at.
var metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_.:-]+)`)

// toUTF8 decodes a page to UTF-8. The order follows the HTML standard: a BOM,
// then the HTTP Content-Type charset, then a <meta> declaration, then
// sniffing (valid UTF-8 stays UTF-8; anything else is read as windows-1252).
func toUTF8(body []byte, contentType string) string {
	if enc, name, certain := charset.DetermineEncoding(body, contentType); certain {
		return decodeWith(enc, name, body)
	}
	head := body
	if len(head) > 16<<10 {
		head = head[:16<<10]
	}
	if m := metaCharsetRe.FindSubmatch(head); m != nil {
		if enc, err := htmlindex.Get(string(m[1])); err == nil {
			name, _ := htmlindex.Name(enc)
			return decodeWith(enc, name, body)
		}
	}
	if utf8.Valid(body) {
		return string(body)
	}
	enc, name, _ := charset.DetermineEncoding(body, "")
	return decodeWith(enc, name, body)
}

func decodeWith(enc encoding.Encoding, name string, body []byte) string {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if enc == nil || name == "utf-8" {
		return strings.ToValidUTF8(string(body), "\uFFFD")
	}
	// A page that declares a single-byte charset but is valid UTF-8 with
	// multi-byte sequences was almost surely re-encoded by whoever saved it.
	if (name == "windows-1252" || name == "iso-8859-1") && utf8.Valid(body) && hasMultibyte(body) {
		return string(body)
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), body)
	if err != nil {
		return strings.ToValidUTF8(string(body), "\uFFFD")
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

func hasMultibyte(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// isBinary reports whether data looks like a binary file rather than text:
// NUL bytes or many control characters in its first few kilobytes.
func isBinary[T []byte | string](b T) bool {
	if len(b) > 4096 {
		b = b[:4096]
	}
	// UTF-16 is decoded before this check (isUTF16); other NULs are binary.
	ctrl := 0
	for i := range len(b) {
		c := b[i]
		if c == 0 {
			return true
		}
		if c < 0x09 || (c > 0x0d && c < 0x20) {
			ctrl++
		}
	}
	return len(b) > 0 && ctrl*20 > len(b)
}

// htmlTagRe finds tags that only HTML has, to tell a page from a text dump.
var htmlTagRe = regexp.MustCompile(`(?i)<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s|title>|div[\s>]|p[\s>]|br\s*/?>|a\s+href|span[\s>]|article[\s>]|script[\s>])`)

// looksLikeHTML tells an HTML page from a plain-text dump of one.
func looksLikeHTML(s string) bool {
	head := s
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	return len(htmlTagRe.FindAllStringIndex(head, 3)) >= 2 ||
		strings.HasPrefix(strings.TrimSpace(strings.ToLower(head)), "<!doctype html")
}

// decodeText decodes a page to UTF-8 text; ok is false for binary data.
// UTF-16 text is full of NUL bytes, so it is judged once decoded.
func decodeText(body []byte, contentType string) (text string, ok bool) {
	if isUTF16(body, contentType) {
		text = toUTF8(body, contentType)
		return text, !isBinary(text)
	}
	if isBinary(body) {
		return "", false
	}
	return toUTF8(body, contentType), true
}

// isUTF16 reports whether a page is UTF-16 by what the HTML standard
// lets decide it: a byte order mark, or the HTTP Content-Type charset.
func isUTF16(body []byte, contentType string) bool {
	if bytes.HasPrefix(body, []byte{0xff, 0xfe}) || bytes.HasPrefix(body, []byte{0xfe, 0xff}) {
		return true
	}
	if contentType == "" {
		return false
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return strings.HasPrefix(strings.ToLower(params["charset"]), "utf-16")
}
