package service

import (
	"context"
	"net/netip"
	"strings"

	"sluice"
	"sluice/trigger/filter"
)

// WebhookParams creates or replaces a V1 webhook (PutWebhook).
type WebhookParams struct {
	Name           string
	TargetPipeline string
	TargetAction   string
	Filters        []sluice.WebhookFilter
	Authentication string
	SecretToken    string
	AllowedIPRange string
	Tags           []sluice.Tag
}

// PutWebhook checks the webhook's tags, filters, authentication and target, mints its ARN
// and token, and stores it with its tags; a webhook of the same name keeps its URL. It
// returns the webhook and all its tags.
func (s *Service) PutWebhook(ctx context.Context, c sluice.Caller, p WebhookParams) (*sluice.Webhook, map[string]string, error) {
	if err := s.allowAll(ctx, c, actPutWebhook, s.pipelineARN(p.TargetPipeline), s.webhookARN(p.Name)); err != nil {
		return nil, nil, err
	}
	if err := CheckTags(p.Tags); err != nil {
		return nil, nil, err
	}
	if _, err := filter.CompileWebhookRules(p.Filters); err != nil {
		return nil, nil, sluice.Errorf(sluice.EInvalid, "WebhookFilterPattern", "Invalid filter in webhook %s: %v", p.Name, err)
	}
	if err := checkWebhookAuth(p); err != nil {
		return nil, nil, err
	}
	if err := s.checkWebhookTarget(ctx, p.TargetPipeline, p.TargetAction); err != nil {
		return nil, nil, err
	}
	w := &sluice.Webhook{Name: p.Name, ARN: s.webhookARN(p.Name), TargetPipeline: p.TargetPipeline,
		TargetAction: p.TargetAction, Filters: p.Filters, Authentication: p.Authentication, SecretToken: p.SecretToken,
		AllowedIPRange: p.AllowedIPRange, Token: strings.ReplaceAll(s.IDs.NewID(), "-", ""), Created: s.Now()}
	if err := s.Store.PutWebhook(ctx, sluice.PutWebhookParams{Webhook: w, Tags: tagMap(p.Tags), Max: sluice.MaxWebhooks}); err != nil {
		return nil, nil, err
	}
	tags, err := s.Store.ListTags(ctx, w.ARN)
	if err != nil {
		return nil, nil, err
	}
	return w, tags, nil
}

// checkWebhookAuth applies §8.3's rules: each authentication type takes exactly its own
// setting.
func checkWebhookAuth(p WebhookParams) error {
	fail := func(format string, args ...any) error {
		return sluice.Errorf(sluice.EInvalid, "WebhookAuthenticationParameters", format, args...)
	}
	switch p.Authentication {
	case sluice.WebhookGitHubHMAC:
		if p.SecretToken == "" || p.AllowedIPRange != "" {
			return fail("Authentication GITHUB_HMAC takes a SecretToken and no AllowedIPRange in authenticationConfiguration.")
		}
	case sluice.WebhookIP:
		if p.AllowedIPRange == "" || p.SecretToken != "" {
			return fail("Authentication IP takes an AllowedIPRange and no SecretToken in authenticationConfiguration.")
		}
		if _, err := netip.ParsePrefix(p.AllowedIPRange); err != nil {
			return fail("AllowedIPRange %q is not a CIDR block (such as 192.0.2.0/24).", p.AllowedIPRange)
		}
	case sluice.WebhookUnauthenticated:
		if p.SecretToken != "" || p.AllowedIPRange != "" {
			return fail("Authentication UNAUTHENTICATED takes an empty authenticationConfiguration.")
		}
	}
	return nil
}

// checkWebhookTarget requires the pipeline and an action of its first (source) stage.
func (s *Service) checkWebhookTarget(ctx context.Context, pipeline, action string) error {
	p, err := s.Store.GetPipeline(ctx, pipeline, 0)
	if err != nil {
		return err
	}
	if st := p.Declaration.Stages; len(st) > 0 {
		for _, a := range st[0].Actions {
			if a.Name == action {
				return nil
			}
		}
	}
	return sluice.Errorf(sluice.EInvalid, "", "1 validation error detected: Value '%s' at 'webhook.targetAction' failed to satisfy "+
		"constraint: the target action must be an action of the first (source) stage of pipeline %s.", action, pipeline)
}

// TaggedWebhook is a webhook with its tags.
type TaggedWebhook struct {
	*sluice.Webhook
	Tags map[string]string
}

// ListWebhooks returns one page of webhooks by name, each with its tags.
func (s *Service) ListWebhooks(ctx context.Context, c sluice.Caller, page sluice.Page) ([]TaggedWebhook, string, error) {
	if err := s.allow(ctx, c, actListWebhooks, anyResource); err != nil {
		return nil, "", err
	}
	ws, next, err := s.Store.ListWebhooks(ctx, page)
	if err != nil {
		return nil, "", err
	}
	out := make([]TaggedWebhook, 0, len(ws))
	for _, w := range ws {
		tags, err := s.Store.ListTags(ctx, w.ARN)
		if err != nil {
			return nil, "", err
		}
		out = append(out, TaggedWebhook{w, tags})
	}
	return out, next, nil
}

// DeleteWebhook deletes a webhook; deleting one that does not exist succeeds (the model
// documents it).
func (s *Service) DeleteWebhook(ctx context.Context, c sluice.Caller, name string) error {
	if err := s.allow(ctx, c, actDeleteWebhook, s.webhookARN(name)); err != nil {
		return err
	}
	if err := s.Store.DeleteWebhook(ctx, name); err != nil && !sluice.IsCode(err, sluice.ENotFound) {
		return err
	}
	return nil
}

// RegisterWebhook returns the webhook a RegisterWebhookWithThirdParty names, or
// DeregisterWebhookWithThirdParty when register is false (ENotFound/Webhook; also when
// name is empty): registering is the user's part (see api).
func (s *Service) RegisterWebhook(ctx context.Context, c sluice.Caller, name string, register bool) (*sluice.Webhook, error) {
	action := actDeregisterWebhook
	if register {
		action = actRegisterWebhook
	}
	if err := s.allow(ctx, c, action, s.webhookARN(name)); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, sluice.Errorf(sluice.ENotFound, "Webhook", "No webhookName was given.")
	}
	return s.Store.GetWebhook(ctx, name)
}
