package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The markup in these cases is copied from real pages of the bench
// (Zyte's article-extraction set), trimmed to the elements that matter.
func TestLeadImage(t *testing.T) {
	tests := []struct {
		name, page, html, want string
	}{
		{
			name: "og image wins over the site logo in the body",
			page: "https://www.slashgear.com/the-vw-id-space-vizzion-is-a-weird-ev-sports-wagon-with-a-secret-message-19600475/",
			html: `<html><head><meta property="og:image" content="https://scdn.slashgear.com/wp-content/uploads/2019/11/vw-id-space-vizzion-concept-2-1.jpg"></head>
<body><img src="https://static-cdn.slashgear.com/images/slashgear_logo.png" alt="SlashGear"></body></html>`,
			want: "https://scdn.slashgear.com/wp-content/uploads/2019/11/vw-id-space-vizzion-concept-2-1.jpg",
		},
		{
			name: "a site icon as og image is no picture; header and 40px widgets neither",
			page: "https://kabarislamia.com/2015/10/27/sejarah-pecahnya-islam-jadi-sunni-dan-syiah/",
			html: `<html><head><meta property="og:image" content="https://secure.gravatar.com/blavatar/55bf7238e39ec9fd72a2f40d67d77e99?s=200&amp;ts=1574250735">
<meta name="twitter:image" content="https://secure.gravatar.com/blavatar/55bf7238e39ec9fd72a2f40d67d77e99?s=240"></head>
<body><div id="header"><img src="https://kabarislam.files.wordpress.com/2010/04/cropped-header.jpg" alt=""></div>
<img class="widgets-list-layout-blavatar" src="https://i2.wp.com/bekamasysyifaholistik.files.wordpress.com/2010/06/darahbekam.jpg?resize=40%2C40" width="40" height="40" alt="Cara Nabi Menjaga Kesehatan dan Berobat"></body></html>`,
			want: "",
		},
		{
			name: "http og image refused; the same picture in the body over https, hinted large",
			page: "http://www.theparadigmng.com/2018/10/09/breaking-lawan-moves-motion-senates-adjournment-nzeribe-adedoyins-deaths/",
			html: `<html><head><meta property="og:image" content="http://www.theparadigmng.com/wp-content/uploads/2018/10/Senate-resumes-1024x683.jpg"></head>
<body><header><img src="http://www.theparadigmng.com/wp-content/uploads/2014/07/TheParadigm.png" alt="The Paradigm"></header>
<img src="https://i1.wp.com/www.theparadigmng.com/wp-content/uploads/2018/10/Senate-resumes-1024x683.jpg?resize=650%2C434" alt="BREAKING: Lawan moves motion" class="Thumbnail thumbnail singlepost " width="650">
<img src="https://i2.wp.com/www.theparadigmng.com/wp-content/uploads/2019/11/IMG-20191120-WA0006.jpg?resize=75%2C50" class="Thumbnail thumbnail recent-widget " width="75" height="50"></body></html>`,
			want: "https://i1.wp.com/www.theparadigmng.com/wp-content/uploads/2018/10/Senate-resumes-1024x683.jpg?resize=650%2C434",
		},
		{
			name: "relative og image made absolute",
			page: "https://www.ascom.com/news-and-events/Ascom-business-news/x.html",
			html: `<html><head><meta property="og:image" content="/content/ascom/ws/global/en-us/news/x/jcr:content.thumb.319.319.png"></head><body></body></html>`,
			want: "https://www.ascom.com/content/ascom/ws/global/en-us/news/x/jcr:content.thumb.319.319.png",
		},
		{
			name: "tracking pixels and small thumbnails are not pictures",
			page: "https://venturebeat.com/2019/11/18/x/",
			html: `<html><body><img src="//pixel.quantserve.com/pixel/p-UkS7f9ZMSZ6hP.gif" style="display: none;" border="0" height="1" width="1" alt="Quantcast">
<img src="https://images.wsj.net/im-128077?width=111&amp;height=62" width="111" alt="Arizona Development Bans Residents From Bringing Cars"></body></html>`,
			want: "",
		},
		{
			name: "JSON-LD image object, publisher logo skipped",
			page: "https://news.example/a",
			html: `<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"H","image":{"@type":"ImageObject","url":"https://news.example/img/lead.jpg","width":1200},
"publisher":{"@type":"Organization","name":"N","logo":{"@type":"ImageObject","url":"https://news.example/img/brand.png"}}}</script></head><body></body></html>`,
			want: "https://news.example/img/lead.jpg",
		},
		{
			name: "og image hinted small is an icon",
			page: "https://news.example/a",
			html: `<html><head><meta property="og:image" content="https://news.example/i.png"><meta property="og:image:width" content="64"></head><body></body></html>`,
			want: "",
		},
		{
			name: "lazy image with srcset widths",
			page: "https://news.example/a",
			html: `<html><body><article><img src="data:image/gif;base64,R0lGOD" data-src="https://news.example/photo.jpg" srcset="https://news.example/photo-320.jpg 320w, https://news.example/photo-1024.jpg 1024w"></article></body></html>`,
			want: "https://news.example/photo.jpg",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader(tt.html))
			if err != nil {
				t.Fatal(err)
			}
			if got := leadImage(doc, collectMeta(doc), tt.page); got != tt.want {
				t.Errorf("leadImage = %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzLeadImage(f *testing.F) {
	f.Add(`<meta property="og:image" content="//cdn.example/a b.jpg">`, "https://x.example/")
	f.Add(`<img src="x.jpg" width="900"><img srcset=", ,1w">`, "")
	f.Fuzz(func(t *testing.T, src, page string) {
		doc, err := html.Parse(strings.NewReader(src))
		if err != nil {
			return
		}
		got := leadImage(doc, collectMeta(doc), page)
		if got != "" && !strings.HasPrefix(got, "https://") {
			t.Fatalf("leadImage gave a non-https URL %q", got)
		}
	})
}
