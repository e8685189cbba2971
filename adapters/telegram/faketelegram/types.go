package faketelegram

import "unicode/utf16"

// Update is what getUpdates returns and what a webhook receives; tests
// build them and queue them with Server.SendUpdate.
type Update struct {
	UpdateID    int      `json:"update_id"`
	Message     *Message `json:"message,omitempty"`
	ChannelPost *Message `json:"channel_post,omitempty"`
	// CallbackQuery is a press of an inline keyboard button (PressUpdate).
	CallbackQuery *CallbackQuery `json:"callback_query,omitempty"`
}

// CallbackQuery is a button press.
type CallbackQuery struct {
	ID           string   `json:"id"`
	From         User     `json:"from"`
	Message      *Message `json:"message,omitempty"`
	ChatInstance string   `json:"chat_instance"`
	Data         string   `json:"data,omitempty"`
}

// Document is a file sent as a message.
type Document struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int64  `json:"file_size,omitempty"`
}

// PhotoSize is one size of a photo.
type PhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
}

// InlineKeyboard is an InlineKeyboardMarkup.
type InlineKeyboard struct {
	InlineKeyboard [][]InlineButton `json:"inline_keyboard"`
}

// InlineButton is an InlineKeyboardButton (callback buttons here).
type InlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

// File is an uploaded or stored file.
type File struct {
	Name string
	Data []byte
}

// Message is the part of a Telegram Message the bot reads or the fake
// returns.
type Message struct {
	MessageID       int             `json:"message_id"`
	MessageThreadID int             `json:"message_thread_id,omitempty"`
	IsTopicMessage  bool            `json:"is_topic_message,omitempty"`
	From            *User           `json:"from,omitempty"`
	SenderChat      *Chat           `json:"sender_chat,omitempty"`
	Date            int64           `json:"date"`
	Chat            Chat            `json:"chat"`
	Text            string          `json:"text,omitempty"`
	Entities        []Entity        `json:"entities,omitempty"`
	Caption         string          `json:"caption,omitempty"`
	CaptionEntities []Entity        `json:"caption_entities,omitempty"`
	Document        *Document       `json:"document,omitempty"`
	Photo           []PhotoSize     `json:"photo,omitempty"`
	ReplyMarkup     *InlineKeyboard `json:"reply_markup,omitempty"`
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
