package query

import (
	"context"

	"sluice"
	"sluice/service"
)

// snsOps are the SNS operations Sluice serves (topics, subscriptions, publish, tags).
func (s *Server) snsOps() map[string]handler {
	return map[string]handler{
		"CreateTopic": s.createTopic, "DeleteTopic": s.deleteTopic, "ListTopics": s.listTopics,
		"GetTopicAttributes": s.getTopicAttributes, "SetTopicAttributes": s.setTopicAttributes,
		"Subscribe": s.subscribe, "ConfirmSubscription": s.confirmSubscription, "Unsubscribe": s.unsubscribe,
		"ListSubscriptions": s.listSubscriptions, "ListSubscriptionsByTopic": s.listSubscriptionsByTopic,
		"GetSubscriptionAttributes": s.getSubscriptionAttributes, "SetSubscriptionAttributes": s.setSubscriptionAttributes,
		"Publish":     s.publish,
		"TagResource": s.tagTopic, "UntagResource": s.untagTopic, "ListTagsForResource": s.listTopicTags,
	}
}

func snsFormOf(c *call) *snsForm { return &snsForm{values: c.form.values} }

func (s *Server) createTopic(ctx context.Context, c *call) (any, error) {
	f := snsFormOf(c)
	name, attrs, tags := f.str("Name", true), f.attributes("Attributes"), f.tags()
	if dp := f.str("DataProtectionPolicy", false); dp != "" {
		if attrs == nil {
			attrs = map[string]string{}
		}
		attrs["DataProtectionPolicy"] = dp
	}
	if f.err != nil {
		return nil, f.err
	}
	arn, err := s.Service.CreateTopic(ctx, c.caller, name, attrs, tags)
	if err != nil {
		return nil, err
	}
	return struct{ TopicArn string }{arn}, nil
}

func (s *Server) deleteTopic(ctx context.Context, c *call) (any, error) {
	f := snsFormOf(c)
	arn := f.arn("TopicArn", true)
	if f.err != nil {
		return nil, f.err
	}
	return nil, s.Service.DeleteTopic(ctx, c.caller, arn)
}

func (s *Server) listTopics(ctx context.Context, c *call) (any, error) {
	f := snsFormOf(c)
	token := f.str("NextToken", false)
	if f.err != nil {
		return nil, f.err
	}
	arns, next, err := s.Service.ListTopics(ctx, c.caller, token)
	if err != nil {
		return nil, err
	}
	return topicsOut(arns, next), nil
}

func (s *Server) getTopicAttributes(ctx context.Context, c *call) (any, error) {
	f := snsFormOf(c)
	arn := f.arn("TopicArn", true)
	if f.err != nil {
		return nil, f.err
	}
	attrs, err := s.Service.GetTopicAttributes(ctx, c.caller, arn)
	if err != nil {
		return nil, err
	}
	return struct{ Attributes attrMap }{attrs}, nil
}

func (s *Server) setTopicAttributes(ctx context.Context, c *call) (any, error) {
	f := snsFormOf(c)
	arn, name, value := f.arn("TopicArn", true), f.str("AttributeName", true), f.str("AttributeValue", false)
	if f.err != nil {
		return nil, f.err
	}
	return nil, s.Service.SetTopicAttributes(ctx, c.caller, arn, name, value)
}

func (s *Server) subscribe(ctx context.Context, c *call) (any, error) {
	f := snsFormOf(c)
	p := service.SubscribeParams{TopicARN: f.arn("TopicArn", true), Protocol: f.str("Protocol", true),
		Endpoint: f.str("Endpoint", false), Attributes: f.attributes("Attributes"),
		ReturnSubscriptionArn: f.boolean("ReturnSubscriptionArn")}
	if f.err != nil {
		return nil, f.err
	}
	arn, err := s.Service.Subscribe(ctx, c.caller, p)
	if err != nil {
		return nil, err
	}
	return struct{ SubscriptionArn string }{arn}, nil
}

func (s *Server) confirmSubscription(ctx context.Context, c *call) (any, error) {
	return s.confirm(ctx, c, false)
}

// confirm is ConfirmSubscription, signed or by its link (no credentials; the token is one).
func (s *Server) confirm(ctx context.Context, c *call, link bool) (any, error) {
	f := snsFormOf(c)
	p := service.ConfirmParams{TopicARN: f.arn("TopicArn", true), Token: f.str("Token", true),
		AuthenticateOnUnsubscribe: f.boolean("AuthenticateOnUnsubscribe"), Link: link}
	if f.err != nil {
		return nil, f.err
	}
	if link {
		p.AuthenticateOnUnsubscribe = false // only a signed request proves who asks for it
	}
	arn, err := s.Service.ConfirmSubscription(ctx, c.caller, p)
	if err != nil {
		return nil, err
	}
	return struct{ SubscriptionArn string }{arn}, nil
}

