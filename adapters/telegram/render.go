package telegram

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"newsdigest/digest"
	"newsdigest/digest/i18n"
)

// MaxMessageLen is Telegram's limit on a message's text after entity
// parsing, in UTF-16 code units.
const MaxMessageLen = 4096

// MaxCaptionLen is Telegram's limit on a photo's caption after entity
// parsing, in UTF-16 code units.
const MaxCaptionLen = 1024

// fallbackHeadlineLen bounds the headline of a card that had to fall back
// to headline and link because it could not fit a message on its own.
const fallbackHeadlineLen = 1000

// Message is one rendered Telegram message: the payload delivery stores in
// its outbox and Send posts with sendMessage.
type Message struct {
	Text        string              `json:"text"`
	ParseMode   string              `json:"parse_mode"`
	LinkPreview *LinkPreviewOptions `json:"link_preview_options,omitempty"`
	// Photo, when set, makes the message a photo (sendPhoto, by its https
	// URL: Telegram fetches it) with Text as its caption. Preview is then
	// what to send instead if Telegram cannot fetch the picture: the text
	// with a large link preview.
	Photo string `json:"photo,omitempty"`
	// ReplyMarkup holds a reply's buttons (an inline keyboard).
	ReplyMarkup *InlineKeyboard `json:"reply_markup,omitempty"`
}

// InlineKeyboard is Telegram's InlineKeyboardMarkup with callback buttons.
type InlineKeyboard struct {
	Rows [][]InlineButton `json:"inline_keyboard"`
}

// InlineButton is a button whose press sends CallbackData to the bot.
type InlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

// maxCallbackData is Telegram's limit on callback_data, in bytes.
const maxCallbackData = 64

// inlineKeyboard renders buttons as one row (up to three), then rows of
// three; an ID over Telegram's 64 bytes is left out (it could not come
// back whole).
func inlineKeyboard(bs []digest.Button) *InlineKeyboard {
	var row []InlineButton
	kb := &InlineKeyboard{}
	for _, b := range bs {
		if b.ID == "" || len(b.ID) > maxCallbackData {
			continue
		}
		label := b.Label
		if b.Danger {
			label = "✖ " + label
		}
		row = append(row, InlineButton{Text: label, CallbackData: b.ID})
		if len(row) == 3 {
			kb.Rows, row = append(kb.Rows, row), nil
		}
	}
	if len(row) > 0 {
		kb.Rows = append(kb.Rows, row)
	}
	if len(kb.Rows) == 0 {
		return nil
	}
	return kb
}

// LinkPreviewOptions is Bot API 7.0's link_preview_options.
type LinkPreviewOptions struct {
	IsDisabled       bool   `json:"is_disabled,omitempty"`
	URL              string `json:"url,omitempty"`
	PreferSmallMedia bool   `json:"prefer_small_media,omitempty"`
	PreferLargeMedia bool   `json:"prefer_large_media,omitempty"`
	ShowAboveText    bool   `json:"show_above_text,omitempty"`
}

// html is a piece of Telegram HTML with the length of its visible text, so
// that splitting can count what Telegram counts without parsing again.
type html struct {
	b       strings.Builder
	visible int // UTF-16 code units of the text after entity parsing
}

func (h *html) text(s string) {
	h.b.WriteString(EscapeHTML(s))
	h.visible += utf16Len(s) // an invalid byte becomes one U+FFFD, as in EscapeHTML
}

// tag writes markup that Telegram turns into an entity (no visible text).
func (h *html) tag(s string) { h.b.WriteString(s) }

func (h *html) String() string { return h.b.String() }

