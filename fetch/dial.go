package fetch

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// A bot that fetches admin-supplied URLs must not reach addresses a news
// source has no business in: that is server-side request forgery. The lists
// below are IANA's special-purpose address registries (iana.org/assignments/
// iana-ipv4-special-registry and iana-ipv6-special-registry, as of 2025),
// every entry that is not globally reachable, plus multicast and the IPv6
// space outside global unicast. Addresses that embed an IPv4 address
// (IPv4-mapped, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4
// address inside. Checked on the resolved address at dial time, so DNS
// tricks (a public name resolving to 127.0.0.1, rebinding) do not get
// through.
var nonPublic4 = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),          // "this network"
	netip.MustParsePrefix("10.0.0.0/8"),         // private
	netip.MustParsePrefix("100.64.0.0/10"),      // shared address space (CGNAT)
	netip.MustParsePrefix("127.0.0.0/8"),        // loopback
	netip.MustParsePrefix("169.254.0.0/16"),     // link-local, cloud metadata
	netip.MustParsePrefix("172.16.0.0/12"),      // private
	netip.MustParsePrefix("192.0.0.0/24"),       // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),       // documentation (TEST-NET-1)
	netip.MustParsePrefix("192.88.99.0/24"),     // deprecated 6to4 relay anycast
	netip.MustParsePrefix("192.168.0.0/16"),     // private
	netip.MustParsePrefix("198.18.0.0/15"),      // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"),    // documentation (TEST-NET-2)
	netip.MustParsePrefix("203.0.113.0/24"),     // documentation (TEST-NET-3)
	netip.MustParsePrefix("224.0.0.0/4"),        // multicast
	netip.MustParsePrefix("240.0.0.0/4"),        // reserved
	netip.MustParsePrefix("255.255.255.255/32"), // limited broadcast
}

// globalUnicast6 is the only IPv6 space allocated for global unicast; all
// else (::/8 with the IPv4-compatible ::a.b.c.d, 100::/64 discard, fc00::/7
// unique local, fe80::/10 link-local, fec0::/10, ff00::/8 multicast, the
// unassigned rest) is refused, except the NAT64 prefix handled apart.
var globalUnicast6 = netip.MustParsePrefix("2000::/3")

var nonPublic6 = []netip.Prefix{
	netip.MustParsePrefix("2001::/23"),     // IETF protocol assignments (Teredo, benchmarking, ORCHID, …)
	netip.MustParsePrefix("2001:db8::/32"), // documentation
	netip.MustParsePrefix("3fff::/20"),     // documentation (RFC 9637)
}

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96") // well-known NAT64 prefix: the IPv4 address in the last 32 bits
	sixToFour = netip.MustParsePrefix("2002::/16")    // 6to4: the IPv4 address in bits 16-47
)

// IsPublic reports whether ip is an address a source may be fetched from
// when private addresses are not allowed.
func IsPublic(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() {
		return false
	}
	if ip.Is4() {
		for _, p := range nonPublic4 {
			if p.Contains(ip) {
				return false
			}
		}
		return true
	}
	b := ip.As16()
	switch {
	case nat64.Contains(ip):
		return IsPublic(netip.AddrFrom4([4]byte(b[12:16])))
	case sixToFour.Contains(ip):
		return IsPublic(netip.AddrFrom4([4]byte(b[2:6])))
	case !globalUnicast6.Contains(ip):
		return false
	}
	for _, p := range nonPublic6 {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// controlPublic is a net.Dialer.Control that refuses non-public addresses.
// The dialer's error names the network and address already.
func controlPublic(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("address %q: %w", host, err)
	}
	if !IsPublic(ip) {
		return ErrBlockedAddress
	}
	return nil
}
