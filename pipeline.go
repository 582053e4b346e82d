package sluice

// PipelineDeclaration is a pipeline's structure, field for field as CodePipeline's API model
// names it, so JSON from `aws codepipeline get-pipeline` decodes and encodes unchanged.
type PipelineDeclaration struct {
	Name           string                        `json:"name"`
	RoleArn        string                        `json:"roleArn"`
	ArtifactStore  *ArtifactStoreDecl            `json:"artifactStore,omitempty"`
	ArtifactStores map[string]ArtifactStoreDecl  `json:"artifactStores,omitempty"`
	Stages         []StageDeclaration            `json:"stages"`
	Version        int                           `json:"version,omitempty"`
	ExecutionMode  ExecutionMode                 `json:"executionMode,omitempty"`
	PipelineType   string                        `json:"pipelineType,omitempty"`
	Variables      []PipelineVariableDeclaration `json:"variables,omitempty"`
	Triggers       []PipelineTriggerDeclaration  `json:"triggers,omitempty"`
}

// ArtifactStoreDecl is the model's ArtifactStore: where a pipeline keeps its artifacts.
type ArtifactStoreDecl struct {
	Type          string         `json:"type"`
	Location      string         `json:"location"`
	EncryptionKey *EncryptionKey `json:"encryptionKey,omitempty"`
}

type EncryptionKey struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

type StageDeclaration struct {
	Name        string                `json:"name"`
	Blockers    []BlockerDeclaration  `json:"blockers,omitempty"`
	Actions     []ActionDeclaration   `json:"actions"`
	OnFailure   *FailureConditions    `json:"onFailure,omitempty"`
	OnSuccess   *SuccessConditions    `json:"onSuccess,omitempty"`
	BeforeEntry *BeforeEntryCondition `json:"beforeEntry,omitempty"`
}

type BlockerDeclaration struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

type ActionDeclaration struct {
	Name                 string                `json:"name"`
	ActionTypeID         ActionTypeID          `json:"actionTypeId"`
	RunOrder             int                   `json:"runOrder,omitempty"`
	Configuration        map[string]string     `json:"configuration,omitempty"`
	Commands             []string              `json:"commands,omitempty"`
	OutputArtifacts      []OutputArtifact      `json:"outputArtifacts,omitempty"`
	InputArtifacts       []InputArtifact       `json:"inputArtifacts,omitempty"`
	OutputVariables      []string              `json:"outputVariables,omitempty"`
	RoleArn              string                `json:"roleArn,omitempty"`
	Region               string                `json:"region,omitempty"`
	Namespace            string                `json:"namespace,omitempty"`
	TimeoutInMinutes     int                   `json:"timeoutInMinutes,omitempty"`
	EnvironmentVariables []EnvironmentVariable `json:"environmentVariables,omitempty"`
}

// Order is the action's runOrder with the model's default of 1 applied.
func (a ActionDeclaration) Order() int {
	if a.RunOrder <= 0 {
		return 1
	}
	return a.RunOrder
}

type OutputArtifact struct {
	Name  string   `json:"name"`
	Files []string `json:"files,omitempty"`
}

type InputArtifact struct {
	Name string `json:"name"`
}

type EnvironmentVariable struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Type  string `json:"type,omitempty"`
}

type FailureConditions struct {
	Result             string              `json:"result,omitempty"`
	RetryConfiguration *RetryConfiguration `json:"retryConfiguration,omitempty"`
	Conditions         []Condition         `json:"conditions,omitempty"`
}

type RetryConfiguration struct {
	RetryMode RetryMode `json:"retryMode,omitempty"`
}

type SuccessConditions struct {
	Conditions []Condition `json:"conditions"`
}

type BeforeEntryCondition struct {
	Conditions []Condition `json:"conditions"`
}

type Condition struct {
	Result string            `json:"result,omitempty"`
	Rules  []RuleDeclaration `json:"rules,omitempty"`
}

type RuleDeclaration struct {
	Name             string            `json:"name"`
	RuleTypeID       RuleTypeID        `json:"ruleTypeId"`
	Configuration    map[string]string `json:"configuration,omitempty"`
	Commands         []string          `json:"commands,omitempty"`
	InputArtifacts   []InputArtifact   `json:"inputArtifacts,omitempty"`
	RoleArn          string            `json:"roleArn,omitempty"`
	Region           string            `json:"region,omitempty"`
	TimeoutInMinutes int               `json:"timeoutInMinutes,omitempty"`
}

type RuleTypeID struct {
	Category string `json:"category"`
	Owner    string `json:"owner,omitempty"`
	Provider string `json:"provider"`
	Version  string `json:"version,omitempty"`
}

type PipelineVariableDeclaration struct {
	Name         string  `json:"name"`
	DefaultValue *string `json:"defaultValue,omitempty"`
	Description  string  `json:"description,omitempty"`
}

type PipelineTriggerDeclaration struct {
	ProviderType     string           `json:"providerType"`
	GitConfiguration GitConfiguration `json:"gitConfiguration"`
}

type GitConfiguration struct {
	SourceActionName string                 `json:"sourceActionName"`
	Push             []GitPushFilter        `json:"push,omitempty"`
	PullRequest      []GitPullRequestFilter `json:"pullRequest,omitempty"`
}

type GitPushFilter struct {
	Tags      *GitFilterCriteria `json:"tags,omitempty"`
	Branches  *GitFilterCriteria `json:"branches,omitempty"`
	FilePaths *GitFilterCriteria `json:"filePaths,omitempty"`
}

type GitPullRequestFilter struct {
	Events    []string           `json:"events,omitempty"`
	Branches  *GitFilterCriteria `json:"branches,omitempty"`
	FilePaths *GitFilterCriteria `json:"filePaths,omitempty"`
}

// GitFilterCriteria is the model's Git{Tag,Branch,FilePath}FilterCriteria: one shape for all three.
type GitFilterCriteria struct {
	Includes []string `json:"includes,omitempty"`
	Excludes []string `json:"excludes,omitempty"`
}

// Stage returns the stage with the given name and its 0-based index, or -1.
func (p *PipelineDeclaration) Stage(name string) (*StageDeclaration, int) {
	for i := range p.Stages {
		if p.Stages[i].Name == name {
			return &p.Stages[i], i
		}
	}
	return nil, -1
}

// Action returns the named action of the named stage, or nil.
func (p *PipelineDeclaration) Action(stage, action string) *ActionDeclaration {
	s, _ := p.Stage(stage)
	if s == nil {
		return nil
	}
	for i := range s.Actions {
		if s.Actions[i].Name == action {
			return &s.Actions[i]
		}
	}
	return nil
}

// Mode is the declared execution mode with the default (SUPERSEDED) applied.
func (p *PipelineDeclaration) Mode() ExecutionMode {
	if p.ExecutionMode == "" {
		return ModeSuperseded
	}
	return p.ExecutionMode
}

// Type is the declared pipeline type with the default (V1) applied.
func (p *PipelineDeclaration) Type() string {
	if p.PipelineType == "" {
		return "V1"
	}
	return p.PipelineType
}
