package node

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"

	"github.com/prometheus/client_golang/prometheus"

	"sluice"
	"sluice/delivery"
	"sluice/metrics"
	"sluice/netguard"
)

// buildDelivery makes the outbound deliveries' sender: the SNS signing key (kept in the
// data directory), the guarded HTTP client, and a sender per protocol (email only with
// --smtp-url).
func (n *Node) buildDelivery(reg prometheus.Registerer) error {
	signer, err := delivery.LoadSigner(n.Config.DataDir)
	if err != nil {
		return fmt.Errorf("the SNS signing key: %w", err)
	}
	roots, err := deliveryRoots(n.Config.DeliveryCAFile)
	if err != nil {
		return err
	}
	client := delivery.NewHTTPClient(n.Guard(), roots)
	urls := delivery.URLs{Base: n.URL}
	sns := &delivery.SNSHTTP{Client: client, Signer: signer, URLs: urls}
	chat := &delivery.Chat{Client: client, Channels: n.DB}
	senders := map[string]delivery.Sender{"http": sns, "https": sns, sluice.ProtocolWebhook: &delivery.Webhook{Client: client},
		sluice.ProtocolSlack: chat, sluice.ProtocolTeams: chat}
	if n.Config.SMTPURL != "" {
		u, err := delivery.ParseSMTPURL(n.Config.SMTPURL)
		if err != nil {
			return fmt.Errorf("--smtp-url: %w", err)
		}
		mail := &delivery.Email{SMTP: delivery.SMTP{URL: u, From: n.Config.SMTPFrom, Roots: roots}, URLs: urls, Signer: signer}
		senders["email"], senders["email-json"] = mail, mail
	}
	n.snsSigner = signer
	n.deliverer = &delivery.Deliverer{Store: n.DB, Senders: senders, Clock: SystemClock{}, Log: n.Log,
		Attempted: metrics.NewDeliveries(reg).Attempted}
	return nil
}

// Guard is the check of the destinations users name (--allow-local-destinations).
func (n *Node) Guard() netguard.Guard {
	return netguard.Guard{AllowLocal: n.Config.AllowLocalDestinations}
}

// deliveryRoots is the system's certificate authorities plus those of file ("" : nil, the
// system's alone).
func deliveryRoots(file string) (*x509.CertPool, error) {
	if file == "" {
		return nil, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--delivery-ca-file: %w", err)
	}
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("--delivery-ca-file %s: no PEM certificate in it", file)
	}
	return pool, nil
}

// startDelivery runs the sender until ctx ends.
func (n *Node) startDelivery(ctx context.Context) {
	n.wg.Go(func() {
		if err := n.deliverer.Run(ctx); err != nil {
			n.Log.Error("deliveries: stopped", "err", err)
		}
	})
}

// deliveryRoutes serves the SNS signing certificate where messages' SigningCertURL points.
func (n *Node) deliveryRoutes(mux *http.ServeMux) {
	mux.Handle("GET "+n.snsSigner.CertPath(), n.snsSigner)
}
