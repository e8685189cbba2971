package faketelegram

import (
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// spec is a Bot API description as in ../shared/specs: methods and types,
// each with fields that have types and a required flag.
type spec struct {
	Methods map[string]specObject `json:"methods"`
	Types   map[string]specObject `json:"types"`
}

type specObject struct {
	Name     string      `json:"name"`
	Fields   []specField `json:"fields"`
	Subtypes []string    `json:"subtypes"`
}

type specField struct {
	Name     string   `json:"name"`
	Types    []string `json:"types"`
	Required bool     `json:"required"`
}

func (o specObject) field(name string) (specField, bool) {
	for _, f := range o.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return specField{}, false
}

// DefaultSpecDir is ../shared/specs beside the module root, where the full
// Bot API descriptions are kept; specs/ holds the part of them the fake
// uses (see TestTrimmedSpecs).
func DefaultSpecDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	// file is <root>/adapters/telegram/faketelegram/spec.go.
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	return filepath.Join(root, "..", "shared", "specs")
}

// trimmed holds the methods the fake serves and every type their
// parameters reach, cut unchanged from the Bot API descriptions in
// ../shared/specs, so that the fake checks requests in a checkout alone.
//
//go:embed specs/telegram-bot-api.json specs/telegram-bot-api-5.5.json
var trimmed embed.FS

type specPair struct {
	current, v55 *spec
	err          error
}

var (
	specMu    sync.Mutex
	specCache = map[string]*specPair{}
)

// loadSpecs reads telegram-bot-api.json and telegram-bot-api-5.5.json from
// dir ("" for the embedded trimmed copies) once per process.
func loadSpecs(dir string) (*spec, *spec, error) {
	specMu.Lock()
	defer specMu.Unlock()
	if p, ok := specCache[dir]; ok {
		return p.current, p.v55, p.err
	}
	read := func(name string) ([]byte, error) {
		if dir == "" {
			return trimmed.ReadFile("specs/" + name)
		}
		return os.ReadFile(filepath.Join(dir, name))
	}
	p := &specPair{}
	p.current, p.err = readSpec(read, "telegram-bot-api.json")
	if p.err == nil {
		p.v55, p.err = readSpec(read, "telegram-bot-api-5.5.json")
	}
	specCache[dir] = p
	return p.current, p.v55, p.err
}

func readSpec(read func(string) ([]byte, error), path string) (*spec, error) {
	b, err := read(path)
	if err != nil {
		return nil, fmt.Errorf("faketelegram: read Bot API spec: %w", err)
	}
	var s spec
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("faketelegram: parse Bot API spec %s: %w", path, err)
	}
	return &s, nil
}

// checkParam checks one request parameter against the spec types of its
// field. A form value is a string: scalars are parsed, objects and arrays
// are JSON inside it. A JSON body value is already decoded.
func (s *spec) checkParam(types []string, v any) error {
	var errs []string
	for _, t := range types {
		err := s.checkValue(t, v, 0)
		if err == nil {
			return nil
		}
		errs = append(errs, err.Error())
	}
	return fmt.Errorf("%s", strings.Join(errs, "; or "))
}

func (s *spec) checkValue(t string, v any, depth int) error {
	if depth > 8 {
		return nil
	}
	if str, ok := v.(formValue); ok {
		return s.checkForm(t, string(str), depth)
	}
	switch {
	case t == "String" || t == "InputFile":
		if _, ok := v.(string); !ok {
			return fmt.Errorf("want %s, got %T", t, v)
		}
	case t == "Integer":
		n, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("want Integer, got %T", v)
		}
		if _, err := strconv.ParseInt(string(n), 10, 64); err != nil {
			return fmt.Errorf("want Integer, got %s", n)
		}
	case t == "Float":
		if _, ok := v.(json.Number); !ok {
			return fmt.Errorf("want Float, got %T", v)
		}
	case t == "Boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("want Boolean, got %T", v)
		}
	case strings.HasPrefix(t, "Array of "):
		arr, ok := v.([]any)
		if !ok {
			return fmt.Errorf("want %s, got %T", t, v)
		}
		for i, e := range arr {
			if err := s.checkValue(strings.TrimPrefix(t, "Array of "), e, depth+1); err != nil {
				return fmt.Errorf("element %d: %w", i, err)
			}
		}
	default:
		return s.checkObject(t, v, depth)
	}
	return nil
}

func (s *spec) checkObject(t string, v any, depth int) error {
	typ, ok := s.Types[t]
	if !ok {
		return nil // a type the spec does not describe: accept
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("want %s object, got %T", t, v)
	}
	if len(typ.Subtypes) > 0 {
		var errs []string
		for _, st := range typ.Subtypes {
			err := s.checkObject(st, v, depth+1)
			if err == nil {
				return nil
			}
			errs = append(errs, st+": "+err.Error())
		}
		return fmt.Errorf("matches no %s: %s", t, strings.Join(errs, "; "))
	}
	for k, fv := range obj {
		f, ok := typ.field(k)
		if !ok {
			return fmt.Errorf("%s has no field %q", t, k)
		}
		if err := s.checkParam(f.Types, fv); err != nil {
			return fmt.Errorf("%s.%s: %w", t, k, err)
		}
	}
	for _, f := range typ.Fields {
		if _, ok := obj[f.Name]; f.Required && !ok && f.Name != "type" {
			return fmt.Errorf("%s.%s is required", t, f.Name)
		}
		// A subtype's "type" field must hold its own tag, e.g. "default".
		if f.Name == "type" {
			if want := typeTag(t); want != "" && obj["type"] != want {
				return fmt.Errorf("%s.type must be %q", t, want)
			}
		}
	}
	return nil
}

// typeTag derives the "type" discriminator of a union subtype from its
// name: BotCommandScopeAllGroupChats → all_group_chats.
func typeTag(t string) string {
	for _, prefix := range []string{"BotCommandScope", "ChatMember", "MenuButton"} {
		if rest, ok := strings.CutPrefix(t, prefix); ok && rest != "" {
			var b strings.Builder
			for i, r := range rest {
				if r >= 'A' && r <= 'Z' {
					if i > 0 {
						b.WriteByte('_')
					}
					r += 'a' - 'A'
				}
				b.WriteRune(r)
			}
			return b.String()
		}
	}
	return ""
}

// formValue is a parameter as it came in a form: a string to interpret.
type formValue string

func (s *spec) checkForm(t, v string, depth int) error {
	switch {
	case t == "String" || t == "InputFile":
		return nil
	case t == "Integer":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return fmt.Errorf("want Integer, got %q", v)
		}
		return nil
	case t == "Float":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return fmt.Errorf("want Float, got %q", v)
		}
		return nil
	case t == "Boolean":
		if v != "true" && v != "false" {
			return fmt.Errorf("want Boolean, got %q", v)
		}
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(v))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return fmt.Errorf("want JSON-serialized %s: %v", t, err)
	}
	return s.checkValue(t, x, depth+1)
}
