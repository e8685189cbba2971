package ingest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"newsdigest/control"
	"newsdigest/digest"
	"newsdigest/digest/fingerprint"
	"newsdigest/digest/lang"
	"newsdigest/fetch"
	"newsdigest/redact"
)

// pass is one FetchSource run's item loop.
type pass struct {
	*Ingester
	src       digest.Source
	backlog   bool
	res       *Result
	filter    keywordFilter
	transient bool          // some page failed for a reason that may pass
	pages     []*pageFuture // the article pages fetched ahead, by item
	fetchers  sync.WaitGroup
}

// pageFuture is an article page being fetched ahead of the item loop, or
// (known) none, for the store knew the item already.
type pageFuture struct {
	known    bool
	done     chan struct{}
	a        digest.Article
	finalURL string
	err      error
}

// needsPage reports whether an item's text is too short or cut off, so its
// article page must be read.
func (p *pass) needsPage(c candidate) bool {
	return (words(c.Text) < p.FullTextWords || truncated(c.Text)) && c.Link != ""
}

// prefetch starts fetching, PageWorkers at a time and in feed order, the
// article pages of the items that will need them (not known, not filtered
// out, not waiting for a retry). The item loop waits for each in turn, so
// a page that hangs costs the fetch timeout once, not once per item.
func (p *pass) prefetch(ctx context.Context, items []candidate) []*pageFuture {
	out := make([]*pageFuture, len(items))
	var todo []int
	now := p.Clock()
	for k, c := range items {
		if !p.needsPage(c) {
			continue
		}
		if known, err := p.Store.Known(ctx, digest.ItemKeys{URL: CanonicalURL(c.Link, p.src.URL), ItemKey: c.Key}); err != nil {
			continue // the loop reports the error
		} else if known {
			out[k] = &pageFuture{known: true} // the loop counts it without asking again
			continue
		}
		if keep, kw := p.filter.Keep(c.Title + "\n" + c.Text); !keep && kw != "" {
			continue
		}
		if skip, _ := p.retries.wait(c.Key, now); skip {
			continue
		}
		out[k] = &pageFuture{done: make(chan struct{})}
		todo = append(todo, k)
	}
	if len(todo) == 0 {
		return out
	}
	next := make(chan int)
	go func() {
		defer close(next)
		for _, k := range todo {
			select {
			case next <- k:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range min(p.PageWorkers, len(todo)) {
		p.fetchers.Go(func() {
			for k := range next {
				f := out[k]
				f.a, f.finalURL, f.err = p.readPage(ctx, items[k].Link)
				close(f.done)
			}
		})
	}
	return out
}

// item reads one candidate and stores it if it is new. Only store errors
// and the end of ctx are returned: a page that fails is counted and logged.
// page, when not nil, is the item's article page fetched ahead, or says
// the store knew the item when prefetch asked (an item known stays known).
func (p *pass) item(ctx context.Context, c candidate, page *pageFuture) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(c.Link) > MaxURLBytes {
		p.fail(c.Key, c.Link[:80], fmt.Errorf("ingest: item %s: URL of %d bytes, over %d", c.Key, len(c.Link), MaxURLBytes))
		return nil
	}
	canon, link := CanonicalURL(c.Link, p.src.URL), PublicLink(c.Link, p.src.URL)
	known := page != nil && page.known
	if !known {
		var err error
		if known, err = p.Store.Known(ctx, digest.ItemKeys{URL: canon, ItemKey: c.Key}); err != nil {
			return fmt.Errorf("ingest: source %s: store: %w", p.src.Name, err)
		}
	}
	if known {
		p.res.Known++
		return nil
	}
	if keep, kw := p.filter.Keep(c.Title + "\n" + c.Text); !keep && kw != "" {
		p.res.Filtered++ // an exclude keyword is already in the title or teaser
		return nil
	}

	var art digest.Article
	body, headline := c.Text, c.Title
	if p.needsPage(c) {
		if skip, t := p.retries.wait(c.Key, p.Clock()); skip {
			p.res.Skipped++
			p.transient = p.transient || t
			return nil
		}
		var (
			a        digest.Article
			finalURL string
			err      error
		)
		if page != nil {
			select {
			case <-page.done:
				a, finalURL, err = page.a, page.finalURL, page.err
			case <-ctx.Done():
				return ctx.Err()
			}
		} else {
			a, finalURL, err = p.readPage(ctx, c.Link)
		}
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err == nil:
			art, body = a, a.Body
			if a.Headline != "" && (headline == "" || c.Listing) {
				headline = a.Headline // a listing's link text may be "Read more"
			}
			link = PublicLink(finalURL, p.src.URL)
			if u := CanonicalURL(finalURL, p.src.URL); u != canon {
				canon = u
				if known, err := p.Store.Known(ctx, digest.ItemKeys{URL: canon}); err != nil {
					return fmt.Errorf("ingest: source %s: store: %w", p.src.Name, err)
				} else if known {
					p.res.Known++
					return nil
				}
			}
		case words(c.Text) >= p.MinBodyWords:
			// The feed's text is short but real: better than nothing.
			p.Log.Info("ingest: article page unreadable, using the feed's text", "source", p.src.Name, "url", c.Link, "err", err)
		default:
			p.fail(c.Key, c.Link, err)
			return nil
		}
	}
	if words(body) < p.MinBodyWords {
		p.fail(c.Key, c.Link, &digest.NoArticleError{Input: c.Link, Reason: fmt.Sprintf("only %d words", words(body))})
		return nil
	}
	if headline == "" {
		headline = firstWords(body, 12)
	}
	if keep, _ := p.filter.Keep(headline + "\n" + body); !keep {
		p.res.Filtered++
		if art.Body != "" {
			p.retries.failed(c.Key, p.Clock(), false) // read for nothing: not again soon
		}
		return nil
	}
	return p.store(ctx, c, canon, link, headline, body, art)
}

// readPage fetches an article page and extracts it; it returns the URL the
// page declares for itself (rel=canonical, og:url) or else the final URL.
func (p *pass) readPage(ctx context.Context, link string) (a digest.Article, finalURL string, err error) {
	resp, err := p.Fetcher.Get(ctx, fetch.Request{URL: link})
	if err != nil {
		return a, "", err
	}
	if p.Extract == nil {
		return a, "", errors.New("ingest: no extractor configured")
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("ingest: extractor panicked on %s: %v", resp.URL, r)
		}
	}()
	a, err = p.Extract(resp.Page(), p.src.BodySelector)
	var na *digest.NoArticleError
	if errors.As(err, &na) {
		return a, "", err // names the page already
	}
	if err != nil {
		return a, "", fmt.Errorf("ingest: extracting %s: %w", resp.URL, err)
	}
	finalURL = resp.URL
	if d := DeclaredURL(resp.Body, resp.URL); d != "" {
		finalURL = d
	}
	return a, finalURL, nil
}

