package faketelegram

import "unicode/utf16"

// Update is what getUpdates returns and what a webhook receives; tests
// build them and queue them with Server.SendUpdate.
type Update struct {
	UpdateID    int      `json:"update_id"`
	Message     *Message `json:"message,omitempty"`
	ChannelPost *Message `json:"channel_post,omitempty"`
}

// Message is the part of a Telegram Message the bot reads or the fake
// returns.
type Message struct {
	MessageID       int      `json:"message_id"`
	MessageThreadID int      `json:"message_thread_id,omitempty"`
	IsTopicMessage  bool     `json:"is_topic_message,omitempty"`
	From            *User    `json:"from,omitempty"`
	SenderChat      *Chat    `json:"sender_chat,omitempty"`
	Date            int64    `json:"date"`
	Chat            Chat     `json:"chat"`
	Text            string   `json:"text,omitempty"`
	Entities        []Entity `json:"entities,omitempty"`
}

// User is a Telegram user or bot.
type User struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	Username  string `json:"username,omitempty"`
	// LanguageCode is the IETF tag of the user's language, when known.
	LanguageCode string `json:"language_code,omitempty"`
}

// Chat is a Telegram chat; Type is private, group, supergroup or channel.
type Chat struct {
	ID       int64  `json:"id"`
	Type     string `json:"type"`
	Title    string `json:"title,omitempty"`
	Username string `json:"username,omitempty"`
	IsForum  bool   `json:"is_forum,omitempty"`
}

// BotCommand is one entry of setMyCommands.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// CommandUpdate builds an update carrying text typed by user from in chat,
// with the bot_command entity Telegram adds when text starts with '/'.
// A channel post (chat type "channel") has no From. thread sets
// message_thread_id for a forum topic (0: none).
func CommandUpdate(chat Chat, from int64, thread int, text string) Update {
	m := &Message{MessageID: 0, Chat: chat, Text: text, MessageThreadID: thread, IsTopicMessage: thread != 0}
	if len(text) > 0 && text[0] == '/' {
		end := len(text)
		for i, r := range text {
			if r == ' ' || r == '\n' {
				end = i
				break
			}
		}
		m.Entities = []Entity{{Type: "bot_command", Offset: 0, Length: len(utf16.Encode([]rune(text[:end])))}}
	}
	if chat.Type == "channel" {
		m.SenderChat = &chat
		return Update{ChannelPost: m}
	}
	m.From = &User{ID: from, FirstName: "User"}
	return Update{Message: m}
}
