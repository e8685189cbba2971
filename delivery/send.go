package delivery

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"newsdigest/digest"
	"newsdigest/redact"
)

// sendLoop claims outbox parts of one platform and hands each subscription's
// parts to one worker, at most Concurrency workers at a time.
func (e *Engine) sendLoop(ctx context.Context, p digest.Platform, m digest.Messenger) {
	var wg sync.WaitGroup
	defer wg.Wait()
	slots := make(chan struct{}, e.opt.Concurrency)
	var lastClaim time.Time
	for {
		for !e.stopped() && e.dispatch(ctx, p, m, slots, &wg, &lastClaim) {
		}
		select {
		case <-ctx.Done():
			return
		case <-e.stopping:
			return
		case <-e.wake[p]:
		case <-time.After(e.opt.PollInterval):
		}
	}
}

// dispatch claims parts and starts workers for subscriptions not already
// being sent to; it reports whether another claim right away may find more.
func (e *Engine) dispatch(ctx context.Context, p digest.Platform, m digest.Messenger, slots chan struct{}, wg *sync.WaitGroup, lastClaim *time.Time) bool {
	free := cap(slots) - len(slots)
	if ctx.Err() != nil {
		return false
	}
	// Claim in batches: a claim renews every part our workers hold, so one
	// per finished worker would cost more than the sends. Claim when a
	// quarter of the slots is free, when nothing runs, or every poll
	// interval (for leases and parts other instances freed).
	since := time.Since(*lastClaim)
	if free < max(1, cap(slots)/4) && len(slots) > 0 && since < e.opt.PollInterval {
		return false
	}
	if free <= 0 && since < e.opt.Lease/4 {
		return false
	}
	e.mu.Lock()
	held := 0
	for _, w := range e.busy {
		if w.platform == p {
			held += w.parts
		}
	}
	epoch := e.epoch
	ended := e.ended[p]
	for id, at := range ended {
		if at <= epoch {
			delete(ended, id) // older than this claim: its snapshot is fresh
		}
	}
	e.mu.Unlock()
	// A claim also renews the leases of the parts our workers hold (they are
	// still pending), so ask for those and for enough new ones to fill the
	// free slots.
	limit := held + free*4
	claimedAt := time.Now()
	*lastClaim = claimedAt
	parts, err := e.store.ClaimDeliveries(ctx, p, e.opt.Owner, e.opt.Lease, limit)
	if err != nil {
		if ctx.Err() == nil {
			e.log.Error("claiming outbox parts failed", "platform", p, "err", err)
		}
		return false
	}
	leaseEnd := claimedAt.Add(e.opt.Lease)
	var order []int64
	groups := map[int64][]digest.Delivery{}
	for _, d := range parts {
		if _, ok := groups[d.SubscriptionID]; !ok {
			order = append(order, d.SubscriptionID)
		}
		groups[d.SubscriptionID] = append(groups[d.SubscriptionID], d)
	}
	started, again := 0, false
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, id := range order {
		if w, ok := e.busy[id]; ok {
			w.lease = leaseEnd
			continue
		}
		if ended[id] > epoch {
			// Its worker ended during the claim, which may have read the
			// parts before the worker recorded them: claim again.
			again = true
			continue
		}
		if len(slots) == cap(slots) {
			continue
		}
		slots <- struct{}{}
		e.busy[id] = &worker{platform: p, lease: leaseEnd, parts: len(groups[id])}
		started++
		wg.Add(1)
		go func(id int64, parts []digest.Delivery) {
			defer wg.Done()
			e.work(ctx, m, id, parts)
			e.mu.Lock()
			delete(e.busy, id)
			e.epoch++
			ended[id] = e.epoch
			e.mu.Unlock()
			<-slots
			e.signal(p)
		}(id, groups[id])
	}
	return (again || (started > 0 && len(parts) >= limit)) && len(slots) < cap(slots)
}

