package sluice

import (
	"fmt"
	"time"
)

// Action categories, as the model's ActionCategory enum spells them.
const (
	CategorySource   = "Source"
	CategoryBuild    = "Build"
	CategoryDeploy   = "Deploy"
	CategoryTest     = "Test"
	CategoryInvoke   = "Invoke"
	CategoryApproval = "Approval"
	CategoryCompute  = "Compute"
)

// Action owners, as the model's ActionOwner enum spells them.
const (
	OwnerAWS        = "AWS"
	OwnerThirdParty = "ThirdParty"
	OwnerCustom     = "Custom"
)

// WorkerLabelKey is the configuration key (a Sluice extension of the built-in action types
// that run on workers) that pins an action to `sluice worker` processes started with that
// label; actions without it run on any worker, in-process ones included.
const WorkerLabelKey = "WorkerLabel"

// ActionTypeID names an action type: category, owner, provider and version.
type ActionTypeID struct {
	Category string `json:"category"`
	Owner    string `json:"owner"`
	Provider string `json:"provider"`
	Version  string `json:"version"`
}

func (t ActionTypeID) String() string {
	return fmt.Sprintf("%s/%s/%s/%s", t.Category, t.Owner, t.Provider, t.Version)
}

// ActionType is the model's ActionType: an action type's id, settings, configuration
// properties and artifact bounds, as ListActionTypes returns it.
type ActionType struct {
	ID                      ActionTypeID                  `json:"id"`
	Settings                *ActionTypeSettings           `json:"settings,omitempty"`
	ConfigurationProperties []ActionConfigurationProperty `json:"actionConfigurationProperties,omitempty"`
	InputArtifactDetails    ArtifactDetails               `json:"inputArtifactDetails"`
	OutputArtifactDetails   ArtifactDetails               `json:"outputArtifactDetails"`
}

type ActionTypeSettings struct {
	ThirdPartyConfigurationURL string `json:"thirdPartyConfigurationUrl,omitempty"`
	EntityURLTemplate          string `json:"entityUrlTemplate,omitempty"`
	ExecutionURLTemplate       string `json:"executionUrlTemplate,omitempty"`
	RevisionURLTemplate        string `json:"revisionUrlTemplate,omitempty"`
}

type ActionConfigurationProperty struct {
	Name        string `json:"name"`
	Required    bool   `json:"required"`
	Key         bool   `json:"key"`
	Secret      bool   `json:"secret"`
	Queryable   bool   `json:"queryable,omitempty"`
	Description string `json:"description,omitempty"`
	Type        string `json:"type,omitempty"`
}

type ArtifactDetails struct {
	MinimumCount int `json:"minimumCount"`
	MaximumCount int `json:"maximumCount"`
}

// Property returns the named configuration property, or nil.
func (t *ActionType) Property(name string) *ActionConfigurationProperty {
	for i := range t.ConfigurationProperties {
		if t.ConfigurationProperties[i].Name == name {
			return &t.ConfigurationProperties[i]
		}
	}
	return nil
}

// CustomActionType is an action type registered with CreateCustomActionType (owner Custom)
// or as a partner type (owner ThirdParty). DeleteCustomActionType only marks it deleted, so
// that the same definition can be restored. Declared is what UpdateActionType declared of a
// partner type beyond ActionType, nil until then.
type CustomActionType struct {
	ActionType
	Declared *ActionTypeDeclared
	Deleted  bool
	Created  time.Time
}

// Executor types of the model's ExecutorType enum.
const (
	ExecutorJobWorker = "JobWorker"
	ExecutorLambda    = "Lambda"
)

// ActionTypeDeclared is what the model's ActionTypeDeclaration (UpdateActionType,
// GetActionType) says of a type beyond ActionType: its description, executor and the
// accounts allowed to use it.
type ActionTypeDeclared struct {
	Description string             `json:"description,omitempty"`
	Executor    ActionTypeExecutor `json:"executor"`
	// The model's lists here take at least one member: absent (nil) when not declared.
	AllowedAccounts []string `json:"allowedAccounts,omitzero"`
}

// ActionTypeExecutor is the model's ActionTypeExecutor: how the type's jobs are served
// (JobWorker: workers poll; Lambda: the function named), with its configuration.
type ActionTypeExecutor struct {
	Type                     string   `json:"type"`
	LambdaFunctionARN        string   `json:"lambdaFunctionArn,omitempty"`
	PollingAccounts          []string `json:"pollingAccounts,omitzero"`          // min 1, as AllowedAccounts
	PollingServicePrincipals []string `json:"pollingServicePrincipals,omitzero"` // min 1
	PolicyStatementsTemplate string   `json:"policyStatementsTemplate,omitempty"`
	JobTimeout               int      `json:"jobTimeout,omitempty"` // seconds, 0 when not declared
}
