package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsdigest/digest"
)

// postKey is the payload key of a digest part's posting directive: how
// the part goes out when the subscription posts in a thread or a forum.
// Send takes it off (outgoing) before the message goes to Discord.
const postKey = "newsdigest_post"

// postDirective says how one part of a threaded digest is posted.
type postDirective struct {
	// Mode is digest.PostThread or digest.PostForum.
	Mode digest.PostMode `json:"mode"`
	// Start is set on the part that opens the thread: the header message
	// a thread is started from, or the forum post itself.
	Start bool `json:"start,omitempty"`
	// Name is the thread's or post's title.
	Name string `json:"name,omitempty"`
	// Guild is the subscription's guild, where active threads are listed.
	Guild string `json:"guild,omitempty"`
	// Tags are names to match against the forum's tags (sources, keywords).
	Tags []string `json:"tags,omitempty"`
}

// Discord's codes for threads.
const (
	codeThreadAlreadyCreated = 160004
	codeMaxActiveThreads     = 160006
)

// maxThreadName is Discord's limit on a thread's name.
const maxThreadName = 100

// digestTitle is a threaded digest's title, in the channel's zone:
// "Daily digest — 5 Dec 2026".
func digestTitle(d digest.DigestView) string {
	loc, err := time.LoadLocation(d.Sub.TimeZone)
	if err != nil || d.Sub.TimeZone == "" {
		loc = time.UTC
	}
	return Truncate("Daily digest — "+d.Scheduled.In(loc).Format("2 Jan 2006"), maxThreadName)
}

// threadedParts renders a digest for a thread or forum subscription.
// Thread: a header line in the channel, then the cards in the thread.
// Forum: the post (header and the first cards), then the rest in it.
func threadedParts(d digest.DigestView, msgs []*discordgo.MessageSend) ([][]byte, error) {
	start := postDirective{Mode: d.Sub.PostMode, Start: true, Name: digestTitle(d), Guild: d.Sub.GuildID}
	if d.Sub.PostMode == digest.PostForum {
		start.Tags = tagNames(d)
	}
	if d.Sub.PostMode == digest.PostThread && len(d.Cards) > 0 {
		// The channel shows one line a day; the cards go in the thread.
		header := &discordgo.MessageSend{Content: Truncate(digestHeader(d), MaxContent), AllowedMentions: noMentions()}
		for _, m := range msgs {
			m.Content = ""
		}
		msgs = append([]*discordgo.MessageSend{header}, msgs...)
	}
	if d.Sub.PostMode == digest.PostThread && len(d.Cards) == 0 {
		start = postDirective{} // an empty day's note needs no thread
	}
	out := make([][]byte, len(msgs))
	for i, m := range msgs {
		b, err := renderMessage(m)
		if err != nil {
			return nil, err
		}
		dir := postDirective{Mode: d.Sub.PostMode}
		if i == 0 {
			dir = start
		}
		if dir.Mode == "" {
			out[i] = b
			continue
		}
		if out[i], err = withDirective(b, dir); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// tagNames are the names a forum tag may match: the digest's sources and
// the subscription's keywords.
func tagNames(d digest.DigestView) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		k := strings.ToLower(strings.TrimSpace(s))
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, strings.TrimSpace(s))
		}
	}
	for _, k := range d.Sub.Keywords {
		add(k)
	}
	for _, c := range d.Cards {
		add(c.Source)
		for _, s := range c.Sources {
			add(s)
		}
	}
	return out
}

func withDirective(payload []byte, dir postDirective) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(payload, &m); err != nil {
		return nil, fmt.Errorf("discord: payload is not a JSON message: %w", err)
	}
	m[postKey], _ = json.Marshal(dir)
	return json.Marshal(m)
}

