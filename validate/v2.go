package validate

import (
	"fmt"

	"sluice"
	"sluice/catalog"
)

// checkV2Only rejects V2-only constructs in a V1 pipeline (SEMANTICS §3.1 rule 12). The
// service may auto-upgrade instead [U]; rejecting is the safe choice and matches the
// console and CDK, which require pipelineType V2 explicitly.
func checkV2Only(c *check) *sluice.Error {
	if c.d.Type() != "V1" {
		return nil
	}
	if field := v2Field(c); field != "" {
		return sluice.Errorf(sluice.EInvalid, "",
			"%s is only supported by V2 pipelines, but pipeline '%s' has pipelineType V1; set pipelineType to V2 to use it",
			field, c.d.Name)
	}
	return nil
}

// v2Field describes the first V2-only construct in the declaration, or returns "".
func v2Field(c *check) string {
	d := c.d
	switch {
	case len(d.Variables) > 0:
		return "Field 'pipeline.variables'"
	case len(d.Triggers) > 0:
		return "Field 'pipeline.triggers'"
	case d.ExecutionMode == sluice.ModeQueued || d.ExecutionMode == sluice.ModeParallel:
		return fmt.Sprintf("Field 'pipeline.executionMode' value %s", d.ExecutionMode)
	}
	for i := range d.Stages {
		if f := stageV2Field(&d.Stages[i]); f != "" {
			return fmt.Sprintf("Field 'pipeline.stages.%d.member.%s' (stage '%s')", i+1, f, d.Stages[i].Name)
		}
	}
	for _, r := range c.actions {
		if catalog.RequiresV2(r.a.ActionTypeID) {
			return fmt.Sprintf("Field '%s.actionTypeId' (action '%s' in stage '%s', type %s)",
				r.path(), r.a.Name, r.s.Name, r.a.ActionTypeID)
		}
	}
	return ""
}

// stageV2Field names the stage condition hook a V1 pipeline may not use, or "".
func stageV2Field(s *sluice.StageDeclaration) string {
	switch {
	case s.BeforeEntry != nil:
		return "beforeEntry"
	case s.OnSuccess != nil:
		return "onSuccess"
	case s.OnFailure != nil:
		return "onFailure"
	}
	return ""
}
