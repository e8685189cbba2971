package fakediscord

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func spec(t *testing.T) *Spec {
	t.Helper()
	s, err := EmbeddedSpec()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSchemaCheck(t *testing.T) {
	s := spec(t)
	long := strings.Repeat("x", 257)
	tests := []struct {
		name, schema, body string
		wantErr            string // "" for valid
	}{
		{"valid message", "MessageCreateRequest", `{"content":"hi","embeds":[{"title":"t","url":"https://a.b/c","timestamp":"2025-01-01T00:00:00Z"}],"nonce":"abc","enforce_nonce":true,"allowed_mentions":{"parse":[]}}`, ""},
		{"nulls allowed", "MessageCreateRequest", `{"content":"hi","embeds":null,"components":null,"sticker_ids":null,"tts":false}`, ""},
		{"title too long", "MessageCreateRequest", `{"embeds":[{"title":"` + long + `"}]}`, "$.embeds[0].title: 257 characters"},
		{"wrong type", "MessageCreateRequest", `{"content":5}`, "$.content: integer is not of type"},
		{"too many embeds", "MessageCreateRequest", `{"embeds":[{},{},{},{},{},{},{},{},{},{},{}]}`, "11 items, more than maxItems 10"},
		{"nonce too long", "MessageCreateRequest", `{"nonce":"` + strings.Repeat("n", 26) + `"}`, "matches 0 of oneOf"},
		{"color out of range", "RichEmbed", `{"color":16777216}`, "more than maximum"},
		{"bad timestamp", "RichEmbed", `{"timestamp":"yesterday"}`, "not a date-time"},
		{"field required", "RichEmbed", `{"fields":[{"name":"n"}]}`, `required property "value" missing`},
		{"callback type enum", "CreateMessageInteractionCallbackRequest", `{"type":7}`, "is not one of"},
		{"callback valid", "CreateMessageInteractionCallbackRequest", `{"type":4,"data":{"content":"x","flags":64}}`, ""},
		{"command option oneOf", "ApplicationCommandUpdateRequest", `{"name":"trending","description":"d","options":[{"type":4,"name":"hours","description":"h","min_value":1,"max_value":168}]}`, ""},
		{"command option missing description", "ApplicationCommandUpdateRequest", `{"name":"trending","options":[{"type":3,"name":"k"}]}`, "matches 0 of oneOf"},
		{"permissions as integer", "ApplicationCommandUpdateRequest", `{"name":"x","default_member_permissions":16}`, ""},
		// discordgo's ApplicationCommand sends this form, hence our own payload.
		{"permissions as string", "ApplicationCommandUpdateRequest", `{"name":"x","default_member_permissions":"16"}`, "string is not of type"},
		{"not JSON", "RichEmbed", `{`, "not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := s.Check(tt.schema, []byte(tt.body))
			joined := strings.Join(errs, "\n")
			if tt.wantErr == "" && len(errs) > 0 {
				t.Fatalf("want valid, got:\n%s", joined)
			}
			if tt.wantErr != "" && !strings.Contains(joined, tt.wantErr) {
				t.Fatalf("want an error containing %q, got:\n%s", tt.wantErr, joined)
			}
		})
	}
}

func TestCheckMessageLimits(t *testing.T) {
	emb := func(desc int) string { return `{"description":"` + strings.Repeat("d", desc) + `"}` }
	tests := []struct {
		name, body, want string
	}{
		{"ok", `{"content":"hi"}`, ""},
		{"content 2001", `{"content":"` + strings.Repeat("c", 2001) + `"}`, "content: 2001 characters"},
		{"6000 total", `{"embeds":[` + emb(4000) + `,` + emb(2001) + `]}`, "6001 characters in all"},
		{"empty", `{"content":""}`, "empty message"},
		{"multibyte counted as characters", `{"content":"` + strings.Repeat("é", 2000) + `"}`, ""},
	}
	for _, tt := range tests {
		errs := strings.Join(CheckMessageLimits([]byte(tt.body), true), "\n")
		if (tt.want == "") != (errs == "") || !strings.Contains(errs, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, errs, tt.want)
		}
	}
}

func post(t *testing.T, url, body string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bot "+Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestMessagesNonceAndLimits(t *testing.T) {
	srv := New(t, WithRate(0))
	url := srv.APIURL() + "/channels/42/messages"
	r1, b1 := post(t, url, `{"content":"one","nonce":"k1","enforce_nonce":true}`)
	r2, b2 := post(t, url, `{"content":"one again","nonce":"k1","enforce_nonce":true}`)
	if r1.StatusCode != 200 || r2.StatusCode != 200 {
		t.Fatalf("status %d %d", r1.StatusCode, r2.StatusCode)
	}
	var m1, m2 struct{ ID string }
	_ = json.Unmarshal(b1, &m1)
	_ = json.Unmarshal(b2, &m2)
	if m1.ID == "" || m1.ID != m2.ID {
		t.Errorf("repeated nonce gave ids %q and %q, want the first again", m1.ID, m2.ID)
	}
	if n := len(srv.Messages("42")); n != 1 || srv.Deduplicated() != 1 {
		t.Errorf("%d messages, %d deduplicated; want 1 and 1", n, srv.Deduplicated())
	}
	r3, _ := post(t, url, `{"content":"`+strings.Repeat("c", 2001)+`"}`)
	if r3.StatusCode != 400 || len(srv.Violations()) == 0 {
		t.Errorf("content over 2000: status %d, violations %v", r3.StatusCode, srv.Violations())
	}
	// Per-channel limit: 5 in 5 s; every request to the route counts, as
	// on Discord: the deduplicated and the invalid one too.
	var codes []int
	var last *http.Response
	for i := 0; i < 5; i++ {
		r, _ := post(t, url, `{"content":"x"}`)
		codes = append(codes, r.StatusCode)
		if i == 1 {
			last = r
		}
	}
	if codes[1] != 200 || codes[2] != 429 || srv.RateLimited() != 3 || srv.RouteLimited() != 3 {
		t.Errorf("codes %v, rate limited %d; want the 6th post to be 429", codes, srv.RateLimited())
	}
	if h := last.Header; h.Get("X-RateLimit-Limit") != "5" || h.Get("X-RateLimit-Remaining") != "0" || h.Get("X-RateLimit-Bucket") == "" || h.Get("X-RateLimit-Reset-After") == "" {
		t.Errorf("headers of the 5th post: %v", h)
	}
}

