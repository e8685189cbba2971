package fakediscord

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"time"
)

// Channel types of Discord's API that the fake knows.
const (
	ChannelText         = 0
	ChannelPublicThread = 11
	ChannelForum        = 15
)

// Thread-related error codes of Discord's API.
const (
	codeThreadAlreadyCreated = 160004 // "A thread has already been created for this message"
	codeMaxActiveThreads     = 160006 // "Maximum number of active threads reached"
	codeThreadArchived       = 50083  // "Operation cannot be performed on an archived thread"
)

// MaxActiveThreads is Discord's limit of active threads in one guild.
const MaxActiveThreads = 1000

// channelInfo is what the fake knows of a channel beyond its messages.
type channelInfo struct {
	ID, Guild, Name, Parent string
	Type                    int
	Tags                    []forumTag // a forum's available tags
	AppliedTags             []string
	OwnerID                 string
	Archived                bool
	NoThreadPerm            bool // the bot lacks Create Public Threads here
	Created                 time.Time
}

type forumTag struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// AddForum makes id a forum channel (type 15) of guild with tags of these
// names (each gets an ID).
func (s *Server) AddForum(id, guild string, tags ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channelLocked(id)
	c.Type, c.Guild, c.Name = ChannelForum, guild, "news-forum"
	for _, t := range tags {
		s.nextID++
		c.Tags = append(c.Tags, forumTag{ID: fmt.Sprint(s.nextID), Name: t})
	}
}

// AddTextChannel makes id a text channel (type 0) of guild.
func (s *Server) AddTextChannel(id, guild string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channelLocked(id)
	c.Type, c.Guild, c.Name = ChannelText, guild, "news"
}

// DenyThreads takes Create Public Threads from the bot in channel id:
// starting a thread there answers 403 50013.
func (s *Server) DenyThreads(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channelLocked(id).NoThreadPerm = true
}

// ArchiveThread archives a thread; the bot must not post into it again
// (posting would reopen it).
func (s *Server) ArchiveThread(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.chans[id]; ok && c.Type == ChannelPublicThread {
		c.Archived = true
	}
}

// Threads returns the threads whose parent is channel, oldest first.
func (s *Server) Threads(parent string) []ThreadInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ThreadInfo
	for _, c := range s.chans {
		if c.Type == ChannelPublicThread && c.Parent == parent {
			out = append(out, ThreadInfo{ID: c.ID, Name: c.Name, AppliedTags: append([]string(nil), c.AppliedTags...), Archived: c.Archived})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return len(out[i].ID) < len(out[j].ID) || len(out[i].ID) == len(out[j].ID) && out[i].ID < out[j].ID
	})
	return out
}

// ThreadInfo describes one thread the bot created.
type ThreadInfo struct {
	ID, Name    string
	AppliedTags []string
	Archived    bool
}

// TagID is the ID of a forum's tag by name, or "".
func (s *Server) TagID(forum, name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.chans[forum]; ok {
		for _, t := range c.Tags {
			if t.Name == name {
				return t.ID
			}
		}
	}
	return ""
}

// channelLocked returns the channel's record, making a text channel of
// guild "0" for one never set up. s.mu is held.
func (s *Server) channelLocked(id string) *channelInfo {
	if s.chans == nil {
		s.chans = map[string]*channelInfo{}
	}
	c, ok := s.chans[id]
	if !ok {
		c = &channelInfo{ID: id, Guild: "0", Type: ChannelText, Name: "channel-" + id}
		s.chans[id] = c
	}
	return c
}

func (c *channelInfo) json() map[string]any {
	out := map[string]any{"id": c.ID, "type": c.Type, "guild_id": c.Guild, "name": c.Name, "flags": 0}
	if c.Parent != "" {
		out["parent_id"] = c.Parent
	}
	if c.Type == ChannelForum {
		tags := make([]map[string]any, len(c.Tags))
		for i, t := range c.Tags {
			tags[i] = map[string]any{"id": t.ID, "name": t.Name, "moderated": false, "emoji_id": nil, "emoji_name": nil}
		}
		out["available_tags"] = tags
	}
	if c.Type == ChannelPublicThread {
		out["owner_id"] = c.OwnerID
		out["applied_tags"] = append([]string{}, c.AppliedTags...)
		out["thread_metadata"] = map[string]any{"archived": c.Archived, "auto_archive_duration": 1440, "locked": false,
			"archive_timestamp": c.Created.UTC().Format(time.RFC3339Nano)}
	}
	return out
}

// routeThreads serves the thread and channel routes; false when the
// request is none of them.
func (s *Server) routeThreads(w http.ResponseWriter, r *http.Request, segs []string, body []byte) bool {
	switch {
	case r.Method == http.MethodGet && len(segs) == 2 && segs[0] == "channels":
		s.mu.Lock()
		c := s.channelLocked(segs[1]).json()
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, c)
	case r.Method == http.MethodPost && len(segs) == 3 && segs[0] == "channels" && segs[2] == "threads":
		s.startForumPost(w, segs[1], body)
	case r.Method == http.MethodPost && len(segs) == 5 && segs[0] == "channels" && segs[2] == "messages" && segs[4] == "threads":
		s.startThreadFromMessage(w, segs[1], segs[3], body)
	case r.Method == http.MethodGet && len(segs) == 4 && segs[0] == "guilds" && segs[2] == "threads" && segs[3] == "active":
		s.activeThreads(w, segs[1])
	default:
		return false
	}
	return true
}

// activeThreadsLocked counts the guild's threads not archived.
func (s *Server) activeThreadsLocked(guild string) int {
	n := 0
	for _, c := range s.chans {
		if c.Type == ChannelPublicThread && c.Guild == guild && !c.Archived {
			n++
		}
	}
	return n
}

