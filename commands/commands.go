// Package commands answers the bot's slash commands for every platform: one
// table (digest.Commands), one handler. Adapters turn their events into a
// digest.CommandRequest and the reply into a platform call.
package commands

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"newsdigest/digest"
	"newsdigest/digest/i18n"
	"newsdigest/digest/lang"
	"newsdigest/redact"
	"newsdigest/schedule"
)

// Limits of user input.
const (
	MaxKeywordLen  = 200
	DefaultHours   = 24
	MaxHours       = 168
	DefaultResults = 5
	MaxTrending    = 10
)

// Handler implements digest.CommandHandler over the store.
type Handler struct {
	Store digest.Store
	// Trending ranks the stories of a window (story.Trending). Its ranking
	// must read only the stories' IDs and their members' first-seen times
	// and sources (story.Trending's does): /trending ranks light rows of
	// the window first (Store.WindowArticles) and loads only the top
	// stories in full, which Trending then ranks again and gives their leads.
	Trending func(stories []digest.Story, now time.Time, window time.Duration, n int) []digest.Story
	// Preview builds the digest a subscription would get now (delivery.Engine.Preview).
	Preview func(ctx context.Context, sub digest.Subscription, now time.Time) (digest.DigestView, error)
	// NextRun computes a subscription's next digest time (schedule.Next).
	NextRun func(after time.Time, hhmm string, loc *time.Location) time.Time
	// MaxStories and SendEmpty are the defaults of new subscriptions.
	MaxStories int
	SendEmpty  bool
	// Results is how many cards /article returns (default 5).
	Results int
	Clock   func() time.Time
	Log     *slog.Logger
	// Observe, when set, is told each command's name, duration and outcome (metrics).
	Observe func(platform digest.Platform, name string, d time.Duration, err error)
	// TrendingTTL is how long a /trending ranking is reused for the same
	// window (default 30s; negative: never), and a tenth of how long a
	// stale one is still served while a fresh one is made. A day's ranking
	// hardly moves in seconds, and a busy bot gets the same question many
	// times a minute.
	TrendingTTL time.Duration

	// ChatSources are the settings of sources added from chats (/source).
	ChatSources ChatSources

	trendMu    sync.Mutex
	trendCache map[trendKey]trendEntry
	adds       adds
}

// trendKey is a cached ranking's window and the sources it covers
// (digest.Reads.Key).
type trendKey struct {
	hours int
	reads string
}

// maxTrendEntries bounds the cache: a channel with its own list has its
// own rankings.
const maxTrendEntries = 512

type trendEntry struct {
	at         time.Time
	stories    []digest.Story
	refreshing bool // a background refresh is under way
}

var _ digest.CommandHandler = (*Handler)(nil)

func (h *Handler) now(req digest.CommandRequest) time.Time {
	if !req.Now.IsZero() {
		return req.Now
	}
	if h.Clock != nil {
		return h.Clock()
	}
	return time.Now()
}

func usage(name, problem string) digest.CommandReply {
	if c, ok := specOf(name); ok {
		problem += "\nUsage: " + c.Usage
	}
	return digest.CommandReply{Text: problem, Ephemeral: true, IsError: true}
}

