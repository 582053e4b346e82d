package validate

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
)

// The CodePipeline API model (botocore's codepipeline/2015-07-09/service-2.json), the one
// source of the members' constraints: lengths, patterns, ranges, enums and required members.
//
//go:embed model/codepipeline-service-2.json
var modelJSON []byte

// modelShape is what validation reads of one shape of the model.
type modelShape struct {
	Type     string
	Min, Max *float64
	Pattern  string
	Enum     []string
	Required []string
	Members  map[string]struct{ Shape string }
	Member   struct{ Shape string } // of a list
	Key      struct{ Shape string } // of a map
	Value    struct{ Shape string } // of a map
}

// apiModel is what validation reads of the model.
type apiModel struct {
	Operations map[string]struct{ Input struct{ Shape string } }
	Shapes     map[string]*modelShape
}

// model parses the embedded model once; it is read-only afterwards.
var model = sync.OnceValue(func() *apiModel {
	var m apiModel
	if err := json.Unmarshal(modelJSON, &m); err != nil {
		panic(fmt.Sprintf("validate: the embedded API model does not parse: %v", err))
	}
	return &m
})

// IsOperation reports whether the model names the operation op (such as "GetPipeline").
func IsOperation(op string) bool {
	_, ok := model().Operations[op]
	return ok
}

// Operations lists the model's operations in name order.
func Operations() []string {
	ops := make([]string, 0, len(model().Operations))
	for op := range model().Operations {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	return ops
}

// InputRequired lists the members the model requires in op's input, in the model's order.
func InputRequired(op string) []string {
	o, ok := model().Operations[op]
	if !ok || o.Input.Shape == "" {
		return nil
	}
	return shapeOf(o.Input.Shape).Required
}

// shapeOf returns the named shape; a name the model lacks is a programming error.
func shapeOf(name string) *modelShape {
	s := model().Shapes[name]
	if s == nil {
		panic(fmt.Sprintf("validate: the API model has no shape %q", name))
	}
	return s
}

// Deviations from the model, each for a reason the model cannot know.
var (
	// RoleArn's pattern (arn:aws(-[\w]+)*:iam::[0-9]{12}:role/.*) is not enforced: AWS's own
	// get-pipeline samples carry placeholders such as "ARN" and
	// "arn:aws:iam::80398EXAMPLE::role/…" (corpus docs-cross-region-artifactstores.json,
	// docs-s3-codedeploy-sample-with-metadata-tags.json) and Sluice resolves roles itself.
	unenforcedPatterns = map[string]bool{"RoleArn": true}
	// The model and the quotas page say 1000 for a configuration value, but the real service
	// reports (and so enforces) 50000: see the message quoted in aws/aws-cdk#19767 and
	// SEMANTICS §1.2. Sluice must not be stricter than AWS.
	maxOverrides = map[string]int{"ActionConfigurationValue": 50000}
)

// Constraint is a string member's constraints from the model. Lengths count UTF-16 code
// units, as the service counts them.
type Constraint struct {
	Min, Max int // Max 0: unbounded
	Pattern  *Pattern
	Enum     []string
}

var patterns sync.Map // pattern text -> *Pattern, so each compiles once

// StringShape returns the constraints of the model's string shape name. The model's ".*"
// patterns constrain nothing (values may span lines), so they are left out.
func StringShape(name string) Constraint {
	s := shapeOf(name)
	c := Constraint{Min: bound(s.Min), Max: bound(s.Max), Enum: s.Enum}
	if m, ok := maxOverrides[name]; ok {
		c.Max = m
	}
	if s.Pattern != "" && s.Pattern != ".*" && !unenforcedPatterns[name] {
		p, ok := patterns.Load(s.Pattern)
		if !ok {
			p, _ = patterns.LoadOrStore(s.Pattern, NewPattern(s.Pattern))
		}
		c.Pattern = p.(*Pattern)
	}
	return c
}

func bound(v *float64) int {
	if v == nil {
		return 0
	}
	return int(*v)
}

func (s *modelShape) required(member string) bool {
	for _, r := range s.Required {
		if r == member {
			return true
		}
	}
	return false
}
