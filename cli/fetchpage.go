package cli

import (
	"context"
	"fmt"

	"newsdigest/config"
	"newsdigest/digest"
	"newsdigest/fetch"
)

// pageFetcher fetches one page for preview.
type pageFetcher func(ctx context.Context, url string) (digest.Page, error)

// newFetcher builds the one polite fetcher from the config.
func newFetcher(c config.Config) *fetch.Fetcher {
	return fetch.New(fetch.Options{
		UserAgent:    c.Fetch.UserAgent,
		Timeout:      c.Fetch.Timeout.D(),
		MaxBodyBytes: c.Fetch.MaxBodyBytes,
		PerHost:      c.Fetch.PerHost,
		HostGap:      c.Fetch.HostGap.D(),
		AllowPrivate: c.Fetch.AllowPrivate,
	})
}

func newPageFetcher(c config.Config) (pageFetcher, error) {
	f := newFetcher(c)
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
