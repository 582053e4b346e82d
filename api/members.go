package api

import (
	"errors"
	"fmt"

	"sluice"
	"sluice/validate"
)

// members collects the violations of the API model's member constraints in one request and
// reports them all at once as a ValidationException (validate.Violations words and bounds
// them). Go decodes an absent string member and an empty one alike, so "" stands for absent.
type members struct{ v validate.Violations }

// rule is a string member's constraints from the model. Lengths count UTF-16 code units, as
// the service counts them.
type rule struct {
	min, max int // max 0: unbounded
	pattern  *validate.Pattern
	enum     []string
	quiet    bool // free text: messages do not repeat the value
	// shape names the model's string shape whose constraints these are, read when the rule
	// is first checked: reading them at start parsed the whole model into an idle server's
	// heap.
	shape string
}

func (r rule) constraint() validate.Constraint {
	if r.shape != "" {
		return validate.StringShape(r.shape)
	}
	return validate.Constraint{Min: r.min, Max: r.max, Pattern: r.pattern, Enum: r.enum}
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
func modelRule(name string) rule { return rule{shape: name} }

// quietly is r for free text, whose messages do not repeat the value.
func (r rule) quietly() rule {
	r.quiet = true
	return r
}

func (m *members) fail(value, path, constraint string) { m.v.Fail(value, path, constraint) }

// null records a missing required member.
func (m *members) null(path string) { m.v.Null(path) }

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
	if r.quiet {
		m.v.CheckText(path, v, r.constraint())
		return
	}
	m.v.Check(path, v, r.constraint())
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
	if err := m.v.Err(); err != nil {
		return err
	}
	return nil
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
