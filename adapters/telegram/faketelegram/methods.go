package faketelegram

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

func (s *Server) getUpdates(ctx context.Context, params map[string]any) reply {
	offset, _ := strconv.Atoi(str(params["offset"]))
	limit, _ := strconv.Atoi(str(params["limit"]))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(str(params["timeout"]))
	hold := min(time.Duration(timeout)*time.Second, s.opts.MaxPollTimeout)

	s.mu.Lock()
	if s.webhookURL != "" {
		s.mu.Unlock()
		s.violate("getUpdates: called while a webhook is set")
		return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
	}
	if s.polling {
		s.mu.Unlock()
		s.violate("getUpdates: two concurrent polls")
		return fail(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
	}
	s.polling = true
	defer func() {
		s.mu.Lock()
		s.polling = false
		s.mu.Unlock()
	}()
	if offset > 0 { // confirm everything before offset
		s.updates = slices.DeleteFunc(s.updates, func(u Update) bool { return u.UpdateID < offset })
	}
	s.mu.Unlock()

	timer := time.NewTimer(hold)
	defer timer.Stop()
	for {
		s.mu.Lock()
		var out []Update
		for _, u := range s.updates {
			if u.UpdateID >= offset && len(out) < limit {
				out = append(out, u)
			}
		}
		wait := s.updateCh
		s.mu.Unlock()
		if len(out) > 0 {
			return ok(out)
		}
		select {
		case <-wait:
		case <-timer.C:
			return ok([]Update{})
		case <-ctx.Done():
			return ok([]Update{})
		case <-s.closing:
			return ok([]Update{})
		}
	}
}

func chatKind(id string) string {
	n, err := strconv.ParseInt(id, 10, 64)
	switch {
	case err != nil:
		return "channel" // @username
	case n > 0:
		return "private"
	case n <= -1000000000000:
		return "supergroup"
	default:
		return "group"
	}
}

func (s *Server) sendMessage(params map[string]any) reply {
	chat := str(params["chat_id"])
	text := str(params["text"])
	mode := str(params["parse_mode"])
	thread, _ := strconv.Atoi(str(params["message_thread_id"]))
	plain := text
	if strings.EqualFold(mode, "HTML") {
		p, _, err := ParseHTML(text)
		if err != nil {
			s.violate("sendMessage to %s: %v", chat, err)
			return fail(400, err.Error())
		}
		plain = p
	} else if mode != "" {
		s.violate("sendMessage to %s: parse mode %q is not checked by the fake", chat, mode)
	}
	if rep := s.topicCheck(chat, thread); rep != nil {
		return *rep
	}
	if _, bad := s.checkKeyboard("sendMessage", params); bad != nil {
		return *bad
	}
	switch n := UTF16Len(strings.TrimSpace(plain)); {
	case n == 0:
		s.violate("sendMessage to %s: empty text", chat)
		return fail(400, "Bad Request: message text is empty")
	case n > 4096:
		s.violate("sendMessage to %s: text of %d UTF-16 units after entity parsing", chat, n)
		return fail(400, "Bad Request: message is too long")
	}
	if lp, ok := params["link_preview_options"]; ok {
		var o struct {
			IsDisabled bool   `json:"is_disabled"`
			URL        string `json:"url"`
		}
		if err := object(lp, &o); err == nil && o.IsDisabled && o.URL != "" {
			s.violate("sendMessage to %s: link preview both disabled and given a URL", chat)
		}
	}

	return s.accept(chat, thread, text, plain, mode, "", params)
}

// accept records a message that passed its checks, unless the flood
// limits refuse it.
func (s *Server) accept(chat string, thread int, text, plain, mode, photo string, params map[string]any) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if wait := s.floodWait(chat, now); wait > 0 {
		s.rateLimited++
		secs := int((wait + time.Second - 1) / time.Second)
		return reply{ErrorCode: 429, Description: fmt.Sprintf("Too Many Requests: retry after %d", secs),
			Parameters: &responseParams{RetryAfter: secs}}
	}
	s.sendTimes = append(s.sendTimes, now)
	s.chatLast[chat] = now
	if strings.HasPrefix(chat, "-") {
		s.groupTimes[chat] = append(s.groupTimes[chat], now)
	}
	s.nextMsgID++
	sm := SentMessage{MessageID: s.nextMsgID, ChatID: chat, ThreadID: thread, Text: text, Plain: plain, ParseMode: mode, Photo: photo, At: now}
	if lp, ok := params["link_preview_options"]; ok {
		sm.LinkPreview = json.RawMessage(str(lp))
	}
	if v, ok := params["reply_markup"]; ok {
		var kb InlineKeyboard
		if object(v, &kb) == nil {
			sm.ReplyMarkup = &kb
		}
	}
	s.delivered[chat] = append(s.delivered[chat], sm)
	id, _ := strconv.ParseInt(chat, 10, 64)
	return ok(Message{MessageID: sm.MessageID, MessageThreadID: thread, Date: now.Unix(),
		Chat: Chat{ID: id, Type: chatKind(chat)}, Text: plain})
}

