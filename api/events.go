package api

import (
	"context"
	"errors"

	"sluice"
	"sluice/service"
	"sluice/validate"
)

// EventBridge's rules (JSON 1.1, target prefix AWSEvents.): rules on the default bus, their
// targets, PutEvents, TestEventPattern and tags. Member violations are ValidationException.
const eventsTarget = "AWSEvents."

var (
	ruleNameRule    = rule{min: 1, max: 64, pattern: validate.NewPattern(`[\.\-_A-Za-z0-9]+`)}
	targetIDRule    = ruleNameRule
	busRule         = rule{min: 1, max: 1600, pattern: validate.NewPattern(`(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[/\.\-_A-Za-z0-9]+`)}
	patternRule     = rule{max: 4096, quiet: true}
	scheduleRule    = rule{max: 256}
	ruleStateRule   = rule{enum: []string{sluice.RuleEnabled, sluice.RuleDisabled, "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"}}
	ruleDescRule    = rule{max: 512, quiet: true}
	roleARNRule     = rule{min: 1, max: 1600}
	targetARNRule   = rule{min: 1, max: 1600}
	targetInputRule = rule{max: 8192, quiet: true}
	inputPathRule   = rule{max: 256}
	templateRule    = rule{min: 1, max: 8192, quiet: true}
	eventsNextRule  = rule{min: 1, max: 2048, quiet: true}
	ruleARNRule     = rule{min: 1, max: 1600}
)

func (s *Server) eventRoutes(out map[string]handler) {
	for k, h := range map[string]handler{
		"PutRule":             s.putRule,
		"DescribeRule":        s.describeRule,
		"DeleteRule":          s.deleteRule,
		"ListRules":           s.listRules,
		"EnableRule":          s.enableRule,
		"DisableRule":         s.disableRule,
		"PutTargets":          s.putTargets,
		"RemoveTargets":       s.removeTargets,
		"ListTargetsByRule":   s.listTargetsByRule,
		"TestEventPattern":    s.testEventPattern,
		"PutEvents":           s.putEvents,
		"TagResource":         s.tagRule,
		"UntagResource":       s.untagRule,
		"ListTagsForResource": s.listRuleTags,
	} {
		out[eventsTarget+k] = eventsErrors(h)
	}
}

// eventsErrors gives the core's errors of tags and page tokens the name EventBridge answers
// them with: its models list no exception for either (the other JSON APIs' TooManyTags and
// InvalidNextToken), and AWS answers ValidationException.
func eventsErrors(h handler) handler {
	return func(ctx context.Context, c *call) (any, error) {
		out, err := h(ctx, c)
		var e *sluice.Error
		if errors.As(err, &e) && (e.Resource == "Tags" || e.Resource == "NextToken") && (e.Code == sluice.EInvalid || e.Code == sluice.ELimit) {
			return out, sluice.Errorf(sluice.EInvalid, "", "%s", e.Message)
		}
		return out, err
	}
}

// ruleRef is the Name and EventBusName most operations take.
type ruleRef struct {
	Name         string `json:"Name"`
	EventBusName string `json:"EventBusName"`
}

func (r ruleRef) check(m *members) {
	m.need("Name", r.Name, ruleNameRule)
	m.opt("EventBusName", r.EventBusName, busRule)
}

// readRuleRef decodes and checks the body of a call that names one rule.
func readRuleRef(c *call) (ruleRef, error) {
	var in ruleRef
	if err := decode(c.body, &in); err != nil {
		return in, err
	}
	var m members
	in.check(&m)
	return in, m.err()
}

type eventTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

