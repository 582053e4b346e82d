package node_test

import (
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice/config"
	"sluice/node/nodetest"
)

// mailServer runs Debian's aiosmtpd on loopback, keeping every message in a maildir, and
// returns its address and the maildir. SLUICE_REQUIRE_SMTPD makes its absence a failure.
func mailServer(t *testing.T) (string, string) {
	t.Helper()
	if exec.Command("/usr/bin/python3", "-c", "import aiosmtpd").Run() != nil {
		if os.Getenv("SLUICE_REQUIRE_SMTPD") != "" {
			t.Fatal("python3-aiosmtpd is not installed")
		}
		t.Skip("python3-aiosmtpd is not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	maildir := filepath.Join(t.TempDir(), "mail")
	cmd := exec.Command("/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", addr, "-c", "aiosmtpd.handlers.Mailbox", maildir)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	deadline := time.Now().Add(time.Minute)
	for { // ready when it accepts a connection
		c, err := net.Dial("tcp", addr)
		if err == nil {
			require.NoError(t, c.Close())
			return addr, maildir
		}
		require.True(t, time.Now().Before(deadline), "aiosmtpd did not start: %v", err)
		time.Sleep(50 * time.Millisecond)
	}
}

// nextMail waits for the maildir's (n+1)-th message and returns its plain-text part.
func nextMail(t *testing.T, maildir string, n int) (*mail.Message, string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	var files []string
	for {
		var err error
		files, err = filepath.Glob(filepath.Join(maildir, "new", "*"))
		require.NoError(t, err)
		if len(files) > n {
			break
		}
		require.True(t, time.Now().Before(deadline), "mail %d did not arrive", n+1)
		time.Sleep(50 * time.Millisecond)
	}
	infos := make(map[string]time.Time, len(files))
	for _, f := range files {
		st, err := os.Stat(f)
		require.NoError(t, err)
		infos[f] = st.ModTime()
	}
	newest := files[0]
	for _, f := range files {
		if infos[f].After(infos[newest]) {
			newest = f
		}
	}
	fh, err := os.Open(newest)
	require.NoError(t, err)
	t.Cleanup(func() { fh.Close() })
	m, err := mail.ReadMessage(fh)
	require.NoError(t, err)
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	require.NoError(t, err)
	if !strings.HasPrefix(mt, "multipart/") {
		b, err := io.ReadAll(m.Body)
		require.NoError(t, err)
		return m, string(b)
	}
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		require.NoError(t, err, "no text/plain part")
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			b, err := io.ReadAll(p)
			require.NoError(t, err)
			return m, string(b)
		}
	}
}

var link = regexp.MustCompile(`https?://\S+`)

// pageGet opens a link of a mail as a browser would and returns the page.
func pageGet(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
	require.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	return string(b)
}

// TestSNSEmailWithTheAWSCLI subscribes a mailbox with `aws sns subscribe --protocol email`
// on a server that sends through a real SMTP server (aiosmtpd): the confirmation mail's link
// opens the confirmation page, which confirms; a publish arrives as mail whose unsubscribe
// link opens the page that ends the subscription.
func TestSNSEmailWithTheAWSCLI(t *testing.T) {
	t.Parallel()
	requireAWSCLI(t)
	addr, maildir := mailServer(t)
	b := nodetest.SetupWith(t, func(c *config.Server) { c.SMTPURL = "smtp://" + addr })
	cli := iamCLI{t, b.URL}
	root, secret := nodetest.KeyID, nodetest.Secret

	var topic struct{ TopicArn string }
	cli.ok(root, secret, &topic, "sns", "create-topic", "--name", "deploys")
	var sub struct{ SubscriptionArn string }
	cli.ok(root, secret, &sub, "sns", "subscribe", "--topic-arn", topic.TopicArn, "--protocol", "email",
		"--notification-endpoint", "ops@example.com")
	require.Equal(t, "pending confirmation", sub.SubscriptionArn)

	m, text := nextMail(t, maildir, 0)
	require.Equal(t, "AWS Notification - Subscription Confirmation", m.Header.Get("Subject"))
	require.Contains(t, m.Header.Get("To"), "ops@example.com")
	confirm := ""
	for _, u := range link.FindAllString(text, -1) {
		if strings.Contains(u, "/confirmation.html?") {
			confirm = u
		}
	}
	require.NotEmpty(t, confirm, text)
	require.True(t, strings.HasPrefix(confirm, b.URL+"/confirmation.html?"), confirm)
	page := pageGet(t, confirm)
	require.Contains(t, page, "Subscription confirmed!")

	var listed struct {
		Subscriptions []struct{ SubscriptionArn, Protocol, Endpoint string }
	}
	cli.ok(root, secret, &listed, "sns", "list-subscriptions-by-topic", "--topic-arn", topic.TopicArn)
	require.Len(t, listed.Subscriptions, 1)
	subARN := listed.Subscriptions[0].SubscriptionArn
	require.True(t, strings.HasPrefix(subARN, topic.TopicArn+":"), subARN)
	require.Contains(t, page, subARN)

	cli.ok(root, secret, nil, "sns", "publish", "--topic-arn", topic.TopicArn, "--subject", "web failed",
		"--message-structure", "json", "--message", `{"default":"for others","email":"Pipeline web failed in Build."}`)
	m, text = nextMail(t, maildir, 1)
	require.Equal(t, "web failed", m.Header.Get("Subject"))
	require.Contains(t, text, "Pipeline web failed in Build.")
	require.NotContains(t, text, "for others")
	unsub := ""
	for _, u := range link.FindAllString(text, -1) {
		if strings.Contains(u, "/unsubscribe.html?") {
			unsub = u
		}
	}
	require.NotEmpty(t, unsub, text)
	require.Contains(t, pageGet(t, unsub), "Subscription removed!")
	cli.ok(root, secret, &listed, "sns", "list-subscriptions-by-topic", "--topic-arn", topic.TopicArn)
	require.Empty(t, listed.Subscriptions)
}
