package api

import (
	"context"
	"strconv"

	"sluice"
	"sluice/service"
)

// The model's string shapes of V1 webhooks.
var (
	jsonPathRule     = modelRule("JsonPath").quietly()
	matchEqualsRule  = modelRule("MatchEquals").quietly()
	authTypeRule     = modelRule("WebhookAuthenticationType")
	authSettingRule  = modelRule("WebhookAuthConfigurationSecretToken").quietly() // AllowedIPRange is the same
	maxWebhookFilter = 5
)

// webhookAuth is the model's WebhookAuthConfiguration, whose members are capitalised.
type webhookAuth struct {
	AllowedIPRange string `json:"AllowedIPRange,omitempty"`
	SecretToken    string `json:"SecretToken,omitempty"`
}

// webhookDef is the model's WebhookDefinition.
type webhookDef struct {
	Name                        string                 `json:"name"`
	TargetPipeline              string                 `json:"targetPipeline"`
	TargetAction                string                 `json:"targetAction"`
	Filters                     []sluice.WebhookFilter `json:"filters"`
	Authentication              string                 `json:"authentication"`
	AuthenticationConfiguration *webhookAuth           `json:"authenticationConfiguration"`
}

// webhookItem is the model's ListWebhookItem.
type webhookItem struct {
	Definition    webhookDef `json:"definition"`
	URL           string     `json:"url"`
	ErrorMessage  string     `json:"errorMessage,omitempty"`
	ErrorCode     string     `json:"errorCode,omitempty"`
	LastTriggered *epoch     `json:"lastTriggered,omitempty"`
	ARN           string     `json:"arn"`
	Tags          []tag      `json:"tags,omitempty"`
}

// webhookWire answers a webhook with its secret token redacted, as AWS always does.
func (s *Server) webhookWire(w *sluice.Webhook, tags map[string]string) webhookItem {
	auth := &webhookAuth{AllowedIPRange: w.AllowedIPRange}
	if w.SecretToken != "" {
		auth.SecretToken = maskedSecret
	}
	filters := w.Filters
	if filters == nil {
		filters = []sluice.WebhookFilter{}
	}
	item := webhookItem{URL: s.webhookURL(w.Token), ErrorMessage: w.ErrorMessage, ErrorCode: w.ErrorCode,
		LastTriggered: ts(w.LastTriggered), ARN: w.ARN,
		Definition: webhookDef{Name: w.Name, TargetPipeline: w.TargetPipeline, TargetAction: w.TargetAction,
			Filters: filters, Authentication: w.Authentication, AuthenticationConfiguration: auth}}
	if len(tags) > 0 {
		item.Tags = tagList(tags)
	}
	return item
}

func (s *Server) webhookURL(token string) string {
	if s.WebhookURL == nil {
		return "/trigger?t=" + token + "&v=1"
	}
	return s.WebhookURL(token)
}

