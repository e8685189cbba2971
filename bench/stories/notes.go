package main

// NOTES is the hand-written part of the report; the figures it cites are
// in the tables above.
const NOTES = `## Notes

- **Short items from many outlets.** The hidden benchmark's texts are outlets' headline and first paragraph,
  about three outlets per story, no dates. On that shape the grouping as it was (threshold 0.20, entity
  weight 1.5, merge margin 0.45) fell behind the baseline on the held-out topics (0.880 against 0.896 at at
  most three docs per story): with few words per doc, two reports of look-alike events (one champion's two
  title defences, two quakes in Indonesia, two Doctor Who castings) resemble each other as much as two
  reports of one event, and the low threshold short docs need let whole look-alike groups merge. The
  conflict margin tells them apart by who and where: each group's headlines and leads name someone of its
  own (Thompson against Rahman, Aceh against Papua) that the other group's never name. On the held-out
  topics it lifts short items at most three per story from 0.879 to 0.921 and all short items from 0.903 to
  0.929, and leaves whole texts as they were (0.944; rows "without the conflict margin" above). A name the
  whole topic shares is no group's own (the group must hold at least half the window's uses of the word),
  else fragments of one big story would be kept apart by their different details.
- **Trade-off left.** The best setting for short items depends on how many outlets cover a story: twelve
  short reports of one event need a low threshold to come together, three need a high one to stay apart
  from the look-alike event. The tuning objective (the mean over whole texts, all short items and short
  items at most three per story) weighs both; the old setting stays better on all short items of the
  held-out topics (0.953 against 0.929), the new one on three per story (0.921 against 0.880).
- **The reverse split** (tuned on the even topics, scored on the odd ones) picks threshold 0.18, entity
  weight 2.0, merge margin 0.45, conflict margin 0.25 and generalises less well to the odd topics' short
  items (0.855 and 0.871), still well above the baseline (0.690 and 0.820). The odd topics hold most of
  ECB+'s look-alike pairs told with the same cast (Klitschko, the 76ers' coach, the Endangered Species Act,
  Microsoft's emergency patches, Turkmenistan's elections).
- Tried on the tuning topics and not kept: raising the short-doc threshold floor (0.4 to 0.75 of the
  threshold: at most three per story 0.863 to 0.881, but all short items 0.861 to 0.821); a sharper IDF
  (idf^1.5, idf^2) or a smaller IDF prior; 5-letter word prefixes as a strong stemmer; word bigrams;
  headline words as extra features; weekday and month names as stop words; a higher threshold for the
  first pair of a group or a lower one for a doc joining a large group. None moved the short shapes by a
  point. A development measurement (not in this harness) showed why: how often a same-story pair of short
  docs scores above a look-alike pair of the same topic is 0.846 for our similarity and 0.815 for the
  baseline's, and between 0.836 and 0.851 for every feature variant above: word overlap of short texts hits
  a ceiling on look-alike events, so the gain had to come from how groups merge. Character 3- and 4-grams
  of the words of names (for names spelled differently), weighted 0.3 or 1, at the default setting without
  retuning: mean over the three shapes of the tuning topics 0.891 to 0.899 against 0.919 (ECB+ spells its
  names consistently, so they mostly add noise here).
- No timestamps: ECB+ has no publication dates (the grouping's time factor is 1 throughout), and the short
  shape also strips the datelines some pages keep in their text ("Updated: November 11, 2011 20: 09 IST"),
  so none of these figures leans on dates.
- Settle makes the grouping independent of arrival order: the whole file, shuffled five ways or grouped in
  rounds of 25 or 100 docs, gives the same stories (identical rows above). Online matching alone loses
  up to 7 points when shuffled: it commits each doc when it comes, so an early doc of a look-alike event
  can be absorbed by the first story of its topic, and two early halves of one event stay apart.
- The merge margin is what lifts precision on whole texts: plain average link over the whole window
  (margin 0) merges whole look-alike pairs, because the members of a group share its topic's words and two
  groups of one topic resemble each other almost as much as their own members do. Requiring more of a
  merge between two groups of several docs than of a doc joining a group keeps them apart and costs little
  recall. Tried before and not kept: a merge condition relative to the groups' own cohesion, reassigning
  docs after clustering, entity weights of 5 and 8.
- Nothing in the grouping reads ` + "`cluster`" + ` or ` + "`topic`" + `. The remaining errors (` + "`go run ./stories -explain 0.19`" + ` prints
  them per gold story) are partial splits of loose events told with different details (a supermarket fire,
  a Doctor Who casting) and look-alike pairs told with the same cast and words (the Bush and Obama rulings
  on the Endangered Species Act; Turkmenistan's 2008 and 2013 elections), partly mixed.
- The baseline is offline (sees every doc at once) and its IDF comes from the very docs it groups;
  retuned on the leads in-sample it reaches 0.876 there, but at its full-text threshold it collapses.
- Settle's pair graph keeps a pair of docs when their similarity reaches half the lower of their two
  thresholds; weaker pairs count as 0 (measured before the short shapes: keeping every pair down to 0.02
  gave the same grouping on whole texts and first lines).

`