// Handle answers one command. Bad input is a reply with IsError; an error
// return is an internal failure the adapter reports as such.
func (h *Handler) Handle(ctx context.Context, req digest.CommandRequest) (reply digest.CommandReply, err error) {
	start := time.Now()
	defer func() {
		if h.Observe != nil {
			h.Observe(req.Platform, req.Name, time.Since(start), err)
		}
	}()
	if req.Name == digest.Pressed {
		reply, err = h.press(ctx, req)
		if err != nil {
			return digest.CommandReply{}, fmt.Errorf("commands: button %q in chat %s: %w", req.Args["button"], req.ChatID, err)
		}
		return reply, nil
	}
	spec, ok := specOf(req.Name)
	if !ok {
		return digest.CommandReply{Text: i18n.Printer(req.Locale).Sprintf(i18n.UnknownCommand, req.Name), Ephemeral: true, IsError: true}, nil
	}
	if spec.AdminOnly && !req.IsAdmin {
		who := "chat administrators"
		if req.Platform == digest.Discord {
			who = "members with the Manage Channels permission"
		}
		return digest.CommandReply{Text: "/" + req.Name + " is only for " + who + ".", Ephemeral: true, IsError: true}, nil
	}
	switch req.Name {
	case "trending":
		reply, err = h.trending(ctx, req)
	case "article":
		reply, err = h.article(ctx, req)
	case "digest":
		reply, err = h.digest(ctx, req)
	case "subscribe":
		reply, err = h.subscribe(ctx, req)
	case "unsubscribe":
		reply, err = h.unsubscribe(ctx, req)
	case "sources":
		reply, err = h.sources(ctx, req)
	case "source":
		reply, err = h.source(ctx, req)
	default: // help, start
		reply = help(req.Platform)
	}
	if err != nil {
		return digest.CommandReply{}, fmt.Errorf("commands: /%s in chat %s: %w", req.Name, req.ChatID, err)
	}
	if req.IsAdmin && spec.Name != "subscribe" && spec.Name != "unsubscribe" {
		reply = h.withFailureNote(ctx, req, reply)
	}
	return reply, nil
}

func specOf(name string) (digest.CommandSpec, bool) {
	for _, c := range digest.Commands {
		if c.Name == name {
			return c, true
		}
	}
	return digest.CommandSpec{}, false
}

// withFailureNote tells an admin that this chat's digests are failing.
func (h *Handler) withFailureNote(ctx context.Context, req digest.CommandRequest, r digest.CommandReply) digest.CommandReply {
	sub, err := h.Store.Subscription(ctx, req.Platform, req.ChatID, req.ThreadID)
	if err != nil || sub.Failure == "" {
		return r
	}
	note := "⚠ The daily digest here is failing: " + sub.Failure + ". Fix the bot's access, then run /subscribe again."
	if !sub.Active {
		note = "⚠ The daily digest here was stopped: " + sub.Failure + ". Fix the bot's access, then run /subscribe again."
	}
	if r.Text == "" {
		r.Text = note
	} else {
		r.Text = note + "\n\n" + r.Text
	}
	return r
}

func (h *Handler) trending(ctx context.Context, req digest.CommandRequest) (digest.CommandReply, error) {
	hours := DefaultHours
	if v := strings.TrimSpace(req.Args["hours"]); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxHours {
			return usage("trending", fmt.Sprintf("hours must be a whole number from 1 to %d, not %q.", MaxHours, v)), nil
		}
		hours = n
	}
	langs, err := ParseLanguages(req.Args["language"])
	if err != nil {
		return usage("trending", "Bad language: "+err.Error()+"."), nil
	}
	sub, reads, err := h.chat(ctx, req)
	if err != nil {
		return digest.CommandReply{}, err
	}
	top, err := h.trendingStories(ctx, h.now(req), hours, reads)
	if err != nil {
		return digest.CommandReply{}, err
	}
	p := i18n.Printer(req.Locale)
	var cards []digest.Card
	for _, s := range top {
		if inLanguages(s.Lead.Language, langs) {
			c := s.Card()
			c.Locale = req.Locale
			cards = append(cards, c)
		}
	}
	if len(cards) == 0 {
		return digest.CommandReply{Text: p.Sprintf(i18n.NoTrending, hours)}, nil
	}
	return channelImages(sub, digest.CommandReply{Text: p.Sprintf(i18n.TrendingHeader, hours), Cards: cards}), nil
}

