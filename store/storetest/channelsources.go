package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"newsdigest/digest"
)

func testChannelSources(t *testing.T, s digest.Store) {
	ctx := context.Background()
	cat, err := s.SaveSource(ctx, digest.Source{Name: "Wire", URL: "https://wire.example/feed", Kind: digest.KindFeed})
	if err != nil {
		t.Fatal(err)
	}
	if cat.Origin != digest.OriginConfig || !cat.InCatalogue() {
		t.Errorf("a source saved without origin is %q, want the catalogue's", cat.Origin)
	}
	own, err := s.SaveSource(ctx, digest.Source{Name: "Local News", URL: "https://local.example/rss.xml", Kind: digest.KindFeed,
		Origin: digest.OriginChat, AddedBy: "discord:7"})
	if err != nil {
		t.Fatal(err)
	}
	if own.Origin != digest.OriginChat || own.AddedBy != "discord:7" || own.InCatalogue() {
		t.Errorf("chat source stored as %+v", own)
	}
	if got, err := s.SourceByURL(ctx, "https://local.example/rss.xml"); err != nil || got.ID != own.ID {
		t.Errorf("SourceByURL = %+v, %v", got, err)
	}
	if _, err := s.SourceByURL(ctx, "https://nowhere.example/"); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("SourceByURL of an unknown URL: %v", err)
	}

	a := sub("-100", "")
	a.OwnSources = true
	a = mustSub(t, s, a)
	if !a.OwnSources {
		t.Fatal("OwnSources not stored")
	}
	b := mustSub(t, s, sub("-200", "")) // the whole catalogue
	for _, src := range []int64{cat.ID, own.ID, own.ID} {
		if err := s.SetSubscriptionSource(ctx, a.ID, src, "telegram:5", true); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.SubscriptionSources(ctx, a.ID)
	if err != nil || len(list) != 2 || list[0].Name != "Local News" || list[1].Name != "Wire" {
		t.Fatalf("SubscriptionSources = %+v, %v", list, err)
	}
	if list, _ := s.SubscriptionSources(ctx, b.ID); len(list) != 0 {
		t.Errorf("a catalogue subscription has a list: %+v", list)
	}
	readers, err := s.SourceReaders(ctx)
	if err != nil || readers[own.ID] != 1 || readers[cat.ID] != 1 {
		t.Errorf("SourceReaders = %v, %v", readers, err)
	}
	if err := s.SetSubscriptionSource(ctx, a.ID, own.ID, "", false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSubscriptionSource(ctx, a.ID, own.ID, "", false); err != nil {
		t.Errorf("taking off a source not on the list: %v", err)
	}
	if readers, _ := s.SourceReaders(ctx); readers[own.ID] != 0 {
		t.Errorf("readers after removal = %v", readers)
	}
	// A disabled subscription reads nothing.
	a.Active = false
	mustSub(t, s, a)
	if readers, _ := s.SourceReaders(ctx); readers[cat.ID] != 0 {
		t.Errorf("a disabled subscription still counts as a reader: %v", readers)
	}
	// Deleting the subscription deletes its list.
	if err := s.DeleteSubscription(ctx, a.Platform, a.ChatID, a.ThreadID); err != nil {
		t.Fatal(err)
	}

	at := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	p := digest.Pending{Token: "3f2a9c", Chat: "discord:42:", Payload: []byte(`{"url":"https://local.example/"}`), Created: at}
	if err := s.SavePending(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.TakePending(ctx, "3f2a9c")
	if err != nil || got.Chat != p.Chat || string(got.Payload) != string(p.Payload) || !got.Created.Equal(at) {
		t.Errorf("TakePending = %+v, %v", got, err)
	}
	if _, err := s.TakePending(ctx, "3f2a9c"); !errors.Is(err, digest.ErrNotFound) {
		t.Errorf("a pending action taken twice: %v", err)
	}
}
