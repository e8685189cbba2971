package fetch

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// nonPublic lists the ranges a news source has no business in: reaching
// them from a bot that fetches admin-supplied URLs is server-side request
// forgery. Checked on the resolved address at dial time, so DNS tricks
// (a public name resolving to 127.0.0.1, rebinding) do not get through.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),      // "this network"
	netip.MustParsePrefix("10.0.0.0/8"),     // private
	netip.MustParsePrefix("100.64.0.0/10"),  // carrier-grade NAT
	netip.MustParsePrefix("127.0.0.0/8"),    // loopback
	netip.MustParsePrefix("169.254.0.0/16"), // link-local, cloud metadata
	netip.MustParsePrefix("172.16.0.0/12"),  // private
	netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
	netip.MustParsePrefix("192.168.0.0/16"), // private
	netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
	netip.MustParsePrefix("224.0.0.0/4"),    // multicast
	netip.MustParsePrefix("240.0.0.0/4"),    // reserved, broadcast
	netip.MustParsePrefix("::/128"),         // unspecified
	netip.MustParsePrefix("::1/128"),        // loopback
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
	netip.MustParsePrefix("fc00::/7"),       // unique local (ULA)
	netip.MustParsePrefix("fe80::/10"),      // link-local
	netip.MustParsePrefix("ff00::/8"),       // multicast
	netip.MustParsePrefix("2001:db8::/32"),  // documentation
	netip.MustParsePrefix("100::/64"),       // discard
	netip.MustParsePrefix("fec0::/10"),      // deprecated site-local
	netip.MustParsePrefix("2002:a00::/24"),  // 6to4 of 10/8
	netip.MustParsePrefix("2002:7f00::/24"), // 6to4 of 127/8
	netip.MustParsePrefix("2002:c0a8::/32"), // 6to4 of 192.168/16
	netip.MustParsePrefix("2002:a9fe::/32"), // 6to4 of 169.254/16
	netip.MustParsePrefix("2002:ac10::/28"), // 6to4 of 172.16/12
}

// IsPublic reports whether ip is an address a source may be fetched from
// when private addresses are not allowed.
func IsPublic(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// controlPublic is a net.Dialer.Control that refuses non-public addresses.
func controlPublic(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("fetch: dial %s: %w", address, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("fetch: dial %s: %w", address, err)
	}
	if !IsPublic(ip) {
		return fmt.Errorf("fetch: dial %s %s: %w", network, address, ErrBlockedAddress)
	}
	return nil
}