// trendingStories ranks the stories of the last hours. A ranking less than
// TrendingTTL old is reused. An older one, up to 10 TTLs old, is still
// served at once while a fresh one is made in the background (stale while
// revalidate), so that no user waits for the window scan; older than that,
// or the first time, the ranking is made while the user waits.
func (h *Handler) trendingStories(ctx context.Context, now time.Time, hours int, reads *digest.Reads) ([]digest.Story, error) {
	ttl := h.TrendingTTL
	if ttl == 0 {
		ttl = 30 * time.Second
	}
	if ttl < 0 {
		return h.rankTrending(ctx, now, hours, reads)
	}
	key := trendKey{hours, reads.Key()}
	h.trendMu.Lock()
	e, ok := h.trendCache[key]
	fresh := ok && !now.Before(e.at) && now.Sub(e.at) < ttl
	usable := ok && !now.Before(e.at) && now.Sub(e.at) < 10*ttl
	refresh := usable && !fresh && !e.refreshing
	if refresh {
		e.refreshing = true
		h.trendCache[key] = e
	}
	h.trendMu.Unlock()
	switch {
	case fresh:
		return e.stories, nil
	case usable:
		if refresh {
			go func() {
				rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
				defer cancel()
				if _, err := h.rankTrending(rctx, now, hours, reads); err != nil && h.Log != nil {
					h.Log.Warn("refreshing /trending failed", "hours", hours, "err", err)
				}
			}()
		}
		return e.stories, nil
	}
	return h.rankTrending(ctx, now, hours, reads)
}

// rankTrending ranks the window and caches the result.
func (h *Handler) rankTrending(ctx context.Context, now time.Time, hours int, reads *digest.Reads) ([]digest.Story, error) {
	window := time.Duration(hours) * time.Hour
	key := trendKey{hours, reads.Key()}
	top, err := h.rankOf(ctx, now, window, MaxTrending, reads)
	if err != nil {
		h.trendMu.Lock()
		if e, ok := h.trendCache[key]; ok {
			e.refreshing = false
			h.trendCache[key] = e
		}
		h.trendMu.Unlock()
		return nil, err
	}
	h.trendMu.Lock()
	if h.trendCache == nil || len(h.trendCache) >= maxTrendEntries {
		h.trendCache = map[trendKey]trendEntry{}
	}
	if e, ok := h.trendCache[key]; !ok || !now.Before(e.at) {
		h.trendCache[key] = trendEntry{at: now, stories: top}
	}
	h.trendMu.Unlock()
	return top, nil
}

// rankOf returns the top n stories of the window (all with n ≤ 0), as
// told by the sources reads reads (all when nil), as h.Trending ranks them
// over Store.Stories, in two light steps: the window's articles are read
// as (ID, story, source, first seen) from an index and ranked as stories
// of those members alone, then only the top stories are loaded in full
// (all members, summaries, datelines) and ranked again, which orders them
// the same way and picks their leads.
func (h *Handler) rankOf(ctx context.Context, now time.Time, window time.Duration, n int, reads *digest.Reads) ([]digest.Story, error) {
	from, to := now.Add(-window), now.Add(time.Minute)
	refs, err := h.Store.WindowArticles(ctx, from, to, true)
	if err != nil {
		return nil, err
	}
	if reads != nil {
		kept := refs[:0:0]
		for _, r := range refs {
			if reads.Has(r.SourceID) {
				kept = append(kept, r)
			}
		}
		refs = kept
	}
	top := h.Trending(skeletons(refs), now, window, n)
	if len(top) == 0 {
		return top, nil
	}
	ids := make([]int64, len(top))
	for i, s := range top {
		ids[i] = s.ID
	}
	full, err := h.Store.StoriesByID(ctx, ids, true)
	if err != nil {
		return nil, err
	}
	full = digest.OnlySources(full, reads)
	return h.Trending(full, now, window, n), nil
}

