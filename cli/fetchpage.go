package cli

import (
	"context"
	"fmt"
	"log/slog"

	"newsdigest/config"
	"newsdigest/digest"
	"newsdigest/fetch"
)

// pageFetcher fetches one page for preview.
type pageFetcher func(ctx context.Context, url string) (digest.Page, error)

// newFetcher builds the one polite fetcher from the config; it logs to log
// (nil: slog's default).
func newFetcher(c config.Config, log *slog.Logger) *fetch.Fetcher {
	// fetch.host_gap: 0s means no gap; the fetcher's zero value means its
	// default (1s) and a negative one none.
	gap := c.Fetch.HostGap.D()
	if gap == 0 {
		gap = -1
	}
	return fetch.New(fetch.Options{
		UserAgent:    c.Fetch.UserAgent,
		Timeout:      c.Fetch.Timeout.D(),
		MaxBodyBytes: c.Fetch.MaxBodyBytes,
		PerHost:      c.Fetch.PerHost,
		HostGap:      gap,
		AllowPrivate: c.Fetch.AllowPrivate,
		Log:          log,
	})
}

func newPageFetcher(c config.Config) (pageFetcher, error) {
	f := newFetcher(c, nil)
	return func(ctx context.Context, url string) (digest.Page, error) {
		resp, err := f.Get(ctx, fetch.Request{URL: url})
		if err != nil {
			return digest.Page{}, fmt.Errorf("preview: %w", err)
		}
		p := resp.Page()
		p.Name = url
		return p, nil
	}, nil
}
