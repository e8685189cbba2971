package discord

import (
	"strings"
	"testing"

	"newsdigest/adapters/discord/fakediscord"
	"newsdigest/digest"
)

func TestSubscribeWhere(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	srv.AddForum("600", "555", "Reuters")
	srv.AddThread("601", "600")
	srv.AddTextChannel("42", "555")
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		return digest.CommandReply{Text: "Subscribed."}, nil
	}}
	startBot(t, srv, rec, nil)
	admin := fakediscord.PermManageChannels
	noThreads := fakediscord.PermSendMessages
	tests := []struct {
		name      string
		channel   string
		opts      map[string]any
		app       int64
		wantChat  string
		wantForum bool
		wantText  string // "" when the handler answers
	}{
		{"text channel", "42", nil, 0, "42", false, ""},
		{"in a forum's post: the forum is subscribed", "601", nil, 0, "600", true, ""},
		{"thread:true with thread permissions", "42", map[string]any{"thread": true}, 0, "42", false, ""},
		{"thread:true without them is refused", "42", map[string]any{"thread": true}, noThreads, "", false, "Create Public Threads and Send Messages in Threads"},
		{"a forum without them is refused", "601", nil, noThreads, "", false, "For a forum I need"},
	}
	for _, tt := range tests {
		opts := map[string]any{"time": "08:00", "timezone": "Europe/Berlin"}
		for k, v := range tt.opts {
			opts[k] = v
		}
		before := len(rec.requests())
		in, err := srv.SendInteraction(fakediscord.CommandInteraction{Name: "subscribe", Options: opts, GuildID: "555",
			ChannelID: tt.channel, UserID: "7", Permissions: admin, AppPermissions: tt.app})
		if err != nil {
			t.Fatal(err)
		}
		got, err := srv.WaitInteraction(waitCtx(t), in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil })
		if err != nil {
			t.Fatal(err)
		}
		reqs := rec.requests()
		if tt.wantText != "" {
			if len(reqs) != before || !strings.Contains(got.Callback.Content, tt.wantText) || !strings.Contains(got.Callback.Content, "Nothing was changed") {
				t.Errorf("%s: handler calls %d→%d, answer %q", tt.name, before, len(reqs), got.Callback.Content)
			}
			continue
		}
		if len(reqs) != before+1 {
			t.Fatalf("%s: handler not called", tt.name)
		}
		r := reqs[len(reqs)-1]
		if r.ChatID != tt.wantChat || r.Forum != tt.wantForum {
			t.Errorf("%s: request chat %s forum %v, want %s %v", tt.name, r.ChatID, r.Forum, tt.wantChat, tt.wantForum)
		}
	}
	noViolations(t, srv)
}

// Every command run in a forum's post addresses the forum: /digest and
// /source there are about the forum's subscription, as /subscribe made it;
// a command elsewhere keeps its channel. The forum is looked up once.
func TestCommandsInAForumsPostAddressTheForum(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t)
	srv.AddForum("700", "555")
	srv.AddThread("701", "700")
	srv.AddTextChannel("42", "555")
	rec := &recorder{reply: func(req digest.CommandRequest) (digest.CommandReply, error) {
		return digest.CommandReply{Text: "ok"}, nil
	}}
	startBot(t, srv, rec, nil)
	for _, c := range []struct {
		name, sub, channel, want string
	}{
		{"digest", "", "701", "700"},
		{"source", "list", "701", "700"},
		{"digest", "", "701", "700"},
		{"digest", "", "42", "42"},
	} {
		in, err := srv.SendInteraction(fakediscord.CommandInteraction{Name: c.name, Subcommand: c.sub, GuildID: "555",
			ChannelID: c.channel, UserID: "7", Permissions: fakediscord.PermManageChannels})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.WaitInteraction(waitCtx(t), in.ID, func(i fakediscord.Interaction) bool { return i.Callback != nil }); err != nil {
			t.Fatal(err)
		}
		reqs := rec.requests()
		if r := reqs[len(reqs)-1]; r.ChatID != c.want || r.Forum != (c.want == "700") {
			t.Errorf("/%s %s in %s: chat %s forum %v, want %s", c.name, c.sub, c.channel, r.ChatID, r.Forum, c.want)
		}
	}
	if n := srv.Requests("GET /channels/{id}"); n != 3 {
		t.Errorf("%d channel reads, want 3 (the post, its forum, the text channel), each once", n)
	}
	noViolations(t, srv)
}
