package faketelegram

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

type apiResp struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

func postForm(t *testing.T, s *Server, method string, v url.Values) apiResp {
	t.Helper()
	resp, err := http.PostForm(s.URL()+"/bot"+s.Token()+"/"+method, v)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r apiResp
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	if !r.OK && resp.StatusCode != r.ErrorCode {
		t.Fatalf("HTTP status %d, error_code %d", resp.StatusCode, r.ErrorCode)
	}
	return r
}

func postJSON(t *testing.T, s *Server, method, body string) apiResp {
	t.Helper()
	resp, err := http.Post(s.URL()+"/bot"+s.Token()+"/"+method, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r apiResp
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

func needSpecs(t *testing.T, s *Server) {
	t.Helper()
	if ok, err := s.SpecsLoaded(); !ok {
		t.Skipf("Bot API specs not available beside the checkout: %v", err)
	}
}

func TestSpecValidation(t *testing.T) {
	s := New(Options{GlobalPerSecond: -1, PerChatInterval: -1})
	defer s.Close()
	needSpecs(t, s)
	tests := []struct {
		name      string
		method    string
		form      url.Values
		json      string
		ok        bool
		violation string
		newer     string
	}{
		{"form ok, null list is absent", "sendMessage", url.Values{"chat_id": {"1"}, "text": {"hi"}, "entities": {"null"}}, "", true, "", ""},
		{"json ok", "sendMessage", nil, `{"chat_id":2,"text":"hi","link_preview_options":{"is_disabled":true}}`, true, "", "sendMessage.link_preview_options"},
		{"missing text", "sendMessage", url.Values{"chat_id": {"3"}}, "", false, "missing required parameter text", ""},
		{"unknown param", "sendMessage", url.Values{"chat_id": {"4"}, "text": {"x"}, "colour": {"red"}}, "", true, "unknown parameter colour", ""},
		{"bad integer", "sendMessage", url.Values{"chat_id": {"5"}, "text": {"x"}, "message_thread_id": {"abc"}}, "", false, "parameter message_thread_id", ""},
		{"bad boolean", "sendMessage", url.Values{"chat_id": {"6"}, "text": {"x"}, "disable_notification": {"yes"}}, "", false, "parameter disable_notification", ""},
		{"bad nested field", "sendMessage", url.Values{"chat_id": {"7"}, "text": {"x"}, "link_preview_options": {`{"disabled":true}`}}, "", false, "LinkPreviewOptions has no field", ""},
		{"bad command object", "setMyCommands", url.Values{"commands": {`[{"command":"x"}]`}}, "", false, "BotCommand.description is required", ""},
		{"scope union", "setMyCommands", url.Values{"commands": {`[{"command":"x","description":"xyz"}]`}, "scope": {`{"type":"all_group_chats"}`}}, "", true, "", ""},
		{"bad scope", "setMyCommands", url.Values{"commands": {`[{"command":"x","description":"xyz"}]`}, "scope": {`{"type":"everyone"}`}}, "", false, "matches no BotCommandScope", ""},
		{"newer secret_token", "setWebhook", url.Values{"url": {"https://bot.example/hook"}, "secret_token": {"abc"}}, "", true, "", "setWebhook.secret_token"},
		{"no such method", "sendTelepathy", url.Values{}, "", false, "no such method", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(s.Violations())
			var r apiResp
			if tt.json != "" {
				r = postJSON(t, s, tt.method, tt.json)
			} else {
				r = postForm(t, s, tt.method, tt.form)
			}
			if r.OK != tt.ok {
				t.Fatalf("ok = %v (%d %s), want %v", r.OK, r.ErrorCode, r.Description, tt.ok)
			}
			v := s.Violations()[before:]
			if tt.violation == "" && len(v) > 0 {
				t.Fatalf("unexpected violations %q", v)
			}
			if tt.violation != "" && (len(v) != 1 || !strings.Contains(v[0], tt.violation)) {
				t.Fatalf("violations %q, want one with %q", v, tt.violation)
			}
			if tt.newer != "" && !slices.Contains(s.NewerParams(), tt.newer) {
				t.Fatalf("newer params %v lack %s", s.NewerParams(), tt.newer)
			}
		})
	}
	if slices.Contains(s.NewerParams(), "sendMessage.text") {
		t.Fatal("text is in Bot API 5.5 but was recorded as newer")
	}
}

func TestSendMessageChecksText(t *testing.T) {
	s := New(Options{GlobalPerSecond: -1, PerChatInterval: -1})
	defer s.Close()
	tests := []struct {
		text string
		ok   bool
		desc string
	}{
		{"<b>fine</b> &amp; dandy", true, ""},
		{"AT&T", false, "can't parse entities"},
		{"1 < 2", false, "can't parse entities"},
		{"<b>x</i>", false, "can't parse entities"},
		{"<b> </b>", false, "message text is empty"},
		{strings.Repeat("😀", 2048), true, ""},
		{strings.Repeat("😀", 2049), false, "message is too long"},
		{"<b>" + strings.Repeat("x", 4096) + "</b>", true, ""},
	}
	for _, tt := range tests {
		r := postForm(t, s, "sendMessage", url.Values{"chat_id": {"1"}, "text": {tt.text}, "parse_mode": {"HTML"}})
		if r.OK != tt.ok || !strings.Contains(r.Description, tt.desc) {
			t.Errorf("text %.40q: ok %v %q, want %v %q", tt.text, r.OK, r.Description, tt.ok, tt.desc)
		}
	}
	if got := len(s.Messages("1")); got != 3 {
		t.Fatalf("%d messages recorded, want 3", got)
	}
	if m := s.Messages("1")[0]; m.Plain != "fine & dandy" || m.Text != "<b>fine</b> &amp; dandy" {
		t.Fatalf("recorded %+v", m)
	}
}

func TestFloodLimits(t *testing.T) {
	s := New(Options{GlobalPerSecond: 3})
	defer s.Close()
	send := func(chat string) apiResp {
		return postForm(t, s, "sendMessage", url.Values{"chat_id": {chat}, "text": {"x"}})
	}
	for _, chat := range []string{"1", "2", "3"} {
		if r := send(chat); !r.OK {
			t.Fatalf("chat %s: %s", chat, r.Description)
		}
	}
	if r := send("4"); r.OK || r.ErrorCode != 429 || r.Parameters.RetryAfter < 1 {
		t.Fatalf("fourth message in a second: %+v, want 429 with retry_after", r)
	}
	s2 := New(Options{})
	defer s2.Close()
	if r := postForm(t, s2, "sendMessage", url.Values{"chat_id": {"9"}, "text": {"x"}}); !r.OK {
		t.Fatal(r.Description)
	}
	if r := postForm(t, s2, "sendMessage", url.Values{"chat_id": {"9"}, "text": {"y"}}); r.ErrorCode != 429 {
		t.Fatalf("second message to one chat at once: %+v, want 429", r)
	}
	if s.RateLimited() != 1 || s2.RateLimited() != 1 {
		t.Fatalf("429 counts %d, %d; want 1, 1", s.RateLimited(), s2.RateLimited())
	}
}

func TestGetUpdatesOffsetsAndConflicts(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	chat := Chat{ID: 5, Type: "private"}
	id1, _ := s.SendUpdate(CommandUpdate(chat, 5, 0, "/help"))
	id2, _ := s.SendUpdate(CommandUpdate(chat, 5, 0, "/start"))
	var got []Update
	r := postForm(t, s, "getUpdates", url.Values{"timeout": {"0"}})
	if err := json.Unmarshal(r.Result, &got); err != nil || len(got) != 2 || got[0].UpdateID != id1 {
		t.Fatalf("updates %s, err %v", r.Result, err)
	}
	if e := got[0].Message.Entities; len(e) != 1 || e[0].Type != "bot_command" || e[0].Length != 5 {
		t.Fatalf("entities %+v", e)
	}
	r = postForm(t, s, "getUpdates", url.Values{"offset": {itoa(id2)}, "timeout": {"0"}})
	if err := json.Unmarshal(r.Result, &got); err != nil || len(got) != 1 || got[0].UpdateID != id2 {
		t.Fatalf("after offset: %s", r.Result)
	}
	if s.Pending() != 1 {
		t.Fatalf("%d pending, want 1 (the first confirmed)", s.Pending())
	}

	// A held poll answers as soon as an update arrives.
	postForm(t, s, "getUpdates", url.Values{"offset": {itoa(id2 + 1)}, "timeout": {"0"}})
	var wg sync.WaitGroup
	wg.Add(1)
	var held apiResp
	go func() {
		defer wg.Done()
		held = postForm(t, s, "getUpdates", url.Values{"offset": {itoa(id2 + 1)}, "timeout": {"30"}})
	}()
	for s.pollingNow() == false {
		time.Sleep(time.Millisecond)
	}
	if r := postForm(t, s, "getUpdates", url.Values{"timeout": {"0"}}); r.ErrorCode != 409 {
		t.Fatalf("second concurrent poll: %+v, want 409", r)
	}
	s.SendUpdate(CommandUpdate(chat, 5, 0, "/digest"))
	wg.Wait()
	if err := json.Unmarshal(held.Result, &got); err != nil || len(got) != 1 || got[0].Message.Text != "/digest" {
		t.Fatalf("held poll got %s", held.Result)
	}
	if v := s.Violations(); len(v) != 1 || !strings.Contains(v[0], "concurrent") {
		t.Fatalf("violations %q, want the concurrent poll", v)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func (s *Server) pollingNow() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polling
}

func TestWebhookDelivery(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	var gotSecret string
	var gotUpdate Update
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotSecret = r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		json.NewDecoder(r.Body).Decode(&gotUpdate)
	}))
	defer hook.Close()
	if r := postForm(t, s, "setWebhook", url.Values{"url": {hook.URL}, "secret_token": {"abc-DEF_1"}}); !r.OK {
		t.Fatal(r.Description)
	}
	if r := postForm(t, s, "getUpdates", nil); r.ErrorCode != 409 {
		t.Fatalf("getUpdates with a webhook: %+v, want 409", r)
	}
	if _, err := s.SendUpdate(CommandUpdate(Chat{ID: -100, Type: "channel"}, 0, 0, "/digest")); err != nil {
		t.Fatal(err)
	}
	if gotSecret != "abc-DEF_1" || gotUpdate.ChannelPost == nil || gotUpdate.ChannelPost.Text != "/digest" {
		t.Fatalf("webhook got secret %q update %+v", gotSecret, gotUpdate)
	}
	if r := postForm(t, s, "setWebhook", url.Values{"url": {hook.URL}, "secret_token": {"bad token!"}}); r.OK {
		t.Fatal("a secret token with a space was accepted")
	}
}

