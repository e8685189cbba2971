package discord

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"newsdigest/adapters/internal/capped"
	"newsdigest/digest"
)

// attachmentHosts serve Discord's attachments.
var attachmentHosts = []string{"cdn.discordapp.com", "media.discordapp.net"}

// attachmentHost reports whether an attachment URL's host is Discord's
// CDN, or the configured API host (a REST proxy, the fake).
func (b *Bot) attachmentHost(host string) bool {
	if slices.Contains(attachmentHosts, strings.ToLower(host)) {
		return true
	}
	return host != "" && strings.EqualFold(b.base.Hostname(), host)
}

// attachment makes a request's Attachment of a resolved attachment: Open
// downloads the URL Discord gave (and no other), refusing a file whose
// stated size is over the limit before downloading, and stopping at the
// limit when the stated size was wrong; b.files' timeout bounds it.
func (b *Bot) attachment(a *discordgo.MessageAttachment) *digest.Attachment {
	name, size, raw := a.Filename, int64(a.Size), a.URL
	return &digest.Attachment{Name: name, Size: size, Open: func(ctx context.Context, max int64) ([]byte, error) {
		if size > max {
			return nil, fmt.Errorf("discord: attachment %q of %d bytes, limit %d: %w", name, size, max, digest.ErrTooLarge)
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || !b.attachmentHost(u.Hostname()) {
			return nil, fmt.Errorf("discord: attachment %q: not a Discord attachment URL", name)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
		if err != nil {
			return nil, fmt.Errorf("discord: attachment %q: %w", name, err)
		}
		resp, err := b.files.Do(req)
		if err != nil {
			return nil, fmt.Errorf("discord: download attachment %q: %w", name, err)
		}
		defer resp.Body.Close()
		data, err := capped.ReadAll(resp, max)
		if err != nil {
			return nil, fmt.Errorf("discord: download attachment %q: %w", name, err)
		}
		return data, nil
	}}
}