// fail counts and logs a page that gave no article, and books when to
// ask for it again.
func (p *pass) fail(key, link string, err error) {
	p.res.Failed++
	t := transient(err)
	if t {
		p.transient = true
	}
	if key != "" {
		p.retries.failed(key, p.Clock(), t)
	}
	p.Log.Warn("ingest: item failed", "source", p.src.Name, "url", redact.URL(link), "err", redact.Error(err))
}

// transient reports whether a page error may pass on its own.
func transient(err error) bool {
	var se *fetch.StatusError
	if errors.As(err, &se) {
		return se.Temporary()
	}
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// store dedupes by content and near-duplicate text, then adds the article.
func (p *pass) store(ctx context.Context, c candidate, canon, link, headline, body string, art digest.Article) error {
	if len(canon) > MaxURLBytes || len(link) > MaxURLBytes {
		p.fail(c.Key, c.Link[:min(len(c.Link), 80)], fmt.Errorf("ingest: item %s: URL over %d bytes", c.Key, MaxURLBytes))
		return nil
	}
	// A feed's or page's control characters (NUL, escape sequences,
	// backspaces) are neither stored nor sent.
	headline, body = control.Line(headline), control.Text(body)
	headline, body = cutRunes(headline, MaxHeadlineRunes), cutBody(body, MaxBodyBytes)
	keys := digest.ItemKeys{URL: canon, ItemKey: c.Key, ContentHash: fingerprint.ContentHash(body)}
	if known, err := p.Store.Known(ctx, keys); err != nil {
		return fmt.Errorf("ingest: source %s: store: %w", p.src.Name, err)
	} else if known {
		p.res.Known++
		return nil
	}
	sim := fingerprint.SimHash(body)
	published := c.Published
	if published.IsZero() {
		published = art.Dateline.Published
	}
	dl := withFeedTime(art.Dateline, published, c.Published)
	if dl.Author == "" {
		dl.Author = c.Author
	}
	image := art.Image
	if image == "" {
		image = c.Image
	}
	dl.Author, dl.Place, dl.Desk, dl.Zone = control.Line(dl.Author), control.Line(dl.Place), control.Line(dl.Desk), control.Line(dl.Zone)
	// The page's declaration, else the source's configured language, else
	// the language the text is in.
	language := lang.Resolve(art.Language, p.src.Language, headline+"\n"+body)
	var summary []string
	if p.SummarizeIn != nil {
		summary = p.SummarizeIn(body, language)
	} else if p.Summarize != nil {
		summary = p.Summarize(body)
	}
	doc := Doc{Title: headline, Text: body, Source: p.src.Name, URL: canon, Published: published, Language: language}

	p.addMu.Lock()
	defer p.addMu.Unlock()
	now := p.Clock()
	if err := p.near.load(ctx, p.Store, now, p.NearWindow); err != nil {
		return err
	}
	var storyID int64
	grouped := false
	if near := p.near.within(sim, p.NearDistance); len(near) > 0 {
		// A near-copy of this source's own article is that article
		// updated (a new headline, a corrected line): skip it. A copy from
		// another source joins the nearest one's story.
		for _, e := range near {
			srcID := e.sourceID
			if srcID == 0 {
				other, err := p.Store.Article(ctx, e.articleID)
				if err != nil && !errors.Is(err, digest.ErrNotFound) {
					return fmt.Errorf("ingest: source %s: store: %w", p.src.Name, err)
				}
				srcID = other.SourceID
			}
			if srcID == p.src.ID {
				p.res.Updated++
				p.Log.Debug("ingest: near-copy of this source's own article skipped", "source", p.src.Name, "url", canon, "article_id", e.articleID)
				return nil
			}
		}
		storyID, grouped = near[0].storyID, true
	} else if p.Group != nil {
		if id, ok := p.Group.Match(doc); ok {
			storyID = id
		}
	}
	row := digest.StoredArticle{
		SourceID:    p.src.ID,
		Source:      p.src.Name,
		URL:         canon,
		Link:        link,
		ItemKey:     c.Key,
		Fingerprint: sim,
		ContentHash: keys.ContentHash,
		Headline:    headline,
		Dateline:    dl,
		Body:        body,
		Summary:     summary,
		Language:    language,
		Image:       image,
		Published:   published,
		FirstSeen:   now,
		StoryID:     storyID,
		Backlog:     p.backlog,
	}
	capArticle(&row)
	stored, err := p.Store.AddArticle(ctx, row)
	if errors.Is(err, digest.ErrDuplicate) {
		p.res.Known++
		return nil
	}
	if err != nil {
		return fmt.Errorf("ingest: source %s: storing %s: %w", p.src.Name, canon, err)
	}
	p.res.New++
	p.added.Store(true)
	if grouped {
		p.res.Grouped++
	}
	p.near.add(nearEntry{articleID: stored.ID, storyID: stored.StoryID, sourceID: p.src.ID, sim: sim, seen: now}, p.NearWindow)
	if p.Group != nil {
		doc.ID = strconv.FormatInt(stored.ID, 10)
		p.Group.Add(doc, stored.StoryID)
	}
	return nil
}

func words(s string) int { return len(strings.Fields(s)) }

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		return strings.Join(f[:n], " ") + "…"
	}
	return strings.Join(f, " ")
}

