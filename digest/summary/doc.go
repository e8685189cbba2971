// Package summary turns an article body into the three lines of a card.
//
// Sentences splits text into sentences (abbreviations, initials, decimals,
// quotes, ellipses, paragraph breaks and the full stops of CJK and Indic
// scripts handled). Summarize picks up to digest.MaxSummaryLines of them,
// each fitted into digest.MaxLineLength runes by Trim, in article order.
//
// The choice is unsupervised and extractive: a lead prior (news puts what
// matters first) that is flat over the first usable sentences, with
// penalties for what rarely summarises well: quotations, short teasers,
// sentences that must be cut between words, captions, and lines without a
// full stop. Junk (credits, disclaimers, agency notes, calls to action,
// bylines, datelines, copyright) is never chosen, nor a near-repeat of an
// earlier sentence. bench/summaries measures it against Lead-3 with ROUGE.
package summary
