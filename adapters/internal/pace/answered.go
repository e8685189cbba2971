package pace

import (
	"context"
	"net/http/httptrace"
	"sync/atomic"
	"time"
)

// AnswerClock returns ctx with a trace that notes when the first byte of
// the answer came back, and a func that reads it (the present moment if
// no answer came). The platform counted the request at the latest then:
// the budgets count it from that moment, which no latency and no late
// goroutine can move.
func AnswerClock(ctx context.Context) (context.Context, func() time.Time) {
	var at atomic.Pointer[time.Time]
	trace := &httptrace.ClientTrace{GotFirstResponseByte: func() {
		now := time.Now()
		at.CompareAndSwap(nil, &now)
	}}
	return httptrace.WithClientTrace(ctx, trace), func() time.Time {
		if t := at.Load(); t != nil {
			return *t
		}
		return time.Now()
	}
}
