package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"newsdigest/digest"
)

func sub(chat, thread string) digest.Subscription {
	return digest.Subscription{Platform: digest.Telegram, ChatID: chat, ThreadID: thread, Time: "08:00",
		TimeZone: "Europe/London", MaxStories: 10, Active: true, CreatedBy: "admin"}
}

func mustSub(t *testing.T, s digest.Store, in digest.Subscription) digest.Subscription {
	t.Helper()
	got, err := s.SaveSubscription(context.Background(), in)
	if err != nil {
		t.Fatalf("SaveSubscription(%s/%s): %v", in.ChatID, in.ThreadID, err)
	}
	return got
}

func testSubscriptions(t *testing.T, s digest.Store) {
	ctx := context.Background()
	in := sub("-100", "")
	in.Keywords = []string{"climate", "Zürich"}
	in.SendEmpty = true
	in.Cutoff = base
	in.NextRun = base.Add(24 * time.Hour)
	a := mustSub(t, s, in)
	if a.ID == 0 || a.CreatedAt.IsZero() || !reflect.DeepEqual(a.Keywords, in.Keywords) || !a.Cutoff.Equal(base) {
		t.Fatalf("SaveSubscription = %+v", a)
	}
	topic := mustSub(t, s, sub("-100", "42")) // a forum topic of the same chat is its own
	if topic.ID == a.ID {
		t.Fatal("a thread of the same chat got the same subscription")
	}
	d := sub("chan-1", "")
	d.Platform = digest.Discord
	d.GuildID = "guild-1"
	d.NoImages, d.PostMode = true, digest.PostForum
	disc := mustSub(t, s, d)
	if !disc.NoImages || disc.PostMode != digest.PostForum {
		t.Fatalf("SaveSubscription lost the picture and posting settings: %+v", disc)
	}

	in.Time, in.Keywords, in.Failure, in.Active = "07:30", nil, "missing access", false
	upd := mustSub(t, s, in)
	if upd.ID != a.ID || upd.Time != "07:30" || upd.Keywords != nil || upd.Active || upd.Failure != "missing access" ||
		!upd.CreatedAt.Equal(a.CreatedAt) {
		t.Fatalf("update = %+v, want same ID %d and created time, new settings", upd, a.ID)
	}
	got, err := s.Subscription(ctx, digest.Telegram, "-100", "")
	if err != nil || !reflect.DeepEqual(got, upd) {
		t.Fatalf("Subscription = %+v, %v; want %+v", got, err, upd)
	}
	byID, err := s.SubscriptionByID(ctx, disc.ID)
	if err != nil || byID.GuildID != "guild-1" || byID.Platform != digest.Discord {
		t.Fatalf("SubscriptionByID = %+v, %v", byID, err)
	}
	tg, err := s.Subscriptions(ctx, digest.Telegram)
	if err != nil || len(tg) != 2 {
		t.Fatalf("Subscriptions(telegram) = %d, %v; want 2", len(tg), err)
	}
	all, err := s.Subscriptions(ctx, "")
	if err != nil || len(all) != 3 {
		t.Fatalf("Subscriptions(all) = %d, %v; want 3", len(all), err)
	}
	if err := s.DeleteSubscription(ctx, digest.Telegram, "-100", "42"); err != nil {
		t.Fatalf("DeleteSubscription: %v", err)
	}
	wantErr(t, "DeleteSubscription again", s.DeleteSubscription(ctx, digest.Telegram, "-100", "42"), digest.ErrNotFound)
	wantErr(t, "Subscription(deleted)", func() error { _, err := s.Subscription(ctx, digest.Telegram, "-100", "42"); return err }(), digest.ErrNotFound)
	wantErr(t, "SubscriptionByID(missing)", func() error { _, err := s.SubscriptionByID(ctx, 99999); return err }(), digest.ErrNotFound)
	_ = topic
}

