package delivery

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"html"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"sluice"
)

// SMTP is the operator's mail server: smtp://[user:pass@]host[:port] (port 25 by default,
// STARTTLS whenever the server offers it, and required before authenticating) or
// smtps://...[:465] (TLS from the first byte).
type SMTP struct {
	URL   *url.URL
	From  string         // the sender, "Name <addr>" or "addr"
	Roots *x509.CertPool // nil: the system's roots
	Helo  string         // the name said in EHLO ("" : localhost)
}

// ParseSMTPURL checks an --smtp-url.
func ParseSMTPURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, fmt.Errorf("the SMTP URL must look like smtp://user:pass@host:port or smtps://host:465")
	}
	return u, nil
}

func (s SMTP) addr() string {
	port := s.URL.Port()
	if port == "" {
		port = "25"
		if s.URL.Scheme == "smtps" {
			port = "465"
		}
	}
	return net.JoinHostPort(s.URL.Hostname(), port)
}

// Email delivers SNS email and email-json messages over SMTP (§3.9): email as plain text
// with an HTML alternative and an unsubscribe footer, a confirmation as a mail whose link
// opens the confirmation page; email-json as the signed JSON body.
type Email struct {
	SMTP   SMTP
	URLs   URLs
	Signer *Signer
}

// Send mails d once. An SMTP 4xx or a connection failure is retried, a 5xx is not.
func (e *Email) Send(ctx context.Context, d *sluice.Delivery) Result {
	to, err := mail.ParseAddress(d.Endpoint)
	if err != nil {
		return Result{Err: fmt.Errorf("the endpoint %q is not an email address", d.Endpoint), Permanent: true}
	}
	msg, err := e.compose(d, to)
	if err != nil {
		return Result{Err: err, Permanent: true}
	}
	return e.deliver(ctx, to.Address, msg)
}

func (e *Email) from() *mail.Address {
	if a, err := mail.ParseAddress(e.SMTP.From); err == nil {
		return a
	}
	return &mail.Address{Name: "Sluice Notifications", Address: "no-reply@localhost"}
}

// compose writes the whole mail, headers and body.
func (e *Email) compose(d *sluice.Delivery, to *mail.Address) ([]byte, error) {
	subject, text := e.content(d)
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", e.from().String())
	h("To", to.String())
	h("Subject", mime.QEncoding.Encode("utf-8", subject))
	h("Date", d.Created.UTC().Format(time.RFC1123Z))
	h("Message-ID", "<"+d.ID+"."+fmt.Sprint(d.Attempts)+"@sluice>")
	h("MIME-Version", "1.0")
	if d.Protocol == "email-json" {
		m, err := Envelope(d, e.Signer, e.URLs)
		if err != nil {
			return nil, err
		}
		return finish(&b, "text/plain; charset=UTF-8", string(m.JSON()))
	}
	mp := multipart.NewWriter(&b)
	h("Content-Type", "multipart/alternative; boundary="+mp.Boundary())
	b.WriteString("\r\n")
	if err := part(mp, "text/plain; charset=UTF-8", text); err != nil {
		return nil, err
	}
	if err := part(mp, "text/html; charset=UTF-8", htmlOf(text)); err != nil {
		return nil, err
	}
	return b.Bytes(), mp.Close()
}

func finish(b *bytes.Buffer, ctype, body string) ([]byte, error) {
	fmt.Fprintf(b, "Content-Type: %s\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", ctype)
	w := quotedprintable.NewWriter(b)
	if _, err := w.Write([]byte(body)); err != nil {
		return nil, err
	}
	return b.Bytes(), w.Close()
}

func part(mp *multipart.Writer, ctype, body string) error {
	w, err := mp.CreatePart(textproto.MIMEHeader{"Content-Type": {ctype}, "Content-Transfer-Encoding": {"quoted-printable"}})
	if err != nil {
		return err
	}
	q := quotedprintable.NewWriter(w)
	if _, err := q.Write([]byte(body)); err != nil {
		return err
	}
	return q.Close()
}

// content is the subject and plain text of an email delivery, in SNS's words.
func (e *Email) content(d *sluice.Delivery) (string, string) {
	const noReply = "Please do not reply directly to this email. If you have any questions or comments regarding this email, please contact your Sluice administrator."
	if d.Type == TypeSubscriptionConfirmation {
		return "AWS Notification - Subscription Confirmation", "You have chosen to subscribe to the topic:\n" + d.TopicARN +
			"\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary):\n" +
			e.URLs.ConfirmationPage(d.TopicARN, d.Token, d.Endpoint) + "\n\n" + noReply
	}
	subject := d.Subject
	if subject == "" {
		subject = "AWS Notification Message"
	}
	return subject, d.Message + "\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n" +
		e.URLs.UnsubscribePage(d.Target, d.Endpoint) + "\n\n" + noReply
}

// htmlOf is text as HTML: escaped, its lines kept, its links clickable.
func htmlOf(text string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><body><pre style=\"font-family:sans-serif;white-space:pre-wrap\">")
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString("\n")
		}
		if strings.HasPrefix(line, "https://") || strings.HasPrefix(line, "http://") {
			fmt.Fprintf(&b, `<a href="%s">%s</a>`, html.EscapeString(line), html.EscapeString(line))
			continue
		}
		b.WriteString(html.EscapeString(line))
	}
	b.WriteString("</pre></body></html>")
	return b.String()
}

// deliver speaks SMTP: connect (TLS at once for smtps), EHLO, STARTTLS when offered,
// AUTH when the URL has a user, then one message to one recipient.
func (e *Email) deliver(ctx context.Context, to string, msg []byte) Result {
	s := e.SMTP
	tlsConf := &tls.Config{ServerName: s.URL.Hostname(), RootCAs: s.Roots, MinVersion: tls.VersionTLS12}
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	var conn net.Conn
	var err error
	if s.URL.Scheme == "smtps" {
		conn, err = (&tls.Dialer{NetDialer: dialer, Config: tlsConf}).DialContext(ctx, "tcp", s.addr())
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", s.addr())
	}
	if err != nil {
		return Result{Err: fmt.Errorf("no answer from the SMTP server: %w", err)}
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, s.URL.Hostname())
	if err != nil {
		return smtpResult(err)
	}
	defer c.Close()
	if err := e.session(c, tlsConf, to, msg); err != nil {
		return smtpResult(err)
	}
	return Result{StatusCode: 250}
}

func (e *Email) session(c *smtp.Client, tlsConf *tls.Config, to string, msg []byte) error {
	s := e.SMTP
	helo := s.Helo
	if helo == "" {
		helo = "localhost"
	}
	if err := c.Hello(helo); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok && s.URL.Scheme == "smtp" {
		if err := c.StartTLS(tlsConf); err != nil {
			return err
		}
	}
	if u := s.URL.User; u != nil {
		pass, _ := u.Password()
		if err := c.Auth(smtp.PlainAuth("", u.Username(), pass, s.URL.Hostname())); err != nil {
			return err
		}
	}
	if err := c.Mail(e.from().Address); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// smtpResult classifies an SMTP failure: 5xx permanent, 4xx and the rest retried.
func smtpResult(err error) Result {
	var te *textproto.Error
	if errors.As(err, &te) {
		return Result{StatusCode: te.Code, Err: fmt.Errorf("SMTP %d %s", te.Code, te.Msg), Permanent: te.Code >= 500}
	}
	return Result{Err: fmt.Errorf("SMTP: %w", err)}
}
