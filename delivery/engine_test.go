package delivery

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"newsdigest/digest"
)

// berlin08 is 08:00 in Europe/Berlin on 2025-06-10 (CEST, UTC+2).
var berlin08 = mustTime("2025-06-10T06:00:00Z")

func TestDueDigestPlannedAndSentOnce(t *testing.T) {
	st := newMemStore()
	clock := &fakeClock{t: berlin08.Add(-10 * time.Second)}
	for i := int64(1); i <= 5; i++ {
		st.stories = append(st.stories, story(i, fmt.Sprintf("Story %d", i), berlin08.Add(-time.Duration(i)*time.Hour), int(6-i)))
	}
	sub := subscribe(t, st, digest.Discord, "c1", "08:00", "Europe/Berlin", clock.Now(), func(s *digest.Subscription) {
		s.Cutoff = berlin08.Add(-24 * time.Hour)
	})
	m := newFakeMessenger(digest.Discord, true)
	e := New(st, []digest.Messenger{m}, testOptions(clock))
	stop := start(t, e)

	// Start-up computed NextRun; nothing is due yet.
	waitFor(t, "NextRun computed", func() bool { return st.sub(sub.ID).NextRun.Equal(berlin08) })
	if n := len(st.all()); n != 0 {
		t.Fatalf("%d parts planned before the time", n)
	}
	clock.Set(berlin08.Add(time.Second))
	waitFor(t, "digest sent", func() bool { return m.count() == 3 && settled(st) })
	// Later the same day: nothing more.
	clock.Set(berlin08.Add(3 * time.Hour))
	time.Sleep(20 * time.Millisecond)
	stop()

	got := m.sent()
	if len(got) != 3 {
		t.Fatalf("sent %d messages, want 3 (5 stories, 2 per message)", len(got))
	}
	if h := join(headlines(t, got)); h != "Story 1,Story 2,Story 3,Story 4,Story 5" {
		t.Errorf("headlines in order %s", h)
	}
	for i, s := range got {
		if want := digest.DeliveryKey(sub.ID, berlin08, i); s.Key != want {
			t.Errorf("message %d key %s, want %s", i, s.Key, want)
		}
		if decode(t, s.Payload).Late {
			t.Errorf("message %d marked late", i)
		}
	}
	for _, d := range st.all() {
		if d.State != digest.Sent || d.MessageID != "msg-"+d.Key || d.Attempts != 1 {
			t.Errorf("part %s: state %s, message %q, attempts %d", d.Key, d.State, d.MessageID, d.Attempts)
		}
	}
	after := st.sub(sub.ID)
	if !after.Cutoff.Equal(berlin08) || !after.NextRun.Equal(berlin08.Add(24*time.Hour)) {
		t.Errorf("cutoff %s next %s, want %s and a day later", after.Cutoff, after.NextRun, berlin08)
	}
	if st.plans != 1 {
		t.Errorf("%d digests planned, want 1", st.plans)
	}
}

