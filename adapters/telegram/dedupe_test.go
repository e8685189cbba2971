package telegram

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/digest"
	"newsdigest/store/sqlite"
)

// TestUpdateHandledOnce: an update Telegram sends twice (a webhook answered
// late is sent again), or that two processes sharing a store both receive,
// is handled once.
func TestUpdateHandledOnce(t *testing.T) {
	srv := newFake(t, faketelegram.Options{PerChatInterval: -1})
	rec := &recorder{}
	cfg := Config{WebhookURL: "https://bot.example/hook", WebhookSecret: "abc", FirstSeen: sharedStore(t)}
	one, _ := newBot(t, srv, cfg, rec)
	two, _ := newBot(t, srv, cfg, rec) // a second process on the same token and store
	body := `{"update_id":7001,"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private"},"from":{"id":7,"is_bot":false},"text":"/trending 3"}}`
	for i, b := range []*Bot{one, one, two} {
		req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", strings.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "abc")
		w := httptest.NewRecorder()
		b.WebhookHandler().ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Errorf("delivery %d: status %d, want 200 (a repeat is acknowledged, not run)", i, w.Code)
		}
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("the command ran %d times, want once", n)
	}
	// Another update runs.
	req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", strings.NewReader(strings.Replace(body, "7001", "7002", 1)))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "abc")
	two.WebhookHandler().ServeHTTP(httptest.NewRecorder(), req)
	if n := len(rec.requests()); n != 2 {
		t.Errorf("a new update: the command ran %d times in all, want 2", n)
	}
}

// TestPressHandledOnce: a callback query delivered twice is handled and
// answered once.
func TestPressHandledOnce(t *testing.T) {
	srv := newFake(t, faketelegram.Options{PerChatInterval: -1})
	rec := &recorder{reply: func(req digest.CommandRequest) digest.CommandReply { return digest.CommandReply{Text: "Added."} }}
	cfg := Config{WebhookURL: "https://bot.example/hook", WebhookSecret: "abc", FirstSeen: sharedStore(t)}
	one, _ := newBot(t, srv, cfg, rec)
	id := srv.Seed("42", "Add?", &faketelegram.InlineKeyboard{InlineKeyboard: [][]faketelegram.InlineButton{{{Text: "Add", CallbackData: "ok"}}}}, false)
	u := srv.PressUpdate(faketelegram.Chat{ID: 42, Type: "private"}, 42, id, "ok", false)
	u.UpdateID = 8001
	body, _ := json.Marshal(u)
	for range 2 {
		req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", strings.NewReader(string(body)))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "abc")
		one.WebhookHandler().ServeHTTP(httptest.NewRecorder(), req)
	}
	one.Close()
	if n := len(rec.requests()); n != 1 {
		t.Errorf("the press ran %d times, want once", n)
	}
	if n, _ := srv.CallbackAnswers(u.CallbackQuery.ID); n != 1 {
		t.Errorf("answered %d times, want once", n)
	}
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}

// sharedStore is the update log of a store that several processes of a
// test share (a SQLite file).
func sharedStore(t *testing.T) digest.FirstSeen {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st.FirstSeen
}
