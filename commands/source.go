package commands

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"newsdigest/control"
	"newsdigest/digest"
	"newsdigest/redact"
)

// Defaults of the chat sources' limits.
const (
	DefaultMaxChannelSources = 50
	DefaultAddsPerHour       = 20
	// ConfirmWithin is how long a preview's buttons stay good.
	ConfirmWithin = 10 * time.Minute
)

// SourcePreview is what an address turned out to be, for an admin to
// confirm: the source to save, how it was found, how often it publishes
// and the card of its newest article (nil when that could not be read).
type SourcePreview struct {
	Source    digest.Source
	Via       string
	Items     int
	PerWeek   int
	NewestURL string
}

// ChatSources are the settings of sources added from chats.
type ChatSources struct {
	// Off turns /source add and import off (config sources_from_chat: false).
	Off bool
	// MaxPerChannel caps a channel's own list; AddsPerHour caps how many
	// sources a channel adds in an hour.
	MaxPerChannel int
	AddsPerHour   int
	// Discover finds the source behind an address (ingest.Discover with
	// the polite fetcher).
	Discover func(ctx context.Context, rawURL string) (SourcePreview, error)
	// Card reads an article page into its card (fetch, extract, summarize).
	Card func(ctx context.Context, pageURL string) (digest.Card, error)
}

// pendingAdd is what a confirmation button adds.
type pendingAdd struct {
	SubID   int64           `json:"sub_id"`
	By      string          `json:"by"`
	Sources []digest.Source `json:"sources"`
}

// adds remembers recent additions per chat, for the hourly cap.
type adds struct {
	mu sync.Mutex
	at map[string][]time.Time
}

func (a *adds) allow(chat string, now time.Time, perHour, n int) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.at == nil {
		a.at = map[string][]time.Time{}
	}
	kept := a.at[chat][:0]
	for _, t := range a.at[chat] {
		if now.Sub(t) < time.Hour {
			kept = append(kept, t)
		}
	}
	a.at[chat] = kept
	return len(kept)+n <= perHour
}

func (a *adds) record(chat string, now time.Time, n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.at == nil {
		a.at = map[string][]time.Time{}
	}
	for range n {
		a.at[chat] = append(a.at[chat], now)
	}
}

func chatKey(req digest.CommandRequest) string {
	return string(req.Platform) + ":" + req.ChatID + ":" + req.ThreadID
}

func byWhom(req digest.CommandRequest) string { return string(req.Platform) + ":" + req.UserID }

func (h *Handler) maxPerChannel() int {
	if h.ChatSources.MaxPerChannel > 0 {
		return h.ChatSources.MaxPerChannel
	}
	return DefaultMaxChannelSources
}

func (h *Handler) addsPerHour() int {
	if h.ChatSources.AddsPerHour > 0 {
		return h.ChatSources.AddsPerHour
	}
	return DefaultAddsPerHour
}

func sourceUsage(problem string) digest.CommandReply { return usage("source", problem) }

// source answers /source and its subcommands.
func (h *Handler) source(ctx context.Context, req digest.CommandRequest) (digest.CommandReply, error) {
	sub, err := h.Store.Subscription(ctx, req.Platform, req.ChatID, req.ThreadID)
	if errors.Is(err, digest.ErrNotFound) {
		if req.Args["subcommand"] == "catalogue" {
			return h.catalogue(ctx, req, digest.Subscription{})
		}
		return digest.CommandReply{Text: "This chat has no daily digest yet: start one with /subscribe, then choose its sources with /source.", Ephemeral: true, IsError: true}, nil
	}
	if err != nil {
		return digest.CommandReply{}, err
	}
	switch req.Args["subcommand"] {
	case "add":
		return h.sourceAdd(ctx, req, sub)
	case "remove":
		return h.sourceRemove(ctx, req, sub)
	case "list":
		return h.sourceList(ctx, req, sub)
	case "catalogue":
		return h.catalogue(ctx, req, sub)
	case "pick":
		return h.sourcePick(ctx, req, sub)
	case "import":
		return h.sourceImport(ctx, req, sub)
	case "export":
		return h.sourceExport(ctx, req, sub)
	default:
		return sourceUsage("Say what to do: /source add <url>, remove <name>, list, catalogue, pick <name>, import (with an OPML file) or export."), nil
	}
}

