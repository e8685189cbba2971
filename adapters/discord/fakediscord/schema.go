package fakediscord

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Spec holds the component schemas of Discord's OpenAPI document and checks
// JSON values against them. It implements the subset of JSON Schema the
// document uses for request bodies: type, properties, required,
// additionalProperties, min/maxLength, min/maxItems, uniqueItems,
// min/maxProperties, minimum/maximum, enum, const, oneOf, anyOf, allOf,
// $ref, pattern and the date-time and uri formats.
type Spec struct {
	schemas map[string]any
	paths   map[string]any

	mu       sync.Mutex
	patterns map[string]*regexp.Regexp
}

// SpecFile is the spec's path relative to a folder beside the checkout.
const SpecFile = "shared/specs/discord-openapi.json"

var specCache sync.Map // path -> *Spec

// FindSpec returns the path of shared/specs/discord-openapi.json beside
// the checkout (../shared), or "" when it is not there.
func FindSpec() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	// file is <root>/adapters/discord/fakediscord/schema.go.
	p := filepath.Join(filepath.Dir(file), "..", "..", "..", "..", SpecFile)
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// LoadSpec reads an OpenAPI document (cached per path).
func LoadSpec(path string) (*Spec, error) {
	if s, ok := specCache.Load(path); ok {
		return s.(*Spec), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fakediscord: read spec: %w", err)
	}
	s, err := parseSpec(b, path)
	if err != nil {
		return nil, err
	}
	specCache.Store(path, s)
	return s, nil
}

// trimmed is the part of Discord's OpenAPI document the fake checks
// against: the component schemas of the request bodies it serves and all
// they refer to, cut unchanged from shared/specs/discord-openapi.json (see
// TestTrimmedSpec), so that a checkout alone checks payloads.
//
//go:embed specs/discord-openapi.json
var trimmed []byte

var embedded = sync.OnceValues(func() (*Spec, error) { return parseSpec(trimmed, "specs/discord-openapi.json") })

// EmbeddedSpec is the trimmed OpenAPI document built into the fake: what
// New checks payloads against unless WithSpec names another.
func EmbeddedSpec() (*Spec, error) { return embedded() }

func parseSpec(b []byte, path string) (*Spec, error) {
	var doc struct {
		Paths      map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("fakediscord: decode spec %s: %w", path, err)
	}
	if len(doc.Components.Schemas) == 0 {
		return nil, fmt.Errorf("fakediscord: spec %s has no component schemas", path)
	}
	return &Spec{schemas: doc.Components.Schemas, paths: doc.Paths, patterns: map[string]*regexp.Regexp{}}, nil
}

// Has reports whether the spec defines a component schema.
func (s *Spec) Has(name string) bool { _, ok := s.schemas[name]; return ok }

// Check validates a JSON document against a named component schema and
// returns one line per problem ("embeds[0].title: ...").
func (s *Spec) Check(name string, body []byte) []string {
	sch, ok := s.schemas[name]
	if !ok {
		return []string{"no schema " + name}
	}
	return s.CheckSchema(sch, body)
}

// CheckSchema validates a JSON document against a schema value.
func (s *Spec) CheckSchema(schema any, body []byte) []string {
	v, err := decode(body)
	if err != nil {
		return []string{"body is not JSON: " + err.Error()}
	}
	var errs []string
	s.validate(schema, v, "$", &errs)
	return errs
}

// ArrayOf wraps a component schema as an array schema (bulk overwrite bodies).
func ArrayOf(name string, maxItems int) any {
	return map[string]any{"type": []any{"array", "null"}, "items": map[string]any{"$ref": "#/components/schemas/" + name}, "maxItems": json.Number(fmt.Sprint(maxItems))}
}

func decode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data after the JSON value")
	}
	return v, nil
}

func (s *Spec) resolve(ref string) (any, bool) {
	name, ok := strings.CutPrefix(ref, "#/components/schemas/")
	if !ok {
		return nil, false
	}
	sch, ok := s.schemas[name]
	return sch, ok
}

