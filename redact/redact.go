// Package redact removes credentials from URLs and from texts that may hold
// URLs (error messages, log lines): the password of a URL's userinfo (all of
// the userinfo of an http or https URL, where a lone user name is often a
// token), secret-looking query values (key, token, apikey, api_key,
// access_token, secret, password, auth, sig, signature, …), key=value pairs
// of such names in plain text (a PostgreSQL keyword DSN), and Telegram bot
// tokens in API paths. What it removes becomes "REDACTED", so a reader still
// sees that something was there.
package redact

import (
	"log/slog"
	"net/url"
	"regexp"
	"strings"
)

// Mark replaces what was removed.
const Mark = "REDACTED"

// secretNames are query keys (lower case, without '-', '_' and '.') whose
// values are credentials.
var secretNames = map[string]bool{
	"key": true, "apikey": true, "token": true, "auth": true, "secret": true,
	"password": true, "passwd": true, "pwd": true, "pass": true, "sig": true,
	"signature": true, "credential": true, "credentials": true, "session": true,
	"sessionid": true, "jwt": true, "accesskey": true,
	"privatekey": true,
}

// secretSuffixes catch compound names: access_token, client_secret,
// X-Amz-Signature, db_password, x-api-key, AWSAccessKeyId, …
var secretSuffixes = []string{"token", "secret", "password", "passwd", "signature",
	"apikey", "accesskey", "accesskeyid", "privatekey", "credential", "credentials", "sessionid"}

// IsSecretName reports whether a query key or setting name names a
// credential.
func IsSecretName(name string) bool {
	n := strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', '.', ' ':
			return -1
		}
		return r
	}, strings.ToLower(name))
	if n == "" {
		return false
	}
	if secretNames[n] {
		return true
	}
	if strings.HasPrefix(n, "auth") {
		return true // auth, authorization, auth_token, authkey
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// URL returns raw with its credentials replaced by Mark. A string that does
// not parse as a URL is redacted as text.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return textPairs(userinfo.ReplaceAllString(raw, "${1}"+Mark+"@"))
	}
	changed := false
	if u.User != nil {
		_, hasPass := u.User.Password()
		switch {
		case hasPass:
			u.User = url.UserPassword(u.User.Username(), Mark)
		case u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "ws" || u.Scheme == "wss":
			u.User = url.User(Mark)
		}
		changed = true
	}
	if u.RawQuery != "" {
		if q, ok := redactQuery(u.RawQuery); ok {
			u.RawQuery = q
			changed = true
		}
	}
	if tokenPath.MatchString(u.Path) {
		u.Path = tokenPath.ReplaceAllString(u.Path, "/bot"+Mark)
		u.RawPath = ""
		changed = true
	}
	if !changed {
		return raw
	}
	return u.String()
}

// redactQuery replaces the values of secret keys in a raw query, keeping
// the order and the encoding of the other pairs.
func redactQuery(raw string) (string, bool) {
	parts := strings.Split(raw, "&")
	changed := false
	for i, p := range parts {
		k, v, hasValue := strings.Cut(p, "=")
		if !hasValue || v == "" {
			continue
		}
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if IsSecretName(name) {
			parts[i] = k + "=" + Mark
			changed = true
		}
	}
	return strings.Join(parts, "&"), changed
}

// urlInText finds URLs in free text: a scheme, "://", and everything up to
// a space, a quote or an angle bracket.
var urlInText = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.\-]*://[^\s"'<>\x60]+`)

// pairInText finds name=value pairs (a query outside a URL, a keyword DSN,
// a header dump); the value runs to a space, '&', ';', ',' or a quote.
var pairInText = regexp.MustCompile(`([A-Za-z][A-Za-z0-9_.\-]*)=("[^"]*"|'[^']*'|[^\s&;,"']+)`)

// userinfo finds the userinfo of a URL that did not parse.
var userinfo = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.\-]*://)[^/?#@\s]+@`)

// tokenPath finds a Telegram bot token in a Bot API path (/bot123:abc/).
var tokenPath = regexp.MustCompile(`/bot[0-9]{3,}:[A-Za-z0-9_\-]{20,}`)

// Text redacts every URL in s and every secret-looking name=value pair.
func Text(s string) string {
	if !strings.Contains(s, "://") && !strings.Contains(s, "=") && !strings.Contains(s, "/bot") {
		return s
	}
	s = urlInText.ReplaceAllStringFunc(s, func(m string) string {
		// Punctuation that ends a sentence or an error's prefix is not the URL's.
		u := strings.TrimRight(m, ".,:;!?)]}")
		return URL(u) + m[len(u):]
	})
	s = textPairs(s)
	return tokenPath.ReplaceAllString(s, "/bot"+Mark)
}

// textPairs redacts name=value pairs whose name is secret.
func textPairs(s string) string {
	if !strings.Contains(s, "=") {
		return s
	}
	return pairInText.ReplaceAllStringFunc(s, func(m string) string {
		k, v, _ := strings.Cut(m, "=")
		tail := ""
		if v[0] != '"' && v[0] != '\'' {
			t := strings.TrimRight(v, ".:!?)]}")
			v, tail = t, v[len(t):]
		}
		if !IsSecretName(k) || v == Mark || v == "" {
			return m
		}
		return k + "=" + Mark + tail
	})
}

// Error returns err with its text redacted; errors.Is and errors.As still
// see the original chain. nil stays nil.
func Error(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := Text(msg)
	if clean == msg {
		return err
	}
	return &redacted{msg: clean, err: err}
}

type redacted struct {
	msg string
	err error
}

func (e *redacted) Error() string { return e.msg }
func (e *redacted) Unwrap() error { return e.err }

// Attr is a slog.HandlerOptions.ReplaceAttr that redacts every string,
// error and Stringer value of a record, and its message.
func Attr(_ []string, a slog.Attr) slog.Attr {
	var s string
	switch a.Value.Kind() {
	case slog.KindString:
		s = a.Value.String()
	case slog.KindAny:
		switch v := a.Value.Any().(type) {
		case error:
			s = v.Error()
		case interface{ String() string }:
			s = v.String()
		default:
			return a
		}
	default:
		return a
	}
	if clean := Text(s); clean != s {
		a.Value = slog.StringValue(clean)
	}
	return a
}
