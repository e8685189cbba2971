package storetest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"newsdigest/digest"
)

// testDueSubscriptions: the due active subscriptions come by NextRun
// (unset first), inactive ones never, and next is the earliest later run.
func testDueSubscriptions(t *testing.T, s digest.Store) {
	ctx := context.Background()
	now := base.Add(10 * time.Hour)
	at := func(chat string, next time.Time, active bool) digest.Subscription {
		in := sub(chat, "")
		in.NextRun, in.Active = next, active
		return mustSub(t, s, in)
	}
	late := at("late", now.Add(-2*time.Hour), true)
	onTime := at("on-time", now, true)
	unset := at("unset", time.Time{}, true)
	at("stopped", now.Add(-time.Hour), false)   // inactive: never due
	at("tomorrow", now.Add(20*time.Hour), true) // later
	soon := at("soon", now.Add(time.Minute), true)
	at("stopped-soon", now.Add(30*time.Second), false) // inactive: not the next
	due, next, err := s.DueSubscriptions(ctx, now)
	if err != nil {
		t.Fatalf("DueSubscriptions: %v", err)
	}
	var ids []int64
	for _, d := range due {
		ids = append(ids, d.ID)
	}
	if want := []int64{unset.ID, late.ID, onTime.ID}; len(ids) != 3 || ids[0] != want[0] || ids[1] != want[1] || ids[2] != want[2] {
		t.Errorf("due = %v, want %v (unset, then by next run)", ids, want)
	}
	if !next.Equal(soon.NextRun) {
		t.Errorf("next = %v, want %v", next, soon.NextRun)
	}
	if len(due) > 0 && (due[1].ChatID != "late" || due[1].TimeZone != "Europe/London" || !due[1].Active) {
		t.Errorf("due subscription read back as %+v", due[1])
	}
	// Once every due one has moved on, nothing is due.
	for _, d := range due {
		d.NextRun = now.Add(24 * time.Hour)
		mustSub(t, s, d)
	}
	if due, next, err = s.DueSubscriptions(ctx, now); err != nil || len(due) != 0 || !next.Equal(soon.NextRun) {
		t.Errorf("after moving on: due %d, next %v, %v", len(due), next, err)
	}
	if due, next, err = s.DueSubscriptions(ctx, now.Add(48*time.Hour)); err != nil || len(due) != 5 || !next.IsZero() {
		t.Errorf("two days on: due %d, next %v, %v; want all 5 active ones and no next", len(due), next, err)
	}
}

// BenchPlanning measures what the delivery planner reads each second from
// a store holding n subscriptions (a tenth of them stopped), of which due
// are due: the due ones through DueSubscriptions (sub-benchmark "due"),
// and every subscription, as the planner read them before ("all"), in the
// same run.
func BenchPlanning(b *testing.B, s digest.Store, n, due int) {
	ctx := context.Background()
	now := base.Add(12 * time.Hour)
	for i := range n {
		in := sub("bench-"+strconv.Itoa(i), "")
		in.Active = i%10 != 9
		in.NextRun = now.Add(time.Duration(1+i%1440) * time.Minute)
		if i < due {
			in.NextRun, in.Active = now.Add(-time.Minute), true
		}
		if _, err := s.SaveSubscription(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("due", func(b *testing.B) {
		for b.Loop() {
			got, next, err := s.DueSubscriptions(ctx, now)
			if err != nil || len(got) != due || next.IsZero() {
				b.Fatalf("DueSubscriptions: %d due, next %v, %v", len(got), next, err)
			}
		}
	})
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			got, err := s.Subscriptions(ctx, "")
			if err != nil || len(got) != n {
				b.Fatalf("Subscriptions: %d, %v", len(got), err)
			}
		}
	})
}
