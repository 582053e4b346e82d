package service

import (
	"context"
	"net/url"
	"regexp"
	"sync"

	"sluice"
)

// chatNameRe is what a chat channel's name may be: it ends the channel's ARN.
var chatNameRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_.-]{1,128}$`) })

// chatARNTypes is the resource type of a channel's ARN by kind, as AWS Chatbot names them.
var chatARNTypes = map[string]string{sluice.ProtocolSlack: "slack-channel", sluice.ProtocolTeams: "microsoft-teams-channel"}

// CreateChatChannelParams configures a chat channel: an incoming-webhook URL of Slack (or
// a Slack-compatible service) or of Microsoft Teams.
type CreateChatChannelParams struct {
	Name string
	Kind string // sluice.ProtocolSlack or sluice.ProtocolTeams
	URL  string
}

// CreateChatChannel creates or replaces the named channel and returns it without its URL.
func (s *Service) CreateChatChannel(ctx context.Context, c sluice.Caller, p CreateChatChannelParams) (*sluice.ChatChannel, error) {
	kind, ok := chatARNTypes[p.Kind]
	if !ok {
		return nil, sluice.Errorf(sluice.EInvalid, "", "Kind must be %s or %s.", sluice.ProtocolSlack, sluice.ProtocolTeams)
	}
	if !chatNameRe().MatchString(p.Name) {
		return nil, sluice.Errorf(sluice.EInvalid, "", "Name must be 1 to 128 letters, digits, '.', '_' or '-'.")
	}
	ch := &sluice.ChatChannel{Name: p.Name, Kind: p.Kind, URL: p.URL, ARN: s.Scope().ARN(sluice.ChatChannelARN, kind+"/"+p.Name)}
	if err := s.allow(ctx, c, actCreateChatChannel, ch.ARN); err != nil {
		return nil, err
	}
	if u, err := url.Parse(p.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, sluice.Errorf(sluice.EInvalid, "", "Url must be an http(s) URL of an incoming webhook.")
	}
	if err := s.Guard.CheckURL(ctx, p.URL); err != nil {
		return nil, sluice.Errorf(sluice.EInvalid, "", "Url is refused: %v", err)
	}
	ch.Created, ch.Modified = s.Now(), s.Now()
	if err := s.Store.PutChatChannel(ctx, ch); err != nil {
		return nil, err
	}
	ch.URL = ""
	return ch, nil
}

// ListChatChannels returns every chat channel, without their URLs (secrets).
func (s *Service) ListChatChannels(ctx context.Context, c sluice.Caller) ([]*sluice.ChatChannel, error) {
	if err := s.allow(ctx, c, actListChatChannels, anyResource); err != nil {
		return nil, err
	}
	chs, err := s.Store.ListChatChannels(ctx)
	for _, ch := range chs {
		ch.URL = ""
	}
	return chs, err
}

// DeleteChatChannel deletes the named channel (ENotFound/ChatChannel); what was queued for
// it is not sent.
func (s *Service) DeleteChatChannel(ctx context.Context, c sluice.Caller, name string) error {
	if err := s.allow(ctx, c, actDeleteChatChannel, anyResource); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(x sluice.Executor) error {
		chs, err := x.ListChatChannels(ctx)
		if err != nil {
			return err
		}
		if err := x.DeleteChatChannel(ctx, name); err != nil {
			return err
		}
		for _, ch := range chs {
			if ch.Name == name {
				_, err = x.CancelDeliveries(ctx, sluice.DeliveryCancel{Target: ch.ARN, Reason: "the chat channel was deleted"})
			}
		}
		return err
	})
}
