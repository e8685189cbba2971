package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsdigest/adapters/discord/fakediscord"
	"newsdigest/digest"
)

// completer is a recorder that also suggests option values.
type completer struct {
	recorder
	suggest func(option, typed string) []string
	got     chan [2]string
}

func (c *completer) Complete(ctx context.Context, req digest.CommandRequest, option, typed string) ([]string, error) {
	c.got <- [2]string{option, typed}
	return c.suggest(option, typed), nil
}

func TestSourceRegisteredWithSubcommands(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	startBot(t, srv, &recorder{}, func(c *Config) { c.GuildID = "555" })
	var source struct {
		Options []struct {
			Type    int    `json:"type"`
			Name    string `json:"name"`
			Options []struct {
				Type         int    `json:"type"`
				Name         string `json:"name"`
				Required     bool   `json:"required"`
				Autocomplete bool   `json:"autocomplete"`
			} `json:"options"`
		} `json:"options"`
	}
	for _, r := range srv.Commands("555") {
		if bytes.Contains(r, []byte(`"name":"source"`)) {
			if err := json.Unmarshal(r, &source); err != nil {
				t.Fatal(err)
			}
		}
	}
	subs := map[string]string{}
	for _, o := range source.Options {
		if o.Type != 1 {
			t.Errorf("option %s of /source has type %d, want SUB_COMMAND (1)", o.Name, o.Type)
		}
		var desc []string
		for _, so := range o.Options {
			desc = append(desc, fmt.Sprintf("%s:%d:%v:%v", so.Name, so.Type, so.Required, so.Autocomplete))
		}
		subs[o.Name] = strings.Join(desc, ",")
	}
	want := map[string]string{
		"add": "url:3:true:false,name:3:false:false", "remove": "source:3:true:true", "list": "", "catalogue": "",
		"pick": "source:3:true:true", "import": "file:11:true:false", "export": "",
	}
	for name, w := range want {
		if got, ok := subs[name]; !ok || got != w {
			t.Errorf("subcommand %s: options %q (present %v), want %q", name, got, ok, w)
		}
	}
	if len(subs) != len(want) {
		t.Errorf("subcommands %v", subs)
	}
	noViolations(t, srv)
}

func TestSubcommandArgs(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		return digest.CommandReply{Text: "ok"}, nil
	}}
	startBot(t, srv, rec, nil)
	in, err := srv.SendInteraction(fakediscord.CommandInteraction{Name: "source", Subcommand: "add",
		Options: map[string]any{"url": "https://x.example/", "name": "My Site"}, GuildID: "1", ChannelID: "2", UserID: "3",
		Permissions: fakediscord.PermManageChannels})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.WaitInteraction(waitCtx(t), in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil }); err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	got := reqs[0]
	want := map[string]string{"subcommand": "add", "url": "https://x.example/", "name": "My Site"}
	if fmt.Sprint(got.Args) != fmt.Sprint(want) || got.Name != "source" || !got.IsAdmin || got.Attachment != nil {
		t.Errorf("request %+v, want source with %v", got, want)
	}
	noViolations(t, srv)
}

