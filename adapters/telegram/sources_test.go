package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdigest/adapters/telegram/faketelegram"
	"newsdigest/digest"
)

func TestSourceSubcommandArgs(t *testing.T) {
	spec, _ := commandSpec("source")
	tests := []struct {
		text    string
		want    map[string]string
		wantErr string
	}{
		{"add https://x.example/ My Site", map[string]string{"subcommand": "add", "url": "https://x.example/", "name": "My Site"}, ""},
		{"ADD https://x.example/", map[string]string{"subcommand": "add", "url": "https://x.example/"}, ""},
		{"remove Berlin Daily", map[string]string{"subcommand": "remove", "source": "Berlin Daily"}, ""},
		{"pick https://x.example/feed", map[string]string{"subcommand": "pick", "source": "https://x.example/feed"}, ""},
		{"list", map[string]string{"subcommand": "list"}, ""},
		{"catalogue", map[string]string{"subcommand": "catalogue"}, ""},
		{"export", map[string]string{"subcommand": "export"}, ""},
		{"import", map[string]string{"subcommand": "import"}, ""},
		{"", nil, "say what to do: add, remove, list, catalogue, pick, import, export"},
		{"frobnicate x", nil, `"frobnicate" is not one of`},
		{"add", nil, "url is required"},
		{"remove", nil, "source is required"},
	}
	for _, tt := range tests {
		form, rest, err := subcommand(spec, tt.text)
		var args map[string]string
		if err == nil {
			args, err = mapArgs(positional(form), rest)
		}
		if err == nil && form.Name != spec.Name {
			args["subcommand"] = form.Name
		}
		if tt.wantErr != "" {
			if err == nil || !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: err %v, want one saying %q", tt.text, err, tt.wantErr)
			}
			continue
		}
		if err != nil || fmt.Sprint(args) != fmt.Sprint(tt.want) {
			t.Errorf("%q: %v, %v; want %v", tt.text, args, err, tt.want)
		}
	}
}

// /source over the fake: the subcommand and its options arrive by name; a
// reply's buttons are an inline keyboard with the IDs as callback_data.
func TestSourceCommandWithButtons(t *testing.T) {
	srv := newFake(t, faketelegram.Options{PerChatInterval: -1})
	srv.SetChatMember(group.ID, 7, "administrator")
	rec := &recorder{reply: func(req digest.CommandRequest) digest.CommandReply {
		return digest.CommandReply{Text: "Add My Site?", Buttons: []digest.Button{{ID: "src:ok:1", Label: "Add"}, {ID: "src:no:1", Label: "Cancel", Danger: true}}}
	}}
	start(t, srv, Config{}, rec)
	send(t, srv, group, 7, 0, "/source add https://x.example/ My Site")
	eventually(t, "the reply", func() bool { return len(srv.Messages(fmt.Sprint(group.ID))) == 1 })
	reqs := rec.requests()
	want := map[string]string{"subcommand": "add", "url": "https://x.example/", "name": "My Site"}
	if len(reqs) != 1 || reqs[0].Name != "source" || fmt.Sprint(reqs[0].Args) != fmt.Sprint(want) || !reqs[0].IsAdmin {
		t.Fatalf("requests %+v", reqs)
	}
	m := srv.Messages(fmt.Sprint(group.ID))[0]
	if m.ReplyMarkup == nil || len(m.ReplyMarkup.InlineKeyboard) != 1 || len(m.ReplyMarkup.InlineKeyboard[0]) != 2 ||
		m.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "src:ok:1" || m.ReplyMarkup.InlineKeyboard[0][1].CallbackData != "src:no:1" {
		t.Errorf("reply markup %+v", m.ReplyMarkup)
	}
}

// pressHandler confirms for admins in the chat the confirmation belongs
// to and refuses everyone else.
func pressHandler(home int64) *recorder {
	return &recorder{reply: func(req digest.CommandRequest) digest.CommandReply {
		switch {
		case req.Name != digest.Pressed:
			return digest.CommandReply{Text: "?", IsError: true}
		case !req.IsAdmin:
			return digest.CommandReply{Text: "Only admins can confirm.", IsError: true}
		case req.ChatID != fmt.Sprint(home):
			return digest.CommandReply{Text: "This belongs to another chat.", IsError: true}
		}
		return digest.CommandReply{Text: "Added My Site."}
	}}
}