func (e *Engine) leaseLeft(subID int64) time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	if w := e.busy[subID]; w != nil {
		return time.Until(w.lease)
	}
	return 0
}

// worker is a running send worker of one subscription.
type worker struct {
	platform digest.Platform
	lease    time.Time // the end of its parts' lease (real time), renewed by claims
	parts    int       // how many parts it was given
}

func terminal(s digest.DeliveryState) bool {
	return s == digest.Sent || s == digest.Failed || s == digest.Skipped
}

type outcome int

const (
	done     outcome = iota // the part reached a final state
	stop                    // leave the part (and the rest) for a later claim
	chatGone                // the chat is gone: fail the rest, disable
)

// work sends one subscription's claimed parts, in order, one at a time.
func (e *Engine) work(ctx context.Context, m digest.Messenger, subID int64, parts []digest.Delivery) {
	sub, err := e.store.SubscriptionByID(ctx, subID)
	switch {
	case errors.Is(err, digest.ErrNotFound):
		e.finishAll(ctx, parts, digest.Skipped, "subscription removed")
		return
	case err != nil:
		if ctx.Err() == nil {
			e.log.Error("loading subscription for delivery failed", "subscription", subID, "err", err)
		}
		return
	case !sub.Active:
		why := "subscription disabled"
		if sub.Failure != "" {
			why += ": " + sub.Failure
		}
		e.finishAll(ctx, parts, digest.Skipped, why)
		return
	}
	// The chat to send to: the subscription's, which MoveChat may have
	// changed since the parts were planned (a Telegram group migrated).
	chat := sub.ChatID
	blocked := time.Time{} // a digest whose earlier part is not done
	for i := range parts {
		d := parts[i]
		if ctx.Err() != nil || e.stopped() {
			return // the rest stays in the outbox for the next claim
		}
		if terminal(d.State) || d.Scheduled.Equal(blocked) {
			continue
		}
		if !e.predecessorsDone(ctx, parts[:i], d) {
			blocked = d.Scheduled
			continue
		}
		if chat != "" {
			d.ChatID = chat
		}
		if d.Platform == digest.Discord && d.Part > 0 && d.ThreadID == "" {
			// A thread or forum digest's later parts go in the thread the
			// first part opened: its ID is that part's message ID.
			d.ThreadID = e.threadOf(ctx, parts[:i], d, sub.PostMode != "")
		}
		to := d.ChatID
		out := e.sendPart(ctx, m, &d)
		if d.ChatID != to {
			chat = d.ChatID
		}
		parts[i] = d
		switch out {
		case stop:
			return
		case chatGone:
			e.finishAll(ctx, parts[i+1:], digest.Failed, "chat gone: "+d.Error)
			e.disable(ctx, sub, d.Error)
			return
		}
	}
}

// threadOf is the message ID of the first part of d's digest, from this
// batch or, when lookup is set, from the store; "" when it has none.
func (e *Engine) threadOf(ctx context.Context, before []digest.Delivery, d digest.Delivery, lookup bool) string {
	for _, x := range before {
		if x.Scheduled.Equal(d.Scheduled) && x.Part == 0 {
			return x.MessageID
		}
	}
	if !lookup {
		return ""
	}
	all, err := e.store.Deliveries(ctx, d.SubscriptionID, d.Scheduled, digestEnd(d.Scheduled))
	if err != nil {
		e.log.Error("reading the first part of a digest failed", "key", d.Key, "err", err)
		return ""
	}
	for _, x := range all {
		if x.Scheduled.Equal(d.Scheduled) && x.Part == 0 {
			return x.MessageID
		}
	}
	return ""
}