func TestSelectionSinceCutoffKeywordsCap(t *testing.T) {
	st := newMemStore()
	now := berlin08
	cutoff := now.Add(-40 * time.Hour) // the previous digest was skipped: the window is 40 hours, not 24
	st.stories = []digest.Story{
		story(1, "Before the cutoff", cutoff.Add(-time.Minute), 9),
		story(2, "Old but in window solar", now.Add(-30*time.Hour), 1),
		story(3, "Solar power record", now.Add(-2*time.Hour), 3),
		story(4, "Wind farm opens", now.Add(-3*time.Hour), 5),
		story(5, "Election results", now.Add(-1*time.Hour), 7),
		story(6, "After the scheduled time solar", now.Add(time.Minute), 8),
		story(7, "Solarpunk is not solar", now.Add(-4*time.Hour), 2),
		story(8, "WIND warnings", now.Add(-5*time.Hour), 1),
		story(9, "At the cutoff exactly", cutoff, 1),
	}
	// A story first seen before the cutoff that gained an article in the
	// window was told already: not again.
	joined := story(10, "Told yesterday, new source today", cutoff.Add(-time.Hour), 1)
	late := joined.Articles[0]
	late.ID, late.Source, late.FirstSeen = 1001, "latecomer", now.Add(-time.Hour)
	joined.Articles = append(joined.Articles, late)
	st.stories = append(st.stories, joined)

	e := New(st, []digest.Messenger{newFakeMessenger(digest.Discord, true)}, testOptions(&fakeClock{t: now}))
	tests := []struct {
		name     string
		keywords []string
		max      int
		want     string
	}{
		{"all ranked by coverage", nil, 10, "Election results,Wind farm opens,Solar power record,Solarpunk is not solar,WIND warnings,Old but in window solar,At the cutoff exactly"},
		{"cap", nil, 2, "Election results,Wind farm opens"},
		{"keywords whole words any case", []string{"solar", "wind"}, 10, "Wind farm opens,Solar power record,Solarpunk is not solar,WIND warnings,Old but in window solar"},
		{"keyword phrase", []string{"power record"}, 10, "Solar power record"},
		{"keyword in summary", []string{"line about election"}, 10, "Election results"},
		{"no match", []string{"volcano"}, 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := digest.Subscription{ID: 1, Platform: digest.Discord, Time: "08:00", TimeZone: "Europe/Berlin", Cutoff: cutoff, Keywords: tt.keywords, MaxStories: tt.max}
			v, err := e.Preview(context.Background(), sub, now)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range v.Cards {
				got = append(got, c.Headline)
			}
			if join(got) != tt.want {
				t.Errorf("got  %s\nwant %s", join(got), tt.want)
			}
		})
	}
	// Preview with no cutoff reaches back one day; MaxStories 0 takes the default.
	v, err := e.Preview(context.Background(), digest.Subscription{ID: 2, Platform: digest.Discord}, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Cards) != 5 || v.Cards[0].Headline != "Election results" || v.Cards[0].Sources == nil {
		t.Errorf("preview without cutoff: %d cards %+v", len(v.Cards), v.Cards)
	}
}

func TestEmptyDay(t *testing.T) {
	for _, sendEmpty := range []bool{false, true} {
		t.Run(fmt.Sprint("send_empty=", sendEmpty), func(t *testing.T) {
			st := newMemStore()
			clock := &fakeClock{t: berlin08.Add(time.Second)}
			sub := subscribe(t, st, digest.Telegram, "42", "08:00", "Europe/Berlin", clock.Now(), func(s *digest.Subscription) {
				s.SendEmpty = sendEmpty
				s.NextRun = berlin08
				s.Cutoff = berlin08.Add(-24 * time.Hour)
			})
			st.stories = []digest.Story{story(1, "Yesterday's news", berlin08.Add(-25*time.Hour), 2)}
			m := newFakeMessenger(digest.Telegram, false)
			e := New(st, []digest.Messenger{m}, testOptions(clock))
			if _, err := e.planDue(context.Background()); err != nil {
				t.Fatal(err)
			}
			stop := start(t, e)
			if sendEmpty {
				waitFor(t, "the note", func() bool { return m.count() == 1 && settled(st) })
			} else {
				waitFor(t, "NextRun moved", func() bool { return st.sub(sub.ID).NextRun.After(berlin08) })
			}
			stop()
			msgs := m.sent()
			if sendEmpty {
				if len(msgs) != 1 || !decode(t, msgs[0].Payload).Empty {
					t.Fatalf("want one empty-day note, got %+v", msgs)
				}
			} else if len(msgs) != 0 || len(st.all()) != 0 {
				t.Fatalf("want nothing planned or sent, got %d parts, %d messages", len(st.all()), len(msgs))
			}
			after := st.sub(sub.ID)
			if !after.Cutoff.Equal(berlin08) || !after.NextRun.Equal(berlin08.Add(24*time.Hour)) {
				t.Errorf("cutoff %s next %s", after.Cutoff, after.NextRun)
			}
		})
	}
}

