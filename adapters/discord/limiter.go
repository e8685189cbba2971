package discord

import (
	"context"
	"sync"
	"time"
)

func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// channelPacer keeps each channel within n messages per window, and
// within what Discord's rate limit headers said about it.
type channelPacer struct {
	n      int
	window time.Duration

	mu    sync.Mutex
	chans map[string]*chanState
}

type chanState struct {
	sent    []time.Time // send times within the window
	pending int         // acquired, not yet sent
	blocked time.Time   // no sends before this (a 429, or remaining 0)
}

// channelSlack lengthens a channel's window a little; safety against
// latency comes from committing a message when it was answered (Send).
const channelSlack = 50 * time.Millisecond

func newChannelPacer(n int, window time.Duration) *channelPacer {
	return &channelPacer{n: n, window: window + channelSlack, chans: map[string]*chanState{}}
}

// acquire blocks until one more message may go to the channel; the caller
// then calls commit with the moment its message was answered (or failed),
// or release when it does not send it.
func (c *channelPacer) acquire(ctx context.Context, ch string) error {
	if c.n <= 0 {
		return nil
	}
	for {
		c.mu.Lock()
		st := c.chans[ch]
		if st == nil {
			st = &chanState{}
			c.chans[ch] = st
		}
		now := time.Now()
		for len(st.sent) > 0 && now.Sub(st.sent[0]) >= c.window {
			st.sent = st.sent[1:]
		}
		var at time.Time
		switch {
		case now.Before(st.blocked):
			at = st.blocked
		case len(st.sent)+st.pending < c.n:
			st.pending++
			c.mu.Unlock()
			return nil
		case len(st.sent) > 0:
			at = st.sent[0].Add(c.window)
		default:
			at = now.Add(c.window / time.Duration(c.n)) // all slots pending: look again soon
		}
		c.mu.Unlock()
		if err := sleepUntil(ctx, at); err != nil {
			return err
		}
	}
}

func (c *channelPacer) commit(ch string, at time.Time) {
	if c.n <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.chans[ch]
	st.pending--
	st.sent = append(st.sent, at)
	c.prune(at)
}

func (c *channelPacer) release(ch string) {
	if c.n <= 0 {
		return
	}
	c.mu.Lock()
	c.chans[ch].pending--
	c.mu.Unlock()
}

// block holds the channel until t.
func (c *channelPacer) block(ch string, t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.chans[ch]
	if st == nil {
		st = &chanState{}
		c.chans[ch] = st
	}
	if t.After(st.blocked) {
		st.blocked = t
	}
}

// prune forgets idle channels once the map grows, so that a bot serving
// many channels keeps only the recent ones.
func (c *channelPacer) prune(now time.Time) {
	if len(c.chans) < 4096 {
		return
	}
	for id, st := range c.chans {
		if st.pending == 0 && now.After(st.blocked) && (len(st.sent) == 0 || now.Sub(st.sent[len(st.sent)-1]) >= c.window) {
			delete(c.chans, id)
		}
	}
}
