// Command cardshot renders a card the way Discord and Telegram show it, as
// an HTML page for a browser screenshot (the README's picture):
//
//	zcat cli/samples/2-bbc-taylor-swift-amas.html.gz > /tmp/bbc.html
//	go run ./docs/cardshot -o /tmp/card.html -url https://www.bbc.com/news/newsbeat-50470672 \
//	    -picture "$(go env GOMODCACHE)/github.com/go-telegram-bot-api/telegram-bot-api/v5@v5.5.1/tests/image.jpg" /tmp/bbc.html
//	chromium --headless --no-sandbox --screenshot=docs/card.png --window-size=1060,860 /tmp/card.html
//
// The embed and the HTML message come from the adapters' own renderers: a
// card answered on its own, as /article gives it (Discord: the embed's
// large image; Telegram: a photo with the card as its caption). The bot
// never downloads pictures, and this machine has no network, so -picture
// names a local stand-in for the article's own picture, whose URL the
// card carries (the stand-in is telegram-bot-api's test photo, MIT).
package main

import (
	"flag"
	"fmt"
	"html"
	"log"
	"os"
	"strings"
	"time"

	"newsdigest/adapters/discord"
	"newsdigest/adapters/telegram"
	"newsdigest/cli"
	"newsdigest/digest"
	"newsdigest/digest/extract"
)

func main() {
	out := flag.String("o", "card.html", "the HTML file to write")
	pageURL := flag.String("url", "", "the address the page came from")
	picture := flag.String("picture", "", "a local image shown in place of the card's picture (which is not downloaded)")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: cardshot [-o FILE] [-url URL] PAGE")
	}
	b, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		log.Fatal(err)
	}
	card, _, err := cli.BuildCard(digest.Page{URL: *pageURL, Body: b, Name: flag.Arg(0)}, extract.Options{})
	if err != nil {
		log.Fatal(err)
	}
	msgs := discord.ReplyMessages(digest.CommandReply{Cards: []digest.Card{card}})
	e := msgs[0].Embeds[0]
	img := func(u string) string {
		if *picture != "" {
			return "file://" + *picture
		}
		return u
	}
	var d strings.Builder
	if e.Author != nil {
		fmt.Fprintf(&d, `<div class="author">%s</div>`, html.EscapeString(e.Author.Name))
	}
	title := html.EscapeString(e.Title)
	if e.URL != "" {
		title = `<a href="#">` + title + `</a>`
	}
	fmt.Fprintf(&d, `<div class="title">%s</div>`, title)
	fmt.Fprintf(&d, `<div class="desc">%s</div>`, strings.ReplaceAll(html.EscapeString(e.Description), "\n", "<br>"))
	foot := ""
	if e.Footer != nil {
		foot = html.EscapeString(e.Footer.Text)
	}
	if ts, err := time.Parse(time.RFC3339, e.Timestamp); err == nil {
		if foot != "" {
			foot += " • "
		}
		foot += ts.Format("02/01/2006 15:04")
	}
	if e.Image != nil {
		fmt.Fprintf(&d, `<img class="pic" src="%s">`, html.EscapeString(img(e.Image.URL)))
	}
	fmt.Fprintf(&d, `<div class="footer">%s</div>`, foot)

	tgMsg := telegram.ReplyMessages(digest.CommandReply{Cards: []digest.Card{card}})[0]
	tg := strings.ReplaceAll(tgMsg.Text, "\n", "<br>")
	if tgMsg.Photo != "" {
		tg = fmt.Sprintf(`<img class="photo" src="%s">`, html.EscapeString(img(tgMsg.Photo))) + `<div class="caption">` + tg + `</div>`
	}
	page := fmt.Sprintf(tmpl, d.String(), tg)
	if err := os.WriteFile(*out, []byte(page), 0o644); err != nil {
		log.Fatal(err)
	}
}

const tmpl = `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;display:flex;font-family:"DejaVu Sans",sans-serif;font-size:15px}
.dc{background:#313338;color:#dbdee1;padding:22px;width:560px;min-height:560px}
.dc .who{font-weight:600;color:#f2f3f5;margin-bottom:6px}.dc .who span{background:#5865f2;color:#fff;font-size:11px;border-radius:3px;padding:1px 4px;margin-left:4px}
.dc .embed{background:#2b2d31;border-left:4px solid #2b6cb0;border-radius:4px;padding:10px 16px 14px 12px;max-width:500px}
.dc .author{font-size:13px;font-weight:600;color:#f2f3f5;margin:4px 0 6px}
.dc .title{font-weight:700;margin-bottom:6px}.dc .title a{color:#00a8fc;text-decoration:none}
.dc .desc{font-size:14px;line-height:1.4}.dc .footer{font-size:12px;color:#b5bac1;margin-top:10px}
.tg{background:#a3c48b;padding:22px;width:500px;min-height:560px}
.tg .bubble{background:#fff;border-radius:12px;padding:8px 12px 6px;color:#000;line-height:1.38;box-shadow:0 1px 1px rgba(0,0,0,.15)}
.tg .bubble a{color:#168acd;text-decoration:none}.tg .name{color:#3a8ccf;font-weight:600;margin-bottom:3px}
.tg .time{text-align:right;font-size:12px;color:#8a9a8a}
.dc .pic{display:block;max-width:100%%;max-height:300px;border-radius:4px;margin-top:12px}
.tg .photo{display:block;width:calc(100%% + 24px);margin:4px -12px 6px}
.label{font-size:12px;text-transform:uppercase;letter-spacing:.08em;margin-bottom:12px;opacity:.7}
</style></head><body>
<div class="dc"><div class="label">Discord</div><div class="who">newsdigest <span>APP</span></div><div class="embed">%s</div></div>
<div class="tg"><div class="label">Telegram</div><div class="bubble"><div class="name">newsdigest</div>%s<div class="time">08:00</div></div></div>
</body></html>`