func parts(sb digest.Subscription, scheduled time.Time, n int) []digest.Delivery {
	var out []digest.Delivery
	for i := 0; i < n; i++ {
		out = append(out, digest.Delivery{Key: digest.DeliveryKey(sb.ID, scheduled, i), SubscriptionID: sb.ID,
			Platform: sb.Platform, ChatID: sb.ChatID, ThreadID: sb.ThreadID, Scheduled: scheduled, Part: i, Parts: n,
			Payload: []byte(fmt.Sprintf(`{"part":%d}`, i)), State: digest.Planned})
	}
	return out
}

func testMoveChat(t *testing.T, s digest.Store) {
	ctx := context.Background()
	a := mustSub(t, s, sub("-100", ""))
	mustSub(t, s, sub("-100", "7"))
	if err := s.PlanDigest(ctx, a, parts(a, base, 1)); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveChat(ctx, digest.Telegram, "-100", "-1001"); err != nil {
		t.Fatalf("MoveChat: %v", err)
	}
	moved, err := s.Subscription(ctx, digest.Telegram, "-1001", "")
	if err != nil || moved.ID != a.ID {
		t.Fatalf("after MoveChat: %+v, %v; want subscription %d under the new ID", moved, err, a.ID)
	}
	if _, err := s.Subscription(ctx, digest.Telegram, "-1001", "7"); err != nil {
		t.Errorf("the chat's topic did not move: %v", err)
	}
	wantErr(t, "old chat", func() error { _, err := s.Subscription(ctx, digest.Telegram, "-100", ""); return err }(), digest.ErrNotFound)
	pending, err := s.PendingDeliveries(ctx, digest.Telegram)
	if err != nil || len(pending) != 1 || pending[0].ChatID != "-1001" {
		t.Fatalf("pending after MoveChat = %+v, %v; want its chat moved", pending, err)
	}
	wantErr(t, "MoveChat(unknown)", s.MoveChat(ctx, digest.Telegram, "-100", "-1002"), digest.ErrNotFound)
	mustSub(t, s, sub("-200", ""))
	wantErr(t, "MoveChat(onto a subscribed chat)", s.MoveChat(ctx, digest.Telegram, "-200", "-1001"), digest.ErrDuplicate)
	if _, err := s.Subscription(ctx, digest.Telegram, "-200", ""); err != nil {
		t.Errorf("a refused MoveChat changed the chat: %v", err)
	}
}

