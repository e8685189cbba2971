package telegram

// update is the part of a Telegram Update the bot reads. Our own type,
// because the library's Message (Bot API 5.5) lacks message_thread_id and
// is_topic_message.
type update struct {
	UpdateID    int      `json:"update_id"`
	Message     *message `json:"message,omitempty"`
	ChannelPost *message `json:"channel_post,omitempty"`
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