func TestCatchUp(t *testing.T) {
	tests := []struct {
		name      string
		downUntil time.Duration // how long after 08:00 the bot starts
		wantSent  bool
	}{
		{"within grace", 5*time.Hour + 59*time.Minute, true},
		{"just after start", 2 * time.Minute, true},
		{"beyond grace", 6*time.Hour + time.Minute, false},
		{"days later, afternoon", 3*24*time.Hour + 7*time.Hour, false},
		{"days later, within grace of today's", 3*24*time.Hour + time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemStore()
			now := berlin08.Add(tt.downUntil)
			clock := &fakeClock{t: now}
			cutoff := berlin08.Add(-24 * time.Hour)
			sub := subscribe(t, st, digest.Discord, "c1", "08:00", "Europe/Berlin", now, func(s *digest.Subscription) {
				s.NextRun = berlin08 // missed while down
				s.Cutoff = cutoff
			})
			for i := int64(0); i < 4; i++ {
				st.stories = append(st.stories, story(i+1, fmt.Sprintf("S%d", i+1), berlin08.Add(time.Duration(i)*24*time.Hour-time.Hour), 1))
			}
			m := newFakeMessenger(digest.Discord, true)
			m.perPart = 10
			e := New(st, []digest.Messenger{m}, testOptions(clock))
			stop := start(t, e)
			waitFor(t, "NextRun moved", func() bool { return st.sub(sub.ID).NextRun.After(now) })
			if tt.wantSent {
				waitFor(t, "late digest", func() bool { return m.count() == 1 && settled(st) })
			}
			stop()
			msgs := m.sent()
			after := st.sub(sub.ID)
			days := int(tt.downUntil / (24 * time.Hour))
			latest := berlin08.Add(time.Duration(days) * 24 * time.Hour)
			if !after.NextRun.Equal(latest.Add(24 * time.Hour)) {
				t.Errorf("NextRun %s, want %s", after.NextRun, latest.Add(24*time.Hour))
			}
			if !tt.wantSent {
				if len(msgs) != 0 {
					t.Fatalf("sent %d messages beyond the grace", len(msgs))
				}
				if !after.Cutoff.Equal(cutoff) {
					t.Errorf("cutoff moved to %s; the skipped stories must roll into the next digest", after.Cutoff)
				}
				return
			}
			if len(msgs) != 1 {
				t.Fatalf("sent %d messages, want one late digest (never a burst)", len(msgs))
			}
			p := decode(t, msgs[0].Payload)
			if !p.Late || !p.Scheduled.Equal(latest) {
				t.Errorf("payload late=%v scheduled=%s, want late for %s", p.Late, p.Scheduled, latest)
			}
			// Every story since the old cutoff: the missed days roll in.
			if want := days + 1; len(p.Headlines) != want {
				t.Errorf("headlines %v, want %d", p.Headlines, want)
			}
			if !after.Cutoff.Equal(latest) {
				t.Errorf("cutoff %s, want %s", after.Cutoff, latest)
			}
		})
	}
}

// runOne plans one digest of parts messages for sub 1 and runs the engine
// until every part is final.
func runOne(t *testing.T, m *fakeMessenger, stories int, opt func(*Options), clock *fakeClock) (*memStore, digest.Subscription) {
	t.Helper()
	st := newMemStore()
	sub := subscribe(t, st, m.platform, "chat1", "08:00", "Europe/Berlin", clock.Now(), func(s *digest.Subscription) {
		s.NextRun = berlin08
		s.Cutoff = berlin08.Add(-24 * time.Hour)
	})
	for i := 1; i <= stories; i++ {
		st.stories = append(st.stories, story(int64(i), fmt.Sprintf("S%d", i), berlin08.Add(-time.Duration(i)*time.Minute), 1))
	}
	o := testOptions(clock)
	if opt != nil {
		opt(&o)
	}
	e := New(st, []digest.Messenger{m}, o)
	stop := start(t, e)
	waitFor(t, "planned", func() bool { return len(st.all()) > 0 })
	waitFor(t, "all parts final", func() bool { return settled(st) })
	stop()
	return st, sub
}

func keysOf(msgs []sent) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Key[strings.LastIndex(m.Key, ":")+1:])
	}
	return out
}

func TestRateLimitedThenSent(t *testing.T) {
	m := newFakeMessenger(digest.Telegram, false)
	m.fail = func(d digest.Delivery, call int) error {
		if d.Part == 1 && call <= 2 {
			return &digest.RateLimitedError{Platform: digest.Telegram, RetryAfter: 3 * time.Millisecond}
		}
		return nil
	}
	st, _ := runOne(t, m, 6, nil, &fakeClock{t: berlin08.Add(time.Second)})
	if got := join(keysOf(m.sent())); got != "0,1,2" {
		t.Fatalf("sent parts %s, want 0,1,2 once each in order", got)
	}
	for _, d := range st.all() {
		want := 1
		if d.Part == 1 {
			want = 3
		}
		if d.State != digest.Sent || d.Attempts != want {
			t.Errorf("part %d: %s after %d attempts, want sent after %d", d.Part, d.State, d.Attempts, want)
		}
	}
}

