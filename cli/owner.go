package cli

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
)

// processOwner names this process in a lease that only one process may
// hold at a time (the Telegram poller): the instance name and a nonce of
// this process. Two processes started with the same NEWSDIGEST_INSTANCE
// (the default host name, say) would otherwise both "hold" it and fight
// over getUpdates with 409s. A restart gets a new nonce: after a crash the
// new process waits for the old lease to expire (a minute); a clean stop
// releases it.
func processOwner() string {
	nonceOnce.Do(func() {
		var b [6]byte
		_, _ = rand.Read(b[:])
		nonce = hex.EncodeToString(b[:])
	})
	return instanceID() + "#" + nonce
}

var (
	nonceOnce sync.Once
	nonce     string
)