func testPlanDigest(t *testing.T, s digest.Store) {
	ctx := context.Background()
	a := mustSub(t, s, sub("-100", ""))
	b := mustSub(t, s, sub("-200", ""))
	day1 := base
	a.Cutoff, a.NextRun = day1, day1.Add(24*time.Hour)
	if err := s.PlanDigest(ctx, a, parts(a, day1, 3)); err != nil {
		t.Fatalf("PlanDigest: %v", err)
	}
	got, _ := s.SubscriptionByID(ctx, a.ID)
	if !got.Cutoff.Equal(day1) || !got.NextRun.Equal(day1.Add(24*time.Hour)) {
		t.Fatalf("subscription after PlanDigest: cutoff %v, next %v", got.Cutoff, got.NextRun)
	}
	// b is scheduled earlier than a: it comes first.
	b.Cutoff, b.NextRun = day1.Add(-time.Hour), day1.Add(23*time.Hour)
	if err := s.PlanDigest(ctx, b, parts(b, day1.Add(-time.Hour), 2)); err != nil {
		t.Fatal(err)
	}
	// Planning the same digest again is refused and changes nothing, even
	// when only one of its parts exists (a new second day comes along).
	again := a
	again.Cutoff, again.NextRun = day1.Add(time.Hour), day1.Add(48*time.Hour)
	mixed := append(parts(a, day1.Add(24*time.Hour), 1), parts(a, day1, 1)...)
	wantErr(t, "PlanDigest(duplicate)", s.PlanDigest(ctx, again, mixed), digest.ErrDuplicate)
	got, _ = s.SubscriptionByID(ctx, a.ID)
	if !got.Cutoff.Equal(day1) || !got.NextRun.Equal(day1.Add(24*time.Hour)) {
		t.Fatalf("a refused plan moved the cutoff to %v / next run %v", got.Cutoff, got.NextRun)
	}
	if ds, _ := s.Deliveries(ctx, a.ID, day1.Add(time.Hour), day1.Add(48*time.Hour)); len(ds) != 0 {
		t.Fatalf("a refused plan left %d parts", len(ds))
	}
	ghost := digest.Subscription{ID: 99999}
	wantErr(t, "PlanDigest(unknown subscription)", s.PlanDigest(ctx, ghost, nil), digest.ErrNotFound)

	pending, err := s.PendingDeliveries(ctx, digest.Telegram)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, d := range pending {
		order = append(order, d.Key)
	}
	want := []string{digest.DeliveryKey(b.ID, day1.Add(-time.Hour), 0), digest.DeliveryKey(b.ID, day1.Add(-time.Hour), 1),
		digest.DeliveryKey(a.ID, day1, 0), digest.DeliveryKey(a.ID, day1, 1), digest.DeliveryKey(a.ID, day1, 2)}
	if !reflect.DeepEqual(order, want) {
		t.Fatalf("PendingDeliveries order = %v, want %v", order, want)
	}
	p := pending[2]
	if string(p.Payload) != `{"part":0}` || p.Parts != 3 || p.State != digest.Planned || p.UpdatedAt.IsZero() || !p.Scheduled.Equal(day1) {
		t.Fatalf("pending part = %+v", p)
	}
	if other, err := s.PendingDeliveries(ctx, digest.Discord); err != nil || len(other) != 0 {
		t.Fatalf("PendingDeliveries(discord) = %d, %v; want none", len(other), err)
	}

	// Sending, then sent: the sent part leaves the pending list.
	p.State, p.Attempts, p.MessageID, p.Late = digest.Sent, 2, "msg-9", true
	p.UpdatedAt = day1.Add(time.Minute)
	if err := s.UpdateDelivery(ctx, p); err != nil {
		t.Fatalf("UpdateDelivery: %v", err)
	}
	q := pending[3]
	q.State, q.Attempts, q.Error = digest.Sending, 1, "timeout"
	if err := s.UpdateDelivery(ctx, q); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "UpdateDelivery(missing)", s.UpdateDelivery(ctx, digest.Delivery{Key: "nope", State: digest.Sent}), digest.ErrNotFound)
	pending, _ = s.PendingDeliveries(ctx, digest.Telegram)
	if len(pending) != 4 || pending[2].Key != q.Key || pending[2].State != digest.Sending || pending[2].Error != "timeout" {
		t.Fatalf("pending after updates = %+v", pending)
	}
	ds, err := s.Deliveries(ctx, a.ID, day1, day1.Add(time.Second))
	if err != nil || len(ds) != 3 {
		t.Fatalf("Deliveries = %d, %v; want 3", len(ds), err)
	}
	if ds[0].State != digest.Sent || ds[0].MessageID != "msg-9" || ds[0].Attempts != 2 || !ds[0].Late ||
		!ds[0].UpdatedAt.Equal(day1.Add(time.Minute)) {
		t.Fatalf("sent part = %+v", ds[0])
	}
	if ds, _ := s.Deliveries(ctx, a.ID, day1.Add(time.Second), day1.Add(time.Hour)); len(ds) != 0 {
		t.Fatalf("Deliveries outside the window = %d", len(ds))
	}
	// Deleting the subscription removes its outbox.
	if err := s.DeleteSubscription(ctx, digest.Telegram, "-200", ""); err != nil {
		t.Fatal(err)
	}
	if pending, _ := s.PendingDeliveries(ctx, ""); len(pending) != 2 {
		t.Fatalf("pending after deleting a subscription = %d, want 2", len(pending))
	}
}