func (s *Server) startForumPost(w http.ResponseWriter, forum string, body []byte) {
	what := "POST /channels/" + forum + "/threads"
	var req struct {
		Name        string          `json:"name"`
		AppliedTags []string        `json:"applied_tags"`
		Message     json.RawMessage `json:"message"`
	}
	problems := s.check("CreateForumThreadRequest", body)
	if err := json.Unmarshal(body, &req); err != nil {
		problems = append(problems, "body: "+err.Error())
	}
	if len(req.Message) > 0 {
		problems = append(problems, CheckMessageLimits(req.Message, true)...)
	}
	s.mu.Lock()
	c := s.channelLocked(forum)
	if c.Type != ChannelForum {
		s.mu.Unlock()
		s.violate("%s: channel %s is not a forum (type %d)", what, forum, c.Type)
		writeError(w, http.StatusBadRequest, 50024, "Cannot execute action on this channel type")
		return
	}
	known := map[string]bool{}
	for _, t := range c.Tags {
		known[t.ID] = true
	}
	for _, t := range req.AppliedTags {
		if !known[t] {
			problems = append(problems, fmt.Sprintf("applied_tags: %s is not a tag of forum %s", t, forum))
		}
	}
	s.mu.Unlock()
	if s.invalid(w, what, problems) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.activeThreadsLocked(c.Guild) >= MaxActiveThreads {
		writeError(w, http.StatusBadRequest, codeMaxActiveThreads, "Maximum number of active threads reached")
		return
	}
	s.nextID++
	id := fmt.Sprint(s.nextID)
	t := &channelInfo{ID: id, Guild: c.Guild, Parent: forum, Name: req.Name, Type: ChannelPublicThread,
		OwnerID: BotUserID, AppliedTags: req.AppliedTags, Created: time.Now()}
	s.chans[id] = t
	// The starter message of a forum post has the thread's ID.
	var mb messageBody
	_ = json.Unmarshal(req.Message, &mb)
	m := Message{ID: id, ChannelID: id, Embeds: mb.Embeds, Flags: mb.Flags, Body: append(json.RawMessage(nil), req.Message...), At: time.Now()}
	if mb.Content != nil {
		m.Content = *mb.Content
	}
	s.messages[id] = append(s.messages[id], m)
	out := t.json()
	out["message"] = messageJSON(m)
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) startThreadFromMessage(w http.ResponseWriter, channel, msgID string, body []byte) {
	what := "POST /channels/" + channel + "/messages/" + msgID + "/threads"
	if s.invalid(w, what, s.check("CreateTextThreadWithMessageRequest", body)) {
		return
	}
	var req struct {
		Name string `json:"name"`
	}
	_ = json.Unmarshal(body, &req)
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channelLocked(channel)
	if c.NoThreadPerm {
		writeError(w, http.StatusForbidden, 50013, "Missing Permissions")
		return
	}
	found := false
	for _, m := range s.messages[channel] {
		if m.ID == msgID {
			found = true
		}
	}
	if !found {
		writeError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	if _, exists := s.chans[msgID]; exists {
		writeError(w, http.StatusBadRequest, codeThreadAlreadyCreated, "A thread has already been created for this message")
		return
	}
	if s.activeThreadsLocked(c.Guild) >= MaxActiveThreads {
		writeError(w, http.StatusBadRequest, codeMaxActiveThreads, "Maximum number of active threads reached")
		return
	}
	// A thread started from a message has the message's ID.
	t := &channelInfo{ID: msgID, Guild: c.Guild, Parent: channel, Name: req.Name, Type: ChannelPublicThread, OwnerID: BotUserID, Created: time.Now()}
	s.chans[msgID] = t
	writeJSON(w, http.StatusCreated, t.json())
}

func (s *Server) activeThreads(w http.ResponseWriter, guild string) {
	s.mu.Lock()
	threads := []map[string]any{}
	for _, c := range s.chans {
		if c.Type == ChannelPublicThread && c.Guild == guild && !c.Archived {
			threads = append(threads, c.json())
		}
	}
	s.mu.Unlock()
	sort.Slice(threads, func(i, j int) bool { return fmt.Sprint(threads[i]["id"]) < fmt.Sprint(threads[j]["id"]) })
	writeJSON(w, http.StatusOK, map[string]any{"threads": threads, "members": []any{}})
}

// threadPostCheck refuses a message into an archived thread (Discord would
// reopen it; the bot must not) and into a forum channel itself (forums
// take posts, not messages). nil when the message may go.
func (s *Server) threadPostCheck(channel string) (status, code int, msg string, bad bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chans[channel]
	if !ok {
		return 0, 0, "", false
	}
	switch {
	case c.Type == ChannelForum:
		s.violations = append(s.violations, "POST /channels/"+channel+"/messages: a forum channel takes posts, not messages")
		return http.StatusBadRequest, 50024, "Cannot execute action on this channel type", true
	case c.Type == ChannelPublicThread && c.Archived:
		s.violations = append(s.violations, "POST /channels/"+channel+"/messages: the bot posted into an archived thread")
		return http.StatusBadRequest, codeThreadArchived, "Thread is archived", true
	}
	return 0, 0, "", false
}

// AddThread makes id a public thread of parent (a forum's post, or a
// thread of a text channel) that a user started.
func (s *Server) AddThread(id, parent string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.channelLocked(parent)
	c := s.channelLocked(id)
	c.Type, c.Guild, c.Parent, c.Name, c.OwnerID, c.Created = ChannelPublicThread, p.Guild, parent, "a user's post", "900000000000000001", time.Now()
}