// skeletons groups the window's articles into stories that hold only
// what ranking reads: IDs, sources and first-seen times (oldest first, as
// refs come). All members share one backing array.
func skeletons(refs []digest.ArticleRef) []digest.Story {
	idx := make(map[int64]int, len(refs)/2)
	var count []int
	for _, r := range refs {
		i, ok := idx[r.StoryID]
		if !ok {
			i = len(count)
			idx[r.StoryID] = i
			count = append(count, 0)
		}
		count[i]++
	}
	out := make([]digest.Story, len(count))
	members := make([]digest.StoredArticle, len(refs))
	off := 0
	for i, n := range count {
		out[i].Articles = members[off : off : off+n]
		off += n
	}
	for _, r := range refs {
		s := &out[idx[r.StoryID]]
		if len(s.Articles) == 0 {
			s.ID, s.FirstSeen = r.StoryID, r.FirstSeen
		}
		s.Articles = append(s.Articles, digest.StoredArticle{ID: r.ID, StoryID: r.StoryID,
			SourceID: r.SourceID, Source: r.Source, FirstSeen: r.FirstSeen})
		if r.FirstSeen.After(s.LastSeen) {
			s.LastSeen = r.FirstSeen
		}
	}
	return out
}

func (h *Handler) article(ctx context.Context, req digest.CommandRequest) (digest.CommandReply, error) {
	q := strings.TrimSpace(req.Args["keyword"])
	if !strings.ContainsFunc(q, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
		return usage("article", "Give a keyword to look for, for example /article climate."), nil
	}
	if utf8.RuneCountInString(q) > MaxKeywordLen {
		return usage("article", fmt.Sprintf("That is too long to search: keep it under %d characters.", MaxKeywordLen)), nil
	}
	langs, err := ParseLanguages(req.Args["language"])
	if err != nil {
		return usage("article", "Bad language: "+err.Error()+"."), nil
	}
	n := h.Results
	if n <= 0 {
		n = DefaultResults
	}
	hits, err := h.Store.Search(ctx, q, n*4)
	if err != nil {
		var bad interface{ BadQuery() bool }
		if errors.As(err, &bad) && bad.BadQuery() {
			return usage("article", "I could not search for that: use plain words or a \"quoted phrase\"."), nil
		}
		return digest.CommandReply{}, err
	}
	sub, reads, err := h.chat(ctx, req)
	if err != nil {
		return digest.CommandReply{}, err
	}
	seen := map[int64]bool{}
	r := digest.CommandReply{}
	for _, hit := range hits {
		a := hit.Article
		if !reads.Has(a.SourceID) {
			continue // not a source this channel reads
		}
		if a.StoryID != 0 && seen[a.StoryID] || !inLanguages(a.Language, langs) {
			continue
		}
		seen[a.StoryID] = true
		c := a.Card()
		c.Locale = req.Locale
		r.Cards = append(r.Cards, c)
		if len(r.Cards) == n {
			break
		}
	}
	if len(r.Cards) == 0 {
		r.Text = i18n.Printer(req.Locale).Sprintf(i18n.NoArticles, q)
		return r, nil
	}
	r.Text = i18n.Printer(req.Locale).Sprintf(i18n.ArticlesHeader, q)
	return channelImages(sub, r), nil
}

// chat reads the chat's subscription (a zero one when it has none: it
// reads the catalogue, with pictures) and the sources it reads, for
// /trending and /article to cover what the channel reads.
func (h *Handler) chat(ctx context.Context, req digest.CommandRequest) (digest.Subscription, *digest.Reads, error) {
	sub, err := h.Store.Subscription(ctx, req.Platform, req.ChatID, req.ThreadID)
	if errors.Is(err, digest.ErrNotFound) {
		sub, err = digest.Subscription{}, nil
	}
	if err != nil {
		return sub, nil, err
	}
	reads, err := digest.ChannelSources(ctx, h.Store, sub)
	return sub, reads, err
}