func TestTemporaryErrorsRetried(t *testing.T) {
	m := newFakeMessenger(digest.Discord, true)
	m.fail = func(d digest.Delivery, call int) error {
		if call <= 3 {
			return &digest.TemporaryError{Platform: digest.Discord, Err: errors.New("502 bad gateway")}
		}
		return nil
	}
	st, _ := runOne(t, m, 3, nil, &fakeClock{t: berlin08.Add(time.Second)})
	if got := join(keysOf(m.sent())); got != "0,1" {
		t.Fatalf("sent %s, want 0,1", got)
	}
	for _, d := range st.all() {
		if d.State != digest.Sent || d.Attempts != 4 || d.Error != "" {
			t.Errorf("part %d: %s attempts %d error %q", d.Part, d.State, d.Attempts, d.Error)
		}
	}
}

func TestTemporaryErrorsUntilGrace(t *testing.T) {
	clock := &fakeClock{t: berlin08.Add(time.Second)}
	m := newFakeMessenger(digest.Discord, true)
	m.fail = func(d digest.Delivery, call int) error {
		clock.Add(time.Hour) // each try takes an hour of the grace
		return &digest.TemporaryError{Platform: digest.Discord, Err: errors.New("503")}
	}
	st, _ := runOne(t, m, 3, nil, clock)
	if len(m.sent()) != 0 {
		t.Fatalf("sent %d", len(m.sent()))
	}
	ds := st.all()
	if len(ds) != 2 {
		t.Fatalf("%d parts", len(ds))
	}
	// Part 0 is tried until the grace runs out; part 1 is then too late to try.
	if ds[0].State != digest.Failed || ds[0].Attempts < 5 || ds[0].Attempts > 7 || !strings.Contains(ds[0].Error, "503") {
		t.Errorf("part 0: %s after %d attempts: %s", ds[0].State, ds[0].Attempts, ds[0].Error)
	}
	if ds[1].State != digest.Skipped || ds[1].Attempts != 0 {
		t.Errorf("part 1: %s after %d attempts", ds[1].State, ds[1].Attempts)
	}
}

func TestRateLimitPastGraceFails(t *testing.T) {
	m := newFakeMessenger(digest.Discord, true)
	m.fail = func(d digest.Delivery, call int) error {
		return &digest.RateLimitedError{Platform: digest.Discord, RetryAfter: 7 * time.Hour}
	}
	st, _ := runOne(t, m, 1, nil, &fakeClock{t: berlin08.Add(time.Second)})
	ds := st.all()
	if len(ds) != 1 || ds[0].State != digest.Failed || ds[0].Attempts != 1 || !strings.Contains(ds[0].Error, "grace") {
		t.Fatalf("parts %+v", ds)
	}
}

func TestChatGoneDisables(t *testing.T) {
	m := newFakeMessenger(digest.Discord, true)
	m.fail = func(d digest.Delivery, call int) error {
		if d.Part == 1 {
			return fmt.Errorf("discord: send to channel: 404 unknown channel: %w", digest.ErrChatGone)
		}
		return nil
	}
	st, sub := runOne(t, m, 6, nil, &fakeClock{t: berlin08.Add(time.Second)})
	if got := join(keysOf(m.sent())); got != "0" {
		t.Fatalf("sent %s, want only part 0", got)
	}
	want := []digest.DeliveryState{digest.Sent, digest.Failed, digest.Failed}
	for i, d := range st.all() {
		if d.State != want[i] {
			t.Errorf("part %d: %s, want %s", i, d.State, want[i])
		}
	}
	after := st.sub(sub.ID)
	if after.Active || !strings.Contains(after.Failure, "unknown channel") {
		t.Errorf("subscription active=%v failure=%q", after.Active, after.Failure)
	}
	if m.calls[digest.DeliveryKey(sub.ID, berlin08, 1)] != 1 {
		t.Errorf("a gone chat was retried")
	}
}

func TestOtherErrorFailsOnePart(t *testing.T) {
	m := newFakeMessenger(digest.Discord, true)
	m.fail = func(d digest.Delivery, call int) error {
		if d.Part == 0 {
			return errors.New("discord: 400 invalid form body")
		}
		return nil
	}
	st, sub := runOne(t, m, 4, nil, &fakeClock{t: berlin08.Add(time.Second)})
	if got := join(keysOf(m.sent())); got != "1" {
		t.Fatalf("sent %s, want part 1", got)
	}
	if ds := st.all(); ds[0].State != digest.Failed || ds[0].Attempts != 1 {
		t.Errorf("part 0: %+v", ds[0])
	}
	if !st.sub(sub.ID).Active {
		t.Error("one bad message disabled the subscription")
	}
}