// linkable reports whether u can be an href: Telegram refuses other schemes.
func linkable(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

// headline writes the bold, linked headline.
func (h *html) headline(title, link string) {
	h.tag("<b>")
	if linkable(link) {
		h.tag(`<a href="` + EscapeAttr(link) + `">`)
		h.text(title)
		h.tag("</a>")
	} else {
		h.text(title)
	}
	h.tag("</b>")
}

func renderCard(c digest.Card) *html {
	h := &html{}
	title := strings.TrimSpace(c.Headline)
	if title == "" {
		title = "(untitled)"
	}
	h.headline(title, c.URL)
	if dl := c.Dateline.String(); dl != "" {
		h.text("\n")
		h.tag("<i>")
		h.text(dl)
		h.tag("</i>")
	}
	for i, line := range c.Summary {
		if i == digest.MaxSummaryLines {
			break
		}
		if line = strings.TrimSpace(line); line != "" {
			h.text("\n" + line)
		}
	}
	if src := sourceLine(c); src != "" {
		h.text("\n")
		h.tag("<i>")
		h.text(src)
		h.tag("</i>")
	}
	return h
}

func sourceLine(c digest.Card) string {
	var parts []string
	p := i18n.Printer(c.Locale)
	if s := strings.TrimSpace(c.Source); s != "" {
		parts = append(parts, p.Sprintf(i18n.Via, s))
	}
	var others []string
	for _, s := range c.Sources {
		if s = strings.TrimSpace(s); s != "" && s != strings.TrimSpace(c.Source) {
			others = append(others, s)
		}
	}
	if len(others) > 0 {
		parts = append(parts, p.Sprintf(i18n.AlsoCovered, strings.Join(others, ", ")))
	}
	return strings.Join(parts, " · ")
}

// fallbackCard is a card reduced to its headline and link, for a card too
// long to fit a message on its own.
func fallbackCard(c digest.Card) *html {
	h := &html{}
	title := strings.TrimSpace(c.Headline)
	if utf16Len(title) > fallbackHeadlineLen {
		title = truncateUTF16(title, fallbackHeadlineLen-1) + "…"
	}
	h.headline(title, c.URL)
	return h
}

// truncateUTF16 cuts s to at most n UTF-16 code units, at a rune boundary.
func truncateUTF16(s string, n int) string {
	used := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if used+w > n {
			return s[:i]
		}
		used += w
	}
	return s
}

// CardHTML renders one card as Telegram HTML: the headline in bold linked
// to the article, the dateline in italics, the summary lines, the sources.
func CardHTML(c digest.Card) string { return renderCard(c).String() }

// pack joins blocks into messages of at most MaxMessageLen visible UTF-16
// units, splitting only between blocks; a block too long on its own is
// replaced by its fallback.
func pack(blocks []*html, fallbacks []*html) []string {
	const sep = "\n\n"
	var msgs []string
	var cur strings.Builder
	curLen := 0
	for i, b := range blocks {
		if b.visible > MaxMessageLen && fallbacks[i] != nil {
			b = fallbacks[i]
		}
		if curLen > 0 && curLen+len(sep)+b.visible > MaxMessageLen {
			msgs = append(msgs, cur.String())
			cur.Reset()
			curLen = 0
		}
		if curLen > 0 {
			cur.WriteString(sep)
			curLen += len(sep)
		}
		cur.WriteString(b.String())
		curLen += b.visible
	}
	if curLen > 0 {
		msgs = append(msgs, cur.String())
	}
	return msgs
}

// messages renders an optional lead block and cards into messages with one
// link preview at most: the first card's article, on the first message,
// large when the article has a picture (Telegram shows the page's own
// picture), none at all when pictures are off.
func messages(lead *html, cards []digest.Card, noImages bool) []Message {
	var blocks, fallbacks []*html
	if lead != nil && lead.visible > 0 {
		blocks = append(blocks, lead)
		fallbacks = append(fallbacks, nil)
	}
	for _, c := range cards {
		blocks = append(blocks, renderCard(c))
		fallbacks = append(fallbacks, fallbackCard(c))
	}
	texts := pack(blocks, fallbacks)
	out := make([]Message, 0, len(texts))
	for i, t := range texts {
		m := Message{Text: t, ParseMode: "HTML", LinkPreview: &LinkPreviewOptions{IsDisabled: true}}
		if i == 0 && len(cards) > 0 && linkable(cards[0].URL) && !noImages {
			m.LinkPreview = previewOf(cards[0])
		}
		out = append(out, m)
	}
	return out
}

// previewOf is the link preview of a card's article: large, above the
// text, when the card has a picture; small otherwise.
func previewOf(c digest.Card) *LinkPreviewOptions {
	if c.Image != "" {
		return &LinkPreviewOptions{URL: c.URL, PreferLargeMedia: true, ShowAboveText: true}
	}
	return &LinkPreviewOptions{URL: c.URL, PreferSmallMedia: true}
}