// channelImages takes the pictures off a reply's cards when the chat's
// subscription turned them off (/subscribe … images:false).
func channelImages(sub digest.Subscription, r digest.CommandReply) digest.CommandReply {
	if !sub.NoImages || len(r.Cards) == 0 {
		return r
	}
	cards := make([]digest.Card, len(r.Cards))
	for i, c := range r.Cards {
		c.Image = ""
		cards[i] = c
	}
	r.Cards = cards
	return r
}

func (h *Handler) digest(ctx context.Context, req digest.CommandRequest) (digest.CommandReply, error) {
	now := h.now(req)
	sub, err := h.Store.Subscription(ctx, req.Platform, req.ChatID, req.ThreadID)
	if errors.Is(err, digest.ErrNotFound) {
		sub = digest.Subscription{Platform: req.Platform, ChatID: req.ChatID, ThreadID: req.ThreadID,
			MaxStories: h.maxStories(), TimeZone: "UTC", Time: "08:00", Cutoff: now.Add(-24 * time.Hour)}
	} else if err != nil {
		return digest.CommandReply{}, err
	}
	view, err := h.Preview(ctx, sub, now)
	if err != nil {
		return digest.CommandReply{}, err
	}
	r := channelImages(sub, digest.CommandReply{Ephemeral: true, Cards: view.Cards})
	switch {
	case len(r.Cards) == 0 && sub.ID == 0:
		r.Text = "No new stories in the last 24 hours. This chat has no daily digest yet: an admin can start one with /subscribe."
	case len(r.Cards) == 0:
		r.Text = i18n.Printer(req.Locale).Sprintf(i18n.NoNewStories)
	case sub.ID == 0:
		r.Text = "The last 24 hours' digest (this chat has no daily digest yet; an admin can start one with /subscribe):"
	default:
		r.Text = i18n.Printer(req.Locale).Sprintf(i18n.DigestNow)
	}
	for i := range r.Cards {
		r.Cards[i].Locale = req.Locale
	}
	return r, nil
}

func (h *Handler) maxStories() int {
	if h.MaxStories > 0 {
		return h.MaxStories
	}
	return 10
}

// ParseHHMM checks a 24-hour "HH:MM" time of day (schedule.ParseTime),
// with an error for the user.
func ParseHHMM(s string) (string, error) {
	t, err := schedule.ParseTime(strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("%q is not a time of day: use 24-hour HH:MM, such as 08:00 or 18:30", strings.TrimSpace(s))
	}
	return t.String(), nil
}

// LoadZone checks an IANA time zone name (schedule.LoadZone), with an
// error for the user.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	loc, err := schedule.LoadZone(name)
	if err != nil || len(name) > 64 {
		return nil, fmt.Errorf("%q is not a time zone I know: use an IANA name such as Europe/Berlin, America/New_York or UTC", name)
	}
	return loc, nil
}

// ParseKeywords splits "a, b c, d" into trimmed keywords; each must hold a
// letter or a digit.
func ParseKeywords(s string) ([]string, error) {
	var out []string
	for _, k := range strings.Split(s, ",") {
		k = strings.Join(strings.Fields(k), " ")
		if k == "" {
			continue
		}
		if utf8.RuneCountInString(k) > 60 {
			return nil, fmt.Errorf("keyword %q is too long (60 characters at most)", k)
		}
		if !strings.ContainsFunc(k, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
			// Matching reads words: punctuation alone never matches.
			return nil, fmt.Errorf("keyword %q has no letters or digits, so it could never match", k)
		}
		out = append(out, k)
	}
	if len(out) > 20 {
		return nil, fmt.Errorf("%d keywords is too many (20 at most)", len(out))
	}
	return out, nil
}

