package story

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSettleFixesAnEarlyMerge: a look-alike doc that arrived while its
// event had no other report joined the first story of its topic; once
// its own event has reports, Settle moves it to them.
func TestSettleFixesAnEarlyMerge(t *testing.T) {
	g := NewGrouper(Options{})
	quake2 := []Doc{
		{ID: "k1", Title: "Magnitude 5.8 earthquake hits Kermadec Islands", Text: "A magnitude 5.8 earthquake struck near the Kermadec Islands north of New Zealand on Sunday, GeoNet said. No tsunami warning was issued for Raoul Island."},
		{ID: "k2", Title: "5.8 quake near Kermadec Islands, no tsunami", Text: "GeoNet said the 5.8 magnitude earthquake near the Kermadec Islands caused no damage on Raoul Island and no tsunami warning was issued."},
		{ID: "k3", Text: "No tsunami warning followed Sunday's 5.8 earthquake near the Kermadec Islands, GeoNet said; Raoul Island staff felt light shaking."},
	}
	g.Add(quakeA, 1)
	g.Add(quakeB, 1)
	// The first Kermadec report, forced into the Mendocino story as an
	// unlucky online match would.
	g.Add(quake2[0], 1)
	g.Add(quake2[1], 2)
	g.Add(quake2[2], 2)
	g.Add(other, 3)
	moves, err := g.Settle(func() (int64, error) { return 0, errors.New("no new story needed") })
	if err != nil {
		t.Fatal(err)
	}
	if len(moves) != 1 || moves[0] != (Move{DocID: "k1", From: 1, To: 2}) {
		t.Fatalf("Settle moves = %+v, want k1 from 1 to 2", moves)
	}
	g.Apply(moves)
	if id, ok := g.Match(quakeC); !ok || id != 1 {
		t.Errorf("after Apply, Match(Mendocino report) = %d, %v; want 1", id, ok)
	}
	if again, _ := g.Settle(nil); len(again) != 0 {
		t.Errorf("a second Settle moved %+v, want nothing", again)
	}
}

// TestSettleSplitsAndMerges: two halves of one event kept apart online
// merge under the story holding more of them, and a group whose only
// story went to a larger group gets a new ID.
func TestSettleSplitsAndMerges(t *testing.T) {
	settle := func(t *testing.T, stories ...int64) []Move {
		t.Helper()
		g := NewGrouper(Options{})
		for i, d := range []Doc{quakeA, quakeB, quakeC, other} {
			g.Add(d, stories[i])
		}
		moves, err := g.Settle(func() (int64, error) { return 100, nil })
		if err != nil {
			t.Fatal(err)
		}
		// Nothing changes until Apply.
		if id, _ := g.Match(Doc{ID: "x", Text: other.Text}); id != stories[3] {
			t.Fatalf("before Apply the central bank doc's story is %d, want %d", id, stories[3])
		}
		g.Apply(moves)
		for _, m := range moves {
			if m.DocID == "d" {
				if id, _ := g.Match(Doc{ID: "y", Text: other.Text}); id != m.To {
					t.Fatalf("after Apply the central bank doc's story is %d, want %d", id, m.To)
				}
			}
		}
		return moves
	}
	t.Run("merge", func(t *testing.T) {
		got := settle(t, 5, 9, 9, 5)
		if want := []Move{{DocID: "a", From: 5, To: 9}}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("Settle = %+v, want %+v", got, want)
		}
	})
	t.Run("split", func(t *testing.T) {
		got := settle(t, 5, 5, 5, 5)
		if want := []Move{{DocID: "d", From: 5, To: 100}}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("Settle = %+v, want %+v", got, want)
		}
	})
}

func TestSettleNewIDError(t *testing.T) {
	g := NewGrouper(Options{})
	g.Add(quakeA, 1)
	g.Add(other, 1)
	boom := errors.New("store down")
	moves, err := g.Settle(func() (int64, error) { return 0, boom })
	if !errors.Is(err, boom) || moves != nil {
		t.Fatalf("Settle = %v, %v; want no moves and the newID error", moves, err)
	}
}

// TestApplySkipsStaleMoves: a move whose doc has changed story (or left)
// since Settle is not made.
func TestApplySkipsStaleMoves(t *testing.T) {
	g := NewGrouper(Options{})
	g.Add(quakeA, 1)
	g.Apply([]Move{{DocID: "a", From: 2, To: 3}, {DocID: "gone", From: 1, To: 3}})
	if id, _ := g.Match(quakeB); id != 1 {
		t.Fatalf("stale move applied: quake story is %d, want 1", id)
	}
}

