package api

import (
	"context"

	"sluice"
	"sluice/service"
)

// Sluice's chat channel operations: the Slack-compatible and Teams incoming webhooks that
// notification rules' chat targets (AWSChatbotSlack, AWSChatbotMicrosoftTeams) name by ARN.
// AWS configures these in AWS Chatbot; here the operator gives the webhook's URL, a secret
// that no answer returns.
const chatTarget = "SluiceChat_20261207."

var (
	chatNameRule = rule{min: 1, max: 128}
	chatKindRule = rule{enum: []string{sluice.ProtocolSlack, sluice.ProtocolTeams}}
	chatURLRule  = rule{min: 1, max: 2048, quiet: true}
)

func (s *Server) chatRoutes(out map[string]handler) {
	out[chatTarget+"CreateChatChannel"] = s.createChatChannel
	out[chatTarget+"ListChatChannels"] = s.listChatChannels
	out[chatTarget+"DeleteChatChannel"] = s.deleteChatChannel
}

// chatOut is a chat channel on the wire, without its URL.
type chatOut struct {
	Name     string `json:"name"`
	Arn      string `json:"arn"`
	Kind     string `json:"kind"`
	Created  *epoch `json:"created,omitempty"`
	Modified *epoch `json:"lastModified,omitempty"`
}

func chatWire(ch *sluice.ChatChannel) chatOut {
	return chatOut{Name: ch.Name, Arn: ch.ARN, Kind: ch.Kind, Created: ts(ch.Created), Modified: ts(ch.Modified)}
}

// createChatChannel configures a channel, or replaces the one of the same name.
func (s *Server) createChatChannel(ctx context.Context, c *call) (any, error) {
	var in struct {
		Name string `json:"name"`
		Kind string `json:"kind"`
		URL  string `json:"url"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("name", in.Name, chatNameRule)
	m.need("kind", in.Kind, chatKindRule)
	m.need("url", in.URL, chatURLRule)
	if in.URL != "" && !httpURL(in.URL) {
		m.fail("", "url", "Member must be an absolute http or https URL")
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	ch, err := s.Service.CreateChatChannel(ctx, c.caller, service.CreateChatChannelParams{Name: in.Name, Kind: in.Kind, URL: in.URL})
	if err != nil {
		return nil, err
	}
	return map[string]any{"chatChannel": chatWire(ch)}, nil
}

func (s *Server) listChatChannels(ctx context.Context, c *call) (any, error) {
	chs, err := s.Service.ListChatChannels(ctx, c.caller)
	if err != nil {
		return nil, err
	}
	out := []chatOut{}
	for _, ch := range chs {
		out = append(out, chatWire(ch))
	}
	return map[string]any{"chatChannels": out}, nil
}

func (s *Server) deleteChatChannel(ctx context.Context, c *call) (any, error) {
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("name", in.Name, chatNameRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	return nil, s.Service.DeleteChatChannel(ctx, c.caller, in.Name)
}
