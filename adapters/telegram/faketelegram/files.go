package faketelegram

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxBotDownload is the largest file getFile lets a bot download (20 MB).
const MaxBotDownload = 20 << 20

// MaxCallbackData is the limit on an inline button's callback_data.
const MaxCallbackData = 64

type queryState struct {
	chat      string
	messageID int
	answered  int
	answer    CallbackAnswer
	at        time.Time
}

// CallbackAnswer is the bot's answerCallbackQuery for a press.
type CallbackAnswer struct {
	Text      string
	ShowAlert bool
	At        time.Time
}

type storedFile struct {
	name string
	data []byte
	size int64 // as Telegram states it
}

// PressUpdate builds the callback_query update of user from pressing the
// button with data on message messageID in chat, and registers the query
// so that the bot's answerCallbackQuery is checked. photo marks the
// message as a photo (its text is then a caption).
func (s *Server) PressUpdate(c Chat, from int64, messageID int, data string, photo bool) Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextMsgID++
	id := "cq" + strconv.Itoa(s.nextMsgID)
	chat := strconv.FormatInt(c.ID, 10)
	s.queries[id] = &queryState{chat: chat, messageID: messageID, at: time.Now()}
	m := &Message{MessageID: messageID, Chat: c, Date: time.Now().Unix(), From: &User{ID: 123456, IsBot: true, FirstName: "News Digest", Username: s.opts.BotUsername}}
	if photo {
		m.Photo = []PhotoSize{{FileID: "photo-" + id, FileUniqueID: "u-photo-" + id, Width: 800, Height: 450}}
	}
	return Update{CallbackQuery: &CallbackQuery{ID: id, From: User{ID: from, FirstName: "User"}, Message: m,
		ChatInstance: "ci" + chat, Data: data}}
}

// DocumentUpdate builds a document message of user from in chat with
// caption (the command) and stores the file for getFile. size, when not
// 0, is the size Telegram states instead of len(data).
func (s *Server) DocumentUpdate(c Chat, from int64, caption, name string, data []byte, size int64) Update {
	s.mu.Lock()
	s.nextMsgID++
	id := "doc" + strconv.Itoa(s.nextMsgID)
	if size == 0 {
		size = int64(len(data))
	}
	s.stored[id] = storedFile{name: name, data: data, size: size}
	s.mu.Unlock()
	u := CommandUpdate(c, from, 0, caption)
	m := u.Message
	if m == nil {
		m = u.ChannelPost
	}
	m.Caption, m.CaptionEntities, m.Text, m.Entities = m.Text, m.Entities, "", nil
	m.Document = &Document{FileID: id, FileUniqueID: "u" + id, FileName: name, MimeType: "text/x-opml", FileSize: size}
	return u
}

// CallbackAnswers returns how often the query was answered and the last answer.
func (s *Server) CallbackAnswers(queryID string) (int, CallbackAnswer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.queries[queryID]
	if !ok {
		return 0, CallbackAnswer{}
	}
	return q.answered, q.answer
}

// FileGets counts the downloads of stored files and the bytes written.
func (s *Server) FileGets() (int, int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fileGets, s.fileBytes
}

// Seed records a message as sent by the bot, with buttons, so that tests
// can press them without sending it first; it returns the message ID.
func (s *Server) Seed(chatID, text string, kb *InlineKeyboard, photo bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextMsgID++
	m := SentMessage{MessageID: s.nextMsgID, ChatID: chatID, Text: text, Plain: text, ReplyMarkup: kb, At: time.Now()}
	if photo {
		m.Photo = "https://img.example/seed.jpg"
	}
	s.delivered[chatID] = append(s.delivered[chatID], m)
	return m.MessageID
}