func testClaim(t *testing.T, s digest.Store) {
	ctx := context.Background()
	a := mustSub(t, s, sub("-100", ""))
	if err := s.PlanDigest(ctx, a, parts(a, base, 3)); err != nil {
		t.Fatal(err)
	}
	first, err := s.ClaimDeliveries(ctx, digest.Telegram, "one", time.Hour, 2)
	if err != nil || len(first) != 2 || first[0].Part != 0 || first[1].Part != 1 {
		t.Fatalf("ClaimDeliveries(one) = %+v, %v; want parts 0 and 1", first, err)
	}
	if first[0].Owner != "one" || first[0].LeaseUntil.IsZero() {
		t.Fatalf("claimed part = %+v, want owner and lease", first[0])
	}
	second, err := s.ClaimDeliveries(ctx, digest.Telegram, "two", time.Hour, 5)
	if err != nil || len(second) != 1 || second[0].Part != 2 || second[0].Owner != "two" {
		t.Fatalf("ClaimDeliveries(two) = %+v, %v; want only part 2", second, err)
	}
	// Claiming again renews one's own leases, never takes another's.
	renew, err := s.ClaimDeliveries(ctx, digest.Telegram, "one", time.Hour, 5)
	if err != nil || len(renew) != 2 || renew[0].Owner != "one" || renew[1].Owner != "one" {
		t.Fatalf("ClaimDeliveries(one) again = %+v, %v; want its 2 parts", renew, err)
	}
	if none, err := s.ClaimDeliveries(ctx, digest.Discord, "two", time.Hour, 5); err != nil || len(none) != 0 {
		t.Fatalf("ClaimDeliveries(discord) = %d, %v", len(none), err)
	}
	// A sent part is not claimed.
	sent := renew[0]
	sent.State = digest.Sent
	if err := s.UpdateDelivery(ctx, sent); err != nil {
		t.Fatal(err)
	}
	// An instance that dies leaves a lease that expires (here: already
	// expired when taken); another instance then picks its parts up.
	if got, err := s.ClaimDeliveries(ctx, digest.Telegram, "one", -time.Minute, 5); err != nil || len(got) != 1 {
		t.Fatalf("ClaimDeliveries(one, expired lease) = %+v, %v; want its 1 unsent part", got, err)
	}
	taken, err := s.ClaimDeliveries(ctx, digest.Telegram, "three", time.Hour, 5)
	if err != nil || len(taken) != 1 || taken[0].Part != 1 || taken[0].Owner != "three" {
		t.Fatalf("ClaimDeliveries(three) = %+v, %v; want the expired part 1", taken, err)
	}
	if got, _ := s.ClaimDeliveries(ctx, digest.Telegram, "one", time.Hour, 5); len(got) != 0 {
		t.Fatalf("the old owner got %d parts back while the new lease holds", len(got))
	}
}

func testLeases(t *testing.T, s digest.Store) {
	l, ok := s.(digest.Locker)
	if !ok {
		t.Fatalf("%T has no TryLock/Unlock", s)
	}
	ctx := context.Background()
	try := func(name, owner string, ttl time.Duration, want bool) {
		t.Helper()
		got, err := l.TryLock(ctx, name, owner, ttl)
		if err != nil || got != want {
			t.Fatalf("TryLock(%s, %s) = %v, %v; want %v", name, owner, got, err, want)
		}
	}
	try("telegram-poller", "a", time.Hour, true)
	try("telegram-poller", "b", time.Hour, false)
	try("telegram-poller", "a", time.Hour, true) // renew
	try("source:wire", "b", time.Hour, true)     // another name is independent
	if err := l.Unlock(ctx, "telegram-poller", "b"); err != nil {
		t.Fatal(err)
	}
	try("telegram-poller", "b", time.Hour, false) // b could not release a's lease
	if err := l.Unlock(ctx, "telegram-poller", "a"); err != nil {
		t.Fatal(err)
	}
	try("telegram-poller", "b", -time.Second, true) // released; b's lease is already expired
	try("telegram-poller", "c", time.Hour, true)    // so c takes it over
	try("telegram-poller", "b", time.Hour, false)
}