func TestPresses(t *testing.T) {
	srv := newFake(t, faketelegram.Options{PerChatInterval: -1})
	other := faketelegram.Chat{ID: -1005555555555, Type: "supergroup", Title: "Other"}
	srv.SetChatMember(group.ID, 7, "administrator")
	srv.SetChatMember(other.ID, 7, "creator")
	rec := pressHandler(group.ID)
	start(t, srv, Config{}, rec)
	kb := &faketelegram.InlineKeyboard{InlineKeyboard: [][]faketelegram.InlineButton{{{Text: "Add", CallbackData: "src:ok:1"}}}}
	chatID := fmt.Sprint(group.ID)
	id := srv.Seed(chatID, "Add My Site?", kb, false)
	otherID := srv.Seed(fmt.Sprint(other.ID), "Add My Site?", kb, false)

	press := func(c faketelegram.Chat, from int64, msg int, photo bool) faketelegram.CallbackAnswer {
		t.Helper()
		u := srv.PressUpdate(c, from, msg, "src:ok:1", photo)
		if _, err := srv.SendUpdate(u); err != nil {
			t.Fatal(err)
		}
		var a faketelegram.CallbackAnswer
		eventually(t, "the callback answer", func() bool {
			var n int
			n, a = srv.CallbackAnswers(u.CallbackQuery.ID)
			return n == 1
		})
		return a
	}
	message := func(chat string, id int) faketelegram.SentMessage {
		for _, m := range srv.Messages(chat) {
			if m.MessageID == id {
				return m
			}
		}
		t.Fatalf("no message %d in %s", id, chat)
		return faketelegram.SentMessage{}
	}

	// A member who is no admin: refused in an alert, nothing changes.
	a := press(group, 8, id, false)
	if !a.ShowAlert || a.Text != "Only admins can confirm." {
		t.Errorf("non-admin answer %+v", a)
	}
	if m := message(chatID, id); m.Edits != 0 || m.ReplyMarkup == nil {
		t.Errorf("non-admin press changed the message: %+v", m)
	}
	// The button pressed in another chat (where the presser is admin):
	// passed with that chat, so the handler refuses.
	a = press(other, 7, otherID, false)
	if a.Text != "This belongs to another chat." {
		t.Errorf("other-chat answer %+v", a)
	}
	// The admin: the message is replaced and its buttons go.
	a = press(group, 7, id, false)
	if a.Text != "" || a.ShowAlert {
		t.Errorf("admin answer %+v", a)
	}
	eventually(t, "the edit", func() bool { return message(chatID, id).Edits == 1 })
	if m := message(chatID, id); m.Plain != "Added My Site." || m.ReplyMarkup != nil {
		t.Errorf("edited message %+v", m)
	}
	reqs := rec.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests", len(reqs))
	}
	for i, w := range []struct {
		chat  int64
		user  string
		admin bool
	}{{group.ID, "8", false}, {other.ID, "7", true}, {group.ID, "7", true}} {
		r := reqs[i]
		if r.Name != digest.Pressed || r.Args["button"] != "src:ok:1" || len(r.Args) != 1 || r.ChatID != fmt.Sprint(w.chat) ||
			r.UserID != w.user || r.IsAdmin != w.admin || r.Platform != digest.Telegram {
			t.Errorf("press %d: %+v", i, r)
		}
	}
	if got := srv.Calls("getChatMember"); got != 3 {
		t.Errorf("getChatMember called %d times, want once per press", got)
	}
}

// A press on a photo message (a preview card with a picture) edits its caption.
func TestPressOnPhoto(t *testing.T) {
	srv := newFake(t, faketelegram.Options{PerChatInterval: -1})
	srv.SetChatMember(group.ID, 7, "administrator")
	start(t, srv, Config{}, pressHandler(group.ID))
	kb := &faketelegram.InlineKeyboard{InlineKeyboard: [][]faketelegram.InlineButton{{{Text: "Add", CallbackData: "src:ok:1"}}}}
	id := srv.Seed(fmt.Sprint(group.ID), "Preview", kb, true)
	u := srv.PressUpdate(group, 7, id, "src:ok:1", true)
	if _, err := srv.SendUpdate(u); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the caption edit", func() bool { return srv.Calls("editMessageCaption") == 1 })
	eventually(t, "the answer", func() bool { n, _ := srv.CallbackAnswers(u.CallbackQuery.ID); return n == 1 })
	if m := srv.Messages(fmt.Sprint(group.ID))[0]; m.Plain != "Added My Site." || m.ReplyMarkup != nil {
		t.Errorf("message %+v", m)
	}
}

type opened struct {
	req  digest.CommandRequest
	data []byte
	err  error
}

// fileHandler opens the attachment with a 1 MiB limit.
type fileHandler struct {
	mu  sync.Mutex
	got []opened
}

func (h *fileHandler) Handle(ctx context.Context, req digest.CommandRequest) (digest.CommandReply, error) {
	o := opened{req: req}
	if req.Attachment != nil {
		o.data, o.err = req.Attachment.Open(ctx, 1<<20)
	}
	h.mu.Lock()
	h.got = append(h.got, o)
	h.mu.Unlock()
	return digest.CommandReply{Text: "read"}, nil
}

