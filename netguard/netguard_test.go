package netguard_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/netguard"
)

func TestRefused(t *testing.T) {
	t.Parallel()
	for _, a := range []string{"127.0.0.1", "127.9.9.9", "::1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
		"fe80::1", "fc00::1", "fd12::3", "0.0.0.0", "::", "0.1.2.3", "224.0.0.1", "ff02::1", "255.255.255.255",
		"::ffff:127.0.0.1", "::ffff:10.1.1.1"} {
		require.True(t, netguard.Refused(netip.MustParseAddr(a)), a)
	}
	for _, a := range []string{"8.8.8.8", "1.1.1.1", "172.32.0.1", "2606:4700::1111", "100.64.0.1", "::ffff:8.8.8.8"} {
		require.False(t, netguard.Refused(netip.MustParseAddr(a)), a)
	}
}

// resolver answers from a table; names it does not know fail to resolve.
type resolver map[string][]netip.Addr

func (r resolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if ips, ok := r[host]; ok {
		return ips, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func TestCheckURL(t *testing.T) {
	t.Parallel()
	g := netguard.Guard{Resolver: resolver{
		"hooks.example.com":  {netip.MustParseAddr("93.184.216.34")},
		"rebind.example.com": {netip.MustParseAddr("93.184.216.34"), netip.MustParseAddr("10.0.0.7")},
		"meta.example.com":   {netip.MustParseAddr("169.254.169.254")},
	}}
	ctx := t.Context()
	for _, u := range []string{"https://hooks.example.com/sns", "http://8.8.8.8:8080/x", "https://unknown.example.net/",
		"https://[2606:4700::1111]/"} {
		require.NoError(t, g.CheckURL(ctx, u), u)
	}
	for _, u := range []string{"http://127.0.0.1:9000/", "http://localhost/", "http://LOCALHOST./", "http://a.localhost/",
		"http://[::1]:80/", "http://10.1.2.3/", "https://rebind.example.com/", "http://meta.example.com/latest",
		"http://0.0.0.0/", "http://[::ffff:127.0.0.1]/"} {
		err := g.CheckURL(ctx, u)
		require.ErrorIs(t, err, netguard.ErrLocal, u)
	}
	require.Error(t, g.CheckURL(ctx, "mailto:x"), "no host")
	require.NotErrorIs(t, g.CheckURL(ctx, "mailto:x"), netguard.ErrLocal)
	require.NoError(t, netguard.Guard{AllowLocal: true}.CheckURL(ctx, "http://127.0.0.1/"))
}

// TestControlRefusesAtConnect dials a real listener on loopback: the guarded dialer is
// refused whatever name led to it, the unguarded one connects.
func TestControlRefusesAtConnect(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }))
	t.Cleanup(srv.Close)

	client := func(g netguard.Guard) *http.Client {
		return &http.Client{Transport: &http.Transport{DialContext: g.Dialer(nil).DialContext}}
	}
	_, err := client(netguard.Guard{}).Get(srv.URL)
	require.ErrorIs(t, err, netguard.ErrLocal)
	var op *net.OpError
	require.True(t, errors.As(err, &op))

	resp, err := client(netguard.Guard{AllowLocal: true}).Get(srv.URL)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, 204, resp.StatusCode)
	require.Nil(t, netguard.Guard{AllowLocal: true}.Control())
}
