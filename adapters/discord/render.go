package discord

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"newsdigest/digest"
	"newsdigest/digest/i18n"
)

// embedColor is the accent stripe of every card.
const embedColor = 0x2b6cb0

// Notes shown as message content.
const (
	EmptyDigestNote = "No new stories since the last digest."
	emptyReplyNote  = "Nothing to show."
)

// noMentions keeps every message from pinging anyone, whatever the text.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// CardEmbed renders one card: the headline linked to the article as the
// title, the summary lines as the description, the dateline as the author,
// the source (and the other outlets) in the footer, the story's time as the
// timestamp. Every field is within Discord's limits.
func CardEmbed(c digest.Card) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Color: embedColor}
	e.Title = Truncate(EscapeMarkdown(oneLine(c.Headline)), MaxTitle)
	if linkable(c.URL) {
		e.URL = c.URL
	}
	var lines []string
	for _, l := range c.Summary {
		if l = oneLine(l); l != "" {
			lines = append(lines, EscapeMarkdown(l))
		}
	}
	e.Description = Truncate(strings.Join(lines, "\n"), MaxDescription)
	if dl := oneLine(c.Dateline.String()); dl != "" {
		e.Author = &discordgo.MessageEmbedAuthor{Name: Truncate(dl, MaxAuthor)}
	}
	if f := footer(c); f != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: Truncate(f, maxCardFooter)}
	}
	t := c.Time
	if t.IsZero() {
		t = c.Dateline.Published
	}
	if !t.IsZero() {
		e.Timestamp = t.UTC().Format(time.RFC3339)
	}
	if e.Title == "" {
		e.Title = "(untitled)"
	}
	if linkable(c.Image) && strings.HasPrefix(c.Image, "https://") {
		// A thumbnail keeps ten cards of a digest compact; a card answered
		// alone gets the large image (see bigImage).
		e.Thumbnail = &discordgo.MessageEmbedThumbnail{URL: c.Image}
	}
	return e
}

// bigImage moves a card's picture from the thumbnail to the embed's large
// image, for a card shown on its own.
func bigImage(e *discordgo.MessageEmbed) {
	if e.Thumbnail != nil {
		e.Image = &discordgo.MessageEmbedImage{URL: e.Thumbnail.URL}
		e.Thumbnail = nil
	}
}

// withoutImages returns the cards with their pictures taken off.
func withoutImages(cards []digest.Card) []digest.Card {
	out := make([]digest.Card, len(cards))
	for i, c := range cards {
		c.Image = ""
		out[i] = c
	}
	return out
}

func footer(c digest.Card) string {
	src := oneLine(c.Source)
	if len(c.Sources) == 0 {
		return src
	}
	also := i18n.Printer(c.Locale).Sprintf(i18n.AlsoCoveredBy, len(c.Sources), oneLine(strings.Join(c.Sources, ", ")))
	if src == "" {
		r, n := utf8.DecodeRuneInString(also)
		return string(unicode.ToUpper(r)) + also[n:]
	}
	return src + " · " + also
}