func (s *Server) answerCallbackQuery(params map[string]any) reply {
	id := str(params["callback_query_id"])
	text := str(params["text"])
	s.mu.Lock()
	q, known := s.queries[id]
	if known {
		q.answered++
		q.answer = CallbackAnswer{Text: text, ShowAlert: str(params["show_alert"]) == "true", At: time.Now()}
	}
	s.mu.Unlock()
	switch {
	case !known:
		s.violate("answerCallbackQuery: unknown query %q", id)
		return fail(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
	case q.answered > 1:
		s.violate("answerCallbackQuery: query %s answered %d times", id, q.answered)
		return fail(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
	case time.Since(q.at) > 15*time.Second:
		s.violate("answerCallbackQuery: query %s answered after %s", id, time.Since(q.at).Round(time.Millisecond))
		return fail(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
	case utf8.RuneCountInString(text) > 200:
		s.violate("answerCallbackQuery: text of %d characters, at most 200", utf8.RuneCountInString(text))
		return fail(400, "Bad Request: MESSAGE_TOO_LONG")
	}
	return ok(true)
}

// checkKeyboard checks a reply_markup inline keyboard.
func (s *Server) checkKeyboard(method string, params map[string]any) (*InlineKeyboard, *reply) {
	v, ok := params["reply_markup"]
	if !ok {
		return nil, nil
	}
	var kb InlineKeyboard
	if err := object(v, &kb); err != nil || kb.InlineKeyboard == nil {
		s.violate("%s: reply_markup is no inline keyboard: %v", method, err)
		rep := fail(400, "Bad Request: can't parse reply keyboard markup JSON object")
		return nil, &rep
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.Text == "" || (b.CallbackData == "" && b.URL == "") || len(b.CallbackData) > MaxCallbackData {
				s.violate("%s: bad inline button %+v (text, and callback_data of 1-64 bytes)", method, b)
				rep := fail(400, "Bad Request: BUTTON_DATA_INVALID")
				return nil, &rep
			}
		}
	}
	return &kb, nil
}

func (s *Server) editMessage(method string, params map[string]any) reply {
	chat := str(params["chat_id"])
	id, _ := strconv.Atoi(str(params["message_id"]))
	text := str(params["text"])
	if method == "editMessageCaption" {
		text = str(params["caption"])
	}
	kb, bad := s.checkKeyboard(method, params)
	if bad != nil {
		return *bad
	}
	if method == "editMessageReplyMarkup" {
		return s.editKeyboard(chat, id, kb)
	}
	plain := text
	if strings.EqualFold(str(params["parse_mode"]), "HTML") {
		p, _, err := ParseHTML(text)
		if err != nil {
			s.violate("%s in %s: %v", method, chat, err)
			return fail(400, err.Error())
		}
		plain = p
	}
	limit := 4096
	if method == "editMessageCaption" {
		limit = 1024
	}
	if n := UTF16Len(strings.TrimSpace(plain)); (n == 0 && method == "editMessageText") || n > limit {
		s.violate("%s in %s: text of %d UTF-16 units", method, chat, n)
		return fail(400, "Bad Request: message text is empty or too long")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	msgs := s.delivered[chat]
	for i := range msgs {
		m := &msgs[i]
		if m.MessageID != id {
			continue
		}
		if (m.Photo != "") != (method == "editMessageCaption") {
			s.violations = append(s.violations, fmt.Sprintf("%s of message %d in %s: wrong method for a %s", method, id, chat, map[bool]string{true: "photo", false: "text message"}[m.Photo != ""]))
			return fail(400, "Bad Request: there is no text in the message to edit")
		}
		m.Text, m.Plain, m.ReplyMarkup = text, plain, kb
		m.Edits++
		cid, _ := strconv.ParseInt(chat, 10, 64)
		return ok(Message{MessageID: id, Chat: Chat{ID: cid, Type: chatKind(chat)}, Date: m.At.Unix(), Text: plain, ReplyMarkup: kb})
	}
	s.violations = append(s.violations, fmt.Sprintf("%s: no message %d of the bot in %s", method, id, chat))
	return fail(400, "Bad Request: message to edit not found")
}

// editKeyboard replaces (or, with kb nil, removes) a message's keyboard.
func (s *Server) editKeyboard(chat string, id int, kb *InlineKeyboard) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.delivered[chat] {
		m := &s.delivered[chat][i]
		if m.MessageID == id {
			if m.ReplyMarkup == nil && kb == nil {
				return fail(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
			}
			m.ReplyMarkup = kb
			m.Edits++
			cid, _ := strconv.ParseInt(chat, 10, 64)
			return ok(Message{MessageID: id, Chat: Chat{ID: cid, Type: chatKind(chat)}, Date: m.At.Unix(), ReplyMarkup: kb})
		}
	}
	s.violations = append(s.violations, fmt.Sprintf("editMessageReplyMarkup: no message %d of the bot in %s", id, chat))
	return fail(400, "Bad Request: message to edit not found")
}

func (s *Server) sendDocument(params map[string]any, files map[string]File) reply {
	chat := str(params["chat_id"])
	f, ok2 := files["document"]
	if !ok2 {
		s.violate("sendDocument to %s: document is not an uploaded file", chat)
		return fail(400, "Bad Request: wrong file identifier/HTTP URL specified")
	}
	if f.Name == "" || len(f.Data) == 0 {
		s.violate("sendDocument to %s: file without a name or empty", chat)
		return fail(400, "Bad Request: file must be non-empty")
	}
	if len(f.Data) > 50<<20 {
		s.violate("sendDocument to %s: %d bytes, bots send at most 50 MB", chat, len(f.Data))
		return fail(413, "Request Entity Too Large")
	}
	thread, _ := strconv.Atoi(str(params["message_thread_id"]))
	if rep := s.topicCheck(chat, thread); rep != nil {
		return *rep
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextMsgID++
	doc := f
	sm := SentMessage{MessageID: s.nextMsgID, ChatID: chat, ThreadID: thread, Document: &doc, At: time.Now()}
	s.delivered[chat] = append(s.delivered[chat], sm)
	id, _ := strconv.ParseInt(chat, 10, 64)
	return ok(Message{MessageID: sm.MessageID, MessageThreadID: thread, Date: sm.At.Unix(), Chat: Chat{ID: id, Type: chatKind(chat)},
		Document: &Document{FileID: "sent" + strconv.Itoa(sm.MessageID), FileUniqueID: "usent" + strconv.Itoa(sm.MessageID), FileName: f.Name, FileSize: int64(len(f.Data))}})
}

func (s *Server) getFile(params map[string]any) reply {
	id := str(params["file_id"])
	s.mu.Lock()
	f, ok2 := s.stored[id]
	s.mu.Unlock()
	switch {
	case !ok2:
		s.violate("getFile: unknown file_id %q", id)
		return fail(400, "Bad Request: invalid file_id")
	case f.size > MaxBotDownload:
		return fail(400, "Bad Request: file is too big")
	}
	return ok(map[string]any{"file_id": id, "file_unique_id": "u" + id, "file_size": f.size, "file_path": "documents/" + id + "_" + f.name})
}

// serveFile serves /file/bot<token>/<file_path> as Telegram's file storage.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/file/bot")
	token, path, _ := strings.Cut(rest, "/")
	if token != s.opts.Token {
		http.Error(w, `{"ok":false,"error_code":401,"description":"Unauthorized"}`, http.StatusUnauthorized)
		return
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(path, "documents/"), "_")
	s.mu.Lock()
	f, ok := s.stored[id]
	if ok {
		s.fileGets++
	}
	s.mu.Unlock()
	if !ok || r.Method != http.MethodGet {
		http.Error(w, `{"ok":false,"error_code":404,"description":"Not Found"}`, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	for off := 0; off < len(f.data); off += 32 << 10 {
		n, err := w.Write(f.data[off:min(off+32<<10, len(f.data))])
		s.mu.Lock()
		s.fileBytes += int64(n)
		s.mu.Unlock()
		if err != nil {
			return
		}
	}
}
