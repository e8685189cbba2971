// Package fingerprint computes the keys that recognise an article again: a
// 64-bit SimHash of its word shingles, which stays close when a little text
// around the article changes (a new headline, a different site's
// boilerplate), and an exact content hash of its normalised text.
package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"math/bits"
	"strings"
	"unicode"
)

// ShingleSize is the number of words in one shingle.
const ShingleSize = 3

// NearDuplicate is the largest SimHash distance at which two texts are taken
// for the same article.
const NearDuplicate = 3

// Words splits text into lower-cased runs of letters and digits; everything
// else (punctuation, markup leftovers, spacing) separates words.
func Words(text string) []string {
	var out []string
	start := -1
	for i, r := range text {
		word := unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) || r == '_'
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, strings.ToLower(text[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, strings.ToLower(text[start:]))
	}
	return out
}

// Normalize returns the text's words joined by single spaces: what two copies
// of one article have in common however they were spaced, cased or punctuated.
func Normalize(text string) string { return strings.Join(Words(text), " ") }

// SimHash returns the 64-bit SimHash (Charikar) of the text's word
// 3-shingles, each weighted by how often it occurs. A text of fewer than
// three words is one shingle; an empty text hashes to 0.
func SimHash(text string) uint64 {
	words := Words(text)
	if len(words) == 0 {
		return 0
	}
	var votes [64]int
	add := func(h uint64) {
		for b := range 64 {
			if h&(1<<b) != 0 {
				votes[b]++
			} else {
				votes[b]--
			}
		}
	}
	if len(words) < ShingleSize {
		add(hashWords(words))
	} else {
		for i := 0; i+ShingleSize <= len(words); i++ {
			add(hashWords(words[i : i+ShingleSize]))
		}
	}
	var h uint64
	for b, v := range votes {
		if v > 0 {
			h |= 1 << b
		}
	}
	return h
}

// hashWords is FNV-1a 64 over the words with a separator, finished by the
// murmur3 fmix64 step: FNV alone leaves the high bits of short inputs poorly
// mixed, and SimHash needs every bit to be a fair coin.
func hashWords(words []string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for i, w := range words {
		if i > 0 {
			h ^= ' '
			h *= prime
		}
		for j := 0; j < len(w); j++ {
			h ^= uint64(w[j])
			h *= prime
		}
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// Distance is the Hamming distance between two SimHashes (0 to 64).
func Distance(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// ContentHash is SHA-256 of the normalised text truncated to 128 bits, in
// hex: an exact key that ignores case, spacing and punctuation. An empty
// text gives "".
func ContentHash(text string) string {
	n := Normalize(text)
	if n == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(n))
	return hex.EncodeToString(sum[:16])
}
