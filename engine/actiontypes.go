package engine

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"

	"sluice"
	"sluice/catalog"
)

// maxCustomActionTypes is CodePipeline's quota of custom action types per region.
const maxCustomActionTypes = 50

// configRef is a {Config:Name} placeholder of an action type's URL templates.
var configRef = regexp.MustCompile(`\{Config:([^}]*)\}`)

// CreateCustomActionType registers t with owner Custom (SEMANTICS §9.1). Creating the same
// definition again returns it, restoring it if it was deleted; a different definition under
// a used id needs a new version.
func (e *Engine) CreateCustomActionType(ctx context.Context, t sluice.ActionType) (*sluice.ActionType, error) {
	return e.CreateCustomActionTypeTx(ctx, e.Store, t)
}

// CreateCustomActionTypeTx is CreateCustomActionType through x, so that the type joins x's
// transaction (its tags, say); the quota is then counted in that transaction too.
func (e *Engine) CreateCustomActionTypeTx(ctx context.Context, x sluice.Executor, t sluice.ActionType) (*sluice.ActionType, error) {
	t.ID.Owner = sluice.OwnerCustom
	if err := checkCustomType(&t); err != nil {
		return nil, err
	}
	all, err := x.ListActionTypes(ctx)
	if err != nil {
		return nil, err
	}
	active := 0
	var existing *sluice.CustomActionType
	for _, c := range all {
		if !c.Deleted && c.ID.Owner == sluice.OwnerCustom { // partner types have no quota here
			active++
		}
		if c.ID == t.ID {
			existing = c
		}
	}
	switch {
	case existing != nil && (!existing.Deleted || active < maxCustomActionTypes):
		return reuseActionType(ctx, x, existing, &t)
	case active >= maxCustomActionTypes: // a restore counts as much as a new type
		return nil, sluice.Errorf(sluice.ELimit, "", "The account already has %d custom action types, the most allowed in a region.", active)
	}
	if err := x.CreateActionType(ctx, &sluice.CustomActionType{ActionType: t, Created: e.Clock.Now()}); err != nil {
		return nil, err
	}
	return &t, nil
}

// reuseActionType answers a create for an id that exists: the same definition is the
// existing type (restored when deleted), any other is refused.
func reuseActionType(ctx context.Context, x sluice.Executor, old *sluice.CustomActionType, t *sluice.ActionType) (*sluice.ActionType, error) {
	a, _ := json.Marshal(old.ActionType)
	b, _ := json.Marshal(t)
	if string(a) != string(b) {
		state := "exists"
		if old.Deleted {
			state = "was deleted"
		}
		return nil, sluice.Errorf(sluice.EInvalid, "", "Action type %s %s with a different definition: create the new definition under a new version.", t.ID, state)
	}
	if old.Deleted {
		if err := x.RestoreActionType(ctx, t.ID); err != nil && !sluice.IsCode(err, sluice.ENotFound) {
			return nil, err
		}
	}
	return &old.ActionType, nil
}

// CheckCustomActionType enforces on t, as a type of owner Custom, what the model's member
// constraints do not say (§9.1): surfaces check it before anything else of a request.
func CheckCustomActionType(t sluice.ActionType) error {
	t.ID.Owner = sluice.OwnerCustom
	return checkCustomType(&t)
}

// checkCustomType enforces what the model's member constraints do not say (§9.1):
// artifact bounds in order, each property declared once (names compare without case), no
// built-in id, at most one queryable property, URL templates on required public properties.
func checkCustomType(t *sluice.ActionType) error {
	for _, d := range []struct {
		name string
		sluice.ArtifactDetails
	}{{"inputArtifactDetails", t.InputArtifactDetails}, {"outputArtifactDetails", t.OutputArtifactDetails}} {
		if d.MinimumCount > d.MaximumCount {
			return sluice.Errorf(sluice.EInvalid, "", "%s: minimumCount %d is greater than maximumCount %d.", d.name, d.MinimumCount, d.MaximumCount)
		}
	}
	seen := map[string]bool{}
	for _, p := range t.ConfigurationProperties {
		if seen[strings.ToLower(p.Name)] {
			return sluice.Errorf(sluice.EInvalid, "", "Configuration property %s is declared twice.", p.Name)
		}
		seen[strings.ToLower(p.Name)] = true
	}
	if catalog.Strict(t.ID) {
		return sluice.Errorf(sluice.EInvalid, "", "Action type %s is built in.", t.ID)
	}
	queryable := ""
	for _, p := range t.ConfigurationProperties {
		if !p.Queryable {
			continue
		}
		switch {
		case queryable != "":
			return sluice.Errorf(sluice.EInvalid, "", "Only one configuration property may be queryable: %s and %s both are.", queryable, p.Name)
		case !p.Required || p.Secret:
			return sluice.Errorf(sluice.EInvalid, "", "The queryable configuration property %s must be required and not secret.", p.Name)
		}
		queryable = p.Name
	}
	if t.Settings == nil {
		return nil
	}
	for _, tmpl := range []string{t.Settings.EntityURLTemplate, t.Settings.ExecutionURLTemplate, t.Settings.RevisionURLTemplate} {
		for _, m := range configRef.FindAllStringSubmatch(tmpl, -1) {
			p := t.Property(m[1])
			if p == nil || !p.Required || p.Secret {
				return sluice.Errorf(sluice.EInvalid, "", "The URL template %q may only use {Config:<name>} of a required, non-secret configuration property; %s is not one.", tmpl, m[1])
			}
		}
	}
	return nil
}

