package service

import (
	"context"
	"net/url"

	"sluice"
)

// ListDeliveries returns one page of the delivery log of f.Target (a subscription, a chat
// channel, or an EventBridge rule target: rule ARN + "/" + target id), newest first, each
// with its latest attempts. A password in an endpoint URL is masked.
func (s *Service) ListDeliveries(ctx context.Context, c sluice.Caller, f sluice.DeliveryFilter) ([]*sluice.DeliveryRecord, string, error) {
	if err := s.allow(ctx, c, actListDeliveries, f.Target); err != nil {
		return nil, "", err
	}
	switch f.Status {
	case "", sluice.DeliveryPending, sluice.DeliveryDelivered, sluice.DeliveryFailed:
	default:
		return nil, "", sluice.Errorf(sluice.EInvalid, "", "Status must be Pending, Delivered or Failed")
	}
	rs, next, err := s.Store.ListDeliveries(ctx, f)
	for _, r := range rs {
		r.Delivery.Endpoint = MaskEndpoint(r.Delivery.Endpoint)
		r.Delivery.Token = "" // a confirmation token confirms: only its endpoint gets it
	}
	return rs, next, err
}

// MaskEndpoint hides the password of an endpoint URL's userinfo.
func MaskEndpoint(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil || u.User == nil {
		return endpoint
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "****")
	}
	return u.String()
}