// checkAddress refuses what is no web address before anything is fetched.
func checkAddress(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("give the address of a feed or a site, for example /source add https://example.com/")
	}
	if len(raw) > 2048 {
		return "", errors.New("that address is too long")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", fmt.Errorf("%q is not a web address (http or https, without a user name)", redact.URL(raw))
	}
	return u.String(), nil
}

func (h *Handler) sourceAdd(ctx context.Context, req digest.CommandRequest, sub digest.Subscription) (digest.CommandReply, error) {
	if h.ChatSources.Off || h.ChatSources.Discover == nil {
		return digest.CommandReply{Text: "Adding sources from the chat is turned off on this bot; /source catalogue lists the operator's sources to pick from.", Ephemeral: true, IsError: true}, nil
	}
	addr, err := checkAddress(req.Args["url"])
	if err != nil {
		return sourceUsage("Bad address: " + err.Error() + "."), nil
	}
	list, err := h.channelList(ctx, sub)
	if err != nil {
		return digest.CommandReply{}, err
	}
	if len(list) >= h.maxPerChannel() {
		return digest.CommandReply{Text: fmt.Sprintf("This channel reads %d sources, the most it may: /source remove one first.", len(list)), Ephemeral: true, IsError: true}, nil
	}
	now := h.now(req)
	if !h.adds.allow(chatKey(req), now, h.addsPerHour(), 1) {
		return digest.CommandReply{Text: fmt.Sprintf("This channel added %d sources in the last hour, the most it may; try again later.", h.addsPerHour()), Ephemeral: true, IsError: true}, nil
	}
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	p, err := h.ChatSources.Discover(dctx, addr)
	if err != nil {
		return digest.CommandReply{Text: "I could not add that: " + redact.Text(err.Error()) + ". Nothing was changed.", Ephemeral: true, IsError: true}, nil
	}
	src := p.Source
	if known, err := h.Store.SourceByURL(ctx, src.URL); err == nil {
		src = known // one source for everyone who adds the same address
	} else if !errors.Is(err, digest.ErrNotFound) {
		return digest.CommandReply{}, err
	}
	for _, s := range list {
		if s.URL == src.URL {
			return digest.CommandReply{Text: fmt.Sprintf("This channel already reads %s.", s.Name), Ephemeral: true}, nil
		}
	}
	if src.ID == 0 {
		if name := strings.TrimSpace(req.Args["name"]); name != "" {
			src.Name = name
		}
		src.Name = cutName(src.Name)
		src.Origin, src.AddedBy = digest.OriginChat, byWhom(req)
	}
	token, err := h.savePending(ctx, req, pendingAdd{SubID: sub.ID, By: byWhom(req), Sources: []digest.Source{src}})
	if err != nil {
		return digest.CommandReply{}, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Add %s to this channel's digest?\n", src.Name)
	kind := "a feed"
	if src.Kind == digest.KindHTML {
		kind = "a listing page (the bot finds its article links)"
	}
	fmt.Fprintf(&b, "%s: %s, found as %s", redact.URL(src.URL), kind, p.Via)
	switch {
	case p.PerWeek > 0:
		fmt.Fprintf(&b, "; about %d articles a week", p.PerWeek)
	case p.Items > 0:
		fmt.Fprintf(&b, "; %d articles listed now", p.Items)
	}
	b.WriteString(".")
	if !sub.OwnSources {
		b.WriteString(" This channel reads the whole catalogue now; after this it reads its own list: the catalogue's sources and this one (/source remove takes any off).")
	}
	r := digest.CommandReply{Ephemeral: true,
		Buttons: []digest.Button{{ID: "src:ok:" + token, Label: "Add " + cutLabel(src.Name)}, {ID: "src:no:" + token, Label: "Cancel", Danger: true}}}
	if p.NewestURL != "" && h.ChatSources.Card != nil {
		if c, err := h.ChatSources.Card(dctx, p.NewestURL); err == nil {
			b.WriteString("\nIts newest article:")
			r.Cards = []digest.Card{c}
		} else if h.Log != nil {
			h.Log.Info("the newest article of a source to add gave no card", "url", redact.URL(p.NewestURL), "err", err)
		}
	}
	b.WriteString("\nConfirm within 10 minutes.")
	r.Text = b.String()
	return r, nil
}

// cutName makes a name for a source from a chat, a feed's or page's title:
// one line without control characters (it is shown in chats and on the
// operator's terminal), at most 80 characters.
func cutName(s string) string {
	s = strings.Join(strings.Fields(control.Line(s)), " ")
	if r := []rune(s); len(r) > 80 {
		s = string(r[:79]) + "…"
	}
	if s == "" {
		s = "Unnamed source"
	}
	return s
}

func cutLabel(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}

func (h *Handler) savePending(ctx context.Context, req digest.CommandRequest, p pendingAdd) (string, error) {
	var raw [12]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("commands: pending token: %w", err)
	}
	token := hex.EncodeToString(raw[:])
	payload, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("commands: pending payload: %w", err)
	}
	if err := h.Store.SavePending(ctx, digest.Pending{Token: token, Chat: chatKey(req), Payload: payload, Created: h.now(req)}); err != nil {
		return "", err
	}
	return token, nil
}

