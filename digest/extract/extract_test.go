package extract

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsdigest/digest"
)

// paragraphs repeats a sentence as n paragraphs, each a little different.
func paragraphs(first string, n int) string {
	var b strings.Builder
	b.WriteString("<p>" + first + "</p>\n")
	for i := 1; i < n; i++ {
		b.WriteString("<p>Paragraph " + string(rune('A'+i)) + " goes on with the story, adding detail, quotes and context that readers want to know about the event.</p>\n")
	}
	return b.String()
}

func TestNoArticle(t *testing.T) {
	links := strings.Repeat(`<li><a href="/a">A headline of some other story here</a></li>`, 40)
	tests := []struct {
		name, body, reason string
	}{
		{"empty", "", "empty input"},
		{"blank", "  \n\t ", "empty input"},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary data"},
		{"listing", "<html><head><title>World news</title></head><body><nav>Home</nav><ul>" + links + "</ul></body></html>", ""},
		{"teaser listing", teaserListing, "listing page"},
		{"error page", "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The page you requested was not found on this server.</p></body></html>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Extract(digest.Page{Body: []byte(tt.body), Name: "in/" + tt.name, URL: "https://example.com/x"}, Options{})
			var na *digest.NoArticleError
			if !errors.As(err, &na) {
				t.Fatalf("err = %v, want *digest.NoArticleError", err)
			}
			if !errors.Is(err, digest.ErrNoArticle) || na.Input != "in/"+tt.name {
				t.Errorf("err = %#v", na)
			}
			if tt.reason != "" && na.Reason != tt.reason {
				t.Errorf("reason = %q, want %q", na.Reason, tt.reason)
			}
		})
	}
	// Without a name the URL names the input.
	_, err := Extract(digest.Page{URL: "https://example.com/empty"}, Options{})
	var na *digest.NoArticleError
	if !errors.As(err, &na) || na.Input != "https://example.com/empty" {
		t.Errorf("err = %v", err)
	}
}

// furniturePage is an article surrounded by what sites put around one.
const furniturePage = `<!doctype html><html><head><title>Storm hits the coast - Example Times</title>
<meta property="og:site_name" content="Example Times"></head><body>
<header><a href="/">Example Times</a><nav><a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<div class="cookie-banner">We use cookies to improve your experience.</div>
<main><article>
<h1>Storm hits the coast</h1>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
<figure><img src="x.jpg"><figcaption>Waves hit the pier. Photo: Getty Images</figcaption></figure>
<div class="article-body">
<p>A powerful storm hit the coast on Monday, cutting power to thousands of homes and forcing ferries to stay in port, officials said.</p>
<p>Winds of up to 120 km/h were recorded overnight, and the weather service warned that more rain would follow later in the week.</p>
<div class="related-articles"><h3>Related</h3><ul><li><a href="/a">Earlier storm caused floods in the north</a></li><li><a href="/b">How to prepare for a storm</a></li></ul></div>
<p>Emergency crews worked through the night to clear fallen trees from roads, and schools in the area will stay closed on Tuesday.</p>
<p>(With inputs from agencies.)</p>
</div>
</article>
<aside><h2>Trending</h2><ol><li><a href="/t1">Celebrity news story</a></li></ol></aside>
</main>
<footer><p>© 2025 Example Times. All rights reserved.</p></footer>
</body></html>`

