package trigger

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

// FuzzV1Authenticate: a V1 webhook's authentication never panics, lets through from an
// address only what its CIDR block contains, and for GITHUB_HMAC accepts a body signed with
// the webhook's secret and refuses it once the body changes.
func FuzzV1Authenticate(f *testing.F) {
	for _, s := range []struct{ auth, cidr, remote, signature, body, secret string }{
		{sluice.WebhookIP, "10.0.0.0/8", "10.1.2.3:5555", "", "{}", ""},
		{sluice.WebhookIP, "192.168.0.1/32", "[::ffff:192.168.0.1]:80", "", "", ""},
		{sluice.WebhookIP, "2001:db8::/32", "[2001:db8::1%eth0]:1", "", "", ""},
		{sluice.WebhookIP, "not a block", "1.2.3.4", "", "", ""},
		{sluice.WebhookGitHubHMAC, "", "", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
			"Hello, World!", "It's a Secret to Everybody"},
		{sluice.WebhookGitHubHMAC, "", "", "sha1=zz", "{}", "s"},
		{sluice.WebhookUnauthenticated, "", "", "", "{}", ""},
		{"OTHER", "", "", "", "", ""},
	} {
		f.Add(s.auth, s.cidr, s.remote, s.signature, []byte(s.body), s.secret)
	}
	f.Fuzz(func(t *testing.T, auth, cidr, remote, signature string, body []byte, secret string) {
		hook := &sluice.Webhook{Name: "hook", Authentication: auth, AllowedIPRange: cidr, SecretToken: secret}
		header := http.Header{"X-Hub-Signature-256": {signature}}
		err := authenticate(hook, remote, header, body)
		if err != nil {
			require.NotEmpty(t, err.Error())
		}
		switch auth {
		case sluice.WebhookIP:
			requireIPRule(t, hook, remote, err)
		case sluice.WebhookGitHubHMAC:
			if secret == "" {
				require.Error(t, err)
				return
			}
			mac := hmac.New(sha256.New, []byte(secret))
			mac.Write(body)
			header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
			require.NoError(t, authenticate(hook, remote, header, body))
			require.Error(t, authenticate(hook, remote, header, append(body, '.')))
		case sluice.WebhookUnauthenticated:
			require.NoError(t, err)
		default:
			require.Error(t, err)
		}
	})
}

// requireIPRule: a request passed only from an address within the block; the block's first
// address passes and, for a block smaller than everything, one just outside it does not.
func requireIPRule(t *testing.T, hook *sluice.Webhook, remote string, err error) {
	t.Helper()
	prefix, perr := netip.ParsePrefix(hook.AllowedIPRange)
	if perr != nil {
		require.Error(t, err)
		return
	}
	if err == nil {
		host, _, serr := net.SplitHostPort(remote)
		if serr != nil {
			host = remote
		}
		addr, aerr := netip.ParseAddr(host)
		require.NoError(t, aerr)
		require.True(t, prefix.Contains(addr.Unmap()), "%s let %s in", prefix, remote)
	}
	first := prefix.Masked().Addr()
	if first.Is4In6() {
		return // an IPv4-mapped block: the connection's address is compared unmapped
	}
	require.NoError(t, authenticate(hook, netip.AddrPortFrom(first, 443).String(), nil, nil))
	if prefix.Bits() > 0 {
		b := first.AsSlice()
		b[0] ^= 0x80
		outside, _ := netip.AddrFromSlice(b)
		require.Error(t, authenticate(hook, netip.AddrPortFrom(outside, 443).String(), nil, nil))
	}
}

// authenticate runs a request through a V1 webhook's checks as hookserve does: Check on the
// headers, the body written in two pieces, then Verified. The error is the refusal's message.
func authenticate(hook *sluice.Webhook, remote string, header http.Header, body []byte) error {
	h := &V1Webhooks{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	c, rc := h.Check(hook, remote, header)
	if c == nil {
		return errors.New(rc.Message)
	}
	half := len(body) / 2
	_, _ = c.Write(body[:half])
	_, _ = c.Write(body[half:])
	if rc, ok := c.Verified(); !ok {
		return errors.New(rc.Message)
	}
	return nil
}
