package main

import (
	"github.com/spf13/pflag"

	"sluice/config"
)

// deliveryFlags are the settings of outbound deliveries: SNS subscriptions, chat channels,
// rule targets (docs/delivery.md).
func deliveryFlags(f *pflag.FlagSet, cfg *config.Server) {
	f.BoolVar(&cfg.AllowLocalDestinations, "allow-local-destinations", cfg.AllowLocalDestinations, "let subscriptions, chat channels and rule targets reach loopback, link-local and private addresses; off, they are refused when named and when connecting, so users cannot make the server call internal services (env SLUICE_ALLOW_LOCAL_DESTINATIONS)")
	f.StringVar(&cfg.SMTPURL, "smtp-url", cfg.SMTPURL, "mail server of email and email-json subscriptions: smtp://USER:PASSWORD@HOST:PORT (STARTTLS when offered; AUTH only over TLS) or smtps://HOST:465 (env SLUICE_SMTP_URL; unset, email deliveries fail)")
	f.StringVar(&cfg.SMTPFrom, "smtp-from", cfg.SMTPFrom, `sender of notification mail, such as "Sluice <sluice@example.com>" (env SLUICE_SMTP_FROM; default "Sluice Notifications <no-reply@localhost>")`)
	f.StringVar(&cfg.DeliveryCAFile, "delivery-ca-file", cfg.DeliveryCAFile, "PEM certificate authorities trusted, besides the system's, for https subscriptions, chat webhooks and the SMTP server's TLS (env SLUICE_DELIVERY_CA_FILE)")
}
