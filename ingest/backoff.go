package ingest

import (
	"math/rand/v2"
	"time"
)

// backoff is the wait after the n-th consecutive failure (n ≥ 1): one
// interval, then doubling, capped at max, with ±20% jitter so that sources
// that failed together do not come back together. Never below the interval.
func backoff(n int, interval, max time.Duration, jitter func() float64) time.Duration {
	d := interval
	for k := 1; k < n && d < max; k++ {
		d *= 2
	}
	d = min(d, max)
	d = time.Duration(float64(d) * (0.8 + 0.4*jitter()))
	return min(max, maxDur(d, interval))
}

func maxDur(a, b time.Duration) time.Duration {
	if a > b {
		return a
	}
	return b
}

func defaultJitter() float64 { return rand.Float64() }
