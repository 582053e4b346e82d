package api

import (
	"context"
	"fmt"

	"sluice"
)

var (
	typeDescriptionRule  = modelRule("ActionTypeDescription").quietly()
	executorTypeRule     = modelRule("ExecutorType")
	lambdaARNRule        = modelRule("LambdaFunctionArn")
	accountIDRule        = modelRule("AccountId")
	principalRule        = modelRule("ServicePrincipal")
	policyTemplateRule   = modelRule("PolicyStatementsTemplate").quietly()
	allowedAccountRule   = modelRule("AllowedAccount")
	propertyDescLongRule = modelRule("PropertyDescription").quietly()
	urlTemplateRule      = modelRule("UrlTemplate").quietly()
)

// The model's ActionTypeDeclaration, as UpdateActionType takes and GetActionType returns it.
type (
	actionTypeDecl struct {
		Description           *string              `json:"description,omitempty"`
		Executor              *actionTypeExecutor  `json:"executor"`
		ID                    *sluice.ActionTypeID `json:"id"`
		InputArtifactDetails  *artifactDetailsIn   `json:"inputArtifactDetails"`
		OutputArtifactDetails *artifactDetailsIn   `json:"outputArtifactDetails"`
		Permissions           *actionTypePerms     `json:"permissions,omitempty"`
		Properties            []actionTypeProperty `json:"properties"`
		URLs                  *actionTypeURLs      `json:"urls,omitempty"`
	}
	actionTypeExecutor struct {
		Configuration            *executorConfiguration `json:"configuration"`
		Type                     string                 `json:"type"`
		PolicyStatementsTemplate *string                `json:"policyStatementsTemplate,omitempty"`
		JobTimeout               *int                   `json:"jobTimeout,omitempty"`
	}
	executorConfiguration struct {
		Lambda    *lambdaExecutor    `json:"lambdaExecutorConfiguration,omitempty"`
		JobWorker *jobWorkerExecutor `json:"jobWorkerExecutorConfiguration,omitempty"`
	}
	lambdaExecutor struct {
		LambdaFunctionARN string `json:"lambdaFunctionArn"`
	}
	jobWorkerExecutor struct {
		// Each list takes at least one member (refused empty): absent when not declared.
		PollingAccounts          []string `json:"pollingAccounts,omitzero"`
		PollingServicePrincipals []string `json:"pollingServicePrincipals,omitzero"`
	}
	actionTypePerms struct {
		AllowedAccounts []string `json:"allowedAccounts"`
	}
	actionTypeURLs struct {
		ConfigurationURL     string `json:"configurationUrl,omitempty"`
		EntityURLTemplate    string `json:"entityUrlTemplate,omitempty"`
		ExecutionURLTemplate string `json:"executionUrlTemplate,omitempty"`
		RevisionURLTemplate  string `json:"revisionUrlTemplate,omitempty"`
	}
	// actionTypeProperty is the model's ActionTypeProperty; its booleans are required, so
	// a request's missing one is told from false.
	actionTypeProperty struct {
		Name        string  `json:"name"`
		Optional    *bool   `json:"optional"`
		Key         *bool   `json:"key"`
		NoEcho      *bool   `json:"noEcho"`
		Queryable   bool    `json:"queryable,omitempty"`
		Description *string `json:"description,omitempty"`
	}
)