// press answers a button press: a source addition confirmed or cancelled.
func (h *Handler) press(ctx context.Context, req digest.CommandRequest) (digest.CommandReply, error) {
	id := req.Args["button"]
	kind, token, ok := strings.Cut(strings.TrimPrefix(id, "src:"), ":")
	if !strings.HasPrefix(id, "src:") || !ok || (kind != "ok" && kind != "no") {
		return digest.CommandReply{Text: "That button is not one of mine any more.", Ephemeral: true, IsError: true}, nil
	}
	if !req.IsAdmin {
		who := "chat administrators"
		if req.Platform == digest.Discord {
			who = "members with the Manage Channels permission"
		}
		return digest.CommandReply{Text: "Only " + who + " may confirm this. Nothing was changed.", Ephemeral: true, IsError: true}, nil
	}
	p, err := h.Store.TakePending(ctx, token)
	if errors.Is(err, digest.ErrNotFound) {
		// Not an error of the presser's: the message's dead buttons go.
		return digest.CommandReply{Text: "This was already answered, or it expired. Nothing was changed."}, nil
	}
	if err != nil {
		return digest.CommandReply{}, err
	}
	if p.Chat != chatKey(req) {
		// Put it back for the chat it belongs to.
		_ = h.Store.SavePending(ctx, p)
		return digest.CommandReply{Text: "That confirmation belongs to another chat. Nothing was changed.", Ephemeral: true, IsError: true}, nil
	}
	if kind == "no" {
		return digest.CommandReply{Text: "Cancelled: nothing was added."}, nil
	}
	if age := h.now(req).Sub(p.Created); age > ConfirmWithin {
		return digest.CommandReply{Text: fmt.Sprintf("This confirmation is %s old, more than %s: run the command again. Nothing was changed.", age.Round(time.Minute), ConfirmWithin)}, nil
	}
	var add pendingAdd
	if err := json.Unmarshal(p.Payload, &add); err != nil {
		return digest.CommandReply{}, fmt.Errorf("pending %s: %w", token, err)
	}
	sub, err := h.Store.SubscriptionByID(ctx, add.SubID)
	if errors.Is(err, digest.ErrNotFound) {
		return digest.CommandReply{Text: "This chat's digest was stopped meanwhile. Nothing was changed.", IsError: true}, nil
	}
	if err != nil {
		return digest.CommandReply{}, err
	}
	list, err := h.channelList(ctx, sub)
	if err != nil {
		return digest.CommandReply{}, err
	}
	room := h.maxPerChannel() - len(list)
	var added, known []string
	for _, src := range add.Sources {
		if room <= 0 {
			break
		}
		saved, err := h.saveChatSource(ctx, src)
		if err != nil {
			return digest.CommandReply{}, err
		}
		if containsSource(list, saved.ID) {
			known = append(known, saved.Name)
			continue
		}
		if err := h.ownList(ctx, &sub, list, add.By); err != nil {
			return digest.CommandReply{}, err
		}
		if err := h.Store.SetSubscriptionSource(ctx, sub.ID, saved.ID, add.By, true); err != nil {
			return digest.CommandReply{}, err
		}
		list = append(list, saved)
		added = append(added, saved.Name)
		room--
	}
	h.adds.record(chatKey(req), h.now(req), len(added))
	var b strings.Builder
	switch len(added) {
	case 0:
		b.WriteString("Nothing new was added.")
	case 1:
		fmt.Fprintf(&b, "Added %s. The next digest here carries its articles.", added[0])
	default:
		fmt.Fprintf(&b, "Added %d sources: %s.", len(added), strings.Join(added, ", "))
	}
	if len(known) > 0 {
		fmt.Fprintf(&b, " Already read here: %s.", strings.Join(known, ", "))
	}
	if skipped := len(add.Sources) - len(added) - len(known); skipped > 0 {
		fmt.Fprintf(&b, " %d not added: this channel reached its %d sources.", skipped, h.maxPerChannel())
	}
	fmt.Fprintf(&b, " This channel reads %d sources (/source list).", len(list))
	return digest.CommandReply{Text: b.String()}, nil
}

