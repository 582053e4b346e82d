package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
)

// deliveryFromEnv applies SLUICE_ALLOW_LOCAL_DESTINATIONS, SLUICE_SMTP_URL, SLUICE_SMTP_FROM
// and SLUICE_DELIVERY_CA_FILE.
func (s Server) deliveryFromEnv(getenv func(string) string) (Server, error) {
	if v := getenv("SLUICE_ALLOW_LOCAL_DESTINATIONS"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return s, fmt.Errorf("SLUICE_ALLOW_LOCAL_DESTINATIONS=%q: want true or false", v)
		}
		s.AllowLocalDestinations = b
	}
	for k, p := range map[string]*string{"SLUICE_SMTP_URL": &s.SMTPURL, "SLUICE_SMTP_FROM": &s.SMTPFrom,
		"SLUICE_DELIVERY_CA_FILE": &s.DeliveryCAFile} {
		if v := getenv(k); v != "" {
			*p = v
		}
	}
	return s, nil
}

func (s *Server) validateDelivery() error {
	if s.SMTPURL != "" {
		u, err := url.Parse(s.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			return fmt.Errorf("--smtp-url: want smtp://[USER:PASSWORD@]HOST[:PORT] (STARTTLS when offered) or smtps://... (TLS)")
		}
		if p := u.Port(); p != "" {
			if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
				return fmt.Errorf("--smtp-url: port %q is not a port", p)
			}
		}
	}
	if s.SMTPFrom != "" {
		if _, err := mail.ParseAddress(s.SMTPFrom); err != nil {
			return fmt.Errorf("--smtp-from %q: want an address such as \"Sluice <sluice@example.com>\"", s.SMTPFrom)
		}
	}
	if s.DeliveryCAFile != "" {
		abs, err := filepath.Abs(s.DeliveryCAFile)
		if err != nil {
			return fmt.Errorf("--delivery-ca-file %q: %w", s.DeliveryCAFile, err)
		}
		if _, err := os.Stat(abs); err != nil {
			return fmt.Errorf("--delivery-ca-file: %w", err)
		}
		s.DeliveryCAFile = abs
	}
	return nil
}
