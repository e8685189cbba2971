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
// (the store's) when Match found none. Every so often (the bot: each
// minute while articles come in) Settle regroups the whole window at once
// and the caller stores its moves, then Applies them. Group runs exactly
// that sequence over a file as one round, numbering new stories 1, 2, 3…
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
// EntityWeight (default 1, a setting) for names and numbers, 1 for words:
// above 1 the details that tell two look-alike events apart (which
// earthquake, whose rehab) weigh more than the words they share. Two docs' similarity is the
// cosine of their vectors times a time-proximity factor
//
//	T(a,b) = 2^(−max(0, |Δt| − 24h) / HalfLife)   (1 when either is undated)
//
// with HalfLife 48h by default. Each doc has a threshold
//
//	θ(u) = Threshold · clamp((u / 150)^0.4, 0.4, 1)
//
// where u is its number of distinct features: short texts (a headline and
// a lead) share fewer details even when they tell the same event, so they
// need less.
//
// Match scores a doc against each story by its average similarity with
// the story's docs in the window (average link) and picks the best story
// whose score reaches θ. That commits each doc when it comes, so its
// mistakes depend on arrival order: an early report of a look-alike event
// can join the first story of its topic, and two early halves of one event
// can stay apart.
//
// Settle is order-free: average-link agglomerative clustering of the whole
// window under the same similarity, merging the most similar pair of
// groups first while their average pair similarity reaches the mean θ of
// their docs, scaled by 1 + MergeMargin·(1 − 1/m) when the smaller group
// has m docs (MergeMargin 0.60 by default). The margin is what keeps
// look-alike events apart: a group's members share its topic's words, so
// two groups of one topic resemble each other almost as much as their own
// members do, and merging two groups needs more than a doc joining one.
//
// Short texts (an outlet's headline and first paragraph) share so few
// words that two reports of look-alike events (one champion's two title
// defences, two quakes in one country) often resemble each other as much
// as two reports of one event. What tells them apart is who and where:
// each doc's lead names are the words of the names in its headline and
// lead (calendar words left out). A group's own names are those that at
// least two of its docs and half of them name, and that the group holds
// at least half of all the window's uses of (so a name common to the
// whole topic, "Navy" in a wave of piracy reports, is no group's own).
// When each of two groups of several docs has an own name that no doc of
// the other names in its headline and lead, the two are taken for
// different events: their merge needs the threshold scaled again by
// 1 + ConflictMargin (0.5 by default).
//
// The groups then take over the window's story IDs, each ID going to the
// group that holds most of its docs (a story that only grew keeps its ID);
// a group left without one gets a new ID.
//
// Threshold (default 0.19), EntityWeight (1), MergeMargin and
// ConflictMargin were chosen on ECB+ with topics held out: tuned on the
// odd topics, for the best mean B-cubed F1 over whole texts, headline and
// first paragraph only, and the same at most three outlets per story;
// bench/results/stories.md has the figures and `cd bench && go run
// ./stories` reproduces them.
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