// DeleteCustomActionType marks a custom action type deleted: pipelines can no longer use it
// and job workers polling it are refused. Jobs already queued stay until they time out.
func (e *Engine) DeleteCustomActionType(ctx context.Context, id sluice.ActionTypeID) error {
	id.Owner = sluice.OwnerCustom
	err := e.Store.DeleteActionType(ctx, id)
	if sluice.IsCode(err, sluice.ENotFound) {
		return sluice.Errorf(sluice.EInvalid, "", "Custom action type %s does not exist or was already deleted.", id)
	}
	return err
}

// LookupActionType finds a built-in action type or an active registered one (custom or
// partner): what a pipeline may use. It is the Lookup a server's engine validates with.
func (e *Engine) LookupActionType(id sluice.ActionTypeID) (*sluice.ActionType, bool) {
	if t, ok := catalog.Lookup(id); ok {
		return &t, true
	}
	if !Registered(id) {
		return nil, false
	}
	t, err := e.CustomActionType(context.Background(), id)
	if err != nil {
		if !sluice.IsCode(err, sluice.ENotFound) && e.Log != nil {
			e.Log.Error("look up custom action type", "type", id.String(), "err", err)
		}
		return nil, false
	}
	return t, true
}

// CustomActionType returns an active registered (custom or partner) action type
// (ENotFound/ActionType otherwise).
func (e *Engine) CustomActionType(ctx context.Context, id sluice.ActionTypeID) (*sluice.ActionType, error) {
	t, err := e.Store.GetActionType(ctx, id)
	switch {
	case err != nil:
		return nil, err
	case t.Deleted:
		return nil, sluice.Errorf(sluice.ENotFound, "ActionType", "Action type %s was deleted.", id)
	}
	return &t.ActionType, nil
}

// ActionTypes lists the built-in action types and the active custom ones.
func (e *Engine) ActionTypes(ctx context.Context) ([]sluice.ActionType, error) {
	all := catalog.BuiltIn()
	custom, err := e.Store.ListActionTypes(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range custom {
		if !c.Deleted {
			all = append(all, c.ActionType)
		}
	}
	return all, nil
}

// ExecutionURL fills an action type's executionUrlTemplate for one job's result
// ({ExternalExecutionId} and {Config:<name>}); "" without a template.
func ExecutionURL(t *sluice.ActionType, config map[string]string, externalID string) string {
	if t == nil || t.Settings == nil || t.Settings.ExecutionURLTemplate == "" {
		return ""
	}
	return strings.ReplaceAll(fillConfig(t.Settings.ExecutionURLTemplate, config), "{ExternalExecutionId}", externalID)
}

// EntityURL fills an action type's entityUrlTemplate with an action's configuration: the
// link GetPipelineState shows for the action (the Jenkins project, say); "" without a
// template.
func EntityURL(t *sluice.ActionType, config map[string]string) string {
	if t == nil || t.Settings == nil || t.Settings.EntityURLTemplate == "" {
		return ""
	}
	return fillConfig(t.Settings.EntityURLTemplate, config)
}

// fillConfig replaces each {Config:<name>} of tmpl with that configuration value. Only
// required, non-secret properties may appear (checkCustomType), so no secret leaks here.
func fillConfig(tmpl string, config map[string]string) string {
	return configRef.ReplaceAllStringFunc(tmpl, func(m string) string {
		return config[configRef.FindStringSubmatch(m)[1]]
	})
}