func (h *Handler) subscribe(ctx context.Context, req digest.CommandRequest) (digest.CommandReply, error) {
	hhmm, err := ParseHHMM(req.Args["time"])
	if err != nil {
		return usage("subscribe", "Bad time: "+err.Error()+"."), nil
	}
	loc, err := LoadZone(req.Args["timezone"])
	if err != nil {
		return usage("subscribe", "Bad time zone: "+err.Error()+"."), nil
	}
	maxStories := h.maxStories()
	if v := strings.TrimSpace(req.Args["max_stories"]); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 25 {
			return usage("subscribe", fmt.Sprintf("max_stories must be a whole number from 1 to 25, not %q.", v)), nil
		}
		maxStories = n
	}
	keywords, err := ParseKeywords(req.Args["keywords"])
	if err != nil {
		return usage("subscribe", "Bad keywords: "+err.Error()+"."), nil
	}
	langs, err := ParseLanguages(req.Args["languages"])
	if err != nil {
		return usage("subscribe", "Bad languages: "+err.Error()+"."), nil
	}
	var sendEmpty *bool
	if v := strings.TrimSpace(req.Args["empty_note"]); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return usage("subscribe", fmt.Sprintf("empty_note must be true or false, not %q.", v)), nil
		}
		sendEmpty = &b
	}
	var images, thread *bool
	for name, dst := range map[string]**bool{"images": &images, "thread": &thread} {
		if v := strings.TrimSpace(req.Args[name]); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return usage("subscribe", fmt.Sprintf("%s must be true or false, not %q.", name, v)), nil
			}
			*dst = &b
		}
	}
	if thread != nil && *thread && req.Platform != digest.Discord {
		return usage("subscribe", "thread:true is for Discord text channels; on Telegram, send /subscribe inside a forum topic to get the digest there."), nil
	}
	now := h.now(req)
	sub, err := h.Store.Subscription(ctx, req.Platform, req.ChatID, req.ThreadID)
	switch {
	case errors.Is(err, digest.ErrNotFound):
		sub = digest.Subscription{Platform: req.Platform, ChatID: req.ChatID, ThreadID: req.ThreadID,
			GuildID: req.GuildID, SendEmpty: h.SendEmpty, Cutoff: now, CreatedAt: now, CreatedBy: req.UserID}
	case err != nil:
		return digest.CommandReply{}, err
	}
	sub.Time, sub.TimeZone, sub.MaxStories, sub.Keywords = hhmm, loc.String(), maxStories, keywords
	sub.Languages = langs
	// The chat's language for the bot's own words: the subscriber's, else
	// the one language the digest keeps.
	switch {
	case i18n.Has(req.Locale):
		sub.Locale = req.Locale
	case len(langs) == 1:
		sub.Locale = langs[0]
	}
	if sendEmpty != nil {
		sub.SendEmpty = *sendEmpty
	}
	if images != nil {
		sub.NoImages = !*images
	}
	switch {
	case req.Forum:
		sub.PostMode = digest.PostForum
	case thread != nil && *thread:
		sub.PostMode = digest.PostThread
	case thread != nil:
		sub.PostMode = digest.PostMessages
	}
	sub.Active, sub.Failure = true, ""
	sub.NextRun = h.NextRun(now, hhmm, loc).UTC()
	if _, err := h.Store.SaveSubscription(ctx, sub); err != nil {
		return digest.CommandReply{}, err
	}
	text := fmt.Sprintf("Subscribed: a digest of up to %d stories every day at %s %s. The next one comes %s.",
		maxStories, hhmm, loc.String(), sub.NextRun.In(loc).Format("Mon 2 Jan 15:04 MST"))
	if len(keywords) > 0 {
		text += " Only stories mentioning " + strings.Join(keywords, ", ") + "."
	}
	if len(langs) > 0 {
		text += " Only stories in " + strings.Join(langs, ", ") + "."
	}
	switch sub.PostMode {
	case digest.PostForum:
		text += " Each digest is a new post in this forum."
	case digest.PostThread:
		text += " Each digest is a header line here with its stories in a thread."
	}
	if sub.NoImages {
		text += " Cards show no pictures."
	}
	if sub.SendEmpty {
		text += " On a day without new stories, a short note says so."
	} else {
		text += " On a day without new stories, nothing is posted."
	}
	return digest.CommandReply{Text: text}, nil
}