// digestHeader is the first line of a digest: when it was due, where.
func digestHeader(d digest.DigestView) *html {
	h := &html{}
	when := d.Scheduled
	if loc, err := time.LoadLocation(d.Sub.TimeZone); err == nil && d.Sub.TimeZone != "" {
		when = when.In(loc)
	}
	h.tag("<b>")
	p := i18n.Printer(d.Sub.Locale)
	h.text(p.Sprintf(i18n.DailyDigest))
	h.tag("</b>")
	line := ""
	if !when.IsZero() {
		line = " · " + when.Format("Mon 2 Jan 2006, 15:04")
		if d.Sub.TimeZone != "" {
			line += " " + d.Sub.TimeZone
		}
	}
	if n := len(d.Cards); n > 0 {
		line += " · " + p.Sprintf(i18n.Stories, n)
	}
	if d.Late {
		// " (late)": what the late title adds to the title.
		line += strings.TrimPrefix(p.Sprintf(i18n.DailyDigestLate), p.Sprintf(i18n.DailyDigest))
	}
	h.text(line)
	if len(d.Cards) == 0 {
		h.text("\n" + p.Sprintf(i18n.NoNewStories))
	}
	return h
}

// RenderDigestMessages renders a digest as Telegram messages, in order.
func RenderDigestMessages(d digest.DigestView) []Message {
	return messages(digestHeader(d), d.Cards, d.Sub.NoImages)
}

// RenderDigest implements digest.Messenger: each message is the JSON of a
// Message, which Send posts.
func RenderDigest(d digest.DigestView) ([][]byte, error) {
	msgs := RenderDigestMessages(d)
	out := make([][]byte, 0, len(msgs))
	for i, m := range msgs {
		b, err := m.MarshalPayload()
		if err != nil {
			return nil, fmt.Errorf("telegram: encode digest message %d of subscription %d: %w", i, d.Sub.ID, err)
		}
		out = append(out, b)
	}
	return out, nil
}

// MarshalPayload encodes m as the JSON payload Send expects, with HTML
// left readable (no \u003c escapes).
func (m Message) MarshalPayload() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// ReplyMessages renders a command reply: its text, then its cards.
func ReplyMessages(r digest.CommandReply) []Message {
	lead := &html{}
	if t := strings.TrimSpace(r.Text); t != "" {
		lead.text(t)
		if utf16Len(t) > MaxMessageLen {
			lead = &html{}
			lead.text(truncateUTF16(t, MaxMessageLen-1) + "…")
		}
	}
	if len(r.Cards) == 1 && r.Cards[0].Image != "" {
		if m, ok := photoMessage(lead, r.Cards[0]); ok {
			m.ReplyMarkup = inlineKeyboard(r.Buttons)
			return []Message{m}
		}
	}
	msgs := messages(lead, r.Cards, false)
	if len(msgs) == 0 {
		h := &html{}
		h.text("Nothing to show.")
		msgs = []Message{{Text: h.String(), ParseMode: "HTML", LinkPreview: &LinkPreviewOptions{IsDisabled: true}}}
	}
	msgs[len(msgs)-1].ReplyMarkup = inlineKeyboard(r.Buttons)
	return msgs
}

// photoMessage renders a single card with a picture as a photo whose
// caption is the reply's text and the card, when that fits Telegram's
// caption limit; ok is false when it does not (the card then goes as text
// with a large preview above it).
func photoMessage(lead *html, c digest.Card) (Message, bool) {
	if !strings.HasPrefix(c.Image, "https://") || !linkable(c.URL) {
		return Message{}, false
	}
	card := renderCard(c)
	caption := card.String()
	visible := card.visible
	if lead != nil && lead.visible > 0 {
		caption = lead.String() + "\n\n" + caption
		visible += lead.visible + 2
	}
	if visible > MaxCaptionLen {
		return Message{}, false
	}
	return Message{Text: caption, ParseMode: "HTML", Photo: c.Image, LinkPreview: previewOf(c)}, true
}
