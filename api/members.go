package api

import (
	"errors"
	"fmt"
	"sluice/validate"
	"strings"

	"sluice"
)

// members collects the violations of the API model's member constraints in one request and
// reports them all at once as a ValidationException, in AWS's wording ("2 validation errors
// detected: Value 'x y' at 'name' failed to satisfy constraint: …"). Go decodes an absent
// string member and an empty one alike, so "" stands for absent. It counts n violations and
// lists the first maxListed, so a huge request cannot make a huge message.
type members struct {
	list []string
	n    int
}

// maxListed bounds the violations one message lists.
const maxListed = 25

// rule is a string member's constraints from the model. Lengths count UTF-16 code units, as
// the service counts them.
type rule struct {
	min, max int // max 0: unbounded
	pattern  *validate.Pattern
	enum     []string
	quiet    bool // free text: messages do not repeat the value
}

// The model's string shapes of the operations' inputs.
var (
	nameRule        = modelRule("PipelineName") // StageName and ActionName are the same
	executionIDRule = modelRule("PipelineExecutionId")
	nextTokenRule   = modelRule("NextToken").quietly()
	clientTokenRule = modelRule("ClientRequestToken")
	variableRule    = modelRule("PipelineVariableName")
	valueRule       = modelRule("PipelineVariableValue").quietly()
	stopReasonRule  = modelRule("StopPipelineExecutionReason").quietly()
	disabledRule    = modelRule("DisabledReason")
	summaryRule     = modelRule("ApprovalSummary").quietly()
	// approvalTokenRule accepts upper-case hex too, where the model's pattern has [0-9a-f]:
	// tokens are UUIDs, and clients may print them either way.
	approvalTokenRule = rule{pattern: validate.NewPattern(`[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}`)}
	providerRule      = modelRule("ActionProvider")
	versionRule       = modelRule("Version")
	regionRule        = modelRule("AWSRegionName")
	retryModeRule     = modelRule("StageRetryMode")
	transitionRule    = modelRule("StageTransitionType")
	approvalRule      = modelRule("ApprovalStatus")
	startRangeRule    = modelRule("StartTimeRange")
	ownerFilterRule   = modelRule("ActionOwner")
	categoryRule      = modelRule("ActionCategory")
	ownerRule         = modelRule("ActionTypeOwner")
)

// modelRule is the rule of the model's string shape name (validate.StringShape).
func modelRule(name string) rule {
	c := validate.StringShape(name)
	return rule{min: c.Min, max: c.Max, pattern: c.Pattern, enum: c.Enum}
}

// quietly is r for free text, whose messages do not repeat the value.
func (r rule) quietly() rule {
	r.quiet = true
	return r
}

func (m *members) fail(value, path, constraint string) {
	m.n++
	if len(m.list) == maxListed {
		return
	}
	if value != "" {
		value = " " + value
	}
	m.list = append(m.list, fmt.Sprintf("Value%s at '%s' failed to satisfy constraint: %s", value, path, constraint))
}

// null records a missing required member.
func (m *members) null(path string) { m.fail("null", path, "Member must not be null") }

// missing is the error of a request without the required member at path.
func missing(path string) error {
	var m members
	m.null(path)
	return m.err()
}

// need checks a required string member.
func (m *members) need(path, v string, r rule) {
	if v == "" {
		m.null(path)
		return
	}
	m.present(path, v, r)
}

// opt checks an optional string member.
func (m *members) opt(path, v string, r rule) {
	if v != "" {
		m.present(path, v, r)
	}
}

// present checks a string member known to be present, even if empty.
func (m *members) present(path, v string, r rule) {
	shown := "'" + v + "'"
	if r.quiet {
		shown = ""
	}
	if r.enum != nil {
		for _, e := range r.enum {
			if v == e {
				return
			}
		}
		m.fail(shown, path, "Member must satisfy enum value set: ["+strings.Join(r.enum, ", ")+"]")
		return
	}
	n := utf16Len(v)
	if r.max > 0 && n > r.max {
		m.fail(shown, path, fmt.Sprintf("Member must have length less than or equal to %d", r.max))
	}
	if n < r.min {
		m.fail(shown, path, fmt.Sprintf("Member must have length greater than or equal to %d", r.min))
	}
	if r.pattern != nil && !r.pattern.Match(v) {
		m.fail(shown, path, "Member must satisfy regular expression pattern: "+r.pattern.String())
	}
}

// between checks an optional integer member against lo..hi.
func (m *members) between(path string, n *int, lo, hi int) {
	if n != nil && (*n < lo || *n > hi) {
		m.fail(fmt.Sprintf("'%d'", *n), path, fmt.Sprintf("Member must have value between %d and %d", lo, hi))
	}
}

// nameCall reads a request whose only member is a required "name" of rule r.
func nameCall(c *call, r rule) (string, error) {
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(c.body, &in); err != nil {
		return "", err
	}
	var m members
	m.need("name", in.Name, r)
	return in.Name, m.err()
}

// atLeast checks an optional integer member with only a lower bound.
func (m *members) atLeast(path string, n *int, lo int) {
	if n != nil && *n < lo {
		m.fail(fmt.Sprintf("'%d'", *n), path, fmt.Sprintf("Member must have value greater than or equal to %d", lo))
	}
}

// atMost checks a list member's length.
func (m *members) atMost(path string, n, hi int) {
	if n > hi {
		m.fail("", path, fmt.Sprintf("Member must have length less than or equal to %d", hi))
	}
}

// err returns the violations as one ValidationException, or nil.
func (m *members) err() error {
	switch m.n {
	case 0:
		return nil
	case 1:
		return sluice.Errorf(sluice.EInvalid, "", "1 validation error detected: %s", m.list[0])
	}
	msg := strings.Join(m.list, "; ")
	if more := m.n - len(m.list); more > 0 {
		msg += fmt.Sprintf("; and %d more", more)
	}
	return sluice.Errorf(sluice.EInvalid, "", "%d validation errors detected: %s", m.n, msg)
}

// inputErr returns the violations as one InvalidInputException, CodeBuild's exception for
// them, or nil.
func (m *members) inputErr() error {
	err := m.err()
	var e *sluice.Error
	if errors.As(err, &e) {
		e.Resource = "Input"
	}
	return err
}

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}
