package story

import "iter"

// GroupStream is Group over a stream of docs: each is matched and added as
// it comes and then dropped (the grouper keeps only its window: Options'
// MaxDocs docs, 5000 by default, and their features), so memory is bounded
// by the window, not by the length of the stream. The result is Group's on
// the same docs. It stops at the first error of docs.
func GroupStream(docs iter.Seq2[Doc, error], opt Options) (map[string]int64, error) {
	g := NewGrouper(opt)
	out := make(map[string]int64)
	var next int64
	newID := func() (int64, error) { next++; return next, nil }
	for d, err := range docs {
		if err != nil {
			return nil, err
		}
		id, ok := g.Match(d)
		if !ok {
			id, _ = newID()
		}
		g.Add(d, id)
		out[d.ID] = id
	}
	moves, _ := g.Settle(newID) // newID cannot fail
	g.Apply(moves)
	for _, m := range moves {
		out[m.DocID] = m.To
	}
	return out, nil
}