func (s *Spec) validate(schema any, v any, path string, errs *[]string) {
	sch, ok := schema.(map[string]any)
	if !ok {
		if b, isBool := schema.(bool); isBool && !b {
			*errs = append(*errs, path+": not allowed")
		}
		return
	}
	if ref, ok := sch["$ref"].(string); ok {
		target, found := s.resolve(ref)
		if !found {
			*errs = append(*errs, path+": unresolvable $ref "+ref)
			return
		}
		s.validate(target, v, path, errs)
	}
	if t, ok := sch["type"]; ok && !typeMatches(t, v) {
		*errs = append(*errs, fmt.Sprintf("%s: %s is not of type %v", path, kind(v), t))
		return
	}
	if enum, ok := sch["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			if equal(e, v) {
				found = true
				break
			}
		}
		if !found {
			*errs = append(*errs, fmt.Sprintf("%s: %s is not one of %v", path, show(v), enum))
		}
	}
	if c, ok := sch["const"]; ok && !equal(c, v) {
		*errs = append(*errs, fmt.Sprintf("%s: %s is not %v", path, show(v), c))
	}
	if all, ok := sch["allOf"].([]any); ok {
		for _, sub := range all {
			s.validate(sub, v, path, errs)
		}
	}
	if any_, ok := sch["anyOf"].([]any); ok {
		if n, best := s.matches(any_, v, path); n == 0 {
			*errs = append(*errs, fmt.Sprintf("%s: matches none of anyOf (closest: %s)", path, strings.Join(best, "; ")))
		}
	}
	if one, ok := sch["oneOf"].([]any); ok {
		if n, best := s.matches(one, v, path); n != 1 {
			msg := fmt.Sprintf("%s: matches %d of oneOf, want exactly 1", path, n)
			if n == 0 {
				msg += " (closest: " + strings.Join(best, "; ") + ")"
			}
			*errs = append(*errs, msg)
		}
	}
	switch x := v.(type) {
	case string:
		n := utf8.RuneCountInString(x)
		if m, ok := num(sch["maxLength"]); ok && big.NewRat(int64(n), 1).Cmp(m) > 0 {
			*errs = append(*errs, fmt.Sprintf("%s: %d characters, more than maxLength %s", path, n, m.RatString()))
		}
		if m, ok := num(sch["minLength"]); ok && big.NewRat(int64(n), 1).Cmp(m) < 0 {
			*errs = append(*errs, fmt.Sprintf("%s: %d characters, fewer than minLength %s", path, n, m.RatString()))
		}
		if p, ok := sch["pattern"].(string); ok {
			if re := s.pattern(p); re != nil && !re.MatchString(x) {
				*errs = append(*errs, fmt.Sprintf("%s: %q does not match %s", path, x, p))
			}
		}
		switch sch["format"] {
		case "date-time":
			if _, err := time.Parse(time.RFC3339, x); err != nil {
				*errs = append(*errs, fmt.Sprintf("%s: %q is not a date-time", path, x))
			}
		case "uri":
			if u, err := url.Parse(x); err != nil || u.Scheme == "" {
				*errs = append(*errs, fmt.Sprintf("%s: %q is not a URI", path, x))
			}
		}
	case json.Number:
		r, _ := new(big.Rat).SetString(x.String())
		if m, ok := num(sch["minimum"]); ok && r != nil && r.Cmp(m) < 0 {
			*errs = append(*errs, fmt.Sprintf("%s: %s is less than minimum %s", path, x, m.RatString()))
		}
		if m, ok := num(sch["maximum"]); ok && r != nil && r.Cmp(m) > 0 {
			*errs = append(*errs, fmt.Sprintf("%s: %s is more than maximum %s", path, x, m.RatString()))
		}
	case []any:
		if m, ok := num(sch["maxItems"]); ok && big.NewRat(int64(len(x)), 1).Cmp(m) > 0 {
			*errs = append(*errs, fmt.Sprintf("%s: %d items, more than maxItems %s", path, len(x), m.RatString()))
		}
		if m, ok := num(sch["minItems"]); ok && big.NewRat(int64(len(x)), 1).Cmp(m) < 0 {
			*errs = append(*errs, fmt.Sprintf("%s: %d items, fewer than minItems %s", path, len(x), m.RatString()))
		}
		if u, _ := sch["uniqueItems"].(bool); u {
			for i := range x {
				for j := i + 1; j < len(x); j++ {
					if equal(x[i], x[j]) {
						*errs = append(*errs, fmt.Sprintf("%s: items %d and %d are equal", path, i, j))
					}
				}
			}
		}
		if items, ok := sch["items"]; ok {
			for i, it := range x {
				s.validate(items, it, fmt.Sprintf("%s[%d]", path, i), errs)
			}
		}
	case map[string]any:
		props, _ := sch["properties"].(map[string]any)
		if req, ok := sch["required"].([]any); ok {
			for _, r := range req {
				if name, _ := r.(string); name != "" {
					if _, present := x[name]; !present {
						*errs = append(*errs, fmt.Sprintf("%s: required property %q missing", path, name))
					}
				}
			}
		}
		if m, ok := num(sch["maxProperties"]); ok && big.NewRat(int64(len(x)), 1).Cmp(m) > 0 {
			*errs = append(*errs, fmt.Sprintf("%s: %d properties, more than maxProperties %s", path, len(x), m.RatString()))
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if p, ok := props[k]; ok {
				s.validate(p, x[k], path+"."+k, errs)
				continue
			}
			switch ap := sch["additionalProperties"].(type) {
			case bool:
				if !ap {
					*errs = append(*errs, fmt.Sprintf("%s: unknown property %q", path, k))
				}
			case map[string]any:
				s.validate(ap, x[k], path+"."+k, errs)
			}
		}
	}
}

// matches counts the alternatives v satisfies and, when none does, returns
// the problems of the closest one.
func (s *Spec) matches(alts []any, v any, path string) (int, []string) {
	n := 0
	var best []string
	for _, alt := range alts {
		var e []string
		s.validate(alt, v, path, &e)
		if len(e) == 0 {
			n++
		} else if best == nil || len(e) < len(best) {
			best = e
		}
	}
	return n, best
}

func (s *Spec) pattern(p string) *regexp.Regexp {
	s.mu.Lock()
	defer s.mu.Unlock()
	if re, ok := s.patterns[p]; ok {
		return re
	}
	re, err := regexp.Compile(p)
	if err != nil {
		re = nil // a pattern Go cannot compile is not checked
	}
	s.patterns[p] = re
	return re
}

func num(v any) (*big.Rat, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(n.String())
	return r, ok
}

func kind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if isInteger(x) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func isInteger(n json.Number) bool {
	r, ok := new(big.Rat).SetString(n.String())
	return ok && r.IsInt()
}

func typeMatches(t any, v any) bool {
	k := kind(v)
	one := func(name string) bool {
		return name == k || (name == "number" && k == "integer")
	}
	switch x := t.(type) {
	case string:
		return one(x)
	case []any:
		for _, n := range x {
			if s, _ := n.(string); one(s) {
				return true
			}
		}
	}
	return false
}

func equal(a, b any) bool {
	if x, ok := a.(json.Number); ok {
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		rx, ok1 := new(big.Rat).SetString(x.String())
		ry, ok2 := new(big.Rat).SetString(y.String())
		return ok1 && ok2 && rx.Cmp(ry) == 0
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func show(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}
