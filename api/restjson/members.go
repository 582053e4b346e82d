package restjson

import (
	"encoding/json"

	"sluice"
	"sluice/validate"
)

// The model's constraints of the members the operations take.
var (
	ruleARNC     = validate.Constraint{Pattern: validate.NewPattern(`^arn:aws[^:\s]*:codestar-notifications:[^:\s]+:\d{12}:notificationrule\/(.*\S)?$`)}
	ruleNameC    = validate.Constraint{Min: 1, Max: 64, Pattern: validate.NewPattern(`[A-Za-z0-9\-_ ]+$`)}
	resourceC    = validate.Constraint{Pattern: validate.NewPattern(`^arn:aws[^:\s]*:[^:\s]*:[^:\s]*:[0-9]{12}:[^\s]+$`)}
	eventTypeC   = validate.Constraint{Min: 1, Max: 200}
	detailTypeC  = validate.Constraint{Enum: []string{sluice.NotificationBasic, sluice.NotificationFull}}
	statusC      = validate.Constraint{Enum: []string{sluice.NotificationRuleEnabled, sluice.NotificationRuleDisabled}}
	tokenC       = validate.Constraint{Min: 1, Max: 256, Pattern: validate.NewPattern(`^[\w:/-]+$`)}
	addressC     = validate.Constraint{Min: 1, Max: 320}
	targetTypeC  = validate.Constraint{Pattern: validate.NewPattern(`^[A-Za-z]+$`)}
	tagKeyC      = validate.Constraint{Min: 1, Max: 128, Pattern: validate.NewPattern(`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`)}
	tagValueC    = validate.Constraint{Max: 256, Pattern: validate.NewPattern(`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`)}
	filterValueC = validate.Constraint{Max: 2048}
)

// maxTargets is the model's bound on a request's Targets.
const maxTargets = 10

// members collects a request's violations of the model.
type members struct{ v validate.Violations }

func (m *members) need(path, v string, c validate.Constraint) {
	if v == "" {
		m.v.Null(path)
		return
	}
	m.v.Check(path, v, c)
}

func (m *members) opt(path string, v *string, c validate.Constraint) {
	if v != nil {
		m.v.Check(path, *v, c)
	}
}

// quiet checks a sensitive member (names, addresses) without repeating its value.
func (m *members) quiet(path, v string, c validate.Constraint, required bool) {
	if v == "" && required {
		m.v.Null(path)
		return
	}
	if v != "" {
		m.v.CheckText(path, v, c)
	}
}

func (m *members) maxResults(n *int) {
	if n != nil && (*n < 1 || *n > 100) {
		m.v.Fail("", "maxResults", "Member must have value between 1 and 100")
	}
}

func (m *members) tags(tags map[string]string) {
	for k, v := range tags {
		m.v.Check("tags.key", k, tagKeyC)
		m.v.Check("tags.value", v, tagValueC)
	}
}

func (m *members) err() error {
	if err := m.v.Err(); err != nil {
		return err
	}
	return nil
}

// decode reads a request's JSON body into in; an empty body is an empty object.
func decode(body []byte, in any) error {
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, in); err != nil {
		return sluice.Errorf(sluice.EInvalid, "", "The request body is not a valid JSON object of this operation: %v", err)
	}
	return nil
}

// namesC is the enum of a list operation's filter names.
func namesC(names []string) validate.Constraint { return validate.Constraint{Enum: names} }
