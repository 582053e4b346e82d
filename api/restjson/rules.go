package restjson

import (
	"context"
	"strings"

	"sluice"
	"sluice/service"
)

func (s *Server) ops() map[string]handler {
	return map[string]handler{
		"CreateNotificationRule":   s.createNotificationRule,
		"UpdateNotificationRule":   s.updateNotificationRule,
		"DeleteNotificationRule":   s.deleteNotificationRule,
		"DescribeNotificationRule": s.describeNotificationRule,
		"ListNotificationRules":    s.listNotificationRules,
		"ListEventTypes":           s.listEventTypes,
		"Subscribe":                s.subscribe,
		"Unsubscribe":              s.unsubscribe,
		"ListTargets":              s.listTargets,
		"DeleteTarget":             s.deleteTarget,
		"TagResource":              s.tagResource,
		"ListTagsForResource":      s.listTagsForResource,
	}
}

type targetIn struct {
	TargetType    string
	TargetAddress string
}

func checkTargets(m *members, ts []targetIn) []service.NotificationTargetIn {
	if len(ts) > maxTargets {
		m.v.Fail("", "targets", "Member must have length less than or equal to 10")
	}
	out := make([]service.NotificationTargetIn, len(ts))
	for i, t := range ts {
		m.opt("targets.member.targetType", &t.TargetType, targetTypeC)
		m.quiet("targets.member.targetAddress", t.TargetAddress, addressC, true)
		out[i] = service.NotificationTargetIn{Type: t.TargetType, Address: t.TargetAddress}
	}
	return out
}

func checkEventTypes(m *members, ids []string) {
	for _, id := range ids {
		m.v.Check("eventTypeIds.member", id, eventTypeC)
	}
}

type arnOut struct {
	Arn string
}