// sendThreaded posts a part of a thread or forum digest. The thread's ID is
// the ID of the part that opened it (a thread started from a message has
// the message's ID; a forum post's thread has its starter message's), which
// delivery passes to the later parts as d.ThreadID.
func (b *Bot) sendThreaded(ctx context.Context, d digest.Delivery, dir *postDirective, msg []byte) (string, error) {
	switch {
	case !dir.Start && d.ThreadID != "":
		return b.post(ctx, d.ThreadID, http.MethodPost, discordgo.EndpointChannelMessages(d.ThreadID), msg)
	case !dir.Start && dir.Mode == digest.PostThread:
		// The header never made it (its part failed): the cards go in the
		// channel rather than nowhere.
		return b.post(ctx, d.ChatID, http.MethodPost, discordgo.EndpointChannelMessages(d.ChatID), msg)
	case !dir.Start:
		return "", fmt.Errorf("discord: delivery %s: the forum post of this digest was not created; its later parts cannot be posted", d.Key)
	case dir.Mode == digest.PostThread:
		id, err := b.post(ctx, d.ChatID, http.MethodPost, discordgo.EndpointChannelMessages(d.ChatID), msg)
		if err != nil {
			return "", err
		}
		body, _ := json.Marshal(map[string]any{"name": dir.Name, "auto_archive_duration": 1440})
		_, err = b.post(ctx, d.ChatID, http.MethodPost, discordgo.EndpointChannelMessageThread(d.ChatID, id), body)
		var ae *apiStatusError
		if errors.As(err, &ae) && ae.code == codeThreadAlreadyCreated {
			err = nil // a retry after a crash: the thread is there
		}
		if err != nil {
			return "", fmt.Errorf("discord: start the digest's thread on message %s: %w", id, err)
		}
		return id, nil
	default: // forum post
		if id, err := b.findPost(ctx, dir.Guild, d.ChatID, dir.Name); err != nil || id != "" {
			return id, err
		}
		body, err := b.forumPostBody(ctx, d.ChatID, dir, msg)
		if err != nil {
			return "", err
		}
		return b.post(ctx, d.ChatID, http.MethodPost, discordgo.EndpointChannelThreads(d.ChatID), body)
	}
}

