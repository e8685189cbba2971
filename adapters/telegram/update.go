package telegram

// update is the part of a Telegram Update the bot reads. Our own type,
// because the library's Message (Bot API 5.5) lacks message_thread_id and
// is_topic_message.
type update struct {
	UpdateID    int      `json:"update_id"`
	Message     *message `json:"message,omitempty"`
	ChannelPost *message `json:"channel_post,omitempty"`
	// CallbackQuery is a press of an inline keyboard button.
	CallbackQuery *callbackQuery `json:"callback_query,omitempty"`
}

type callbackQuery struct {
	ID      string   `json:"id"`
	From    user     `json:"from"`
	Message *message `json:"message,omitempty"` // the message with the button
	Data    string   `json:"data,omitempty"`
}

// document is a file sent as a message (a document message).
type document struct {
	FileID   string `json:"file_id"`
	FileName string `json:"file_name,omitempty"`
	MimeType string `json:"mime_type,omitempty"`
	FileSize int64  `json:"file_size,omitempty"`
}

type message struct {
	MessageID       int    `json:"message_id"`
	MessageThreadID int    `json:"message_thread_id,omitempty"`
	IsTopicMessage  bool   `json:"is_topic_message,omitempty"`
	From            *user  `json:"from,omitempty"`
	SenderChat      *chat  `json:"sender_chat,omitempty"`
	Date            int64  `json:"date"`
	Chat            chat   `json:"chat"`
	Text            string `json:"text,omitempty"`
	// A document message carries the command in its caption.
	Caption  string    `json:"caption,omitempty"`
	Document *document `json:"document,omitempty"`
	// Photo is set on a photo message (a card with a picture): a press
	// on it edits the caption, not the text.
	Photo []struct {
		FileID string `json:"file_id"`
	} `json:"photo,omitempty"`
}

type user struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	LanguageCode string `json:"language_code,omitempty"`
}

type chat struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
}