// excerptEnds and excerptNotes mark a feed text that is a cut-off excerpt,
// however long it is.
var (
	excerptEnds  = []string{"…", "...", "[…]", "[...]"}
	excerptNotes = []string{"continue reading", "read more", "read the full", "appeared first on", "click here to read"}
)

// truncated reports whether a feed's text ends like an excerpt.
func truncated(text string) bool {
	tail := strings.ToLower(strings.TrimSpace(text[max(0, len(text)-120):]))
	for _, e := range excerptEnds {
		if strings.HasSuffix(tail, e) {
			return true
		}
	}
	for _, n := range excerptNotes {
		if strings.Contains(tail, n) {
			return true
		}
	}
	return false
}

// withFeedTime completes a page's dateline with the feed's time: when the
// page gave no date (published: the feed's, else the page's), or gave a
// date without a time or zone (its local time, offset unknown) and the
// feed's entry is dated the same day with a zone.
func withFeedTime(dl digest.Dateline, published, feed time.Time) digest.Dateline {
	switch {
	case dl.Published.IsZero() && !published.IsZero():
		dl.Published, dl.HasTime = published, true
	case !dl.HasTime && !dl.Published.IsZero() && !feed.IsZero() &&
		dl.Published.Format(time.DateOnly) == feed.Format(time.DateOnly):
		dl.Published, dl.HasTime, dl.Zone = feed, true, ""
	}
	return dl
}
