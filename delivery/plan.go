package delivery

import (
	"context"
	"errors"
	"fmt"
	"time"

	"newsdigest/digest"
	"newsdigest/digest/lang"
	"newsdigest/redact"
	"newsdigest/schedule"
)

// when parses a subscription's time and zone.
func when(sub digest.Subscription) (schedule.TimeOfDay, *time.Location, error) {
	tod, err := schedule.ParseTime(sub.Time)
	if err != nil {
		return tod, nil, err
	}
	loc, err := schedule.LoadZone(sub.TimeZone)
	return tod, loc, err
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// recompute sets every active subscription's NextRun from its time and
// zone (they may have changed, or the zone rules with them). A NextRun in
// the past is left alone: it is a missed digest, for the catch-up rule.
func (e *Engine) recompute(ctx context.Context) error {
	subs, err := e.store.Subscriptions(ctx, "")
	if err != nil {
		return fmt.Errorf("delivery: list subscriptions at start-up: %w", err)
	}
	now := e.now()
	for _, sub := range subs {
		if !sub.Active || e.msgs[sub.Platform] == nil {
			continue
		}
		tod, loc, err := when(sub)
		if err != nil {
			e.disable(ctx, sub, "bad schedule: "+err.Error())
			continue
		}
		if !sub.NextRun.IsZero() && !sub.NextRun.After(now) {
			continue
		}
		next := schedule.NextAt(later(now, sub.Cutoff), tod, loc)
		if next.Equal(sub.NextRun) {
			continue
		}
		e.log.Info("next digest time recomputed", "subscription", sub.ID, "was", sub.NextRun, "next_run", next)
		sub.NextRun = next
		if err := e.store.PlanDigest(ctx, sub, nil); err != nil {
			return fmt.Errorf("delivery: save next run of subscription %d: %w", sub.ID, err)
		}
	}
	return nil
}

func (e *Engine) planLoop(ctx context.Context) {
	for !e.stopped() {
		next, err := e.planDue(ctx)
		if err != nil && ctx.Err() == nil {
			e.log.Error("planning digests failed", "err", err)
		}
		wait := e.opt.PollInterval
		if !next.IsZero() {
			if d := next.Sub(e.now()); d < wait {
				wait = max(d, time.Millisecond)
			}
		}
		if !sleep(ctx, wait) {
			return
		}
	}
}

// window is the selection window of a digest; equal windows share one
// store query within a planning pass.
type window struct{ from, to time.Time }

// passCache holds what one planning pass reads once for all the
// subscriptions it plans: the stories of each window, and what the
// channels on the catalogue read.
type passCache struct {
	stories   map[window][]digest.Story
	catalogue *digest.Reads
	read      bool // catalogue was read
}

// planDue plans every due subscription and returns the earliest NextRun
// still ahead. Only the due ones are read (DueSubscriptions), so a pass
// costs the same with ten subscriptions or a hundred thousand.
func (e *Engine) planDue(ctx context.Context) (time.Time, error) {
	now := e.now()
	subs, next, err := e.store.DueSubscriptions(ctx, now)
	if err != nil {
		return time.Time{}, fmt.Errorf("delivery: due subscriptions: %w", err)
	}
	cache := &passCache{stories: map[window][]digest.Story{}}
	var errs []error
	for _, sub := range subs {
		if ctx.Err() != nil {
			break
		}
		if e.msgs[sub.Platform] == nil {
			continue // a platform this instance does not run
		}
		if err := e.planOne(ctx, sub, now, cache); err != nil {
			errs = append(errs, err)
		}
	}
	return next, errors.Join(errs...)
}

// planOne plans the digest of one due subscription (or skips it, or just
// moves it on).
func (e *Engine) planOne(ctx context.Context, sub digest.Subscription, now time.Time, cache *passCache) error {
	m := e.msgs[sub.Platform]
	tod, loc, err := when(sub)
	if err != nil {
		e.disable(ctx, sub, "bad schedule: "+err.Error())
		return nil
	}
	// Only the latest occurrence counts: never a burst of missed digests.
	scheduled := schedule.PrevAt(now, tod, loc)
	next := schedule.NextAt(now, tod, loc)
	log := e.log.With("subscription", sub.ID, "platform", sub.Platform, "chat", sub.ChatID, "scheduled", scheduled)
	if !scheduled.After(sub.Cutoff) {
		// Already planned (by us before a restart, or by another instance).
		sub.NextRun = next
		return e.advance(ctx, sub)
	}
	late := now.Sub(scheduled)
	if late > e.opt.Grace {
		// Cutoff stays: the skipped window's stories go into the next digest.
		log.Warn("digest skipped: its time passed more than the grace ago", "late", late.Round(time.Second), "grace", e.opt.Grace, "next_run", next)
		sub.NextRun = next
		return e.advance(ctx, sub)
	}
	view, err := e.view(ctx, sub, scheduled, cache)
	if err != nil {
		return err
	}
	// Late: its time passed while the bot was down, or planning was held up
	// (a store outage) for a while.
	view.Late = (scheduled.Before(e.started) && late > time.Minute) || late > 15*time.Minute
	if len(view.Cards) == 0 && !sub.SendEmpty {
		log.Info("no new stories: nothing to send")
		sub.Cutoff, sub.NextRun = scheduled, next
		return e.advance(ctx, sub)
	}
	msgs, err := m.RenderDigest(view)
	if err != nil {
		// Left due: tried again on the next pass, until the grace runs out.
		return fmt.Errorf("delivery: render digest of subscription %d for %s: %w", sub.ID, scheduled.Format(time.RFC3339), err)
	}
	parts := make([]digest.Delivery, len(msgs))
	for i, p := range msgs {
		parts[i] = digest.Delivery{
			Key:            digest.DeliveryKey(sub.ID, scheduled, i),
			SubscriptionID: sub.ID,
			Platform:       sub.Platform,
			ChatID:         sub.ChatID,
			ThreadID:       sub.ThreadID,
			Scheduled:      scheduled,
			Part:           i,
			Parts:          len(msgs),
			Payload:        p,
			State:          digest.Planned,
			Late:           view.Late,
			UpdatedAt:      now,
		}
	}
	sub.Cutoff, sub.NextRun = scheduled, next
	err = e.store.PlanDigest(ctx, sub, parts)
	if errors.Is(err, digest.ErrDuplicate) {
		log.Debug("digest already planned by another instance")
		return nil
	}
	if err != nil {
		return fmt.Errorf("delivery: plan digest of subscription %d for %s: %w", sub.ID, scheduled.Format(time.RFC3339), err)
	}
	log.Info("digest planned", "stories", len(view.Cards), "parts", len(parts), "late", view.Late, "next_run", next)
	e.signal(sub.Platform)
	return nil
}

// advance saves a subscription's Cutoff and NextRun without planning
// anything.
func (e *Engine) advance(ctx context.Context, sub digest.Subscription) error {
	if err := e.store.PlanDigest(ctx, sub, nil); err != nil {
		return fmt.Errorf("delivery: move subscription %d to its next run %s: %w", sub.ID, sub.NextRun.Format(time.RFC3339), err)
	}
	return nil
}

// disable stops a subscription that cannot be served, saying why.
func (e *Engine) disable(ctx context.Context, sub digest.Subscription, why string) {
	cur, err := e.store.SubscriptionByID(ctx, sub.ID)
	if err == nil {
		sub = cur
	}
	sub.Active = false
	sub.Failure = redact.Text(why) // shown to the chat's admins
	if _, err := e.store.SaveSubscription(ctx, sub); err != nil {
		e.log.Error("disabling subscription failed", "subscription", sub.ID, "why", why, "err", err)
		return
	}
	e.log.Warn("subscription disabled", "subscription", sub.ID, "platform", sub.Platform, "chat", sub.ChatID, "why", why)
}

// view selects the digest of sub at time `to`: the new stories since its
// Cutoff. A planning pass shares a cache; nil reads everything anew.
func (e *Engine) view(ctx context.Context, sub digest.Subscription, to time.Time, cache *passCache) (digest.DigestView, error) {
	from := sub.Cutoff
	if from.IsZero() {
		// A first digest reaches back one day.
		from = to.Add(-24 * time.Hour)
	}
	if min := to.Add(-e.opt.MaxWindow); from.Before(min) {
		from = min
	}
	w := window{from, to}
	stories, ok := cache.storiesOf(w)
	if !ok {
		var err error
		stories, err = e.store.Stories(ctx, from, to, false)
		if err != nil {
			return digest.DigestView{}, fmt.Errorf("delivery: stories from %s to %s for subscription %d: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), sub.ID, err)
		}
		if cache != nil {
			cache.stories[w] = stories
		}
	}
	// A channel gets the stories its sources told, as they told them: its
	// own list, or the operator's catalogue (not the sources other
	// channels added).
	reads, err := e.reads(ctx, sub, cache)
	if err != nil {
		return digest.DigestView{}, fmt.Errorf("delivery: sources of subscription %d: %w", sub.ID, err)
	}
	stories = digest.OnlySources(stories, reads)
	// A story is new when it was first seen in the window: a story told in
	// an earlier digest is not told again because another source joined it.
	var fresh []digest.Story
	for _, s := range stories {
		if first := firstSeen(s); !first.Before(from) && first.Before(to) && inLanguages(s, sub.Languages) {
			fresh = append(fresh, s)
		}
	}
	n := sub.MaxStories
	if n <= 0 {
		n = e.opt.MaxStories
	}
	view := digest.DigestView{Sub: sub, Scheduled: to}
	for _, s := range e.opt.Rank(fresh, sub.Keywords, n) {
		c := s.Card()
		c.Locale = sub.Locale
		view.Cards = append(view.Cards, c)
	}
	return view, nil
}

// inLanguages reports whether a story's lead is in one of langs (all pass
// when langs is empty).
func inLanguages(s digest.Story, langs []string) bool {
	if len(langs) == 0 {
		return true
	}
	code := lang.Normalize(s.Lead.Language)
	for _, l := range langs {
		if l == code {
			return true
		}
	}
	return false
}

func (c *passCache) storiesOf(w window) ([]digest.Story, bool) {
	if c == nil {
		return nil, false
	}
	s, ok := c.stories[w]
	return s, ok
}

// reads is what sub reads; the catalogue's selection is read once a pass.
func (e *Engine) reads(ctx context.Context, sub digest.Subscription, cache *passCache) (*digest.Reads, error) {
	if sub.OwnSources || cache == nil {
		return digest.ChannelSources(ctx, e.store, sub)
	}
	if !cache.read {
		r, err := digest.CatalogueReads(ctx, e.store)
		if err != nil {
			return nil, err
		}
		cache.catalogue, cache.read = r, true
	}
	return cache.catalogue, nil
}

// firstSeen is when a story was first seen; the store fills FirstSeen, the
// articles are the fallback.
func firstSeen(s digest.Story) time.Time {
	if !s.FirstSeen.IsZero() {
		return s.FirstSeen
	}
	t := s.Lead.FirstSeen
	for _, a := range s.Articles {
		if t.IsZero() || (!a.FirstSeen.IsZero() && a.FirstSeen.Before(t)) {
			t = a.FirstSeen
		}
	}
	return t
}

// Preview returns the digest sub would get at now: the same selection as a
// scheduled digest, nothing stored or sent (the /digest command).
func (e *Engine) Preview(ctx context.Context, sub digest.Subscription, now time.Time) (digest.DigestView, error) {
	return e.view(ctx, sub, now, nil)
}
