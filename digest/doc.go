// Package digest holds the domain of newsdigest: pages, articles, cards,
// stories, sources, subscriptions and deliveries, and the store contract.
// It imports no adapter, no config and no platform library.
package digest
