// Package summary turns an article body into the three lines of a card.
//
// Sentences splits text into sentences (abbreviations, initials, decimals,
// quotes, ellipses, paragraph breaks, the full stops of CJK and Indic
// scripts, and captions glued to the next sentence without a full stop
// handled; the word lists are tables, one per language). Summarize picks up
// to digest.MaxSummaryLines of them, each fitted into digest.MaxLineLength
// runes by Trim, in article order.
//
// The choice is unsupervised and extractive, Lead-3 with skips: news puts
// what matters first, so the lines are the first usable sentences, passing
// over a question or a photo caption near the top and any sentence that
// repeats the facts of a line already chosen. Junk (credits, disclaimers,
// agency notes, calls to action, bylines, datelines, copyright) is never
// chosen, nor a near-repeat of an earlier sentence. Every line is a run of
// the article's own words; a line cut to fit ends with "…".
// bench/summaries measures it against Lead-3@200 with ROUGE, on a tuning
// part and a held-out part of CNN/DailyMail articles.
package summary