func TestFaults(t *testing.T) {
	s := New(Options{PerChatInterval: -1})
	defer s.Close()
	s.InjectFault(Fault{Method: "sendMessage", ChatID: "1", Count: 2, Kind: RateLimit, RetryAfter: 7})
	s.InjectFault(Fault{Method: "sendMessage", ChatID: "2", Count: 1, Kind: Migrated, MigrateTo: -1002})
	msg := func(chat string) apiResp {
		return postForm(t, s, "sendMessage", url.Values{"chat_id": {chat}, "text": {"x"}})
	}
	for range 2 {
		if r := msg("1"); r.ErrorCode != 429 || r.Parameters.RetryAfter != 7 {
			t.Fatalf("fault: %+v", r)
		}
	}
	if r := msg("1"); !r.OK {
		t.Fatalf("third call still failed: %+v", r)
	}
	if r := msg("2"); r.ErrorCode != 400 || !strings.Contains(r.Description, "upgraded") {
		t.Fatalf("migrate: %+v", r)
	}
	if s.FaultsLeft() != 0 || s.RateLimited() != 0 {
		t.Fatalf("faults left %d, flood 429s %d", s.FaultsLeft(), s.RateLimited())
	}
}

func TestWrongTokenUnauthorized(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	resp, err := http.PostForm(s.URL()+"/bot1:wrong/getMe", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("status %d, want 401", resp.StatusCode)
	}
}