// putWebhook creates a webhook or replaces the definition of the one of the same name,
// which keeps its URL.
func (s *Server) putWebhook(ctx context.Context, c *call) (any, error) {
	var in struct {
		Webhook *webhookDef `json:"webhook"`
		Tags    []tag       `json:"tags"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	if in.Webhook == nil {
		return nil, missing("webhook")
	}
	d := in.Webhook
	if err := checkWebhookMembers(d); err != nil {
		return nil, err
	}
	w, tags, err := s.Service.PutWebhook(ctx, c.caller, service.WebhookParams{Name: d.Name, TargetPipeline: d.TargetPipeline,
		TargetAction: d.TargetAction, Filters: d.Filters, Authentication: d.Authentication,
		SecretToken: d.AuthenticationConfiguration.SecretToken, AllowedIPRange: d.AuthenticationConfiguration.AllowedIPRange,
		Tags: coreTags(in.Tags)})
	if err != nil {
		return nil, err
	}
	return map[string]any{"webhook": s.webhookWire(w, tags)}, nil
}

// checkWebhookMembers checks a WebhookDefinition against the model's member constraints.
func checkWebhookMembers(d *webhookDef) error {
	var m members
	m.need("webhook.name", d.Name, nameRule)
	m.need("webhook.targetPipeline", d.TargetPipeline, nameRule)
	m.need("webhook.targetAction", d.TargetAction, nameRule)
	if d.Filters == nil {
		m.null("webhook.filters")
	}
	m.atMost("webhook.filters", len(d.Filters), maxWebhookFilter)
	for i, f := range d.Filters {
		path := "webhook.filters." + strconv.Itoa(i+1) + ".member."
		m.need(path+"jsonPath", f.JSONPath, jsonPathRule)
		m.opt(path+"matchEquals", f.MatchEquals, matchEqualsRule)
	}
	m.need("webhook.authentication", d.Authentication, authTypeRule)
	if a := d.AuthenticationConfiguration; a == nil {
		m.null("webhook.authenticationConfiguration")
	} else {
		m.opt("webhook.authenticationConfiguration.AllowedIPRange", a.AllowedIPRange, authSettingRule)
		m.opt("webhook.authenticationConfiguration.SecretToken", a.SecretToken, authSettingRule)
	}
	return m.err()
}

// listWebhooks pages every webhook by name; its members are capitalised, unlike other lists'.
func (s *Server) listWebhooks(ctx context.Context, c *call) (any, error) {
	var in struct {
		NextToken  string `json:"NextToken"`
		MaxResults *int   `json:"MaxResults"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.opt("NextToken", in.NextToken, nextTokenRule)
	m.between("MaxResults", in.MaxResults, 1, 100)
	if err := m.err(); err != nil {
		return nil, err
	}
	ws, next, err := s.Service.ListWebhooks(ctx, c.caller, sluice.Page{Token: in.NextToken, Limit: pageSize(in.MaxResults)})
	if err != nil {
		return nil, err
	}
	out := struct {
		Webhooks  []webhookItem `json:"webhooks"`
		NextToken string        `json:"NextToken,omitempty"`
	}{Webhooks: []webhookItem{}, NextToken: next}
	for _, w := range ws {
		out.Webhooks = append(out.Webhooks, s.webhookWire(w.Webhook, w.Tags))
	}
	return out, nil
}

// deleteWebhook is idempotent (the core's DeleteWebhook is).
func (s *Server) deleteWebhook(ctx context.Context, c *call) (any, error) {
	name, err := nameCall(c, nameRule)
	if err != nil {
		return nil, err
	}
	return nil, s.Service.DeleteWebhook(ctx, c.caller, name)
}

// registerWebhook answers success for a known webhook: Sluice cannot create the hook on
// GitHub for the user (it holds no GitHub credentials of the user's), so registering is
// adding the webhook's URL to the repository by hand, which the log says and
// docs/compatibility.md documents.
func (s *Server) registerWebhook(ctx context.Context, c *call) (any, error) {
	w, err := s.thirdPartyWebhook(ctx, c, true)
	if err != nil {
		return nil, err
	}
	s.Log.Info("webhook registration is manual: add the URL to the repository's webhooks", "webhook", w.Name,
		"url", s.webhookURL(w.Token), "authentication", w.Authentication, "request_id", c.requestID)
	return nil, nil
}

// deregisterWebhook answers success for a known webhook; removing the hook from the
// repository is the user's part, as adding it was.
func (s *Server) deregisterWebhook(ctx context.Context, c *call) (any, error) {
	w, err := s.thirdPartyWebhook(ctx, c, false)
	if err != nil {
		return nil, err
	}
	s.Log.Info("webhook deregistration is manual: remove the URL from the repository's webhooks", "webhook", w.Name,
		"request_id", c.requestID)
	return nil, nil
}

// thirdPartyWebhook reads Register/DeregisterWebhookWithThirdParty's request: webhookName is
// optional in the model, but there is nothing to register without it.
func (s *Server) thirdPartyWebhook(ctx context.Context, c *call, register bool) (*sluice.Webhook, error) {
	var in struct {
		WebhookName string `json:"webhookName"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.opt("webhookName", in.WebhookName, nameRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	return s.Service.RegisterWebhook(ctx, c.caller, in.WebhookName, register)
}