// A reply's buttons are rendered; an admin's press reaches the handler
// with the button's ID and replaces the message (type 7, buttons gone);
// a non-admin's press is passed as not admin, and the handler's refusal
// goes to the presser alone, leaving the message as it was.
func TestButtonsAndPresses(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		switch {
		case req.Name == "source":
			return digest.CommandReply{Text: "Add My Site?", Buttons: []digest.Button{{ID: "src:ok:42", Label: "Add"}, {ID: "src:no:42", Label: "Cancel", Danger: true}}}, nil
		case req.Name == digest.Pressed && !req.IsAdmin:
			return digest.CommandReply{Text: "Only admins can confirm.", IsError: true}, nil
		case req.Name == digest.Pressed && req.ChatID != "2":
			return digest.CommandReply{Text: "This confirmation belongs to another channel.", IsError: true}, nil
		case req.Name == digest.Pressed:
			return digest.CommandReply{Text: "Added My Site."}, nil
		}
		return digest.CommandReply{}, errors.New("unexpected")
	}}
	startBot(t, srv, rec, nil)
	in, _ := srv.SendInteraction(fakediscord.CommandInteraction{Name: "source", Subcommand: "add",
		Options: map[string]any{"url": "https://x.example/"}, GuildID: "1", ChannelID: "2", UserID: "3", Permissions: fakediscord.PermManageChannels})
	got, err := srv.WaitInteraction(waitCtx(t), in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil })
	if err != nil {
		t.Fatal(err)
	}
	bs := got.Callback.Buttons()
	if len(got.Callback.Components) != 1 || got.Callback.Components[0].Type != 1 || len(bs) != 2 ||
		fmt.Sprint(bs) != fmt.Sprint([]fakediscord.Component{{Type: 2, Style: 1, Label: "Add", CustomID: "src:ok:42"}, {Type: 2, Style: 4, Label: "Cancel", CustomID: "src:no:42"}}) {
		t.Fatalf("components %+v", got.Callback.Components)
	}

	press := func(p fakediscord.ButtonPress) fakediscord.Interaction {
		t.Helper()
		in, err := srv.SendPress(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := srv.WaitInteraction(waitCtx(t), in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil })
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	// A member without Manage Channels.
	got = press(fakediscord.ButtonPress{CustomID: "src:ok:42", GuildID: "1", ChannelID: "2", UserID: "4", Permissions: fakediscord.PermSendMessages})
	if got.Callback.Type != 4 || !got.Callback.Ephemeral() || got.Callback.Components != nil {
		t.Errorf("non-admin press answered %+v, want an ephemeral message that leaves the buttons", got.Callback)
	}
	// The same button pressed in another channel: passed with its channel.
	got = press(fakediscord.ButtonPress{CustomID: "src:ok:42", GuildID: "1", ChannelID: "9", UserID: "3", Permissions: fakediscord.PermManageChannels})
	if got.Callback.Type != 4 || !got.Callback.Ephemeral() {
		t.Errorf("press in another channel answered %+v", got.Callback)
	}
	// The admin.
	got = press(fakediscord.ButtonPress{CustomID: "src:ok:42", GuildID: "1", ChannelID: "2", UserID: "3", Permissions: fakediscord.PermManageChannels})
	if got.Callback.Type != 7 || got.Callback.Content != "Added My Site." || got.Callback.Components == nil || len(got.Callback.Components) != 0 {
		t.Errorf("admin press answered %+v, want UPDATE_MESSAGE with the buttons removed", got.Callback)
	}
	reqs := rec.requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests", len(reqs))
	}
	for i, w := range []struct {
		chat, user string
		admin      bool
	}{{"2", "4", false}, {"9", "3", true}, {"2", "3", true}} {
		r := reqs[i+1]
		if r.Name != digest.Pressed || r.Args["button"] != "src:ok:42" || len(r.Args) != 1 || r.ChatID != w.chat ||
			r.UserID != w.user || r.IsAdmin != w.admin || r.GuildID != "1" || r.Platform != digest.Discord {
			t.Errorf("press %d: request %+v, want chat %s user %s admin %v", i, r, w.chat, w.user, w.admin)
		}
	}
	noViolations(t, srv)
}

// A press whose handler is slow is deferred as an update (type 6), then
// the original message is edited with the buttons removed.
func TestPressDeferred(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	release := make(chan struct{})
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		<-release
		return digest.CommandReply{Text: "Imported 50 feeds."}, nil
	}}
	startBot(t, srv, rec, func(c *Config) { c.DeferAfter = 20 * time.Millisecond })
	in, err := srv.SendPress(fakediscord.ButtonPress{CustomID: "imp:ok:1", GuildID: "1", ChannelID: "2", UserID: "3", Permissions: fakediscord.PermAdministrator})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.WaitInteraction(waitCtx(t), in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil }); err != nil {
		t.Fatal(err)
	}
	close(release)
	got, err := srv.WaitInteraction(waitCtx(t), in.ID, func(i fakediscord.Interaction) bool { return len(i.Edits) > 0 })
	if err != nil {
		t.Fatal(err)
	}
	if got.Callback.Type != 6 || got.Edits[0].Content != "Imported 50 feeds." || got.Edits[0].Components == nil || len(got.Edits[0].Components) != 0 {
		t.Errorf("callback %+v, edit %+v", got.Callback, got.Edits[0])
	}
	noViolations(t, srv)
}

func TestAutocomplete(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	h := &completer{got: make(chan [2]string, 1), suggest: func(option, typed string) []string {
		var out []string
		for i := range 30 {
			out = append(out, fmt.Sprintf("%s %d %s", typed, i, strings.Repeat("x", i*5)))
		}
		return out
	}}
	startBot(t, srv, h, nil)
	in, err := srv.SendInteraction(fakediscord.CommandInteraction{Name: "source", Subcommand: "remove", Focused: "source",
		Options: map[string]any{"source": "ber"}, GuildID: "1", ChannelID: "2", UserID: "3", Permissions: fakediscord.PermManageChannels})
	if err != nil {
		t.Fatal(err)
	}
	got, err := srv.WaitInteraction(waitCtx(t), in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil })
	if err != nil {
		t.Fatal(err)
	}
	if q := <-h.got; q != [2]string{"source", "ber"} {
		t.Errorf("Complete got %v", q)
	}
	if got.Callback.Type != 8 || len(got.Callback.Choices) != 25 || got.Callback.Choices[0].Name != "ber 0 " {
		t.Errorf("answer type %d with %d choices %v", got.Callback.Type, len(got.Callback.Choices), got.Callback.Choices)
	}
	if len(h.requests()) != 0 {
		t.Error("an autocomplete interaction ran the command")
	}
	noViolations(t, srv)
}

