package fakediscord

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsdigest/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite specs/ from ../shared/specs")

// checked are the component schemas the fake checks request bodies
// against (see Server.check) and the tests name.
var checked = []string{
	"ApplicationCommandUpdateRequest", "CreateMessageInteractionCallbackRequest",
	"IncomingWebhookRequestPartial", "IncomingWebhookUpdateRequestPartial",
	"MessageCreateRequest", "RichEmbed", "CreateForumThreadRequest", "CreateTextThreadWithMessageRequest",
	"UpdateMessageInteractionCallbackRequest", "ApplicationCommandAutocompleteCallbackRequest",
}

// trimSpec keeps of Discord's OpenAPI document its header and the checked
// schemas with every schema they refer to, each unchanged; paths go.
func trimSpec(t *testing.T, full []byte) []byte {
	t.Helper()
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(full, &doc); err != nil {
		t.Fatal(err)
	}
	var comps struct {
		Schemas map[string]json.RawMessage `json:"schemas"`
	}
	if err := json.Unmarshal(doc["components"], &comps); err != nil {
		t.Fatal(err)
	}
	keep := map[string]json.RawMessage{}
	var walk func(v any)
	add := func(name string) {
		if r, ok := comps.Schemas[name]; ok && keep[name] == nil {
			keep[name] = r
			var v any
			if err := json.Unmarshal(r, &v); err != nil {
				t.Fatal(err)
			}
			walk(v)
		}
	}
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				if name, ok := strings.CutPrefix(ref, "#/components/schemas/"); ok {
					add(name)
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	for _, n := range checked {
		add(n)
	}
	out := map[string]any{}
	for k, v := range doc {
		if k != "paths" && k != "components" {
			out[k] = v
		}
	}
	out["components"] = map[string]any{"schemas": keep}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestTrimmedSpec checks that specs/discord-openapi.json is exactly the
// part of shared/specs/discord-openapi.json the fake needs (-update
// rewrites it).
func TestTrimmedSpec(t *testing.T) {
	p := FindSpec()
	if p == "" {
		testenv.SkipShared(t, "specs/discord-openapi.json", os.ErrNotExist)
	}
	full, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	want := trimSpec(t, full)
	path := filepath.Join("specs", "discord-openapi.json")
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not the trimmed %s: run go test -run TestTrimmedSpec -update", path, p)
	}
}

// TestMain reports the tests that skipped for want of ../shared.
func TestMain(m *testing.M) { testenv.Main(m) }