func TestMigratedChat(t *testing.T) {
	m := newFakeMessenger(digest.Telegram, false)
	m.fail = func(d digest.Delivery, call int) error {
		if d.ChatID == "chat1" {
			return &digest.MigratedError{NewChatID: "-100777"}
		}
		return nil
	}
	st, sub := runOne(t, m, 5, nil, &fakeClock{t: berlin08.Add(time.Second)})
	msgs := m.sent()
	if got := join(keysOf(msgs)); got != "0,1,2" {
		t.Fatalf("sent %s", got)
	}
	for _, s := range msgs {
		if s.Chat != "-100777" {
			t.Errorf("part %s went to %s", s.Key, s.Chat)
		}
	}
	if got := st.sub(sub.ID).ChatID; got != "-100777" {
		t.Errorf("subscription chat %s, want moved", got)
	}
	if n := m.calls[digest.DeliveryKey(sub.ID, berlin08, 0)]; n != 2 {
		t.Errorf("part 0 called %d times, want 2 (old chat, new chat)", n)
	}
}

func TestRemovedSubscriptionSkipsParts(t *testing.T) {
	st := newMemStore()
	clock := &fakeClock{t: berlin08.Add(time.Second)}
	sub := subscribe(t, st, digest.Discord, "c1", "08:00", "Europe/Berlin", clock.Now(), func(s *digest.Subscription) { s.NextRun = berlin08 })
	st.stories = []digest.Story{story(1, "A", berlin08.Add(-time.Hour), 1)}
	m := newFakeMessenger(digest.Discord, true)
	e := New(st, []digest.Messenger{m}, testOptions(clock))
	if _, err := e.planDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	cur := st.sub(sub.ID)
	cur.Active = false
	st.SaveSubscription(context.Background(), cur)
	start(t, e)
	waitFor(t, "parts final", func() bool { return settled(st) })
	if m.count() != 0 || st.all()[0].State != digest.Skipped {
		t.Fatalf("sent %d, state %s", m.count(), st.all()[0].State)
	}
}

