package validate

import (
	"fmt"
	"strings"

	"sluice"
	"sluice/catalog"
)

// Defaults for Options.
const (
	DefaultRegion             = "us-east-1"
	DefaultMaxActionsPerStage = 50 // quota pages also list 100; SEMANTICS §3.1 rule 1 [U]
)

// Fixed structure quotas (SEMANTICS §4).
const (
	MaxStages             = 50
	MaxActionsPerPipeline = 1000 // older docs: 500
)

// Options tunes Pipeline. The zero value validates for us-east-1 with the default quotas.
type Options struct {
	Region             string // the pipeline's region, e.g. "us-west-2"; "" means DefaultRegion
	MaxActionsPerStage int    // 0 means DefaultMaxActionsPerStage
}

// Pipeline validates d with the zero Options. See Options.Pipeline.
func Pipeline(d *sluice.PipelineDeclaration, lookup func(sluice.ActionTypeID) (*sluice.ActionType, bool)) error {
	return Options{}.Pipeline(d, lookup)
}

// Pipeline returns nil if d is a valid declaration, else a *sluice.Error: EInvalid with every
// shape violation of the model, or the first semantic violation with the code CodePipeline
// uses for it (EStructure, EStageDecl, EActionDecl, EBlockerDecl, EInvalid; ELimit for the
// stage and action quotas). lookup resolves action types (built-in, custom and third-party); nil means
// the built-in catalog only.
func (o Options) Pipeline(d *sluice.PipelineDeclaration, lookup func(sluice.ActionTypeID) (*sluice.ActionType, bool)) error {
	if d == nil {
		return sluice.Errorf(sluice.EInvalid, "", "1 validation error detected: Value null at 'pipeline' failed to satisfy constraint: Member must not be null")
	}
	if err := shape(d); err != nil {
		return err
	}
	c := newCheck(d, lookup, o)
	for _, rule := range rules {
		if err := rule(c); err != nil {
			return err
		}
	}
	return nil
}

// rules are the semantic checks in the order they are applied; the first failure wins.
// Rules after checkActionTypes may rely on every action's type being resolved.
var rules = []func(*check) *sluice.Error{
	checkV2Only,
	checkBlockers,
	checkStageCount,
	checkArtifactStores,
	checkStages,
	checkSourcePlacement,
	checkActionNames,
	checkActionTypes,
	checkArtifactCounts,
	checkCompute,
	checkConfiguration,
	checkRegions,
	checkOutputArtifacts,
	checkInputArtifacts,
	checkNamespaces,
	checkVariableDeclarations,
	checkReferences,
	checkConditions,
	checkTriggers,
}

// check is the state the semantic rules share: the declaration, its actions in order and
// their resolved types (nil when unknown).
type check struct {
	d       *sluice.PipelineDeclaration
	opts    Options
	actions []actionRef
}

// actionRef locates an action: its stage (0-based index) and its resolved type.
type actionRef struct {
	stage int
	index int // within the stage, 0-based
	s     *sluice.StageDeclaration
	a     *sluice.ActionDeclaration
	typ   *sluice.ActionType
}

// before reports whether r is guaranteed to finish before o starts.
func (r actionRef) before(o actionRef) bool {
	return r.stage < o.stage || (r.stage == o.stage && r.a.Order() < o.a.Order())
}

// path is the action's 1-based model path, as in AWS's messages.
func (r actionRef) path() string {
	return fmt.Sprintf("pipeline.stages.%d.member.actions.%d.member", r.stage+1, r.index+1)
}

func newCheck(d *sluice.PipelineDeclaration, lookup func(sluice.ActionTypeID) (*sluice.ActionType, bool), o Options) *check {
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	if o.MaxActionsPerStage <= 0 {
		o.MaxActionsPerStage = DefaultMaxActionsPerStage
	}
	if lookup == nil {
		lookup = catalog.With()
	}
	c := &check{d: d, opts: o}
	for i := range d.Stages {
		s := &d.Stages[i]
		for j := range s.Actions {
			typ, _ := lookup(s.Actions[j].ActionTypeID)
			c.actions = append(c.actions, actionRef{stage: i, index: j, s: s, a: &s.Actions[j], typ: typ})
		}
	}
	return c
}

// regionName spells a region as AWS's messages do: us-east-1 => US_EAST_1.
func regionName(r string) string {
	return strings.ToUpper(strings.ReplaceAll(r, "-", "_"))
}