func (s *Server) putRule(ctx context.Context, c *call) (any, error) {
	var in struct {
		ruleRef
		EventPattern       string     `json:"EventPattern"`
		ScheduleExpression string     `json:"ScheduleExpression"`
		State              string     `json:"State"`
		Description        string     `json:"Description"`
		RoleArn            string     `json:"RoleArn"`
		Tags               []eventTag `json:"Tags"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	in.check(&m)
	m.opt("EventPattern", in.EventPattern, patternRule)
	m.opt("ScheduleExpression", in.ScheduleExpression, scheduleRule)
	m.opt("State", in.State, ruleStateRule)
	m.opt("Description", in.Description, ruleDescRule)
	m.opt("RoleArn", in.RoleArn, roleARNRule)
	if err := m.err(); err != nil {
		return nil, err
	}
	tags := make([]sluice.Tag, 0, len(in.Tags))
	for _, t := range in.Tags {
		tags = append(tags, sluice.Tag(t))
	}
	state := in.State
	if state == "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" {
		state = sluice.RuleEnabled
	}
	arn, err := s.Service.PutRule(ctx, c.caller, service.PutRuleParams{Name: in.Name, EventPattern: in.EventPattern,
		ScheduleExpression: in.ScheduleExpression, State: state, Description: in.Description, RoleARN: in.RoleArn,
		EventBus: in.EventBusName, Tags: tags})
	if err != nil {
		return nil, err
	}
	return struct {
		RuleArn string `json:"RuleArn"`
	}{arn}, nil
}

// ruleOut is a rule as DescribeRule and ListRules answer it.
type ruleOut struct {
	Name               string `json:"Name"`
	Arn                string `json:"Arn"`
	EventPattern       string `json:"EventPattern,omitempty"`
	ScheduleExpression string `json:"ScheduleExpression,omitempty"`
	State              string `json:"State"`
	Description        string `json:"Description,omitempty"`
	RoleArn            string `json:"RoleArn,omitempty"`
	EventBusName       string `json:"EventBusName"`
	CreatedBy          string `json:"CreatedBy,omitempty"`
}

func (s *Server) ruleOut(r *sluice.EventRule) ruleOut {
	return ruleOut{Name: r.Name, Arn: r.ARN, EventPattern: r.EventPattern, ScheduleExpression: r.ScheduleExpression,
		State: r.State, Description: r.Description, RoleArn: r.RoleARN, EventBusName: "default"}
}

func (s *Server) describeRule(ctx context.Context, c *call) (any, error) {
	in, err := readRuleRef(c)
	if err != nil {
		return nil, err
	}
	r, err := s.Service.DescribeRule(ctx, c.caller, in.Name, in.EventBusName)
	if err != nil {
		return nil, err
	}
	out := s.ruleOut(r)
	out.CreatedBy = s.Service.Account()
	return out, nil
}

func (s *Server) deleteRule(ctx context.Context, c *call) (any, error) {
	var in struct {
		ruleRef
		Force bool `json:"Force"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	in.check(&m)
	if err := m.err(); err != nil {
		return nil, err
	}
	return struct{}{}, s.Service.DeleteRule(ctx, c.caller, in.Name, in.EventBusName)
}

// busPage is the members a List operation of EventBridge reads after what it lists: the
// bus, and the page.
type busPage struct {
	EventBusName string `json:"EventBusName"`
	NextToken    string `json:"NextToken"`
	Limit        *int   `json:"Limit"`
}

func (p busPage) check(m *members) {
	m.opt("EventBusName", p.EventBusName, busRule)
	m.opt("NextToken", p.NextToken, eventsNextRule)
	m.between("Limit", p.Limit, 1, 100)
}

func (p busPage) page() sluice.Page { return sluice.Page{Token: p.NextToken, Limit: deref(p.Limit)} }

func (s *Server) listRules(ctx context.Context, c *call) (any, error) {
	var in struct {
		NamePrefix string `json:"NamePrefix"`
		busPage
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.opt("NamePrefix", in.NamePrefix, ruleNameRule)
	in.check(&m)
	if err := m.err(); err != nil {
		return nil, err
	}
	rules, next, err := s.Service.ListRules(ctx, c.caller, in.NamePrefix, in.EventBusName, in.page())
	if err != nil {
		return nil, err
	}
	out := struct {
		Rules     []ruleOut `json:"Rules"`
		NextToken string    `json:"NextToken,omitempty"`
	}{Rules: []ruleOut{}, NextToken: next}
	for _, r := range rules {
		out.Rules = append(out.Rules, s.ruleOut(r))
	}
	return out, nil
}

func (s *Server) enableRule(ctx context.Context, c *call) (any, error) {
	return s.setRuleState(ctx, c, true)
}
func (s *Server) disableRule(ctx context.Context, c *call) (any, error) {
	return s.setRuleState(ctx, c, false)
}

func (s *Server) setRuleState(ctx context.Context, c *call, enabled bool) (any, error) {
	in, err := readRuleRef(c)
	if err != nil {
		return nil, err
	}
	return struct{}{}, s.Service.SetRuleState(ctx, c.caller, in.Name, in.EventBusName, enabled)
}

func (s *Server) testEventPattern(ctx context.Context, c *call) (any, error) {
	var in struct {
		EventPattern string `json:"EventPattern"`
		Event        string `json:"Event"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	m.need("EventPattern", in.EventPattern, patternRule)
	m.need("Event", in.Event, rule{quiet: true})
	if err := m.err(); err != nil {
		return nil, err
	}
	ok, err := s.Service.TestEventPattern(ctx, c.caller, in.EventPattern, in.Event)
	if err != nil {
		return nil, err
	}
	return struct {
		Result bool `json:"Result"`
	}{ok}, nil
}

// deref is *n, or 0 for nil.
func deref(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}