func (h *fileHandler) opened() []opened {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]opened(nil), h.got...)
}

func TestDocumentAttachment(t *testing.T) {
	big := bytes.Repeat([]byte("<outline/>"), 3<<20) // 30 MiB
	opml := []byte(`<opml version="2.0"><body/></opml>`)
	tests := []struct {
		name     string
		data     []byte
		size     int64
		wantErr  bool
		getFiles int
	}{
		{"small", opml, 0, false, 1},
		{"stated too large", big, 0, true, 0},
		{"over the Bot API's 20 MB", big, 25 << 20, true, 0},
		{"understated", big, 100, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, faketelegram.Options{PerChatInterval: -1})
			h := &fileHandler{}
			start(t, srv, Config{}, h)
			if _, err := srv.SendUpdate(srv.DocumentUpdate(private, 42, "/source import", "feeds.opml", tt.data, tt.size)); err != nil {
				t.Fatal(err)
			}
			eventually(t, "the handler", func() bool { return len(h.opened()) == 1 })
			o := h.opened()[0]
			if o.req.Attachment == nil || o.req.Attachment.Name != "feeds.opml" || o.req.Args["subcommand"] != "import" || o.req.Args["file"] != "feeds.opml" {
				t.Fatalf("request %+v", o.req)
			}
			if tt.wantErr {
				if !errors.Is(o.err, digest.ErrTooLarge) || o.data != nil {
					t.Errorf("Open: %d bytes, %v; want ErrTooLarge", len(o.data), o.err)
				}
			} else if o.err != nil || !bytes.Equal(o.data, tt.data) {
				t.Errorf("Open: %q, %v", o.data, o.err)
			}
			if got := srv.Calls("getFile"); got != tt.getFiles {
				t.Errorf("getFile called %d times, want %d", got, tt.getFiles)
			}
			if _, served := srv.FileGets(); served >= int64(len(big))/2 {
				t.Errorf("%d bytes served: the file was read whole", served)
			}
		})
	}
}

// /source import without a document asks for one; the handler never runs.
func TestImportWithoutDocument(t *testing.T) {
	srv := newFake(t, faketelegram.Options{PerChatInterval: -1})
	h := &fileHandler{}
	start(t, srv, Config{}, h)
	send(t, srv, private, 42, 0, "/source import")
	eventually(t, "the reply", func() bool { return len(srv.Messages(fmt.Sprint(private.ID))) == 1 })
	if got := plainTexts(srv, private.ID)[0]; !strings.Contains(got, "as its caption") {
		t.Errorf("reply %q", got)
	}
	if len(h.opened()) != 0 {
		t.Error("handler ran without the file")
	}
}

// A reply's file is sent with sendDocument after the text.
func TestReplyDocument(t *testing.T) {
	srv := newFake(t, faketelegram.Options{PerChatInterval: -1})
	opml := []byte(`<?xml version="1.0"?><opml version="2.0"><body><outline type="rss" xmlUrl="https://x.example/feed"/></body></opml>`)
	rec := &recorder{reply: func(req digest.CommandRequest) digest.CommandReply {
		return digest.CommandReply{Text: "1 source", File: &digest.File{Name: "sources.opml", Data: opml}}
	}}
	start(t, srv, Config{}, rec)
	send(t, srv, private, 42, 0, "/source export")
	eventually(t, "the document", func() bool { return len(srv.Messages(fmt.Sprint(private.ID))) == 2 })
	msgs := srv.Messages(fmt.Sprint(private.ID))
	if msgs[0].Plain != "1 source" || msgs[1].Document == nil || msgs[1].Document.Name != "sources.opml" || !bytes.Equal(msgs[1].Document.Data, opml) {
		t.Errorf("messages %+v", msgs)
	}
}

// A slow handler: the callback query is answered before it finishes, and
// the message is still replaced when it does.
func TestSlowPressAnsweredInTime(t *testing.T) {
	srv := newFake(t, faketelegram.Options{PerChatInterval: -1})
	release := make(chan struct{})
	rec := &recorder{reply: func(req digest.CommandRequest) digest.CommandReply {
		<-release
		return digest.CommandReply{Text: "Imported 50 feeds."}
	}}
	b, _ := newBot(t, srv, Config{}, rec)
	b.answerAfter = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	if err := b.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); b.Close() })
	id := srv.Seed("42", "Import?", &faketelegram.InlineKeyboard{InlineKeyboard: [][]faketelegram.InlineButton{{{Text: "Import", CallbackData: "imp:ok"}}}}, false)
	u := srv.PressUpdate(private, 42, id, "imp:ok", false)
	if _, err := srv.SendUpdate(u); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the early answer", func() bool { n, _ := srv.CallbackAnswers(u.CallbackQuery.ID); return n == 1 })
	if srv.Messages("42")[0].Edits != 0 {
		t.Fatal("edited before the handler finished")
	}
	close(release)
	eventually(t, "the edit", func() bool { return srv.Messages("42")[0].Edits == 1 })
	if n, _ := srv.CallbackAnswers(u.CallbackQuery.ID); n != 1 {
		t.Errorf("answered %d times", n)
	}
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}