// saveChatSource stores a source from a chat once: the same address is the
// same source (fetched once, its articles shared); a name already taken by
// another address gets the host added.
func (h *Handler) saveChatSource(ctx context.Context, src digest.Source) (digest.Source, error) {
	if known, err := h.Store.SourceByURL(ctx, src.URL); err == nil {
		return known, nil
	} else if !errors.Is(err, digest.ErrNotFound) {
		return digest.Source{}, err
	}
	name := src.Name
	for i := 0; ; i++ {
		other, err := h.Store.SourceByName(ctx, name)
		if errors.Is(err, digest.ErrNotFound) {
			break
		}
		if err != nil {
			return digest.Source{}, err
		}
		if other.URL == src.URL {
			return other, nil
		}
		host := src.URL
		if u, err := url.Parse(src.URL); err == nil {
			host = strings.TrimPrefix(u.Hostname(), "www.")
		}
		name = fmt.Sprintf("%s (%s)", src.Name, host)
		if i > 0 {
			name = fmt.Sprintf("%s (%s %d)", src.Name, host, i+1)
		}
	}
	src.Name = name
	src.Origin = digest.OriginChat
	return h.Store.SaveSource(ctx, src)
}

func containsSource(list []digest.Source, id int64) bool {
	for _, s := range list {
		if s.ID == id {
			return true
		}
	}
	return false
}

// channelList is what a subscription reads: its own list, or the whole
// catalogue.
func (h *Handler) channelList(ctx context.Context, sub digest.Subscription) ([]digest.Source, error) {
	if sub.OwnSources {
		return h.Store.SubscriptionSources(ctx, sub.ID)
	}
	all, err := h.Store.Sources(ctx)
	if err != nil {
		return nil, err
	}
	var out []digest.Source
	for _, s := range all {
		if s.InCatalogue() {
			out = append(out, s)
		}
	}
	return out, nil
}