// findPost looks for the bot's active post of this name in a forum, so
// that a retry after a crash between creating the post and recording it
// does not open a second one. "" when there is none.
func (b *Bot) findPost(ctx context.Context, guild, forum, name string) (string, error) {
	if guild == "" {
		ch, err := b.channel(ctx, forum)
		if err != nil {
			return "", err
		}
		guild = ch.GuildID
	}
	raw, err := b.get(ctx, forum, discordgo.EndpointGuildActiveThreads(guild))
	if err != nil {
		return "", fmt.Errorf("discord: list the active threads of guild %s: %w", guild, err)
	}
	var list struct {
		Threads []struct {
			ID       string `json:"id"`
			ParentID string `json:"parent_id"`
			Name     string `json:"name"`
			OwnerID  string `json:"owner_id"`
		} `json:"threads"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return "", fmt.Errorf("discord: active threads of guild %s: %w", guild, err)
	}
	me := b.userID()
	for _, t := range list.Threads {
		if t.ParentID == forum && t.Name == name && (me == "" || t.OwnerID == me) {
			return t.ID, nil
		}
	}
	return "", nil
}

// forumPostBody builds the forum post: its title, the message, and the
// forum's tags whose names match the digest's sources or keywords.
func (b *Bot) forumPostBody(ctx context.Context, forum string, dir *postDirective, msg []byte) ([]byte, error) {
	var applied []string
	if len(dir.Tags) > 0 {
		ch, err := b.channel(ctx, forum)
		if err != nil {
			return nil, err
		}
		want := map[string]bool{}
		for _, t := range dir.Tags {
			want[strings.ToLower(t)] = true
		}
		for _, t := range ch.AvailableTags {
			if want[strings.ToLower(strings.TrimSpace(t.Name))] && len(applied) < 5 {
				applied = append(applied, t.ID)
			}
		}
	}
	body := map[string]any{"name": dir.Name, "message": json.RawMessage(msg), "auto_archive_duration": 1440}
	if len(applied) > 0 {
		body["applied_tags"] = applied
	}
	return json.Marshal(body)
}

// channel reads a channel (its type, guild, parent and forum tags).
func (b *Bot) channel(ctx context.Context, id string) (*discordgo.Channel, error) {
	raw, err := b.get(ctx, id, discordgo.EndpointChannel(id))
	if err != nil {
		return nil, fmt.Errorf("discord: read channel %s: %w", id, err)
	}
	var ch discordgo.Channel
	if err := json.Unmarshal(raw, &ch); err != nil {
		return nil, fmt.Errorf("discord: channel %s: %w", id, err)
	}
	return &ch, nil
}

// userID is the bot's own user ID once the gateway is ready, else "".
func (b *Bot) userID() string {
	if b.s != nil && b.s.State != nil && b.s.State.User != nil {
		return b.s.State.User.ID
	}
	return ""
}

// threadPermissions are what the bot needs to post a digest in threads.
const threadPermissions = discordgo.PermissionCreatePublicThreads | discordgo.PermissionSendMessagesInThreads

// inForum makes a command run in a forum's post address the forum, whose
// subscription (a post per digest) the post belongs to: /subscribe there
// subscribes the forum, /unsubscribe, /digest and /source address it, and
// a press of a button there is the forum's. The answer still goes to the
// post (interactions answer by their token). A channel's forum is read
// once: a thread's parent never changes.
func (b *Bot) inForum(ctx context.Context, req *digest.CommandRequest) {
	if req.GuildID == "" || req.ChatID == "" {
		return
	}
	if f, ok := b.forums.Load(req.ChatID); ok {
		if forum := f.(string); forum != "" {
			req.ChatID, req.Forum = forum, true
		}
		return
	}
	forum := ""
	ch, err := b.channel(ctx, req.ChatID)
	switch {
	case err != nil:
		b.log.Warn("discord: reading the channel of a command failed; taking it as a text channel", "channel_id", req.ChatID, "err", err)
		return // not remembered: asked again next time
	case ch.Type == discordgo.ChannelTypeGuildForum:
		forum = ch.ID
	case ch.Type == discordgo.ChannelTypeGuildPublicThread && ch.ParentID != "":
		if parent, err := b.channel(ctx, ch.ParentID); err != nil {
			b.log.Warn("discord: reading a thread's parent failed; taking the thread as a text channel", "channel_id", ch.ParentID, "err", err)
			return
		} else if parent.Type == discordgo.ChannelTypeGuildForum {
			forum = parent.ID
		}
	}
	b.forums.Store(req.ChatID, forum)
	if forum != "" {
		req.ChatID, req.Forum = forum, true
	}
}

// threadsRefused is the reply to a /subscribe that would post in threads
// (thread:true, or in a forum) where the bot may not start threads and post
// in them; ok is false when it may. Nothing changes.
func threadsRefused(i *discordgo.Interaction, req digest.CommandRequest) (r digest.CommandReply, refused bool) {
	wantThread := req.Args["thread"] == "true"
	if req.Name != "subscribe" || !(wantThread || req.Forum) || i.AppPermissions == 0 || i.AppPermissions&threadPermissions == threadPermissions {
		return digest.CommandReply{}, false
	}
	var missing []string
	if i.AppPermissions&discordgo.PermissionCreatePublicThreads == 0 {
		missing = append(missing, "Create Public Threads")
	}
	if i.AppPermissions&discordgo.PermissionSendMessagesInThreads == 0 {
		missing = append(missing, "Send Messages in Threads")
	}
	where := "thread:true"
	if req.Forum {
		where = "a forum"
	}
	return digest.CommandReply{IsError: true, Ephemeral: true, Text: fmt.Sprintf(
		"For %s I need the %s permission in this channel. Give it to me (channel settings → Permissions), then run /subscribe again. Nothing was changed.",
		where, strings.Join(missing, " and "))}, true
}
