package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// maxRobotsBytes is what RFC 9309 asks a crawler to read at least.
const maxRobotsBytes = 512 << 10

// checkRobots returns ErrDisallowed when the host's robots.txt forbids u,
// or the error that kept us from reading robots.txt; the caller names u.
func (f *Fetcher) checkRobots(ctx context.Context, u *url.URL) error {
	r, err := f.robotsFor(ctx, u)
	if err != nil {
		return err
	}
	path := u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if !r.Allowed(path) {
		return ErrDisallowed
	}
	return nil
}

// robotsFor returns the host's cached rules, fetching them once when missing
// or stale; concurrent callers wait for the one fetch.
func (f *Fetcher) robotsFor(ctx context.Context, u *url.URL) (*Robots, error) {
	g := f.gate(hostKey(u))
	for {
		g.mu.Lock()
		if g.robots != nil && f.opts.Clock().Sub(g.robotsAt) < f.opts.RobotsTTL {
			r := g.robots
			g.mu.Unlock()
			return r, nil
		}
		if ch := g.robotsRun; ch != nil {
			g.mu.Unlock()
			select {
			case <-ch:
				continue
			case <-ctx.Done():
				return nil, fmt.Errorf("robots.txt of %s: %w", u.Host, ctx.Err())
			}
		}
		ch := make(chan struct{})
		g.robotsRun = ch
		g.mu.Unlock()

		r, err := f.fetchRobots(ctx, u)
		g.mu.Lock()
		g.robotsRun = nil
		if err == nil {
			g.robots, g.robotsAt = r, f.opts.Clock()
		}
		g.mu.Unlock()
		close(ch)
		return r, err
	}
}

// fetchRobots reads scheme://host/robots.txt. As RFC 9309 says: a 4xx means
// no rules; a 5xx or a network failure means the site is unreachable for
// now, which we return as an error (the source backs off) rather than guess.
func (f *Fetcher) fetchRobots(ctx context.Context, u *url.URL) (*Robots, error) {
	ru := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ru.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("robots.txt of %s: %w", u.Host, err)
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", "text/plain,*/*;q=0.5")
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	// A client of its own: its redirects must not check robots.txt again.
	client := &http.Client{Transport: f.client.Transport, CheckRedirect: func(r *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		return nil
	}}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("robots.txt of %s: %w", u.Host, unwrapURLError(err))
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode <= 299:
		r, err := decoder(resp.Header.Get("Content-Encoding"), resp.Body)
		if err != nil {
			return nil, fmt.Errorf("robots.txt of %s: %w", u.Host, err)
		}
		// Parse what the RFC asks for (the first 500 KiB) and drop the rest.
		body, err := io.ReadAll(io.LimitReader(r, maxRobotsBytes))
		if err != nil {
			return nil, fmt.Errorf("robots.txt of %s: %w", u.Host, err)
		}
		return ParseRobots(body, f.agent), nil
	case resp.StatusCode >= 400 && resp.StatusCode <= 499 && resp.StatusCode != http.StatusTooManyRequests:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return &Robots{}, nil
	default:
		se := &StatusError{URL: ru.String(), Code: resp.StatusCode}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			se.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), f.opts.Clock())
		}
		return nil, fmt.Errorf("robots.txt of %s: %w", u.Host, se)
	}
}