// oneLine folds runs of whitespace, newlines included, into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// linkable reports whether u can be an embed URL.
func linkable(u string) bool {
	if u == "" || len(u) > MaxURL {
		return false
	}
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

// embedLen is what Discord counts towards the 6000 characters of a message.
func embedLen(e *discordgo.MessageEmbed) int {
	n := runeLen(e.Title) + runeLen(e.Description)
	if e.Author != nil {
		n += runeLen(e.Author.Name)
	}
	if e.Footer != nil {
		n += runeLen(e.Footer.Text)
	}
	for _, f := range e.Fields {
		n += runeLen(f.Name) + runeLen(f.Value)
	}
	return n
}

// packEmbeds groups embeds into messages, in order: at most MaxEmbeds and
// MaxEmbedTotal characters each.
func packEmbeds(embeds []*discordgo.MessageEmbed) [][]*discordgo.MessageEmbed {
	var out [][]*discordgo.MessageEmbed
	var cur []*discordgo.MessageEmbed
	total := 0
	for _, e := range embeds {
		n := embedLen(e)
		if len(cur) > 0 && (len(cur) == MaxEmbeds || total+n > MaxEmbedTotal) {
			out = append(out, cur)
			cur, total = nil, 0
		}
		cur = append(cur, e)
		total += n
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// digestHeader is the first line of a digest: what, how many, when (in the
// channel's own zone), and whether it is late.
func digestHeader(d digest.DigestView) string {
	loc, err := time.LoadLocation(d.Sub.TimeZone)
	if err != nil || d.Sub.TimeZone == "" {
		loc = time.UTC
	}
	p := i18n.Printer(d.Sub.Locale)
	title := "**" + p.Sprintf(i18n.DailyDigest) + "**"
	if d.Late {
		title = "**" + p.Sprintf(i18n.DailyDigestLate) + "**"
	}
	when := d.Scheduled.In(loc).Format("Mon 2 Jan 2006, 15:04 MST")
	if n := len(d.Cards); n > 0 {
		return title + " · " + p.Sprintf(i18n.Stories, n) + " · " + when
	}
	return title + " · " + when
}

// RenderDigest renders a digest as messages, in order: a header line in the
// first, then one embed per card, split when a message would pass 10 embeds
// or 6000 characters. An empty digest is one short note.
func RenderDigest(d digest.DigestView) ([]*discordgo.MessageSend, error) {
	header := Truncate(digestHeader(d), MaxContent)
	if len(d.Cards) == 0 {
		return []*discordgo.MessageSend{{Content: header + "\n" + EmptyDigestNote, AllowedMentions: noMentions()}}, nil
	}
	cards := d.Cards
	if d.Sub.NoImages {
		cards = withoutImages(cards)
	}
	embeds := make([]*discordgo.MessageEmbed, len(cards))
	for i, c := range cards {
		embeds[i] = CardEmbed(c)
	}
	groups := packEmbeds(embeds)
	msgs := make([]*discordgo.MessageSend, len(groups))
	for i, g := range groups {
		msgs[i] = &discordgo.MessageSend{Embeds: g, AllowedMentions: noMentions()}
		if len(groups) > 1 {
			msgs[i].Content = fmt.Sprintf("(%d/%d)", i+1, len(groups))
		}
	}
	if len(groups) > 1 {
		msgs[0].Content = Truncate(header+" (1/"+strconv.Itoa(len(groups))+")", MaxContent)
	} else {
		msgs[0].Content = header
	}
	return msgs, nil
}

// ReplyMessages renders a command reply as the messages of its answer (see
// renderReply): what the bot posts, for tools such as docs/cardshot.
func ReplyMessages(r digest.CommandReply) []*discordgo.MessageSend { return renderReply(r) }

// renderReply turns a command reply into the messages of an interaction
// answer: text and up to 10 embeds in the first, the rest as follow-ups.
// Long text is split over several messages at line or word boundaries.
func renderReply(r digest.CommandReply) []*discordgo.MessageSend {
	texts := splitText(EscapeMarkdown(strings.TrimSpace(r.Text)), MaxContent)
	embeds := make([]*discordgo.MessageEmbed, len(r.Cards))
	for i, c := range r.Cards {
		embeds[i] = CardEmbed(c)
	}
	if len(embeds) == 1 {
		bigImage(embeds[0])
	}
	groups := packEmbeds(embeds)
	var msgs []*discordgo.MessageSend
	for _, t := range texts {
		msgs = append(msgs, &discordgo.MessageSend{Content: t, AllowedMentions: noMentions()})
	}
	for i, g := range groups {
		if i == 0 && len(msgs) > 0 {
			last := msgs[len(msgs)-1]
			last.Embeds = g
			continue
		}
		msgs = append(msgs, &discordgo.MessageSend{Embeds: g, AllowedMentions: noMentions()})
	}
	if len(msgs) == 0 {
		msgs = append(msgs, &discordgo.MessageSend{Content: emptyReplyNote, AllowedMentions: noMentions()})
	}
	if len(r.Buttons) > 0 {
		msgs[len(msgs)-1].Components = buttonRows(r.Buttons)
	}
	return msgs
}

// buttonRows renders buttons as action rows (component type 1) of at most
// five buttons (type 2): primary (style 1), or danger (style 4); the
// custom_id is the Button's ID. Discord allows five rows.
func buttonRows(bs []digest.Button) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	for len(bs) > 0 && len(rows) < 5 {
		n := min(len(bs), 5)
		var row []discordgo.MessageComponent
		for _, b := range bs[:n] {
			style := discordgo.PrimaryButton
			if b.Danger {
				style = discordgo.DangerButton
			}
			row = append(row, discordgo.Button{Label: Truncate(b.Label, 80), Style: style, CustomID: Truncate(b.ID, 100)})
		}
		rows = append(rows, discordgo.ActionsRow{Components: row})
		bs = bs[n:]
	}
	return rows
}

// splitText cuts text into pieces of at most max characters, at a line
// break when possible, else at a word boundary, never inside a URL.
func splitText(s string, max int) []string {
	var out []string
	for s != "" {
		if runeLen(s) <= max {
			out = append(out, s)
			break
		}
		cut := splitPoint(s, max)
		out = append(out, strings.TrimRight(s[:cut], " \n"))
		s = strings.TrimLeft(s[cut:], " \n")
	}
	return out
}

// splitPoint is a byte offset to cut s at, keeping at most max characters
// before it.
func splitPoint(s string, max int) int {
	end := 0
	for i := 0; i < max && end < len(s); i++ {
		_, n := utf8.DecodeRuneInString(s[end:])
		end += n
	}
	if i := strings.LastIndexByte(s[:end], '\n'); i > end/2 {
		return i + 1
	}
	if i := strings.LastIndexByte(s[:end], ' '); i > 0 {
		return i + 1
	}
	if cut := graphemeCut(s, end); cut > 0 {
		return cut
	}
	return end
}

// renderMessage marshals one message.
func renderMessage(m *discordgo.MessageSend) ([]byte, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("discord: encode message: %w", err)
	}
	return b, nil
}
