// Package lang is what the bot knows of the languages its sources write in:
// which language a text is in (Resolve, Detect), how a language cuts its
// sentences (Rules: abbreviations, ordinal dates, months, sentence
// openers), which of its words carry no meaning (IsStop), how its words are
// inflected (Stem: the Snowball stemmers where Snowball has one, a light
// suffix stripper for Polish and Ukrainian), and how a text becomes search
// and similarity terms (Terms: stemmed words; Chinese and Japanese, which
// do not put spaces between words, as overlapping character bigrams).
//
// Supported are English, German, French, Spanish, Italian, Portuguese,
// Dutch, Russian, Ukrainian, Polish, Turkish, Arabic, Chinese and Japanese
// (Supported lists their ISO 639-1 codes). Other languages still get their
// code from Normalize and Detect falls back to "" for them: their text is
// then treated without stemming or stop words.
package lang
