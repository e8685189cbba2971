// Package delivery plans and sends the daily digests: one digest per
// subscription per local day, through restarts, outages and rate limits.
//
// # Plan, then send
//
// When a subscription is due (NextRun ≤ now), the engine selects the
// stories first seen in [Cutoff, scheduled) — the window since the previous
// digest, not "the last 24 hours"; consecutive windows tile time, so a story
// is in exactly one digest — filters them by the subscription's keywords,
// ranks and caps them, renders them with the platform's Messenger into
// messages, and stores every message as one Delivery (key
// "<sub>:<scheduled>:<part>") with store.PlanDigest, which in the same
// transaction moves Cutoff to the scheduled time and NextRun to the next
// run. Nothing is sent before that commit, so a crash either loses the plan
// (and the digest is planned again, with the same keys) or keeps it (and the
// outbox finishes it).
//
// The outbox is shared by instances through store.ClaimDeliveries leases.
// The parts of one subscription go out strictly in order, one at a time;
// different subscriptions go concurrently, up to Options.Concurrency per
// platform. The adapter's Send blocks for its platform budget, so the engine
// never rate-limits by itself; it only chooses order, concurrency and
// retries. Each part is marked Sending before the call and Sent (with the
// platform's message ID) after it.
//
// # Faults
//
//   - *digest.RateLimitedError: the part goes back to Planned, the worker
//     waits RetryAfter and tries again.
//   - *digest.TemporaryError: exponential backoff with jitter.
//   - Both are retried as long as scheduled+Grace allows; then the part is
//     Failed. A part never tried before the grace ran out is Skipped.
//   - digest.ErrChatGone: the part and the rest of its digest are Failed and
//     the subscription is disabled (Active=false, Failure says why).
//   - *digest.MigratedError: store.MoveChat, then the same part (and the
//     following ones) go to the new chat.
//   - Any other error is permanent for that message: Failed, and the next
//     part of the digest still goes.
//
// A source that is down only has no new stories: digests never wait for
// sources.
//
// # Catch-up
//
// Only the latest occurrence of a subscription's time is considered: when
// the bot was down over several due times, it never sends a burst of old
// digests. If that occurrence is less than Grace (default 6h) late, the
// digest is planned and sent with DigestView.Late set. Older than that, it
// is skipped and logged, NextRun moves on and Cutoff stays where it was, so
// the stories of the skipped days roll into the next digest (which still
// holds at most MaxStories, the best ranked of the whole window; windows are
// capped at MaxWindow, default 7 days).
//
// # Restarts and duplicates
//
// A part found in state Sending was in flight when an instance died. Whether
// it reached the chat is unknown, so it is sent again:
//   - On a platform whose Messenger says Idempotent() == true (Discord: the
//     adapter sends a nonce derived from Delivery.Key with enforce_nonce, and
//     Discord answers a repeat with the first message), the resend cannot
//     duplicate: every part arrives exactly once.
//   - Otherwise (Telegram has no idempotency key) the resend is the
//     at-most-one-duplicate window: because a chat has at most one message
//     in flight, only that one part can be duplicated by a crash, and the
//     order is kept (the duplicate follows its original). Options.AtMostOnce
//     trades this for the opposite failure: such a part is recorded as Sent
//     without a resend, so it may be lost but never doubled.
//
// The capability is the optional interface Idempotent; a Messenger without
// it counts as not idempotent. A send that fails with a timeout or a broken
// connection (*digest.TemporaryError) is just as ambiguous and is retried
// the same way, so on a non-idempotent platform each such retry is another
// one-message window; a 429 is unambiguous (not sent) and never duplicates.
//
// A restarted process that keeps its Options.Owner takes its own parts back
// at once; under a new Owner it waits out the dead process's lease.
//
// # Fan-out
//
// A one-message digest to 1,000 subscriptions due at the same minute, with
// the real adapters against their fakes and a SQLite store (planning and
// sending overlap: sending starts with the first planned digest):
//
//	go test ./delivery -run '^$' -bench Fanout -benchtime 1x
//
// Discord at 50 requests/s: 20.0 s against the 20 s floor (1.00x), nothing
// lost or duplicated, no 429. Telegram at 30 messages/s: 34.6 s against
// 33.3 s (1.04x), nothing lost or duplicated, one 429 (the adapter's pacing
// against the fake's window), waited out.
//
// Several instances on one database (BenchmarkFanoutDiscordInstances), each
// adapter given its share of the bot's budget: two at 25/s each, 20.7 s
// (1.04x); three at 16/s each (48/s in all), 21.9 s (1.10x); nothing lost
// or duplicated, no 429. The budget is the bot's: instances that each
// spend the full 50/s provoke 429s.
//
// A lease (Options.Lease) bounds how long a dead instance's parts stay
// claimed. A worker never starts a send unless its lease outlives the send
// timeout, so two instances never have the same part in flight.
package delivery
