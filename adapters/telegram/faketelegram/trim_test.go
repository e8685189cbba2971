package faketelegram

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"newsdigest/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite specs/ from ../shared/specs")

// served are the methods the fake answers (see Server.serve).
var served = []string{"answerCallbackQuery", "deleteWebhook", "editMessageCaption", "editMessageReplyMarkup", "editMessageText", "getChatMember", "getFile", "getMe",
	"getUpdates", "sendDocument", "sendMessage", "sendPhoto", "setMyCommands", "setWebhook"}

// trimSpec keeps of a Bot API description its header, the served methods
// and every type their parameters reach, each entry unchanged.
func trimSpec(t *testing.T, full []byte) []byte {
	t.Helper()
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(full, &doc); err != nil {
		t.Fatal(err)
	}
	var methods, types map[string]json.RawMessage
	if err := json.Unmarshal(doc["methods"], &methods); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(doc["types"], &types); err != nil {
		t.Fatal(err)
	}
	keepM := map[string]json.RawMessage{}
	keepT := map[string]json.RawMessage{}
	var reach func(raw json.RawMessage)
	reach = func(raw json.RawMessage) {
		var o specObject
		if err := json.Unmarshal(raw, &o); err != nil {
			t.Fatal(err)
		}
		names := slices.Clone(o.Subtypes)
		for _, f := range o.Fields {
			for _, ty := range f.Types {
				for strings.HasPrefix(ty, "Array of ") {
					ty = strings.TrimPrefix(ty, "Array of ")
				}
				names = append(names, ty)
			}
		}
		for _, n := range names {
			if r, ok := types[n]; ok && keepT[n] == nil {
				keepT[n] = r
				reach(r)
			}
		}
	}
	for _, m := range served {
		if r, ok := methods[m]; ok {
			keepM[m] = r
			reach(r)
		}
	}
	out := map[string]any{}
	for k, v := range doc {
		out[k] = v
	}
	out["methods"], out["types"] = keepM, keepT
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestTrimmedSpecs checks that specs/ is exactly the part of the Bot API
// descriptions in ../shared/specs the fake needs (-update rewrites it), and
// that the fake checks requests with it.
func TestTrimmedSpecs(t *testing.T) {
	for _, name := range []string{"telegram-bot-api.json", "telegram-bot-api-5.5.json"} {
		full, err := os.ReadFile(filepath.Join(DefaultSpecDir(), name))
		if err != nil {
			testenv.SkipShared(t, "specs/"+name, err)
		}
		want := trimSpec(t, full)
		path := filepath.Join("specs", name)
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
			t.Errorf("%s is not the trimmed ../shared/specs/%s: run go test -run TestTrimmedSpecs -update", path, name)
		}
	}
}

// TestMain reports the tests that skipped for want of ../shared.
func TestMain(m *testing.M) { testenv.Main(m) }