// predecessorsDone reports whether every earlier part of d's digest is in a
// final state, from this batch or else from the store.
func (e *Engine) predecessorsDone(ctx context.Context, before []digest.Delivery, d digest.Delivery) bool {
	if d.Part == 0 {
		return true
	}
	if n := len(before); n > 0 {
		prev := before[n-1]
		if prev.Scheduled.Equal(d.Scheduled) && prev.Part == d.Part-1 {
			return terminal(prev.State)
		}
	}
	all, err := e.store.Deliveries(ctx, d.SubscriptionID, d.Scheduled, digestEnd(d.Scheduled))
	if err != nil {
		e.log.Error("checking earlier parts failed", "key", d.Key, "err", err)
		return false
	}
	done := 0
	for _, x := range all {
		if x.Scheduled.Equal(d.Scheduled) && x.Part < d.Part {
			if !terminal(x.State) {
				return false
			}
			done++
		}
	}
	return done == d.Part
}

// digestEnd is the end of a query range holding only the digest scheduled
// at t: stores keep microseconds, and digests of one subscription are
// hours apart.
func digestEnd(t time.Time) time.Time { return t.Add(time.Second) }

// finishAll puts parts not yet final into state s.
func (e *Engine) finishAll(ctx context.Context, parts []digest.Delivery, s digest.DeliveryState, why string) {
	for _, d := range parts {
		if terminal(d.State) {
			continue
		}
		d.State, d.Error = s, redact.Text(why)
		e.record(ctx, &d)
	}
}

// record saves a part's state, also after ctx ended (a graceful stop still
// records what was sent), retrying briefly.
func (e *Engine) record(ctx context.Context, d *digest.Delivery) error {
	d.UpdatedAt = e.now()
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var err error
	for try := 0; try < 3; try++ {
		if err = e.store.UpdateDelivery(rctx, *d); err == nil {
			return nil
		}
		if !sleep(rctx, time.Duration(try+1)*50*time.Millisecond) {
			break
		}
	}
	e.log.Error("recording a delivery failed", "key", d.Key, "state", d.State, "err", err)
	return fmt.Errorf("delivery: record %s as %s: %w", d.Key, d.State, err)
}