// A reply too long for the caption of the photo pressed: the buttons go
// and the reply is sent as a new message, not lost.
func TestPressOnPhotoLongReply(t *testing.T) {
	srv := newFake(t, faketelegram.Options{PerChatInterval: -1})
	long := strings.Repeat("All fifty feeds were imported. ", 60) // ~1800 characters
	rec := &recorder{reply: func(req digest.CommandRequest) digest.CommandReply { return digest.CommandReply{Text: long} }}
	start(t, srv, Config{}, rec)
	kb := &faketelegram.InlineKeyboard{InlineKeyboard: [][]faketelegram.InlineButton{{{Text: "Import", CallbackData: "imp:ok"}}}}
	id := srv.Seed("42", "Preview", kb, true)
	u := srv.PressUpdate(private, 42, id, "imp:ok", true)
	if _, err := srv.SendUpdate(u); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reply", func() bool { return len(srv.Messages("42")) == 2 })
	msgs := srv.Messages("42")
	if msgs[0].ReplyMarkup != nil || msgs[0].Plain != "Preview" || msgs[1].Plain != strings.TrimSpace(long) {
		t.Errorf("messages %+v", msgs)
	}
	if srv.Calls("editMessageCaption") != 0 {
		t.Error("tried a caption edit that cannot fit")
	}
}

// A reply's file takes a slot of the global budget and gives it back: a
// budget of one message a second still sends after a document.
func TestDocumentFreesItsBudgetSlot(t *testing.T) {
	srv := newFake(t, faketelegram.Options{PerChatInterval: -1})
	b, _ := newBot(t, srv, Config{MessagesPerSecond: 1, PerChatInterval: time.Millisecond}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	chat := fmt.Sprint(private.ID)
	if err := b.sendDocument(ctx, chat, "", digest.File{Name: "sources.opml", Data: []byte("<opml/>")}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.send(ctx, chat, "", Message{Text: "after the file"}); err != nil {
		t.Fatalf("send after a document: %v", err)
	}
}

// A reply's file, and a press's follow-up messages and file, are retried
// through a 5xx as a command's messages are: no outbox stands behind them.
func TestReplyRetriesFileAndPressReply(t *testing.T) {
	opml := []byte(`<opml version="2.0"><body/></opml>`)
	t.Run("command reply's file", func(t *testing.T) {
		srv := newFake(t, faketelegram.Options{PerChatInterval: -1})
		srv.InjectFault(faketelegram.Fault{Method: "sendDocument", Count: 1, Kind: faketelegram.ServerError})
		rec := &recorder{reply: func(req digest.CommandRequest) digest.CommandReply {
			return digest.CommandReply{Text: "1 source", File: &digest.File{Name: "sources.opml", Data: opml}}
		}}
		start(t, srv, Config{}, rec)
		send(t, srv, private, 42, 0, "/source export")
		eventually(t, "the document", func() bool { return len(srv.Messages(fmt.Sprint(private.ID))) == 2 })
	})
	t.Run("press reply", func(t *testing.T) {
		srv := newFake(t, faketelegram.Options{PerChatInterval: -1})
		rec := &recorder{reply: func(req digest.CommandRequest) digest.CommandReply {
			// A text that nearly fills a message, and a card: two messages.
			return digest.CommandReply{Text: strings.Repeat("Added. ", 570), Cards: []digest.Card{sampleCard()}, File: &digest.File{Name: "sources.opml", Data: opml}}
		}}
		start(t, srv, Config{}, rec)
		kb := &faketelegram.InlineKeyboard{InlineKeyboard: [][]faketelegram.InlineButton{{{Text: "Add", CallbackData: "src:ok:1"}}}}
		chatID := fmt.Sprint(private.ID)
		id := srv.Seed(chatID, "Add My Site?", kb, false)
		srv.InjectFault(faketelegram.Fault{Method: "sendMessage", Count: 1, Kind: faketelegram.ServerError})
		srv.InjectFault(faketelegram.Fault{Method: "sendDocument", Count: 1, Kind: faketelegram.ServerError})
		if _, err := srv.SendUpdate(srv.PressUpdate(private, 42, id, "src:ok:1", false)); err != nil {
			t.Fatal(err)
		}
		// The seeded message (edited to the reply's first part), the rest
		// of the reply, and the file.
		eventually(t, "the reply's rest and the document", func() bool {
			msgs := srv.Messages(chatID)
			return len(msgs) == 3 && msgs[2].Document != nil
		})
	})
}
