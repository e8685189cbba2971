// Package story groups articles about the same event into stories, online,
// and ranks stories for /trending and digests.
//
// # Grouping
//
// A Grouper keeps a sliding window of recent docs (Options.Window by
// Published, default 72h before the newest dated doc; Options.MaxDocs by
// arrival order, default 5000, which is the window for undated docs) in an
// inverted index. Match finds the story an incoming doc belongs to; the
// caller then Adds the doc to that story, or to a new story ID of its own
// (the store's) when Match found none. Group runs exactly that sequence
// over a file, numbering new stories 1, 2, 3…
//
// Each doc becomes a bag of features: content words (lower-cased, English
// stop words and reporting verbs dropped, plural/-ing/-ed stripped), names
// (runs of capitalised words, "Bank of England" kept whole, a lone capital
// at a sentence start ignored) and numbers ("6.1", "1200", "2009"). The
// headline and the lead (the first two lines, at most 60 words) count
// twice. The weight of a feature t in doc d is
//
//	w(t,d) = (1 + ln tf(t,d)) · ln((N + P) / (df(t) + 0.5)) · E(t)
//
// where df and N are counted over the window, the doc itself included (an
// IDF learned online from the stream, no outside data), P = PriorDocs
// (default 100) smooths the first docs of a stream, and E(t) is
// EntityWeight (default 1.5) for names and numbers, 1 for words: the
// details that tell two look-alike events apart (which earthquake, whose
// rehab) weigh more than the words they share. Two docs' similarity is the
// cosine of their vectors times a time-proximity factor
//
//	T(a,b) = 2^(−max(0, |Δt| − 24h) / HalfLife)   (1 when either is undated)
//
// with HalfLife 48h by default. A doc's score for a story is its average
// similarity with the story's docs in the window (average link); it joins
// the best-scoring story when that score reaches
//
//	θ(u) = Threshold · clamp((u / 150)^0.4, 0.4, 1)
//
// where u is the doc's number of distinct features: short texts (a
// headline and a lead) share fewer details even when they tell the same
// event, so they need less. Threshold (default 0.24) and EntityWeight were
// chosen on ECB+ with topics held out; bench/results/stories.md has the
// figures and `cd bench && go run ./stories` reproduces them.
//
// # Ranking
//
// Trending scores each story with members in the window (now−window, now]:
// (S + G) · 2^(−age/H), S its distinct sources (one source posting many
// near-identical items counts once), G the sources that first covered it in
// the last quarter of the window (growth), age the time since its newest
// member and H a quarter of the window. Lead picks the most complete
// member, then the earliest. ForDigest keeps stories matching a keyword
// (whole words or phrases, case-insensitive) and orders them by distinct
// sources, then recency.
package story