func TestFurnitureRemoved(t *testing.T) {
	a, err := Extract(digest.Page{URL: "https://www.example.com/storm", Body: []byte(furniturePage), Name: "storm"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	paras := strings.Split(a.Body, "\n\n")
	if len(paras) != 3 {
		t.Errorf("got %d paragraphs, want 3:\n%s", len(paras), a.Body)
	}
	for _, bad := range []string{"cookies", "Share", "Getty", "Related", "Earlier storm", "With inputs", "Trending", "Celebrity", "rights reserved", "World"} {
		if strings.Contains(a.Body, bad) {
			t.Errorf("body holds %q:\n%s", bad, a.Body)
		}
	}
	if a.Headline != "Storm hits the coast" || a.Site != "Example Times" {
		t.Errorf("headline %q site %q", a.Headline, a.Site)
	}
}

func TestRules(t *testing.T) {
	rules := Rules{
		{Domain: "news.example.org", Body: "div.b"},
		{Domain: "example.com", Body: "div.story", Remove: ".ad"},
		{Domain: "another.net", Body: "main"},
	}.Sorted()
	for i := 1; i < len(rules); i++ {
		if rules[i-1].Domain > rules[i].Domain {
			t.Fatalf("rules not sorted: %v", rules)
		}
	}
	tests := []struct {
		host, want string
		ok         bool
	}{
		{"example.com", "example.com", true},
		{"www.example.com", "example.com", true},
		{"edition.example.com", "example.com", true},
		{"news.example.org", "news.example.org", true},
		{"example.org", "", false},
		{"notexample.com", "", false},
		{"com", "", false},
	}
	for _, tt := range tests {
		r, ok := rules.For(tt.host)
		if ok != tt.ok || r.Domain != tt.want {
			t.Errorf("For(%q) = %q, %v; want %q, %v", tt.host, r.Domain, ok, tt.want, tt.ok)
		}
	}
	DefaultRules := DefaultRules()
	for i := 1; i < len(DefaultRules); i++ {
		if DefaultRules[i-1].Domain >= DefaultRules[i].Domain {
			t.Errorf("DefaultRules not sorted and unique at %d", i)
		}
	}
	for _, r := range DefaultRules {
		if _, err := compileSelector(r.Body); err != nil {
			t.Errorf("rule %s: %v", r.Domain, err)
		}
	}
}

// rulePage hides its article where the general extractor would not look
// first: a long sidebar of prose beside a shorter story.
const rulePage = `<html><head><title>Story</title></head><body>
<div class="col"><p>` + longText + `</p><p>` + longText + `</p><p>` + longText + `</p></div>
<div class="story"><p>The council approved the new budget on Monday after a long debate about school funding and roads.</p>
<p class="ad">Advertisement: buy our product now, the best product you will ever buy in your life.</p>
<p>The mayor said the plan would cut waiting times at clinics and add two bus lines by next summer.</p>
<p>Opposition members voted against it, saying the city could not afford the extra spending this year.</p></div>
</body></html>`

const longText = "This column of unrelated commentary runs long, with many commas, clauses, asides, and opinions, so that a scorer would pick it over the story"

func TestSiteRuleAndSelector(t *testing.T) {
	page := digest.Page{URL: "https://www.example.com/story", Body: []byte(rulePage), Name: "rule"}
	rules := Rules{{Domain: "example.com", Body: "div.story", Remove: ".ad"}}
	for _, opt := range []Options{{Rules: rules}, {BodySelector: "div.story", Rules: Rules{{Domain: "example.com", Body: ".col", Remove: ".ad"}}}} {
		a, err := Extract(page, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(a.Body, "The council approved") || strings.Contains(a.Body, "column") {
			t.Errorf("opt %+v: body = %q", opt, a.Body)
		}
		if opt.BodySelector == "" && strings.Contains(a.Body, "Advertisement") {
			t.Errorf("Remove selector ignored: %q", a.Body)
		}
	}
	// A rule that matches nothing falls back to the general extractor.
	a, err := Extract(page, Options{Rules: Rules{{Domain: "example.com", Body: "div.nothing"}}})
	if err != nil || a.Body == "" {
		t.Errorf("fallback: %v %q", err, a.Body)
	}
	// A broken selector is no crash.
	if _, err := Extract(page, Options{BodySelector: "div[[["}); err != nil {
		t.Errorf("broken selector: %v", err)
	}
}

func TestLooksLikeHTML(t *testing.T) {
	seedLike := "Left Menu\n\nUS-Russia talks\n\nSome text about a <tag> and a < b comparison.\n"
	if looksLikeHTML(seedLike) {
		t.Error("plain text taken for HTML")
	}
	if !looksLikeHTML("<!DOCTYPE html><p>x</p>") || !looksLikeHTML("<div>a</div><p>b</p>") {
		t.Error("HTML taken for plain text")
	}
}

func TestJSONLDBodyFallback(t *testing.T) {
	page := `<html><head><title>Scripted</title><script type="application/ld+json">{"@type":"NewsArticle","headline":"Scripted story",
"articleBody":"The first paragraph of a story that the page renders with scripts, long enough to read as prose.\nThe second paragraph adds more detail about what happened, who said what and when and where it happened, and what comes next."}</script></head>
<body><div id="root"></div></body></html>`
	a, err := Extract(digest.Page{Body: []byte(page), Name: "ld"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.Body, "The first paragraph") || strings.Count(a.Body, "\n\n") != 1 || a.Headline != "Scripted story" {
		t.Errorf("got %q / %q", a.Headline, a.Body)
	}
}

func TestPlainContentType(t *testing.T) {
	text := "A headline of some words\n\nThe <p> tag and the <div> tag are HTML, and this text talks about them at length, as a tutorial would.\n\nA second paragraph goes on about <span> elements and why they are inline, in full sentences, with examples for each.\n"
	a, err := Extract(digest.Page{Body: []byte(text), ContentType: "text/plain; charset=utf-8", Name: "t.txt"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Headline != "A headline of some words" || !strings.Contains(a.Body, "<div>") {
		t.Errorf("got %q / %q", a.Headline, a.Body)
	}
}

// teaserListing is a section page: headlines that link to stories, each
// with a sentence of teaser text.
var teaserListing = func() string {
	var b strings.Builder
	b.WriteString(`<html><head><title>World news | Example</title></head><body><main>`)
	for _, t := range []string{
		"A powerful storm hit the coast on Monday, cutting power to thousands of homes, officials said.",
		"The council approved the new budget on Monday after a long debate about schools and roads.",
		"Shares rose across Europe on Tuesday after figures showed inflation slowing for a third month.",
		"The bridge, which took five years to build, opened to cars and cyclists on Wednesday morning.",
		"The home side won the cup final on penalties after a goalless draw in front of a full stadium.",
	} {
		b.WriteString(`<article><h2><a href="/story">` + t[:40] + `</a></h2><p>` + t + `</p></article>`)
	}
	b.WriteString(`</main></body></html>`)
	return b.String()
}()

func TestMetadataWithoutBody(t *testing.T) {
	page := `<html lang="de"><head><title>Kurz gemeldet - Beispiel</title><meta property="og:site_name" content="Beispiel">
<meta property="article:published_time" content="2024-03-05T09:30:00+01:00"></head><body><h1>Kurz gemeldet</h1><p>Nur ein Satz.</p></body></html>`
	p := digest.Page{URL: "https://www.beispiel.de/x", Body: []byte(page), Name: "kurz"}
	if _, err := Extract(p, Options{}); !errors.Is(err, digest.ErrNoArticle) {
		t.Fatalf("Extract err = %v, want no article", err)
	}
	a, err := Metadata(p)
	if err != nil {
		t.Fatal(err)
	}
	if a.Headline != "Kurz gemeldet" || a.Site != "Beispiel" || a.Language != "de" || a.Body != "" {
		t.Errorf("Metadata = %+v", a)
	}
	if _, off := a.Dateline.Published.Zone(); off != 3600 || a.Dateline.Published.Hour() != 9 {
		t.Errorf("published = %v", a.Dateline.Published)
	}
	if _, err := Metadata(digest.Page{Name: "empty"}); !errors.Is(err, digest.ErrNoArticle) {
		t.Errorf("empty input: %v", err)
	}
}

// TestInlineTagLinksKeepTheirWords: links whose class says "tag" inside a
// sentence are part of it (a real page's paragraph, testdata/inline_tags.html);
// the page's tag list standing as its own block is still left out.
func TestInlineTagLinksKeepTheirWords(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "inline_tags.html"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Extract(digest.Page{URL: "https://www.selbst.de/wurmkiste-39572.html", Body: b}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"aber auch auf dem Balkon oder im Keller. Wichtig:",
		"in feinen Humus, den Sie zur Verbesserung des Gartenbodens einarbeiten können.",
	} {
		if !strings.Contains(a.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, a.Body)
		}
	}
	if strings.Contains(a.Body, "Gartengestaltung") {
		t.Errorf("body holds the tag list:\n%s", a.Body)
	}
}

func TestInlineFurnitureInSentences(t *testing.T) {
	tests := []struct {
		name, para, want, not string
	}{
		{"tag link", `The <a id="auto-tag_doobie-brothers" class="auto-tag">Doobie Brothers</a> will unite with former frontman Michael McDonald for a 2020 North American tour.`,
			"The Doobie Brothers will unite", ""},
		{"tag link in bold", `Fans of <strong><a class="tag">Skoda</a></strong> will recognise the shape of the new coupé at once, the company said on Monday.`,
			"Fans of Skoda will recognise", ""},
		{"tooltip anchor and its box", `Her mother was an <span class="glossary-link"><a class="dpnglossary link">intersex</a><span class="tooltip">A word explained on hover.</span></span> person from France who lived in the 19th century.`,
			"was an intersex person from France", "explained on hover"},
		{"screen-reader text", `The council approved the budget <span class="sr-only">(opens in a new window)</span>on Monday after a long and bitter debate.`,
			"approved the budget on Monday", "opens in a new window"},
		{"custom element citation", `Binge eating is the most common eating disorder in the United States (<hl-trusted-source><a href="/x">1</a></hl-trusted-source>). It affects millions.`,
			"in the United States (1).", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := "<html><head><title>A story</title></head><body><article>" +
				paragraphs(tt.para, 4) + `<ul class="tags"><li><a class="tag" href="/t/a">Tagged</a></li></ul></article></body></html>`
			a, err := Extract(digest.Page{URL: "https://example.com/a", Body: []byte(page)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(a.Body, tt.want) {
				t.Errorf("body lacks %q:\n%s", tt.want, a.Body)
			}
			if tt.not != "" && strings.Contains(a.Body, tt.not) {
				t.Errorf("body holds %q:\n%s", tt.not, a.Body)
			}
			if strings.Contains(a.Body, "Tagged") {
				t.Errorf("body holds the tag list:\n%s", a.Body)
			}
		})
	}
}
