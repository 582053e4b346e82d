// Package deliverytest holds the real receiving ends that tests of outbound deliveries send
// to: an SMTP server (aiosmtpd) with its maildir, and an SNS subscriber's signature check.
// The delivery package's tests and the full-server tests (node/nodetest) share them; it
// imports nothing of Sluice, so the delivery tests need not build a whole server.
package deliverytest
