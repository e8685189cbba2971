package digest

import (
	"context"
	"time"
)

// Locker leases named locks to one owner at a time across the instances
// sharing a store: one fetcher per source, one Telegram poller. Both
// backends implement it beside Store (store/storetest checks it).
type Locker interface {
	// TryLock takes or renews the lease name for owner until now+ttl, and
	// reports false while another owner holds it.
	TryLock(ctx context.Context, name, owner string, ttl time.Duration) (bool, error)
	// Unlock releases a lease owner holds; releasing one it does not hold
	// changes nothing.
	Unlock(ctx context.Context, name, owner string) error
}
