package faketelegram

import (
	"net/url"
	"strconv"
	"strings"
)

// topicState is the state of one forum topic.
type topicState int

const (
	topicOpen topicState = iota + 1
	topicClosed
	topicDeleted
)

// SetForum makes chat a forum supergroup (is_forum) with the given open
// topics (message_thread_id values); the General topic (no thread ID)
// always exists.
func (s *Server) SetForum(chat string, topics ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.forums == nil {
		s.forums = map[string]map[int]topicState{}
	}
	if s.forums[chat] == nil {
		s.forums[chat] = map[int]topicState{}
	}
	for _, t := range topics {
		s.forums[chat][t] = topicOpen
	}
}

// CloseTopic closes a forum topic: messages to it are refused with
// TOPIC_CLOSED, as Telegram does for a bot that cannot manage topics.
func (s *Server) CloseTopic(chat string, thread int) { s.setTopic(chat, thread, topicClosed) }

// DeleteTopic deletes a forum topic: messages to it are refused with
// "message thread not found".
func (s *Server) DeleteTopic(chat string, thread int) { s.setTopic(chat, thread, topicDeleted) }

func (s *Server) setTopic(chat string, thread int, st topicState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.forums[chat] != nil {
		s.forums[chat][thread] = st
	}
}

// FailPhoto makes sendPhoto with this URL fail as Telegram does when it
// cannot fetch the picture.
func (s *Server) FailPhoto(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.badPhotos == nil {
		s.badPhotos = map[string]bool{}
	}
	s.badPhotos[u] = true
}

// topicCheck answers a send to a thread as Telegram does: a thread ID in a
// chat that is no forum, or an unknown or deleted topic, is "message
// thread not found"; a closed topic is TOPIC_CLOSED. nil when it may go.
func (s *Server) topicCheck(chat string, thread int) *reply {
	if thread == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	topics := s.forums[chat]
	if topics == nil {
		// Chats not set up as forums accept thread IDs as before, so that
		// tests written before SetForum keep their meaning.
		return nil
	}
	switch topics[thread] {
	case topicOpen:
		return nil
	case topicClosed:
		rep := fail(400, "Bad Request: TOPIC_CLOSED")
		return &rep
	default:
		rep := fail(400, "Bad Request: message thread not found")
		return &rep
	}
}

// sendPhoto checks a photo sent by URL with an HTML caption: the caption
// follows the same entity rules as a message's text and holds at most
// 1,024 UTF-16 units after parsing; the photo is an http(s) URL Telegram
// can fetch.
func (s *Server) sendPhoto(params map[string]any) reply {
	chat := str(params["chat_id"])
	caption := str(params["caption"])
	mode := str(params["parse_mode"])
	photo := str(params["photo"])
	thread, _ := strconv.Atoi(str(params["message_thread_id"]))
	if _, ok := params["link_preview_options"]; ok {
		s.violate("sendPhoto to %s: link_preview_options is not a sendPhoto parameter", chat)
		return fail(400, "Bad Request: unexpected link_preview_options")
	}
	u, err := url.Parse(photo)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		s.violate("sendPhoto to %s: photo %q is no URL", chat, photo)
		return fail(400, "Bad Request: wrong file identifier/HTTP URL specified")
	}
	plain := caption
	if strings.EqualFold(mode, "HTML") {
		p, _, err := ParseHTML(caption)
		if err != nil {
			s.violate("sendPhoto to %s: %v", chat, err)
			return fail(400, err.Error())
		}
		plain = p
	}
	if n := UTF16Len(strings.TrimSpace(plain)); n > 1024 {
		s.violate("sendPhoto to %s: caption of %d UTF-16 units after entity parsing", chat, n)
		return fail(400, "Bad Request: message caption is too long")
	}
	if rep := s.topicCheck(chat, thread); rep != nil {
		return *rep
	}
	s.mu.Lock()
	bad := s.badPhotos[photo]
	s.mu.Unlock()
	if bad {
		return fail(400, "Bad Request: failed to get HTTP URL content")
	}
	if _, bad := s.checkKeyboard("sendPhoto", params); bad != nil {
		return *bad
	}
	return s.accept(chat, thread, caption, plain, mode, photo, params)
}
