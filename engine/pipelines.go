package engine

import (
	"context"

	"sluice"
	"sluice/validate"
)

func startVariables(d *sluice.PipelineDeclaration, overrides map[string]string) (map[string]string, error) {
	return validate.StartVariables(d, overrides)
}

// CreatePipeline validates and stores a new pipeline and starts its first execution
// (trigger CreatePipeline), all in one transaction.
func (e *Engine) CreatePipeline(ctx context.Context, decl sluice.PipelineDeclaration, tags map[string]string, by string) (*sluice.Pipeline, error) {
	if err := (validate.Options{Region: e.Region}).Pipeline(&decl, e.Lookup); err != nil {
		return nil, err
	}
	now := e.Clock.Now()
	withDefaults(&decl)
	decl.Version = 1
	p := &sluice.Pipeline{Declaration: decl, ARN: e.PipelineARN(decl.Name), Created: now, Updated: now, Author: by}
	var plan *sluice.Plan
	err := e.Store.Update(ctx, decl.Name, func(tx sluice.Tx) error {
		if err := tx.CreatePipeline(ctx, p, tags); err != nil {
			return err
		}
		vars, err := startVariables(&decl, nil)
		if err != nil {
			vars = nil // a variable without a default fails the action that uses it, naming it
		}
		plan, err = e.decideTx(ctx, tx, Start{ExecutionID: e.IDs.NewID(), Variables: vars,
			Trigger: sluice.Trigger{Type: sluice.TriggerCreatePipeline, Detail: by}, MaxConcurrent: e.MaxConcurrent})
		return err
	})
	e.finish(plan, err)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// UpdatePipeline stores a new version of a pipeline, saved by the principal by. It starts
// nothing; executions of the old version in SUPERSEDED and QUEUED mode finish their running
// actions and end Cancelled.
func (e *Engine) UpdatePipeline(ctx context.Context, decl sluice.PipelineDeclaration, by string) (*sluice.Pipeline, error) {
	if err := (validate.Options{Region: e.Region}).Pipeline(&decl, e.Lookup); err != nil {
		return nil, err
	}
	var (
		plan *sluice.Plan
		out  *sluice.Pipeline
	)
	err := e.Store.Update(ctx, decl.Name, func(tx sluice.Tx) error {
		cur, err := tx.Pipeline(ctx)
		if err != nil {
			return err
		}
		if err := keepSecrets(&decl, &cur.Declaration, e.Lookup); err != nil {
			return err
		}
		withDefaults(&decl)
		decl.Version = cur.Declaration.Version + 1
		out = &sluice.Pipeline{Declaration: decl, ARN: cur.ARN, Created: cur.Created, Updated: e.Clock.Now(), Author: by}
		if err := tx.SavePipeline(ctx, out); err != nil {
			return err
		}
		plan, err = e.decideTx(ctx, tx, Reconcile{})
		return err
	})
	e.finish(plan, err)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeletePipeline removes a pipeline with its history. Deleting a missing pipeline is not an
// error, as with DeleteWebhook.
func (e *Engine) DeletePipeline(ctx context.Context, name string) error {
	err := e.Store.Update(ctx, name, func(tx sluice.Tx) error { return tx.DeletePipeline(ctx) })
	if sluice.IsCode(err, sluice.ENotFound) {
		return nil
	}
	return err
}

// withDefaults writes the model's defaults into a declaration as GetPipeline shows them at
// AWS: every action's runOrder, the pipeline type and the execution mode.
func withDefaults(d *sluice.PipelineDeclaration) {
	d.PipelineType, d.ExecutionMode = d.Type(), d.Mode()
	stages := make([]sluice.StageDeclaration, len(d.Stages))
	for i, st := range d.Stages {
		actions := make([]sluice.ActionDeclaration, len(st.Actions))
		for j, a := range st.Actions {
			a.RunOrder = a.Order()
			actions[j] = a
		}
		st.Actions = actions
		stages[i] = st
	}
	d.Stages = stages
}