func (s *Server) createNotificationRule(ctx context.Context, c *call) (any, error) {
	var in struct {
		Name, Resource, DetailType, ClientRequestToken, Status string
		EventTypeIds                                           []string
		Targets                                                []targetIn
		Tags                                                   map[string]string
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.quiet("name", in.Name, ruleNameC, true)
	if in.EventTypeIds == nil {
		m.v.Null("eventTypeIds")
	}
	checkEventTypes(&m, in.EventTypeIds)
	m.need("resource", in.Resource, resourceC)
	if in.Targets == nil {
		m.v.Null("targets")
	}
	targets := checkTargets(&m, in.Targets)
	m.need("detailType", in.DetailType, detailTypeC)
	m.opt("clientRequestToken", nilIfEmpty(in.ClientRequestToken), tokenC)
	m.opt("status", nilIfEmpty(in.Status), statusC)
	m.tags(in.Tags)
	if err := m.err(); err != nil {
		return nil, err
	}
	arn, err := s.Service.CreateNotificationRule(ctx, c.caller, service.CreateNotificationRuleParams{Name: in.Name,
		Resource: in.Resource, EventTypeIDs: in.EventTypeIds, Targets: targets, DetailType: in.DetailType,
		Status: in.Status, Token: in.ClientRequestToken, Tags: in.Tags})
	if err != nil {
		return nil, err
	}
	return arnOut{arn}, nil
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (s *Server) updateNotificationRule(ctx context.Context, c *call) (any, error) {
	var in struct {
		Arn                      string
		Name, Status, DetailType *string
		EventTypeIds             []string
		Targets                  *[]targetIn
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("arn", in.Arn, ruleARNC)
	if in.Name != nil {
		m.quiet("name", *in.Name, ruleNameC, false)
	}
	m.opt("status", in.Status, statusC)
	m.opt("detailType", in.DetailType, detailTypeC)
	checkEventTypes(&m, in.EventTypeIds)
	p := service.UpdateNotificationRuleParams{ARN: in.Arn, Name: in.Name, Status: in.Status, DetailType: in.DetailType,
		EventTypeIDs: in.EventTypeIds, HasTargets: in.Targets != nil}
	if in.Targets != nil {
		p.Targets = checkTargets(&m, *in.Targets)
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	return nil, s.Service.UpdateNotificationRule(ctx, c.caller, p)
}

// ruleARN reads the Arn member every rule operation takes.
func ruleARN(c *call) (string, error) {
	var in struct{ Arn string }
	if err := decode(c.body, &in); err != nil {
		return "", err
	}
	var m members
	m.need("arn", in.Arn, ruleARNC)
	return in.Arn, m.err()
}

func (s *Server) deleteNotificationRule(ctx context.Context, c *call) (any, error) {
	arn, err := ruleARN(c)
	if err != nil {
		return nil, err
	}
	if err := s.Service.DeleteNotificationRule(ctx, c.caller, arn); err != nil {
		return nil, err
	}
	return arnOut{arn}, nil
}

type eventTypeOut struct {
	EventTypeId, ServiceName, EventTypeName, ResourceType string
}

func eventTypesOut(ets []service.EventType) []eventTypeOut {
	out := make([]eventTypeOut, len(ets))
	for i, e := range ets {
		out[i] = eventTypeOut{e.ID, e.ServiceName, e.Name, e.ResourceType}
	}
	return out
}

type targetOut struct {
	TargetAddress, TargetType, TargetStatus string
}

func targetsOut(ts []sluice.NotificationTarget) []targetOut {
	out := make([]targetOut, len(ts))
	for i, t := range ts {
		out[i] = targetOut{t.Address, t.Type, t.Status}
	}
	return out
}

func (s *Server) describeNotificationRule(ctx context.Context, c *call) (any, error) {
	arn, err := ruleARN(c)
	if err != nil {
		return nil, err
	}
	v, err := s.Service.DescribeNotificationRule(ctx, c.caller, arn)
	if err != nil {
		return nil, err
	}
	return struct {
		Arn, Name                               string
		EventTypes                              []eventTypeOut
		Resource                                string
		Targets                                 []targetOut
		DetailType, CreatedBy, Status           string
		CreatedTimestamp, LastModifiedTimestamp float64
		Tags                                    map[string]string
	}{v.ARN, v.Name, eventTypesOut(v.EventTypes), v.Resource, targetsOut(v.Targets), v.DetailType, v.CreatedBy, v.Status,
		epoch(v.Created), epoch(v.Modified), v.Tags}, nil
}

// The store's page tokens are URL-safe base64; CodeStar Notifications' model allows only
// [\w/+=] in a token, so they go out in the standard alphabet and come back converted.
var (
	tokenOut = strings.NewReplacer("-", "+", "_", "/")
	tokenIn  = strings.NewReplacer("+", "-", "/", "_")
)

// filter is one of a list operation's filters.
type filter struct{ Name, Value string }

type listIn struct {
	Filters    []filter
	NextToken  string
	MaxResults *int
}

func readList(c *call, names ...string) (listIn, map[string]string, error) {
	var in listIn
	if err := decode(c.body, &in); err != nil {
		return in, nil, err
	}
	var m members
	m.maxResults(in.MaxResults)
	by := map[string]string{}
	for _, f := range in.Filters {
		m.need("filters.member.name", f.Name, namesC(names))
		m.v.CheckText("filters.member.value", f.Value, filterValueC)
		by[f.Name] = f.Value
	}
	return in, by, m.err()
}

func (in listIn) page() sluice.Page {
	p := sluice.Page{Token: tokenIn.Replace(in.NextToken)}
	if in.MaxResults != nil {
		p.Limit = *in.MaxResults
	}
	return p
}

func (s *Server) listNotificationRules(ctx context.Context, c *call) (any, error) {
	in, by, err := readList(c, "EVENT_TYPE_ID", "CREATED_BY", "RESOURCE", "TARGET_ADDRESS")
	if err != nil {
		return nil, err
	}
	rs, next, err := s.Service.ListNotificationRules(ctx, c.caller, sluice.NotificationRuleFilter{Page: in.page(),
		EventTypeID: by["EVENT_TYPE_ID"], CreatedBy: by["CREATED_BY"], Resource: by["RESOURCE"], TargetAddress: by["TARGET_ADDRESS"]})
	if err != nil {
		return nil, err
	}
	type summary struct{ Id, Arn string }
	out := struct {
		NextToken         string `json:",omitempty"`
		NotificationRules []summary
	}{NextToken: tokenOut.Replace(next), NotificationRules: []summary{}}
	for _, r := range rs {
		out.NotificationRules = append(out.NotificationRules, summary{r.ARN[strings.LastIndex(r.ARN, "/")+1:], r.ARN})
	}
	return out, nil
}

func (s *Server) listEventTypes(ctx context.Context, c *call) (any, error) {
	in, by, err := readList(c, "RESOURCE_TYPE", "SERVICE_NAME")
	if err != nil {
		return nil, err
	}
	ets, next, err := s.Service.ListEventTypes(ctx, c.caller, service.EventTypeFilter{ServiceName: by["SERVICE_NAME"],
		ResourceType: by["RESOURCE_TYPE"]}, in.page())
	if err != nil {
		return nil, err
	}
	return struct {
		EventTypes []eventTypeOut
		NextToken  string `json:",omitempty"`
	}{eventTypesOut(ets), tokenOut.Replace(next)}, nil
}

func (s *Server) subscribe(ctx context.Context, c *call) (any, error) {
	var in struct {
		Arn                string
		Target             *targetIn
		ClientRequestToken string
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("arn", in.Arn, ruleARNC)
	var t targetIn
	if in.Target == nil {
		m.v.Null("target")
	} else {
		t = *in.Target
		m.opt("target.targetType", &t.TargetType, targetTypeC)
		m.quiet("target.targetAddress", t.TargetAddress, addressC, true)
	}
	m.opt("clientRequestToken", nilIfEmpty(in.ClientRequestToken), tokenC)
	if err := m.err(); err != nil {
		return nil, err
	}
	err := s.Service.SubscribeNotificationTarget(ctx, c.caller, in.Arn, service.NotificationTargetIn{Type: t.TargetType, Address: t.TargetAddress})
	if err != nil {
		return nil, err
	}
	return arnOut{in.Arn}, nil
}

func (s *Server) unsubscribe(ctx context.Context, c *call) (any, error) {
	var in struct{ Arn, TargetAddress string }
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("arn", in.Arn, ruleARNC)
	m.quiet("targetAddress", in.TargetAddress, addressC, true)
	if err := m.err(); err != nil {
		return nil, err
	}
	if err := s.Service.UnsubscribeNotificationTarget(ctx, c.caller, in.Arn, in.TargetAddress); err != nil {
		return nil, err
	}
	return arnOut{in.Arn}, nil
}

func (s *Server) listTargets(ctx context.Context, c *call) (any, error) {
	in, by, err := readList(c, "TARGET_TYPE", "TARGET_ADDRESS", "TARGET_STATUS")
	if err != nil {
		return nil, err
	}
	ts, next, err := s.Service.ListNotificationTargets(ctx, c.caller, sluice.NotificationTargetFilter{Page: in.page(),
		Type: by["TARGET_TYPE"], Address: by["TARGET_ADDRESS"], Status: by["TARGET_STATUS"]})
	if err != nil {
		return nil, err
	}
	out := struct {
		Targets   []targetOut
		NextToken string `json:",omitempty"`
	}{Targets: []targetOut{}, NextToken: tokenOut.Replace(next)}
	for _, t := range ts {
		out.Targets = append(out.Targets, targetOut{t.Address, t.Type, t.Status})
	}
	return out, nil
}

func (s *Server) deleteTarget(ctx context.Context, c *call) (any, error) {
	var in struct {
		TargetAddress       string
		ForceUnsubscribeAll bool
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.quiet("targetAddress", in.TargetAddress, addressC, true)
	if err := m.err(); err != nil {
		return nil, err
	}
	return nil, s.Service.DeleteNotificationTarget(ctx, c.caller, in.TargetAddress, in.ForceUnsubscribeAll)
}

func (s *Server) tagResource(ctx context.Context, c *call) (any, error) {
	var in struct {
		Arn  string
		Tags map[string]string
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("arn", in.Arn, ruleARNC)
	if in.Tags == nil {
		m.v.Null("tags")
	}
	m.tags(in.Tags)
	if err := m.err(); err != nil {
		return nil, err
	}
	tags, err := s.Service.TagNotificationRule(ctx, c.caller, in.Arn, in.Tags)
	if err != nil {
		return nil, err
	}
	return struct{ Tags map[string]string }{tags}, nil
}

func (s *Server) untagResource(ctx context.Context, c *call) (any, error) {
	arn, keys := c.req.PathValue("arn"), c.req.URL.Query()["tagKeys"]
	var m members
	m.need("arn", arn, ruleARNC)
	if keys == nil {
		m.v.Null("tagKeys")
	}
	for _, k := range keys {
		m.v.Check("tagKeys.member", k, tagKeyC)
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	return nil, s.Service.UntagNotificationRule(ctx, c.caller, arn, keys)
}

func (s *Server) listTagsForResource(ctx context.Context, c *call) (any, error) {
	arn, err := ruleARN(c)
	if err != nil {
		return nil, err
	}
	tags, err := s.Service.NotificationRuleTags(ctx, c.caller, arn)
	if err != nil {
		return nil, err
	}
	return struct{ Tags map[string]string }{tags}, nil
}