func TestGlobalRateAndFaults(t *testing.T) {
	srv := New(t, WithRate(3), WithChannelRate(0, 0))
	var codes []int
	for i := 0; i < 4; i++ {
		r, b := post(t, srv.APIURL()+"/channels/"+string(rune('1'+i))+"/messages", `{"content":"x"}`)
		codes = append(codes, r.StatusCode)
		if r.StatusCode == 429 && (r.Header.Get("X-RateLimit-Global") != "true" || !bytes.Contains(b, []byte(`"retry_after"`))) {
			t.Errorf("global 429 without headers or retry_after: %v %s", r.Header, b)
		}
	}
	if codes[3] != 429 || srv.RateLimited() != 1 {
		t.Errorf("codes %v; want the 4th of a burst of 3 to be 429", codes)
	}
	srv2 := New(t, WithRate(0))
	srv2.Fail("POST /channels/*/messages", 1, RateLimit(1500*time.Millisecond, false))
	srv2.Fail("POST /channels/7/messages", 1, ServerError(503))
	srv2.DeleteChannel("9")
	r, b := post(t, srv2.APIURL()+"/channels/1/messages", `{"content":"x"}`)
	if r.StatusCode != 429 || !bytes.Contains(b, []byte(`"retry_after":1.5`)) {
		t.Errorf("injected 429: %d %s", r.StatusCode, b)
	}
	if r, _ := post(t, srv2.APIURL()+"/channels/7/messages", `{"content":"x"}`); r.StatusCode != 503 {
		t.Errorf("injected 503: %d", r.StatusCode)
	}
	if r, b := post(t, srv2.APIURL()+"/channels/9/messages", `{"content":"x"}`); r.StatusCode != 404 || !bytes.Contains(b, []byte("10003")) {
		t.Errorf("deleted channel: %d %s", r.StatusCode, b)
	}
	if r, _ := post(t, srv2.APIURL()+"/channels/1/messages", `{"content":"x"}`); r.StatusCode != 200 {
		t.Errorf("after faults ran out: %d", r.StatusCode)
	}
}

// FuzzSpecCheck: the checker never panics, whatever the JSON.
func FuzzSpecCheck(f *testing.F) {
	s, err := EmbeddedSpec()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(`{"content":"x","embeds":[{"title":"t"}],"nonce":12}`)
	f.Add(`{"type":4,"data":{"embeds":[{"fields":[{"name":1}]}]}}`)
	f.Add(`[{"name":"a","options":[{"type":99}]}]`)
	f.Fuzz(func(t *testing.T, body string) {
		for _, name := range []string{"MessageCreateRequest", "CreateMessageInteractionCallbackRequest"} {
			_ = s.Check(name, []byte(body))
		}
		_ = s.CheckSchema(ArrayOf("ApplicationCommandUpdateRequest", 130), []byte(body))
		_ = CheckMessageLimits([]byte(body), true)
	})
}

func TestCheckOptions(t *testing.T) {
	tests := []struct {
		name, opts string
		want       int
	}{
		{"subcommands", `[{"type":1,"name":"add","options":[{"type":3,"name":"url","required":true},{"type":3,"name":"name"}]},{"type":1,"name":"list"}]`, 0},
		{"mixed", `[{"type":1,"name":"add"},{"type":3,"name":"url"}]`, 1},
		{"required after optional", `[{"type":1,"name":"add","options":[{"type":3,"name":"name"},{"type":3,"name":"url","required":true}]}]`, 1},
		{"nested subcommand", `[{"type":1,"name":"add","options":[{"type":1,"name":"deeper"}]}]`, 1},
		{"choices and autocomplete", `[{"type":3,"name":"s","autocomplete":true,"choices":[{"name":"a","value":"a"}]}]`, 1},
		{"upper case", `[{"type":11,"name":"File"}]`, 1},
	}
	for _, tt := range tests {
		var opts []any
		if err := json.Unmarshal([]byte(tt.opts), &opts); err != nil {
			t.Fatal(err)
		}
		if got := checkOptions("[0]", opts, 0); len(got) != tt.want {
			t.Errorf("%s: %v, want %d problems", tt.name, got, tt.want)
		}
	}
}