// ownList switches a subscription that reads the whole catalogue to its
// own list, starting with the catalogue it read: nothing it read is lost.
func (h *Handler) ownList(ctx context.Context, sub *digest.Subscription, catalogue []digest.Source, by string) error {
	if sub.OwnSources {
		return nil
	}
	for _, s := range catalogue {
		if err := h.Store.SetSubscriptionSource(ctx, sub.ID, s.ID, by, true); err != nil {
			return err
		}
	}
	sub.OwnSources = true
	saved, err := h.Store.SaveSubscription(ctx, *sub)
	if err != nil {
		return err
	}
	*sub = saved
	return nil
}

// findSource finds a source of list by name (any case) or address.
func findSource(list []digest.Source, key string) (digest.Source, bool) {
	key = strings.TrimSpace(key)
	for _, s := range list {
		if strings.EqualFold(s.Name, key) || s.URL == key || strings.TrimSuffix(s.URL, "/") == strings.TrimSuffix(key, "/") {
			return s, true
		}
	}
	return digest.Source{}, false
}

func (h *Handler) sourceRemove(ctx context.Context, req digest.CommandRequest, sub digest.Subscription) (digest.CommandReply, error) {
	key := req.Args["source"]
	if strings.TrimSpace(key) == "" {
		return sourceUsage("Say which source: /source remove <name or address>."), nil
	}
	list, err := h.channelList(ctx, sub)
	if err != nil {
		return digest.CommandReply{}, err
	}
	src, ok := findSource(list, key)
	if !ok {
		return digest.CommandReply{Text: fmt.Sprintf("This channel reads no source %q; /source list shows what it reads.", strings.TrimSpace(key)), Ephemeral: true, IsError: true}, nil
	}
	if err := h.ownList(ctx, &sub, list, byWhom(req)); err != nil {
		return digest.CommandReply{}, err
	}
	if err := h.Store.SetSubscriptionSource(ctx, sub.ID, src.ID, "", false); err != nil {
		return digest.CommandReply{}, err
	}
	return digest.CommandReply{Text: fmt.Sprintf("Removed %s: this channel reads %d sources now.", src.Name, len(list)-1)}, nil
}

func (h *Handler) sourcePick(ctx context.Context, req digest.CommandRequest, sub digest.Subscription) (digest.CommandReply, error) {
	key := req.Args["source"]
	all, err := h.Store.Sources(ctx)
	if err != nil {
		return digest.CommandReply{}, err
	}
	var cat []digest.Source
	for _, s := range all {
		if s.InCatalogue() {
			cat = append(cat, s)
		}
	}
	src, ok := findSource(cat, key)
	if !ok {
		return digest.CommandReply{Text: fmt.Sprintf("The catalogue has no source %q; /source catalogue lists it.", strings.TrimSpace(key)), Ephemeral: true, IsError: true}, nil
	}
	if !sub.OwnSources {
		return digest.CommandReply{Text: "This channel already reads the whole catalogue, " + src.Name + " with it.", Ephemeral: true}, nil
	}
	list, err := h.channelList(ctx, sub)
	if err != nil {
		return digest.CommandReply{}, err
	}
	if containsSource(list, src.ID) {
		return digest.CommandReply{Text: "This channel already reads " + src.Name + ".", Ephemeral: true}, nil
	}
	if len(list) >= h.maxPerChannel() {
		return digest.CommandReply{Text: fmt.Sprintf("This channel reads %d sources, the most it may: /source remove one first.", len(list)), Ephemeral: true, IsError: true}, nil
	}
	if err := h.Store.SetSubscriptionSource(ctx, sub.ID, src.ID, byWhom(req), true); err != nil {
		return digest.CommandReply{}, err
	}
	return digest.CommandReply{Text: fmt.Sprintf("Picked %s: this channel reads %d sources now.", src.Name, len(list)+1)}, nil
}