func (h *Handler) unsubscribe(ctx context.Context, req digest.CommandRequest) (digest.CommandReply, error) {
	err := h.Store.DeleteSubscription(ctx, req.Platform, req.ChatID, req.ThreadID)
	if errors.Is(err, digest.ErrNotFound) {
		return digest.CommandReply{Text: i18n.Printer(req.Locale).Sprintf(i18n.NothingToStop), Ephemeral: true}, nil
	}
	if err != nil {
		return digest.CommandReply{}, err
	}
	return digest.CommandReply{Text: i18n.Printer(req.Locale).Sprintf(i18n.Unsubscribed)}, nil
}

func (h *Handler) sources(ctx context.Context, req digest.CommandRequest) (digest.CommandReply, error) {
	srcs, err := h.Store.Sources(ctx)
	if err != nil {
		return digest.CommandReply{}, err
	}
	if len(srcs) == 0 {
		return digest.CommandReply{Text: "No sources are configured yet.", Ephemeral: true}, nil
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].Name < srcs[j].Name })
	var b strings.Builder
	fmt.Fprintf(&b, "%d sources:\n", len(srcs))
	for _, s := range srcs {
		fmt.Fprintf(&b, "• %s (%s, %s): %s\n", s.Name, s.Kind, Every(s), Health(s, h.now(req)))
	}
	return digest.CommandReply{Text: strings.TrimRight(b.String(), "\n"), Ephemeral: true}, nil
}

// Health says in a few words how a source is doing, credentials redacted.
func Health(s digest.Source, now time.Time) string {
	st := s.State
	switch {
	case st.LastFetch.IsZero():
		return "not fetched yet"
	case st.Failures > 0:
		// An error stored before redaction existed may still name a
		// source's URL with its credentials.
		msg := fmt.Sprintf("failing (%d in a row: %s)", st.Failures, redact.Text(st.LastError))
		if !st.NextFetch.IsZero() && st.NextFetch.After(now) {
			msg += ", next try in " + st.NextFetch.Sub(now).Round(time.Minute).String()
		}
		return msg
	default:
		return fmt.Sprintf("ok, %d articles, last fetched %s ago", st.Fetched, now.Sub(st.LastSuccess).Round(time.Minute))
	}
}

func help(p digest.Platform) digest.CommandReply {
	var b strings.Builder
	b.WriteString("I post a daily digest of the news: each story as a short card with its headline, dateline, three summary lines and sources.\n\n")
	for _, c := range digest.Commands {
		if len(c.Platforms) > 0 && !slices.Contains(c.Platforms, p) {
			continue
		}
		admin := ""
		if c.AdminOnly {
			admin = " (admins)"
		}
		fmt.Fprintf(&b, "%s: %s%s\n", c.Usage, c.Description, admin)
	}
	return digest.CommandReply{Text: strings.TrimRight(b.String(), "\n")}
}

// Every says how often a source is polled: "every 15m0s", or "adaptive"
// when it has no interval of its own (see ingest.AdaptiveInterval).
func Every(s digest.Source) string {
	if s.Interval <= 0 {
		return "adaptive"
	}
	return "every " + s.Interval.String()
}

// ParseLanguages reads a list of language codes ("de,en", "de en"), each
// one the bot supports; "" is none (every language).
func ParseLanguages(s string) ([]string, error) {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		code := lang.Normalize(f)
		if !lang.IsSupported(code) {
			return nil, fmt.Errorf("%q is not a language I know: use codes such as %s", f, strings.Join(lang.Supported, ", "))
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out, nil
}

// inLanguages reports whether an article in language code passes the
// filter langs (empty passes all; an article of unknown language passes
// only an empty filter).
func inLanguages(code string, langs []string) bool {
	return len(langs) == 0 || slices.Contains(langs, lang.Normalize(code))
}