// A handler without Complete answers with no suggestions.
func TestAutocompleteWithoutCompleter(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	startBot(t, srv, &recorder{}, nil)
	in, _ := srv.SendInteraction(fakediscord.CommandInteraction{Name: "source", Subcommand: "pick", Focused: "source",
		Options: map[string]any{"source": ""}, GuildID: "1", ChannelID: "2", UserID: "3", Permissions: fakediscord.PermManageChannels})
	got, err := srv.WaitInteraction(waitCtx(t), in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil })
	if err != nil {
		t.Fatal(err)
	}
	if got.Callback.Type != 8 || len(got.Callback.Choices) != 0 {
		t.Errorf("answer %+v", got.Callback)
	}
	noViolations(t, srv)
}

// An attachment option reaches the handler as req.Attachment, read from
// the URL Discord gave; one over the limit gives ErrTooLarge without being
// downloaded (stated size) or read whole (a wrong stated size).
func TestAttachment(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("<outline/>"), 3<<20) // 30 MiB
	tests := []struct {
		name    string
		upload  fakediscord.Upload
		wantErr bool
		gets    int
	}{
		{"small", fakediscord.Upload{Filename: "feeds.opml", Data: []byte("<opml/>")}, false, 1},
		{"stated too large", fakediscord.Upload{Filename: "big.opml", Data: big}, true, 0},
		{"understated", fakediscord.Upload{Filename: "big.opml", Data: big, Size: 100}, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakediscord.New(t)
			type opened struct {
				req  digest.CommandRequest
				data []byte
				err  error
			}
			got := make(chan opened, 1)
			h := handlerFunc(func(ctx context.Context, req digest.CommandRequest) (digest.CommandReply, error) {
				o := opened{req: req}
				if req.Attachment != nil {
					o.data, o.err = req.Attachment.Open(ctx, 1<<20)
				}
				got <- o
				return digest.CommandReply{Text: "read"}, nil
			})
			startBot(t, srv, h, nil)
			if _, err := srv.SendInteraction(fakediscord.CommandInteraction{Name: "source", Subcommand: "import",
				Options: map[string]any{"file": tt.upload}, GuildID: "1", ChannelID: "2", UserID: "3", Permissions: fakediscord.PermManageChannels}); err != nil {
				t.Fatal(err)
			}
			var o opened
			select {
			case o = <-got:
			case <-waitCtx(t).Done():
				t.Fatal("handler not called")
			}
			a := o.req.Attachment
			if a == nil || a.Name != tt.upload.Filename || o.req.Args["file"] != tt.upload.Filename || o.req.Args["subcommand"] != "import" {
				t.Fatalf("request %+v", o.req)
			}
			if tt.wantErr {
				if !errors.Is(o.err, digest.ErrTooLarge) || o.data != nil {
					t.Errorf("Open: %d bytes, %v; want ErrTooLarge", len(o.data), o.err)
				}
			} else if o.err != nil || !bytes.Equal(o.data, tt.upload.Data) {
				t.Errorf("Open: %q, %v", o.data, o.err)
			}
			n, served := srv.AttachmentGets()
			if n != tt.gets || served >= int64(len(big))/2 {
				t.Errorf("%d downloads, %d bytes served; want %d downloads, not the whole file", n, served, tt.gets)
			}
			noViolations(t, srv)
		})
	}
}

// A reply's file goes as a multipart follow-up after the answer.
func TestReplyFile(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	opml := []byte(`<?xml version="1.0"?><opml version="2.0"><body><outline type="rss" xmlUrl="https://x.example/feed"/></body></opml>`)
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		return digest.CommandReply{Text: "1 source", File: &digest.File{Name: "sources.opml", Data: opml}}, nil
	}}
	startBot(t, srv, rec, nil)
	in, _ := srv.SendInteraction(fakediscord.CommandInteraction{Name: "source", Subcommand: "export", GuildID: "1", ChannelID: "2", UserID: "3", Permissions: fakediscord.PermManageChannels})
	got, err := srv.WaitInteraction(waitCtx(t), in.ID, func(i fakediscord.Interaction) bool { return len(i.Followups) > 0 })
	if err != nil {
		t.Fatal(err)
	}
	if got.Callback.Content != "1 source" {
		t.Errorf("callback %+v", got.Callback)
	}
	f := got.Followups[0]
	if len(f.Files) != 1 || f.Files[0].Name != "sources.opml" || !bytes.Equal(f.Files[0].Data, opml) || !f.Ephemeral() {
		t.Errorf("follow-up %+v", f)
	}
	noViolations(t, srv)
}

