package ingest

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"newsdigest/digest"
	"newsdigest/fetch"
	"newsdigest/redact"
)

// FetchSource runs one pass over a source whatever its NextFetch: fetch the
// feed or listing (conditionally), read each new item and store it, then
// save the source's fetch state. A failure is logged once with the source's
// name and URL, recorded in the state with a backoff, and returned. A panic
// is recovered into an error. If ctx ends, nothing is recorded.
func (i *Ingester) FetchSource(ctx context.Context, src digest.Source) (res Result, err error) {
	i.init()
	res = Result{Source: src.Name, URL: redact.URL(src.URL)}
	now := i.Clock()
	st := src.State
	var hint time.Duration // the feed's own word on when to come back (TTL, Cache-Control, Expires)
	defer func() {
		if p := recover(); p != nil {
			i.Log.Error("ingest: source panicked", "source", src.Name, "url", res.URL, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("ingest: source %s (%s): panic: %v", src.Name, res.URL, p)
		}
		if ctx.Err() != nil && err != nil {
			return // shutting down: not the source's fault
		}
		// The source's URL may carry credentials: they stay out of the
		// stored error, the logs (which name res.URL) and /sources.
		err = redact.Error(err)
		st.LastFetch = now
		if err != nil {
			st.Failures++
			st.Failed++
			st.LastError = err.Error()
			wait := backoff(st.Failures, Interval(src), i.MaxBackoff, defaultJitter)
			var se *fetch.StatusError
			if errors.As(err, &se) && se.RetryAfter > wait {
				wait = se.RetryAfter
			}
			st.NextFetch = now.Add(wait)
			i.Log.Warn("ingest: source failed", "source", src.Name, "url", res.URL,
				"failures", st.Failures, "next_fetch", st.NextFetch, "err", err)
		} else {
			if res.CutShort > 0 {
				i.slow.Store(src.ID, true)
			} else {
				i.slow.Delete(src.ID)
			}
			st.Failures, st.LastError = 0, ""
			st.LastSuccess = now
			if res.New > 0 {
				i.rates.forget()
			}
			st.NextFetch = now.Add(max(i.interval(context.WithoutCancel(ctx), src.ID, src.Interval, now), min(hint, MaxHint)))
			st.Fetched += int64(res.New)
			st.Failed += int64(res.Failed)
			i.Log.Info("ingest: source fetched", "source", src.Name, "url", res.URL,
				"not_modified", res.NotModified, "backlog", res.Backlog, "items", res.Items, "new", res.New,
				"grouped", res.Grouped, "known", res.Known, "updated", res.Updated,
				"filtered", res.Filtered, "failed", res.Failed, "skipped", res.Skipped)
		}
		if serr := i.Store.SaveFetchState(context.WithoutCancel(ctx), src.ID, st); serr != nil {
			serr = fmt.Errorf("ingest: saving fetch state of %s: %w", src.Name, serr)
			i.Log.Error("ingest: store failed", "source", src.Name, "err", serr)
			if err == nil {
				err = serr
			}
		}
	}()

	// The whole pass has a deadline: one source whose pages hang must not
	// hold a worker for items × the fetch timeout.
	pctx, cancel := context.WithTimeout(ctx, i.PassTimeout)
	defer cancel()
	resp, err := i.Fetcher.Get(pctx, fetch.Request{URL: src.URL, ETag: st.ETag, LastModified: st.LastModified})
	if err != nil {
		return res, fmt.Errorf("ingest: source %s: %w", src.Name, err)
	}
	hint = resp.FreshFor
	if src.Kind == digest.KindFeed || src.Kind == "" {
		hint = max(hint, feedTTL(resp.Body))
	}
	if resp.NotModified {
		res.NotModified = true
		return res, nil
	}
	var items []candidate
	switch src.Kind {
	case digest.KindHTML:
		items, err = parseListing(src, resp.Page(), i.MaxItems)
	case digest.KindFeed, "":
		items, err = parseFeed(src, resp.Page())
	default:
		err = fmt.Errorf("ingest: source %s: unknown kind %q", src.Name, src.Kind)
	}
	if err != nil {
		return res, err
	}
	if len(items) > i.MaxItems {
		items = items[len(items)-i.MaxItems:]
	}
	res.Items = len(items)
	res.Backlog = !st.Primed
	p := &pass{Ingester: i, src: src, backlog: res.Backlog, res: &res, filter: newKeywordFilter(src.Include, src.Exclude)}
	// Article pages are fetched a few at a time ahead of the loop, which
	// stores the items one by one in feed order.
	p.pages = p.prefetch(pctx, items)
	defer func() {
		cancel() // the pages not waited for
		p.fetchers.Wait()
	}()
	for k, c := range items {
		if err := p.item(pctx, c, p.pages[k]); err != nil {
			if ctx.Err() == nil && pctx.Err() != nil {
				// The pass's deadline, not a shutdown: keep what was
				// stored, read the rest next time.
				res.CutShort = len(items) - k
				p.transient = true
				i.Log.Warn("ingest: source pass reached its deadline; the rest is read next time", "source", src.Name, "url", res.URL,
					"deadline", i.PassTimeout, "items_left", res.CutShort)
				break
			}
			return res, err
		}
	}
	if res.CutShort > 0 && res.Backlog {
		// A first fetch cut short stays a first fetch: the rest of the
		// back catalogue must not come out as news next time.
		return res, nil
	}
	st.Primed = true
	// A page that failed for a reason that may pass (a timeout, a 503)
	// must be tried again: keep the old validators so that the next
	// fetch is not answered 304 and the item is not lost.
	if !p.transient {
		st.ETag, st.LastModified = resp.ETag, resp.LastModified
	}
	return res, nil
}

// nextDue is when a source should next be fetched.
func nextDue(src digest.Source) time.Time {
	if !src.State.NextFetch.IsZero() {
		return src.State.NextFetch
	}
	return src.State.LastFetch.Add(Interval(src)) // zero LastFetch: due at once
}