// check holds d to the model's members of ActionTypeDeclaration, under path.
func (d *actionTypeDecl) check(m *members, path string) {
	if d.Description != nil {
		m.present(path+"description", *d.Description, typeDescriptionRule)
	}
	d.checkExecutor(m, path+"executor")
	if d.ID == nil {
		m.null(path + "id")
	} else {
		m.need(path+"id.category", d.ID.Category, categoryRule)
		m.need(path+"id.owner", d.ID.Owner, ownerRule)
		m.need(path+"id.provider", d.ID.Provider, providerRule)
		m.need(path+"id.version", d.ID.Version, versionRule)
	}
	for _, n := range []struct {
		name string
		a    *artifactDetailsIn
	}{{"inputArtifactDetails", d.InputArtifactDetails}, {"outputArtifactDetails", d.OutputArtifactDetails}} {
		name, a := n.name, n.a
		switch {
		case a == nil:
			m.null(path + name)
		case a.MinimumCount == nil:
			m.null(path + name + ".minimumCount")
		case a.MaximumCount == nil:
			m.null(path + name + ".maximumCount")
		default:
			m.between(path+name+".minimumCount", a.MinimumCount, 0, 10)
			m.between(path+name+".maximumCount", a.MaximumCount, 0, 10)
		}
	}
	if d.Permissions != nil {
		listLength(m, path+"permissions.allowedAccounts", d.Permissions.AllowedAccounts, 1, 1000, allowedAccountRule)
	}
	m.atMost(path+"properties", len(d.Properties), 10)
	for i, p := range d.Properties {
		pp := fmt.Sprintf("%sproperties.%d.member.", path, i+1)
		m.need(pp+"name", p.Name, propertyNameRule)
		for i, b := range []*bool{p.Optional, p.Key, p.NoEcho} {
			if b == nil {
				m.null(pp + [...]string{"optional", "key", "noEcho"}[i])
			}
		}
		if p.Description != nil {
			m.present(pp+"description", *p.Description, propertyDescLongRule)
		}
	}
	if u := d.URLs; u != nil {
		m.opt(path+"urls.configurationUrl", u.ConfigurationURL, urlRule)
		m.opt(path+"urls.entityUrlTemplate", u.EntityURLTemplate, urlTemplateRule)
		m.opt(path+"urls.executionUrlTemplate", u.ExecutionURLTemplate, urlTemplateRule)
		m.opt(path+"urls.revisionUrlTemplate", u.RevisionURLTemplate, urlTemplateRule)
	}
}

func (d *actionTypeDecl) checkExecutor(m *members, path string) {
	x := d.Executor
	if x == nil {
		m.null(path)
		return
	}
	m.need(path+".type", x.Type, executorTypeRule)
	if x.PolicyStatementsTemplate != nil {
		m.present(path+".policyStatementsTemplate", *x.PolicyStatementsTemplate, policyTemplateRule)
	}
	m.between(path+".jobTimeout", x.JobTimeout, 60, 43200)
	c := x.Configuration
	if c == nil {
		m.null(path + ".configuration")
		return
	}
	if c.Lambda != nil {
		m.need(path+".configuration.lambdaExecutorConfiguration.lambdaFunctionArn", c.Lambda.LambdaFunctionARN, lambdaARNRule)
	}
	if w := c.JobWorker; w != nil {
		jp := path + ".configuration.jobWorkerExecutorConfiguration."
		if w.PollingAccounts != nil {
			listLength(m, jp+"pollingAccounts", w.PollingAccounts, 1, 1000, accountIDRule)
		}
		if w.PollingServicePrincipals != nil {
			listLength(m, jp+"pollingServicePrincipals", w.PollingServicePrincipals, 1, 10, principalRule)
		}
	}
}

// listLength checks a list member's length (lo..hi) and each of its strings.
func listLength(m *members, path string, list []string, lo, hi int, r rule) {
	if len(list) < lo {
		m.fail("", path, fmt.Sprintf("Member must have length greater than or equal to %d", lo))
	}
	m.atMost(path, len(list), hi)
	for i, v := range list {
		m.present(fmt.Sprintf("%s.%d.member", path, i+1), v, r)
	}
}