// TestFanOutConcurrentInOrder sends multi-part digests to many chats:
// chats are served concurrently (bounded), each chat's parts in order and
// one at a time.
func TestFanOutConcurrentInOrder(t *testing.T) {
	st := newMemStore()
	clock := &fakeClock{t: berlin08.Add(-time.Minute)}
	const chats = 60
	for i := 0; i < chats; i++ {
		subscribe(t, st, digest.Telegram, fmt.Sprint(i), "08:00", "Europe/Berlin", clock.Now(), nil)
	}
	for i := 1; i <= 7; i++ {
		st.stories = append(st.stories, story(int64(i), fmt.Sprintf("S%d", i), berlin08.Add(-time.Duration(i)*time.Minute), 8-i))
	}
	m := newFakeMessenger(digest.Telegram, false)
	m.delay = time.Millisecond
	o := testOptions(clock)
	o.Concurrency = 8
	e := New(st, []digest.Messenger{m}, o)
	start(t, e)
	waitFor(t, "NextRun set", func() bool { return st.sub(chats).NextRun.Equal(berlin08) })
	clock.Set(berlin08)
	defer func() {
		if t.Failed() {
			for _, d := range st.all() {
				if !terminal(d.State) {
					t.Logf("%s %s %d owner=%s", d.Key, d.State, d.Attempts, d.Owner)
				}
			}
			t.Logf("count %d busy %v", m.count(), e.busy)
		}
	}()
	waitFor(t, "all sent", func() bool { return m.count() == chats*4 && settled(st) })
	per := map[string][]string{}
	for _, s := range m.sent() {
		per[s.Chat] = append(per[s.Chat], s.Key[strings.LastIndex(s.Key, ":")+1:])
	}
	for chat, parts := range per {
		if join(parts) != "0,1,2,3" {
			t.Errorf("chat %s got parts %v", chat, parts)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.maxChat != 1 {
		t.Errorf("%d sends in flight to one chat at once, want 1", m.maxChat)
	}
	if m.top > 8 || m.top < 2 {
		t.Errorf("peak concurrency %d, want 2..8", m.top)
	}
}

func TestDST(t *testing.T) {
	tests := []struct {
		name, zone, hhmm string
		from, to         time.Time // the clock walks this range
		want             []time.Time
	}{
		{"new york spring forward 02:30", "America/New_York", "02:30",
			mustTime("2025-03-08T06:00:00Z"), mustTime("2025-03-10T12:00:00Z"),
			[]time.Time{mustTime("2025-03-08T07:30:00Z"), mustTime("2025-03-09T07:30:00Z"), mustTime("2025-03-10T06:30:00Z")}},
		{"new york fall back 01:30 once", "America/New_York", "01:30",
			mustTime("2025-11-01T00:00:00Z"), mustTime("2025-11-03T12:00:00Z"),
			[]time.Time{mustTime("2025-11-01T05:30:00Z"), mustTime("2025-11-02T05:30:00Z"), mustTime("2025-11-03T06:30:00Z")}},
		{"london fall back 01:15 once", "Europe/London", "01:15",
			mustTime("2025-10-25T00:00:00Z"), mustTime("2025-10-27T06:00:00Z"),
			[]time.Time{mustTime("2025-10-25T00:15:00Z"), mustTime("2025-10-26T00:15:00Z"), mustTime("2025-10-27T01:15:00Z")}},
		{"lord howe spring forward 02:10", "Australia/Lord_Howe", "02:10",
			mustTime("2025-10-03T12:00:00Z"), mustTime("2025-10-05T18:00:00Z"),
			[]time.Time{mustTime("2025-10-03T15:40:00Z"), mustTime("2025-10-04T15:40:00Z"), mustTime("2025-10-05T15:10:00Z")}},
		{"lord howe fall back 01:40 once", "Australia/Lord_Howe", "01:40",
			mustTime("2025-04-04T12:00:00Z"), mustTime("2025-04-06T18:00:00Z"),
			[]time.Time{mustTime("2025-04-04T14:40:00Z"), mustTime("2025-04-05T14:40:00Z"), mustTime("2025-04-06T15:10:00Z")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemStore()
			clock := &fakeClock{t: tt.from}
			sub := subscribe(t, st, digest.Discord, "c", tt.hhmm, tt.zone, tt.from, func(s *digest.Subscription) { s.SendEmpty = true })
			e := New(st, []digest.Messenger{newFakeMessenger(digest.Discord, true)}, testOptions(clock))
			e.started = tt.from
			if err := e.recompute(context.Background()); err != nil {
				t.Fatal(err)
			}
			// Walk the clock in 5-minute steps, planning at each.
			for now := tt.from; !now.After(tt.to); now = now.Add(5 * time.Minute) {
				clock.Set(now)
				if _, err := e.planDue(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			var got []time.Time
			for _, d := range st.all() {
				got = append(got, d.Scheduled)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("digests at %v\nwant %v", got, tt.want)
			}
			_ = sub
		})
	}
}

// TestInterruptedSend covers the restart rule: a part left in Sending.
func TestInterruptedSend(t *testing.T) {
	tests := []struct {
		name       string
		idem       bool
		atMostOnce bool
		wantSends  int // messages the platform shows for the interrupted part
		wantCalls  int
	}{
		{"idempotent resend dedups", true, false, 1, 1},
		{"non-idempotent resend may duplicate", false, false, 2, 1},
		{"non-idempotent at most once", false, true, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemStore()
			clock := &fakeClock{t: berlin08.Add(time.Minute)}
			sub := subscribe(t, st, digest.Telegram, "c", "08:00", "Europe/Berlin", clock.Now(), func(s *digest.Subscription) { s.NextRun = berlin08.Add(24 * time.Hour) })
			m := newFakeMessenger(digest.Telegram, tt.idem)
			// The previous process sent part 0 and died while sending part 1.
			d0 := digest.Delivery{Key: digest.DeliveryKey(sub.ID, berlin08, 0), SubscriptionID: sub.ID, Platform: digest.Telegram, ChatID: "c",
				Scheduled: berlin08, Part: 0, Parts: 2, Payload: []byte(`{"Part":0}`), State: digest.Planned}
			d1 := d0
			d1.Key, d1.Part, d1.Payload = digest.DeliveryKey(sub.ID, berlin08, 1), 1, []byte(`{"Part":1}`)
			st.PlanDigest(context.Background(), st.sub(sub.ID), []digest.Delivery{d0, d1})
			m.Send(context.Background(), d0)
			m.Send(context.Background(), d1) // it reached the chat, the process died before recording
			d0.State, d0.Attempts = digest.Sent, 1
			d1.State, d1.Attempts = digest.Sending, 1
			st.UpdateDelivery(context.Background(), d0)
			st.UpdateDelivery(context.Background(), d1)
			m.calls = map[string]int{}
			o := testOptions(clock)
			o.AtMostOnce = tt.atMostOnce
			start(t, New(st, []digest.Messenger{m}, o))
			waitFor(t, "parts final", func() bool { return settled(st) })
			n := 0
			for _, s := range m.sent() {
				if s.Key == d1.Key {
					n++
				}
			}
			if n != tt.wantSends || m.calls[d1.Key] != tt.wantCalls || m.calls[d0.Key] != 0 {
				t.Errorf("part 1 shown %d times after %d calls (part 0 called %d), want %d and %d", n, m.calls[d1.Key], m.calls[d0.Key], tt.wantSends, tt.wantCalls)
			}
			if got := st.all()[1].State; got != digest.Sent {
				t.Errorf("part 1 state %s", got)
			}
		})
	}
}

func TestBadScheduleDisables(t *testing.T) {
	st := newMemStore()
	clock := &fakeClock{t: berlin08}
	sub := subscribe(t, st, digest.Discord, "c", "08:00", "Mars/Base", clock.Now(), nil)
	e := New(st, []digest.Messenger{newFakeMessenger(digest.Discord, true)}, testOptions(clock))
	if err := e.recompute(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := st.sub(sub.ID); got.Active || !strings.Contains(got.Failure, "Mars/Base") {
		t.Fatalf("active=%v failure=%q", got.Active, got.Failure)
	}
}

// TestRecomputeOnStart: a changed time of day moves NextRun at start-up; a
// missed NextRun stays for the catch-up rule.
func TestRecomputeOnStart(t *testing.T) {
	st := newMemStore()
	now := berlin08.Add(-2 * time.Hour) // 06:00 Berlin
	changed := subscribe(t, st, digest.Discord, "a", "07:30", "Europe/Berlin", now, func(s *digest.Subscription) { s.NextRun = berlin08 })
	missed := subscribe(t, st, digest.Discord, "b", "05:00", "Europe/Berlin", now, func(s *digest.Subscription) {
		s.NextRun = berlin08.Add(-3 * time.Hour)
	})
	fresh := subscribe(t, st, digest.Discord, "c", "23:00", "Asia/Tokyo", now, nil)
	e := New(st, []digest.Messenger{newFakeMessenger(digest.Discord, true)}, testOptions(&fakeClock{t: now}))
	if err := e.recompute(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, want := st.sub(changed.ID).NextRun, berlin08.Add(-30*time.Minute); !got.Equal(want) {
		t.Errorf("changed time: NextRun %s, want %s", got, want)
	}
	if got, want := st.sub(missed.ID).NextRun, berlin08.Add(-3*time.Hour); !got.Equal(want) {
		t.Errorf("missed: NextRun %s, want it left at %s", got, want)
	}
	if got, want := st.sub(fresh.ID).NextRun, mustTime("2025-06-10T14:00:00Z"); !got.Equal(want) {
		t.Errorf("new: NextRun %s, want %s", got, want)
	}
}

// TestTwoPlatforms sends to Discord and Telegram at once, each through its
// own messenger, every part exactly once.
func TestTwoPlatforms(t *testing.T) {
	st := newMemStore()
	clock := &fakeClock{t: berlin08.Add(time.Second)}
	for i := 0; i < 20; i++ {
		for _, p := range []digest.Platform{digest.Discord, digest.Telegram} {
			subscribe(t, st, p, fmt.Sprint(i), "08:00", "Europe/Berlin", clock.Now(), func(s *digest.Subscription) { s.NextRun = berlin08 })
		}
	}
	for i := 1; i <= 5; i++ {
		st.stories = append(st.stories, story(int64(i), fmt.Sprintf("S%d", i), berlin08.Add(-time.Duration(i)*time.Minute), 1))
	}
	dm, tm := newFakeMessenger(digest.Discord, true), newFakeMessenger(digest.Telegram, false)
	dm.delay, tm.delay = time.Millisecond, time.Millisecond
	o := testOptions(clock)
	o.Concurrency = 4
	start(t, New(st, []digest.Messenger{dm, tm}, o))
	waitFor(t, "all sent", func() bool { return len(st.all()) == 120 && settled(st) })
	var chats []string
	for i := 0; i < 20; i++ {
		chats = append(chats, fmt.Sprint(i))
	}
	checkDelivered(t, dm.sent(), chats, 3, true, nil)
	checkDelivered(t, tm.sent(), chats, 3, true, nil)
	for _, s := range dm.sent() {
		if !strings.HasPrefix(s.Key, fmt.Sprint(decode(t, s.Payload).Sub)+":") || st.sub(decode(t, s.Payload).Sub).Platform != digest.Discord {
			t.Fatalf("discord got %s", s.Key)
		}
	}
}

// TestMovedChatBeforeSend: parts planned for a group that migrated before
// they went out are sent to the new chat.
func TestMovedChatBeforeSend(t *testing.T) {
	st := newMemStore()
	clock := &fakeClock{t: berlin08.Add(time.Second)}
	sub := subscribe(t, st, digest.Telegram, "-100", "08:00", "Europe/Berlin", clock.Now(), func(s *digest.Subscription) { s.NextRun = berlin08 })
	st.stories = []digest.Story{story(1, "A", berlin08.Add(-time.Hour), 1), story(2, "B", berlin08.Add(-time.Hour), 1), story(3, "C", berlin08.Add(-time.Hour), 1)}
	m := newFakeMessenger(digest.Telegram, false)
	m.fail = func(d digest.Delivery, call int) error {
		if d.ChatID == "-100" {
			return &digest.MigratedError{NewChatID: "-100200"}
		}
		return nil
	}
	e := New(st, []digest.Messenger{m}, testOptions(clock))
	if _, err := e.planDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := st.MoveChat(context.Background(), digest.Telegram, "-100", "-100200"); err != nil {
		t.Fatal(err)
	}
	start(t, e)
	waitFor(t, "sent", func() bool { return settled(st) })
	if got := join(keysOf(m.sent())); got != "0,1" {
		t.Fatalf("sent %s", got)
	}
	for _, s := range m.sent() {
		if s.Chat != "-100200" {
			t.Errorf("%s went to %s", s.Key, s.Chat)
		}
	}
	if m.calls[digest.DeliveryKey(sub.ID, berlin08, 0)] != 1 {
		t.Error("the old chat was tried")
	}
}

// TestSendTimeoutRetried: a send cut by SendTimeout, whatever error the
// adapter made of it, is retried like a temporary failure.
func TestSendTimeoutRetried(t *testing.T) {
	m := newFakeMessenger(digest.Discord, true)
	m.fail = func(d digest.Delivery, call int) error {
		if call == 1 {
			time.Sleep(30 * time.Millisecond) // past SendTimeout
			return errors.New("discord: send: context deadline exceeded")
		}
		return nil
	}
	st, _ := runOne(t, m, 1, func(o *Options) { o.SendTimeout = 10 * time.Millisecond }, &fakeClock{t: berlin08.Add(time.Second)})
	if ds := st.all(); len(ds) != 1 || ds[0].State != digest.Sent || ds[0].Attempts != 2 {
		t.Fatalf("parts %+v", ds)
	}
}

// TestFailureTextRedacted: a send error naming a URL with credentials (a
// proxy's, say) is stored in the part and shown to the chat's admins
// without them.
func TestFailureTextRedacted(t *testing.T) {
	m := newFakeMessenger(digest.Discord, true)
	m.fail = func(d digest.Delivery, call int) error {
		return fmt.Errorf("post https://relay:hunter2@proxy.example/api?token=T0K3N: 404 unknown channel: %w", digest.ErrChatGone)
	}
	st, sub := runOne(t, m, 1, nil, &fakeClock{t: berlin08.Add(time.Second)})
	after := st.sub(sub.ID)
	texts := []string{after.Failure}
	for _, d := range st.all() {
		texts = append(texts, d.Error)
	}
	for _, s := range texts {
		if strings.Contains(s, "hunter2") || strings.Contains(s, "T0K3N") {
			t.Errorf("stored failure keeps a credential: %q", s)
		}
	}
	if !strings.Contains(after.Failure, "unknown channel") {
		t.Errorf("failure = %q", after.Failure)
	}
}
