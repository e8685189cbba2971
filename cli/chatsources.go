package cli

import (
	"context"
	"fmt"

	"newsdigest/commands"
	"newsdigest/config"
	"newsdigest/digest"
	"newsdigest/digest/extract"
	"newsdigest/fetch"
	"newsdigest/ingest"
)

// chatSources wires /source add and import to the polite fetcher: the
// same limits, robots.txt and private-address refusal as every source.
func chatSources(c config.Config, f *fetch.Fetcher) commands.ChatSources {
	return commands.ChatSources{
		Off:           !c.ChatSourcesOn(),
		MaxPerChannel: c.ChatSources.MaxPerChannel,
		AddsPerHour:   c.ChatSources.AddsPerHour,
		Discover: func(ctx context.Context, raw string) (commands.SourcePreview, error) {
			d, err := ingest.Discover(ctx, f, raw, func(p digest.Page) error {
				_, err := extract.Extract(p, extract.Options{})
				return err
			})
			if err != nil {
				return commands.SourcePreview{}, err
			}
			return commands.SourcePreview{Source: d.Source, Via: d.Via, Items: d.Items, PerWeek: d.PerWeek, NewestURL: d.Newest}, nil
		},
		Card: func(ctx context.Context, pageURL string) (digest.Card, error) {
			resp, err := f.Get(ctx, fetch.Request{URL: pageURL})
			if err != nil {
				return digest.Card{}, fmt.Errorf("read the newest article: %w", err)
			}
			card, _, err := BuildCard(resp.Page(), extract.Options{})
			return card, err
		},
	}
}
