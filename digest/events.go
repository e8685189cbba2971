package digest

import (
	"context"
	"time"
)

// FirstSeen records that an event (a Discord interaction, a Telegram
// update) is being handled and reports whether this is the first time
// within ttl: false when this or another process or instance sharing the
// store recorded key before. Both stores implement it (their FirstSeen
// method); adapters skip an event that is not new, so that a replayed or
// doubly received one runs once.
type FirstSeen func(ctx context.Context, key string, ttl time.Duration) (bool, error)