// TestGroupOrderFree: on real docs, Group's stories are the same in any
// arrival order, up to the numbering.
func TestGroupOrderFree(t *testing.T) {
	docs := ecbplus(t)
	ref := partition(Group(docs, Options{}))
	for seed := uint64(1); seed <= 2; seed++ {
		sh := append([]Doc(nil), docs...)
		rand.New(rand.NewPCG(seed, 7)).Shuffle(len(sh), func(i, j int) { sh[i], sh[j] = sh[j], sh[i] })
		got := partition(Group(sh, Options{}))
		diff := 0
		for id, p := range ref {
			if got[id] != p {
				diff++
			}
		}
		if diff > 0 {
			t.Errorf("seed %d: %d of %d docs grouped differently from file order", seed, diff, len(docs))
		}
	}
}

// partition names each doc's story by its first member in ID order, so
// that two groupings compare without their numbering.
func partition(m map[string]int64) map[string]string {
	first := map[int64]string{}
	for id, s := range m {
		if f, ok := first[s]; !ok || id < f {
			first[s] = id
		}
	}
	out := make(map[string]string, len(m))
	for id, s := range m {
		out[id] = first[s]
	}
	return out
}

func BenchmarkSettle(b *testing.B) {
	docs := ecbplusFull(b)
	g := NewGrouper(Options{})
	for i, d := range docs {
		g.Add(d, int64(i+1))
	}
	var next int64 = 1 << 40
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := g.Settle(func() (int64, error) { next++; return next, nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRelabel: the store's stories win over the grouper's, and a doc that
// left the window is forgotten.
func TestRelabel(t *testing.T) {
	g := NewGrouper(Options{MaxDocs: 3})
	g.Add(quakeA, 1)
	g.Add(quakeB, 1)
	if !g.Has("a") || g.Has("zz") {
		t.Fatalf("Has(a) = %v, Has(zz) = %v", g.Has("a"), g.Has("zz"))
	}
	if n := g.Relabel(map[string]int64{"a": 4, "b": 1, "zz": 9}); n != 1 {
		t.Fatalf("Relabel changed %d docs, want 1", n)
	}
	// a now stands alone in story 4: Settle puts it back with b, under
	// the lower of two equal stories' IDs.
	moves, err := g.Settle(nil)
	if err != nil || fmt.Sprint(moves) != fmt.Sprint([]Move{{DocID: "a", From: 4, To: 1}}) {
		t.Fatalf("Settle after Relabel = %v, %v; want a from 4 to 1", moves, err)
	}
	g.Add(other, 2)
	g.Add(quakeC, 1) // the window holds 3: "a" leaves
	if g.Has("a") || !g.Has("c") {
		t.Errorf("after eviction Has(a) = %v, Has(c) = %v", g.Has("a"), g.Has("c"))
	}
	if n := g.Relabel(map[string]int64{"a": 7}); n != 0 {
		t.Errorf("Relabel of an evicted doc changed %d docs", n)
	}
}

// TestSettleIsStable: on random parts of ECB+ in random orders, a second
// Settle right after the first moves nothing, and every story the window
// holds afterwards is one Settle made (no doc left in a story of its own
// that the grouping would put elsewhere).
func TestSettleIsStable(t *testing.T) {
	docs := ecbplus(t)
	r := rand.New(rand.NewPCG(3, 9))
	for round := range 4 {
		part := append([]Doc(nil), docs...)
		r.Shuffle(len(part), func(i, j int) { part[i], part[j] = part[j], part[i] })
		part = part[:min(len(part), 100+r.IntN(300))]
		g := NewGrouper(Options{})
		var next int64
		newID := func() (int64, error) { next++; return next, nil }
		for _, d := range part {
			id, ok := g.Match(d)
			if !ok {
				id, _ = newID()
			}
			g.Add(d, id)
		}
		moves, err := g.Settle(newID)
		if err != nil {
			t.Fatal(err)
		}
		g.Apply(moves)
		again, err := g.Settle(func() (int64, error) { return 0, fmt.Errorf("round %d: a settled window asked for a new story", round) })
		if err != nil || len(again) != 0 {
			t.Fatalf("round %d (%d docs): a second Settle = %d moves, %v; want none", round, len(part), len(again), err)
		}
		sizes := 0
		for _, n := range g.size {
			sizes += n
		}
		if sizes != g.Len() {
			t.Fatalf("round %d: story sizes add up to %d, the window holds %d", round, sizes, g.Len())
		}
	}
}

// TestGroupDeterministic: the same docs in the same order give the same
// stories, numbers included, however Go orders its maps on each run.
func TestGroupDeterministic(t *testing.T) {
	docs := ecbplus(t)
	want := fmt.Sprint(Group(docs, Options{}))
	for range 3 {
		if got := fmt.Sprint(Group(docs, Options{})); got != want {
			t.Fatal("two groupings of the same docs differ")
		}
	}
}

// Two title defences of one champion against different challengers, two
// outlets' headline and lead each: every report shares the champion, the
// titles and the knockout, so the two pairs resemble each other almost as
// much as their own members do. Each pair names its own challenger in
// its headlines and leads, which the other pair never names.
var titleFights = []Doc{
	{ID: "t1", Title: "Klitschko stops Thompson in sixth round of Bern rematch", Text: "Wladimir Klitschko kept his heavyweight titles, stopping challenger Tony Thompson in the sixth round of their rematch in Bern."},
	{ID: "t2", Title: "Klitschko too strong for Thompson again", Text: "In Bern, heavyweight champion Wladimir Klitschko knocked Tony Thompson down twice before the referee stopped the rematch in the sixth round."},
	{ID: "r1", Title: "Klitschko stops Rahman in seventh in Mannheim", Text: "Wladimir Klitschko defended his heavyweight titles, stopping former champion Hasim Rahman in the seventh round in Mannheim."},
	{ID: "r2", Title: "One-sided win for Klitschko over former champion Rahman", Text: "Heavyweight champion Wladimir Klitschko dominated Hasim Rahman in Mannheim until the referee stopped the fight in the seventh round."},
}

// TestSettleKeepsLookAlikesApartByOwnNames: without a conflict margin
// the two fights merge into one story; with one, each pair stays a story
// of its own, while two pairs of reports of one fight, naming the same
// challenger, still merge. In a window this small every shared word is
// rare, so the two fights' reports are far more alike than in a real
// window, and the margin used here is larger than the default.
func TestSettleKeepsLookAlikesApartByOwnNames(t *testing.T) {
	sameFight := []Doc{
		{ID: "t3", Title: "Klitschko stops Thompson to retain heavyweight titles", Text: "Wladimir Klitschko defended his heavyweight titles, stopping Tony Thompson in the sixth round in Bern."},
		{ID: "t4", Title: "One-sided win for Klitschko over Thompson", Text: "Heavyweight champion Wladimir Klitschko dominated Tony Thompson in Bern until the referee stopped the fight in the sixth round."},
	}
	background := []Doc{quakeA, quakeB, quakeC, other}
	for _, c := range []struct {
		name     string
		docs     []Doc
		conflict float64
		apart    bool
	}{
		{"two fights, no conflict margin", titleFights, -1, false},
		{"two fights", titleFights, 4, true},
		{"one fight", append(titleFights[:2:2], sameFight...), 4, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			docs := append(append([]Doc(nil), background...), c.docs...)
			got := Group(docs, Options{ConflictMargin: c.conflict})
			a, b := c.docs[0].ID, c.docs[2].ID
			if got[a] != got[c.docs[1].ID] || got[b] != got[c.docs[3].ID] {
				t.Fatalf("a pair's two reports split: %v", got)
			}
			if apart := got[a] != got[b]; apart != c.apart {
				t.Errorf("the two pairs apart = %v, want %v (stories %v)", apart, c.apart, got)
			}
		})
	}
}

func TestLeadNames(t *testing.T) {
	g := NewGrouper(Options{})
	d := Doc{ID: "a", Title: "Tony Thompson loses to Klitschko on Saturday",
		Text: "Early Friday Wladimir Klitschko arrived in Bern.\nHe was calm.\nLater lines name Mannheim and Rahman, which are not in the lead."}
	g.Add(d, 1)
	var got []string
	for _, id := range g.docs[0].names {
		got = append(got, g.terms[id].name)
	}
	slices.Sort(got)
	if want := []string{"bern", "klitschko", "thompson", "tony", "wladimir"}; !slices.Equal(got, want) {
		t.Errorf("lead names = %v, want %v", got, want)
	}
}
