// Command cardshot renders a card the way Discord and Telegram show it, as
// an HTML page for a browser screenshot (the README's picture):
//
//	zcat cli/samples/2-bbc-taylor-swift-amas.html.gz > /tmp/bbc.html
//	go run ./docs/cardshot -o /tmp/card.html -url https://www.bbc.com/news/newsbeat-50470672 /tmp/bbc.html
//	chromium --headless --screenshot=docs/card.png --window-size=1060,400 /tmp/card.html
//
// The embed and the HTML message come from the adapters' own renderers.
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
	e := discord.CardEmbed(card)
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
	fmt.Fprintf(&d, `<div class="footer">%s</div>`, foot)

	tg := strings.ReplaceAll(telegram.CardHTML(card), "\n", "<br>")
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
.label{font-size:12px;text-transform:uppercase;letter-spacing:.08em;margin-bottom:12px;opacity:.7}
</style></head><body>
<div class="dc"><div class="label">Discord</div><div class="who">newsdigest <span>APP</span></div><div class="embed">%s</div></div>
<div class="tg"><div class="label">Telegram</div><div class="bubble"><div class="name">newsdigest</div>%s<div class="time">08:00</div></div></div>
</body></html>`