// sendPart sends one part until it is final, or until it must be left for
// a later claim.
func (e *Engine) sendPart(ctx context.Context, m digest.Messenger, d *digest.Delivery) outcome {
	deadline := d.Scheduled.Add(e.opt.Grace)
	log := e.log.With("key", d.Key, "platform", d.Platform, "chat", d.ChatID)
	migrated := false
	for {
		now := e.now()
		if now.After(deadline) {
			if d.Attempts == 0 {
				d.State, d.Error = digest.Skipped, "too late: the grace after the scheduled time passed before it could be sent"
			} else {
				d.State, d.Error = digest.Failed, fmt.Sprintf("gave up after %d attempts, the grace passed: %s", d.Attempts, d.Error)
			}
			log.Warn("digest part not sent", "state", d.State, "why", d.Error)
			e.record(ctx, d)
			return done
		}
		if e.opt.MaxAttempts > 0 && d.Attempts >= e.opt.MaxAttempts {
			d.State, d.Error = digest.Failed, fmt.Sprintf("gave up after %d attempts: %s", d.Attempts, d.Error)
			log.Warn("digest part not sent", "why", d.Error)
			e.record(ctx, d)
			return done
		}
		if e.leaseLeft(d.SubscriptionID) < e.opt.SendTimeout {
			// Another instance may take the part over: never overlap it.
			return stop
		}
		if d.State == digest.Sending {
			if !isIdempotent(m) {
				if e.opt.AtMostOnce {
					d.State, d.Error = digest.Sent, "unconfirmed: the send was interrupted and is not repeated on this platform"
					log.Warn("interrupted send counted as sent, not repeated", "attempts", d.Attempts)
					e.record(ctx, d)
					return done
				}
				log.Warn("resending a part whose send was interrupted: it may arrive twice", "attempts", d.Attempts)
			} else {
				log.Info("resending a part whose send was interrupted (idempotent platform)", "attempts", d.Attempts)
			}
		}
		d.State = digest.Sending
		d.Attempts++
		if err := e.record(ctx, d); err != nil {
			// Not recorded as in flight: do not send.
			d.State = digest.Planned
			return stop
		}
		sctx, cancel := context.WithTimeout(ctx, e.opt.SendTimeout)
		id, err := m.Send(sctx, *d)
		timedOut := sctx.Err() != nil && ctx.Err() == nil
		cancel()
		if err != nil && timedOut && !isTemporary(err) {
			// Our own bound cut the call: as ambiguous as a network failure.
			err = &digest.TemporaryError{Platform: d.Platform, Err: fmt.Errorf("send timed out after %s: %w", e.opt.SendTimeout, err)}
		}
		if err == nil {
			d.State, d.MessageID, d.Error = digest.Sent, id, ""
			e.record(ctx, d)
			return done
		}
		if ctx.Err() != nil {
			// Stopping: the part stays Sending, for the restart rule.
			return stop
		}
		d.Error = redact.Text(err.Error())
		var rl *digest.RateLimitedError
		var tmp *digest.TemporaryError
		var mig *digest.MigratedError
		switch {
		case errors.As(err, &rl):
			wait := max(rl.RetryAfter, 10*time.Millisecond)
			if e.now().Add(wait).After(deadline) {
				d.State = digest.Failed
				d.Error = fmt.Sprintf("rate limited past the grace: %v", err)
				log.Warn("digest part not sent", "why", d.Error)
				e.record(ctx, d)
				return done
			}
			// A 429 is a clear "not sent": a crash during the wait must not
			// count the part as possibly delivered.
			d.State = digest.Planned
			e.record(ctx, d)
			log.Info("rate limited: waiting", "retry_after", wait, "global", rl.Global)
			if !sleep(ctx, wait) {
				return stop
			}
		case errors.As(err, &tmp):
			wait := e.backoff(d.Attempts)
			if e.now().Add(wait).After(deadline) {
				d.State = digest.Failed
				log.Warn("digest part not sent: temporary errors until the grace ran out", "attempts", d.Attempts, "err", err)
				e.record(ctx, d)
				return done
			}
			d.State = digest.Planned
			e.record(ctx, d)
			log.Info("temporary failure: retrying", "attempts", d.Attempts, "backoff", wait, "err", err)
			if !sleep(ctx, wait) {
				return stop
			}
		case errors.Is(err, digest.ErrChatGone):
			d.State = digest.Failed
			log.Warn("chat gone: disabling the subscription", "err", err)
			e.record(ctx, d)
			return chatGone
		case errors.As(err, &mig) && !migrated && mig.NewChatID != "" && mig.NewChatID != d.ChatID:
			migrated = true
			err := e.store.MoveChat(ctx, d.Platform, d.ChatID, mig.NewChatID)
			if err != nil && !errors.Is(err, digest.ErrNotFound) {
				log.Error("moving the subscription to its new chat failed", "new_chat", mig.NewChatID, "err", err)
				d.State = digest.Planned
				e.record(ctx, d)
				return stop
			}
			log.Info("chat migrated: sending to the new chat", "new_chat", mig.NewChatID)
			d.ChatID = mig.NewChatID
			d.State = digest.Planned
		default:
			d.State = digest.Failed
			log.Error("digest part failed", "err", err)
			e.record(ctx, d)
			return done
		}
	}
}

func isTemporary(err error) bool {
	var tmp *digest.TemporaryError
	var rl *digest.RateLimitedError
	return errors.As(err, &tmp) || errors.As(err, &rl)
}

// backoff is base·2^(attempt-1), capped, with jitter in [half, full].
func (e *Engine) backoff(attempt int) time.Duration {
	d := e.opt.BackoffBase
	for i := 1; i < attempt && d < e.opt.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, e.opt.BackoffMax)
	return d/2 + rand.N(d/2+1)
}