// floodWait says how long a message to chat must wait under the flood
// limits, 0 if it may go now. s.mu is held.
func (s *Server) floodWait(chat string, now time.Time) time.Duration {
	var wait time.Duration
	if n := s.opts.GlobalPerSecond; n > 0 {
		s.sendTimes = slices.DeleteFunc(s.sendTimes, func(t time.Time) bool { return now.Sub(t) >= time.Second })
		if len(s.sendTimes) >= n {
			wait = max(wait, s.sendTimes[len(s.sendTimes)-n].Add(time.Second).Sub(now))
		}
	}
	if iv := s.opts.PerChatInterval; iv > 0 {
		if last, ok := s.chatLast[chat]; ok && now.Sub(last) < iv {
			wait = max(wait, last.Add(iv).Sub(now))
		}
	}
	if n := s.opts.GroupPerMinute; n > 0 && strings.HasPrefix(chat, "-") {
		times := slices.DeleteFunc(s.groupTimes[chat], func(t time.Time) bool { return now.Sub(t) >= time.Minute })
		s.groupTimes[chat] = times
		if len(times) >= n {
			wait = max(wait, times[len(times)-n].Add(time.Minute).Sub(now))
		}
	}
	return wait
}

func (s *Server) setMyCommands(params map[string]any) reply {
	var cmds []BotCommand
	if err := object(params["commands"], &cmds); err != nil {
		s.violate("setMyCommands: commands: %v", err)
		return fail(400, "Bad Request: can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		s.violate("setMyCommands: %d commands, at most 100", len(cmds))
		return fail(400, "Bad Request: too many commands")
	}
	seen := map[string]bool{}
	for _, c := range cmds {
		if !validCommand(c.Command) || seen[c.Command] {
			s.violate("setMyCommands: invalid or repeated command name %q", c.Command)
			return fail(400, "Bad Request: BOT_COMMAND_INVALID")
		}
		seen[c.Command] = true
		if n := UTF16Len(c.Description); n < 1 || n > 256 {
			s.violate("setMyCommands: description of %q has %d characters, want 1-256", c.Command, n)
			return fail(400, "Bad Request: command description is invalid")
		}
		if n := UTF16Len(c.Description); n < 3 {
			s.violate("setMyCommands: description of %q has %d characters; Bot API 5.5 wants 3-256", c.Command, n)
		}
	}
	s.mu.Lock()
	s.commands = cmds
	s.mu.Unlock()
	return ok(true)
}

func validCommand(c string) bool {
	if len(c) < 1 || len(c) > 32 {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func (s *Server) getChatMember(params map[string]any) reply {
	chat, user := str(params["chat_id"]), str(params["user_id"])
	uid, _ := strconv.ParseInt(user, 10, 64)
	s.mu.Lock()
	status, ok2 := s.members[chat+"/"+user]
	s.mu.Unlock()
	if !ok2 {
		status = "member"
	}
	m := map[string]any{"status": status, "user": User{ID: uid, FirstName: "User"}}
	switch status {
	case "creator":
		m["is_anonymous"] = false
	case "administrator":
		m["can_be_edited"] = false
	}
	return ok(m)
}

func (s *Server) setWebhook(params map[string]any) reply {
	u := str(params["url"])
	secret := str(params["secret_token"])
	if secret != "" && !validSecret(secret) {
		s.violate("setWebhook: secret_token %d characters or bad characters", len(secret))
		return fail(400, "Bad Request: secret token contains unallowed characters")
	}
	if u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://127.0.0.1") {
		s.violate("setWebhook: url must be https")
		return fail(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
	}
	s.mu.Lock()
	s.webhookURL, s.webhookSec = u, secret
	if u != "" && str(params["drop_pending_updates"]) == "true" {
		s.updates = nil
	}
	s.mu.Unlock()
	return ok(true)
}

func validSecret(t string) bool {
	if len(t) < 1 || len(t) > 256 {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}
