package cli

import (
	"crypto/rand"
	"encoding/hex"
)

// processOwner names this App (this process) in a lease that only one
// process may hold at a time (the Telegram poller): the instance name and
// a nonce of its own. Two processes started with the same
// NEWSDIGEST_INSTANCE (the default host name, say) would otherwise both
// "hold" it and fight over getUpdates with 409s. A restart gets a new
// nonce: after a crash the new process waits for the old lease to expire
// (a minute); a clean stop releases it.
func (a *App) processOwner() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.nonce == "" {
		var b [6]byte
		_, _ = rand.Read(b[:])
		a.nonce = hex.EncodeToString(b[:])
	}
	return a.Instance + "#" + a.nonce
}