// core returns the checked declaration as the core's action type and declared extras.
func (d *actionTypeDecl) core() (sluice.ActionType, sluice.ActionTypeDeclared) {
	t := sluice.ActionType{
		ID:                      *d.ID,
		ConfigurationProperties: []sluice.ActionConfigurationProperty{},
		InputArtifactDetails:    sluice.ArtifactDetails{MinimumCount: *d.InputArtifactDetails.MinimumCount, MaximumCount: *d.InputArtifactDetails.MaximumCount},
		OutputArtifactDetails:   sluice.ArtifactDetails{MinimumCount: *d.OutputArtifactDetails.MinimumCount, MaximumCount: *d.OutputArtifactDetails.MaximumCount},
	}
	for _, p := range d.Properties {
		prop := sluice.ActionConfigurationProperty{Name: p.Name, Required: !*p.Optional, Key: *p.Key, Secret: *p.NoEcho, Queryable: p.Queryable}
		if p.Description != nil {
			prop.Description = *p.Description
		}
		t.ConfigurationProperties = append(t.ConfigurationProperties, prop)
	}
	if u := d.URLs; u != nil && *u != (actionTypeURLs{}) {
		t.Settings = &sluice.ActionTypeSettings{ThirdPartyConfigurationURL: u.ConfigurationURL, EntityURLTemplate: u.EntityURLTemplate,
			ExecutionURLTemplate: u.ExecutionURLTemplate, RevisionURLTemplate: u.RevisionURLTemplate}
	}
	var decl sluice.ActionTypeDeclared
	if d.Description != nil {
		decl.Description = *d.Description
	}
	if d.Permissions != nil {
		decl.AllowedAccounts = d.Permissions.AllowedAccounts
	}
	x := d.Executor
	decl.Executor.Type = x.Type
	if x.PolicyStatementsTemplate != nil {
		decl.Executor.PolicyStatementsTemplate = *x.PolicyStatementsTemplate
	}
	if x.JobTimeout != nil {
		decl.Executor.JobTimeout = *x.JobTimeout
	}
	if l := x.Configuration.Lambda; l != nil {
		decl.Executor.LambdaFunctionARN = l.LambdaFunctionARN
	}
	if w := x.Configuration.JobWorker; w != nil {
		decl.Executor.PollingAccounts, decl.Executor.PollingServicePrincipals = w.PollingAccounts, w.PollingServicePrincipals
	}
	return t, decl
}

// declare is GetActionType's ActionTypeDeclaration of t: a type nobody declared with
// UpdateActionType (a built-in or custom one, d nil) is served by job workers.
func declare(t *sluice.ActionType, d *sluice.ActionTypeDeclared) *actionTypeDecl {
	id := t.ID
	bounds := func(a sluice.ArtifactDetails) *artifactDetailsIn {
		lo, hi := a.MinimumCount, a.MaximumCount
		return &artifactDetailsIn{MinimumCount: &lo, MaximumCount: &hi}
	}
	out := &actionTypeDecl{ID: &id, InputArtifactDetails: bounds(t.InputArtifactDetails), OutputArtifactDetails: bounds(t.OutputArtifactDetails),
		Properties: []actionTypeProperty{}, Executor: &actionTypeExecutor{Type: sluice.ExecutorJobWorker, Configuration: &executorConfiguration{}}}
	for _, p := range t.ConfigurationProperties {
		optional, key, noEcho := !p.Required, p.Key, p.Secret
		prop := actionTypeProperty{Name: p.Name, Optional: &optional, Key: &key, NoEcho: &noEcho, Queryable: p.Queryable}
		if p.Description != "" {
			desc := p.Description
			prop.Description = &desc
		}
		out.Properties = append(out.Properties, prop)
	}
	if s := t.Settings; s != nil {
		out.URLs = &actionTypeURLs{s.ThirdPartyConfigurationURL, s.EntityURLTemplate, s.ExecutionURLTemplate, s.RevisionURLTemplate}
	}
	if d == nil {
		return out
	}
	if d.Description != "" {
		out.Description = &d.Description
	}
	if len(d.AllowedAccounts) > 0 {
		out.Permissions = &actionTypePerms{AllowedAccounts: d.AllowedAccounts}
	}
	x := d.Executor
	out.Executor.Type = x.Type
	if x.PolicyStatementsTemplate != "" {
		out.Executor.PolicyStatementsTemplate = &x.PolicyStatementsTemplate
	}
	if x.JobTimeout != 0 {
		out.Executor.JobTimeout = &x.JobTimeout
	}
	if x.LambdaFunctionARN != "" {
		out.Executor.Configuration.Lambda = &lambdaExecutor{x.LambdaFunctionARN}
	}
	if len(x.PollingAccounts)+len(x.PollingServicePrincipals) > 0 {
		out.Executor.Configuration.JobWorker = &jobWorkerExecutor{x.PollingAccounts, x.PollingServicePrincipals}
	}
	return out
}

func (s *Server) updateActionType(ctx context.Context, c *call) (any, error) {
	var in struct {
		ActionType *actionTypeDecl `json:"actionType"`
	}
	if err := decode(c.body, &in); err != nil {
		return nil, err
	}
	var m members
	if in.ActionType == nil {
		m.null("actionType")
	} else {
		in.ActionType.check(&m, "actionType.")
	}
	if err := m.err(); err != nil {
		return nil, err
	}
	t, d := in.ActionType.core()
	return nil, s.Service.UpdateActionType(ctx, c.caller, t, d)
}