func (s *Server) unsubscribe(ctx context.Context, c *call) (any, error) {
	return s.unsubscribeBy(ctx, c, false)
}

func (s *Server) unsubscribeBy(ctx context.Context, c *call, link bool) (any, error) {
	f := snsFormOf(c)
	arn := f.str("SubscriptionArn", true)
	if f.err != nil {
		return nil, f.err
	}
	return nil, s.Service.Unsubscribe(ctx, c.caller, arn, link)
}

func (s *Server) listSubscriptions(ctx context.Context, c *call) (any, error) {
	f := snsFormOf(c)
	token := f.str("NextToken", false)
	if f.err != nil {
		return nil, f.err
	}
	subs, next, err := s.Service.ListSubscriptions(ctx, c.caller, token)
	if err != nil {
		return nil, err
	}
	return subscriptionsOut(subs, next), nil
}

func (s *Server) listSubscriptionsByTopic(ctx context.Context, c *call) (any, error) {
	f := snsFormOf(c)
	arn, token := f.arn("TopicArn", true), f.str("NextToken", false)
	if f.err != nil {
		return nil, f.err
	}
	subs, next, err := s.Service.ListSubscriptionsByTopic(ctx, c.caller, arn, token)
	if err != nil {
		return nil, err
	}
	return subscriptionsOut(subs, next), nil
}

func (s *Server) getSubscriptionAttributes(ctx context.Context, c *call) (any, error) {
	f := snsFormOf(c)
	arn := f.arn("SubscriptionArn", true)
	if f.err != nil {
		return nil, f.err
	}
	attrs, err := s.Service.GetSubscriptionAttributes(ctx, c.caller, arn)
	if err != nil {
		return nil, err
	}
	return struct{ Attributes attrMap }{attrs}, nil
}

func (s *Server) setSubscriptionAttributes(ctx context.Context, c *call) (any, error) {
	f := snsFormOf(c)
	arn, name, value := f.arn("SubscriptionArn", true), f.str("AttributeName", true), f.str("AttributeValue", false)
	if f.err != nil {
		return nil, f.err
	}
	return nil, s.Service.SetSubscriptionAttributes(ctx, c.caller, arn, name, value)
}

func (s *Server) publish(ctx context.Context, c *call) (any, error) {
	f := snsFormOf(c)
	in := sluice.PublishInput{TopicARN: f.arn("TopicArn", false), Message: f.str("Message", true),
		Subject: f.str("Subject", false), MessageStructure: f.str("MessageStructure", false),
		Attributes: f.messageAttributes()}
	if in.TopicARN == "" {
		in.TopicARN = f.arn("TargetArn", false)
	}
	switch {
	case f.str("PhoneNumber", false) != "":
		f.fail("PhoneNumber", "Sluice does not send SMS")
	case f.str("MessageGroupId", false) != "":
		f.fail("MessageGroupId", "The request includes MessageGroupId parameter that is not valid for this topic type")
	case f.str("MessageDeduplicationId", false) != "":
		f.fail("MessageDeduplicationId", "The request includes MessageDeduplicationId parameter that is not valid for this topic type")
	}
	if f.err != nil {
		return nil, f.err
	}
	id, err := s.Service.Publish(ctx, c.caller, in)
	if err != nil {
		return nil, err
	}
	return struct{ MessageId string }{id}, nil
}

func (s *Server) tagTopic(ctx context.Context, c *call) (any, error) {
	f := snsFormOf(c)
	arn, tags := f.arn("ResourceArn", true), f.tags()
	if f.err != nil {
		return nil, f.err
	}
	return struct{}{}, s.Service.TagTopic(ctx, c.caller, arn, tags)
}

func (s *Server) untagTopic(ctx context.Context, c *call) (any, error) {
	f := snsFormOf(c)
	arn, keys := f.arn("ResourceArn", true), f.list("TagKeys")
	if f.err != nil {
		return nil, f.err
	}
	return struct{}{}, s.Service.UntagTopic(ctx, c.caller, arn, keys)
}

func (s *Server) listTopicTags(ctx context.Context, c *call) (any, error) {
	f := snsFormOf(c)
	arn := f.arn("ResourceArn", true)
	if f.err != nil {
		return nil, f.err
	}
	tags, err := s.Service.TopicTags(ctx, c.caller, arn)
	if err != nil {
		return nil, err
	}
	return struct{ Tags members[xTag] }{tagsOut(tags)}, nil
}