// Presses and autocomplete arrive over the HTTP interactions endpoint too.
func TestHTTPPressAndAutocomplete(t *testing.T) {
	t.Parallel()
	h := &completer{got: make(chan [2]string, 1), suggest: func(option, typed string) []string { return []string{"Berlin Daily"} }}
	h.reply = func(req digest.CommandRequest) (digest.CommandReply, error) {
		return digest.CommandReply{Text: "Done.", Buttons: []digest.Button{{ID: "again", Label: "Again"}}}, nil
	}
	srv, hs, priv := httpBot(t, h, nil)

	in := srv.PreparePress(fakediscord.ButtonPress{CustomID: "src:ok:7", GuildID: "1", ChannelID: "2", UserID: "3", Permissions: fakediscord.PermManageChannels})
	status, body := do(t, fakediscord.SignedInteractionRequest(hs.URL, priv, in.Body, time.Now()))
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	if problems := srv.Acknowledge(in.ID, body); len(problems) > 0 {
		t.Errorf("press answer: %v", problems)
	}
	got, _ := srv.Interaction(in.ID)
	if got.Callback.Type != 7 || got.Callback.Content != "Done." || len(got.Callback.Buttons()) != 1 || got.Callback.Buttons()[0].CustomID != "again" {
		t.Errorf("press answer %s", body)
	}
	if reqs := h.requests(); len(reqs) != 1 || reqs[0].Args["button"] != "src:ok:7" || !reqs[0].IsAdmin {
		t.Errorf("requests %+v", reqs)
	}

	in = srv.PrepareInteraction(fakediscord.CommandInteraction{Name: "source", Subcommand: "pick", Focused: "source",
		Options: map[string]any{"source": "be"}, GuildID: "1", ChannelID: "2", UserID: "3", Permissions: fakediscord.PermManageChannels})
	status, body = do(t, fakediscord.SignedInteractionRequest(hs.URL, priv, in.Body, time.Now()))
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	if problems := srv.Acknowledge(in.ID, body); len(problems) > 0 {
		t.Errorf("autocomplete answer: %v", problems)
	}
	got, _ = srv.Interaction(in.ID)
	if got.Callback.Type != 8 || len(got.Callback.Choices) != 1 || got.Callback.Choices[0].Name != "Berlin Daily" {
		t.Errorf("autocomplete answer %s", body)
	}
	noViolations(t, srv)
}

// An attachment URL off Discord's CDN (and off the API host) is not fetched.
func TestAttachmentElsewhereRefused(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	b := newBot(t, srv, &recorder{}, nil)
	for _, u := range []string{"http://169.254.169.254/latest/meta-data", "https://evil.example/a.opml", "file:///etc/passwd"} {
		a := b.attachment(&discordgo.MessageAttachment{Filename: "a.opml", Size: 10, URL: u})
		if data, err := a.Open(context.Background(), 1<<20); err == nil || data != nil || errors.Is(err, digest.ErrTooLarge) {
			t.Errorf("%s: %q, %v; want refused", u, data, err)
		}
	}
	if !b.attachmentHost("cdn.discordapp.com") {
		t.Error("Discord's CDN refused")
	}
}

func TestOptionPayloads(t *testing.T) {
	t.Parallel()
	opts := optionPayloads([]digest.OptionSpec{
		{Name: "kind", Type: digest.OptString, Choices: []string{"feed", "listing"}, Autocomplete: true},
		{Name: "file", Type: digest.OptString, Attachment: true, Required: true},
		{Name: "n", Type: digest.OptInteger, Min: 1, Max: 5},
		{Name: "who", Type: digest.OptString, Autocomplete: true, Required: true},
	})
	got, _ := json.Marshal(opts)
	want := `[{"type":11,"name":"file","description":"","required":true},` +
		`{"type":3,"name":"who","description":"","required":true,"autocomplete":true},` +
		`{"type":3,"name":"kind","description":"","choices":[{"name":"feed","value":"feed"},{"name":"listing","value":"listing"}]},` +
		`{"type":4,"name":"n","description":"","min_value":1,"max_value":5}]`
	if string(got) != want {
		t.Errorf("options\n%s\nwant\n%s", got, want)
	}
}