// weekly counts each source's articles of the last week.
func (h *Handler) weekly(ctx context.Context, now time.Time) map[int64]int {
	refs, err := h.Store.WindowArticles(ctx, now.Add(-7*24*time.Hour), now, true)
	out := map[int64]int{}
	if err != nil {
		return out
	}
	for _, r := range refs {
		out[r.SourceID]++
	}
	return out
}

func (h *Handler) sourceList(ctx context.Context, req digest.CommandRequest, sub digest.Subscription) (digest.CommandReply, error) {
	list, err := h.channelList(ctx, sub)
	if err != nil {
		return digest.CommandReply{}, err
	}
	now := h.now(req)
	week := h.weekly(ctx, now)
	var b strings.Builder
	if sub.OwnSources {
		fmt.Fprintf(&b, "This channel reads its own list of %d sources:\n", len(list))
	} else {
		fmt.Fprintf(&b, "This channel reads the whole catalogue, %d sources (/source add or remove gives it its own list):\n", len(list))
	}
	sort.Slice(list, func(i, j int) bool { return strings.ToLower(list[i].Name) < strings.ToLower(list[j].Name) })
	for _, s := range list {
		origin := ""
		if !s.InCatalogue() {
			origin = ", added from a chat"
		}
		fmt.Fprintf(&b, "• %s (%s%s): %s; %d articles this week\n", s.Name, s.Kind, origin, Health(s, now), week[s.ID])
	}
	return digest.CommandReply{Text: strings.TrimRight(b.String(), "\n"), Ephemeral: true}, nil
}

func (h *Handler) catalogue(ctx context.Context, req digest.CommandRequest, sub digest.Subscription) (digest.CommandReply, error) {
	all, err := h.Store.Sources(ctx)
	if err != nil {
		return digest.CommandReply{}, err
	}
	reads := map[int64]bool{}
	if sub.OwnSources {
		list, err := h.Store.SubscriptionSources(ctx, sub.ID)
		if err != nil {
			return digest.CommandReply{}, err
		}
		for _, s := range list {
			reads[s.ID] = true
		}
	}
	var b strings.Builder
	n := 0
	for _, s := range all {
		if !s.InCatalogue() {
			continue
		}
		n++
		mark := ""
		if reads[s.ID] || (sub.ID != 0 && !sub.OwnSources) {
			mark = " ✓ read here"
		}
		fmt.Fprintf(&b, "• %s (%s, %s)%s\n", s.Name, s.Kind, Every(s), mark)
	}
	if n == 0 {
		return digest.CommandReply{Text: "The operator has no sources in the catalogue.", Ephemeral: true}, nil
	}
	return digest.CommandReply{Text: fmt.Sprintf("The catalogue, %d sources (/source pick <name> adds one here):\n", n) + strings.TrimRight(b.String(), "\n"), Ephemeral: true}, nil
}

// Complete suggests source names for /source remove (this channel's) and
// /source pick (the catalogue's).
func (h *Handler) Complete(ctx context.Context, req digest.CommandRequest, option, typed string) ([]string, error) {
	if option != "source" {
		return nil, nil
	}
	var list []digest.Source
	var err error
	switch req.Args["subcommand"] {
	case "remove":
		sub, serr := h.Store.Subscription(ctx, req.Platform, req.ChatID, req.ThreadID)
		if serr != nil {
			return nil, nil
		}
		list, err = h.channelList(ctx, sub)
	case "pick":
		list, err = h.channelList(ctx, digest.Subscription{})
	}
	if err != nil {
		return nil, err
	}
	typed = strings.ToLower(strings.TrimSpace(typed))
	var out []string
	for _, s := range list {
		if typed == "" || strings.Contains(strings.ToLower(s.Name), typed) {
			out = append(out, s.Name)
		}
		if len(out) == 25 {
			break
		}
	}
	return out, nil
}
