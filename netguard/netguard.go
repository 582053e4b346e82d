// Package netguard keeps the server from calling its own network on a user's behalf: the
// destinations users name (SNS subscription endpoints, rule targets, chat webhooks) may
// not be on loopback, link-local, private, unspecified or multicast addresses, as GitLab
// guards its webhooks. It checks twice: CheckURL when the destination is named (a clear
// error at Subscribe), and Control on every connection, after DNS, so that a name that
// resolves to an internal address later (DNS rebinding) is still refused. An operator
// who means to deliver to local services turns both off (--allow-local-destinations).
package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// ErrLocal is wrapped by every refusal.
var ErrLocal = errors.New("local destinations are not allowed (a server started with --allow-local-destinations sends to them)")

// Refused reports whether ip is an address the server must not call: loopback,
// link-local (unicast or multicast), private (RFC 1918, RFC 4193), unspecified, multicast,
// "this network" 0.0.0.0/8, or the IPv4 broadcast; IPv4-mapped IPv6 counts as its IPv4.
func Refused(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() {
		return true
	}
	return ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() ||
		ip.IsPrivate() || ip.IsUnspecified() || ip.IsMulticast() || thisNetwork.Contains(ip) || ip == broadcast
}

var (
	thisNetwork = netip.MustParsePrefix("0.0.0.0/8")
	broadcast   = netip.MustParseAddr("255.255.255.255")
)

// Resolver looks names up; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Guard checks destinations. Its zero value refuses local destinations and resolves names
// with net.DefaultResolver.
type Guard struct {
	AllowLocal bool     // --allow-local-destinations: every check passes
	Resolver   Resolver // nil: net.DefaultResolver
}

// CheckURL refuses rawURL when its host is a local address, "localhost" or a name under
// .localhost, or a name any of whose addresses is local. A name that does not resolve
// passes: Control refuses it at connect time if it comes to resolve locally. The error
// wraps ErrLocal, or says that the URL has no host.
func (g Guard) CheckURL(ctx context.Context, rawURL string) error {
	if g.AllowLocal {
		return nil
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		return fmt.Errorf("the URL %q has no host", rawURL)
	}
	return g.CheckHost(ctx, u.Hostname())
}

// CheckHost is CheckURL for a host name or address alone.
func (g Guard) CheckHost(ctx context.Context, host string) error {
	if g.AllowLocal {
		return nil
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if ip, err := netip.ParseAddr(host); err == nil {
		return refuse(host, ip)
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return fmt.Errorf("%w: %s is this host", ErrLocal, host)
	}
	var r Resolver = net.DefaultResolver
	if g.Resolver != nil {
		r = g.Resolver
	}
	ips, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil // unknown today; Control decides when it resolves
	}
	for _, ip := range ips {
		if err := refuse(host, ip); err != nil {
			return err
		}
	}
	return nil
}

func refuse(host string, ip netip.Addr) error {
	if !Refused(ip) {
		return nil
	}
	if host == ip.String() {
		return fmt.Errorf("%w: %s is a loopback, link-local, private, unspecified or multicast address", ErrLocal, ip)
	}
	return fmt.Errorf("%w: %s resolves to %s, a loopback, link-local, private, unspecified or multicast address", ErrLocal, host, ip)
}

// Control is a net.Dialer Control that refuses connections to local addresses; nil when
// local destinations are allowed. It sees the address after DNS, so no name gets around it.
func (g Guard) Control() func(network, address string, c syscall.RawConn) error {
	if g.AllowLocal {
		return nil
	}
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: cannot read the address %q", ErrLocal, address)
		}
		return refuse(ap.Addr().String(), ap.Addr())
	}
}

// Dialer returns a dialer whose connections pass Control.
func (g Guard) Dialer(d *net.Dialer) *net.Dialer {
	if d == nil {
		d = &net.Dialer{}
	}
	c := *d
	c.Control = g.Control()
	return &c
}
