package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"sluice"
	"sluice/service"
	"sluice/validate"
)

// projectDoc is a build project as a JSON object: CodeBuild's CreateProjectInput members,
// which are also members of its Project shape. Sluice keeps every member given, so that
// BatchGetProjects answers with the project as it was created.
type projectDoc map[string]json.RawMessage

// projectMembers are the members of CreateProjectInput and UpdateProjectInput. Others are
// dropped, as the service ignores them (a Project printed by batch-get-projects has arn,
// created and badge, which are the service's to set).
var projectMembers = map[string]bool{
	"name": true, "description": true, "source": true, "secondarySources": true, "sourceVersion": true,
	"secondarySourceVersions": true, "artifacts": true, "secondaryArtifacts": true, "cache": true,
	"environment": true, "serviceRole": true, "timeoutInMinutes": true, "queuedTimeoutInMinutes": true,
	"encryptionKey": true, "tags": true, "vpcConfig": true, "badgeEnabled": true, "logsConfig": true,
	"fileSystemLocations": true, "buildBatchConfig": true, "concurrentBuildLimit": true, "autoRetryLimit": true,
}

// CodeBuild's default queuedTimeoutInMinutes and its bounds (the model's TimeOut shape).
const (
	defaultQueuedTimeout = 480
	minQueuedTimeout     = 5
	maxQueuedTimeout     = 480
)

// projectSpec is what Sluice checks of a project document, and the members it acts on.
// Pointers tell an absent member from an empty one where the model requires it.
type projectSpec struct {
	Name                   string              `json:"name"`
	Description            string              `json:"description"`
	Source                 *projectSource      `json:"source"`
	SecondarySources       []projectSource     `json:"secondarySources"`
	Artifacts              *projectArtifacts   `json:"artifacts"`
	SecondaryArtifacts     []projectArtifacts  `json:"secondaryArtifacts"`
	Environment            *projectEnvironment `json:"environment"`
	ServiceRole            string              `json:"serviceRole"`
	TimeoutInMinutes       *int                `json:"timeoutInMinutes"`
	QueuedTimeoutInMinutes *int                `json:"queuedTimeoutInMinutes"`
	EncryptionKey          *string             `json:"encryptionKey"`
	Tags                   []projectTag        `json:"tags"`
	// Members Sluice keeps without acting on them, declared so that a wrong JSON type is
	// refused as the service refuses it.
	SourceVersion           *string          `json:"sourceVersion"`
	SecondarySourceVersions []map[string]any `json:"secondarySourceVersions"`
	Cache                   map[string]any   `json:"cache"`
	VpcConfig               map[string]any   `json:"vpcConfig"`
	BadgeEnabled            *bool            `json:"badgeEnabled"`
	LogsConfig              map[string]any   `json:"logsConfig"`
	FileSystemLocations     []map[string]any `json:"fileSystemLocations"`
	BuildBatchConfig        map[string]any   `json:"buildBatchConfig"`
	ConcurrentBuildLimit    *int             `json:"concurrentBuildLimit"`
	AutoRetryLimit          *int             `json:"autoRetryLimit"`
}

type projectSource struct {
	Type      string `json:"type"`
	Buildspec string `json:"buildspec"`
}

type projectArtifacts struct {
	Type string `json:"type"`
}

type projectEnvironment struct {
	Type                 string               `json:"type"`
	Image                string               `json:"image"`
	ComputeType          string               `json:"computeType"`
	EnvironmentVariables []projectEnvVariable `json:"environmentVariables"`
}

type projectEnvVariable struct {
	Name  string  `json:"name"`
	Value *string `json:"value"`
	Type  string  `json:"type"`
}

type projectTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// The model's shapes of a project's members.
var (
	projectNameRule  = rule{min: 2, max: 150, pattern: validate.NewPattern(`[A-Za-z0-9][A-Za-z0-9\-_]{1,149}`)}
	nonEmptyRule     = rule{min: 1}
	descriptionRule  = rule{max: 255, quiet: true}
	sourceTypeRule   = rule{enum: []string{"CODECOMMIT", "CODEPIPELINE", "GITHUB", "GITLAB", "GITLAB_SELF_MANAGED", "S3", "BITBUCKET", "GITHUB_ENTERPRISE", "NO_SOURCE"}}
	artifactTypeRule = rule{enum: []string{"CODEPIPELINE", "S3", "NO_ARTIFACTS"}}
	envTypeRule      = rule{enum: []string{"WINDOWS_CONTAINER", "LINUX_CONTAINER", "LINUX_GPU_CONTAINER", "ARM_CONTAINER",
		"WINDOWS_SERVER_2019_CONTAINER", "WINDOWS_SERVER_2022_CONTAINER", "LINUX_LAMBDA_CONTAINER", "ARM_LAMBDA_CONTAINER",
		"LINUX_EC2", "ARM_EC2", "WINDOWS_EC2", "MAC_ARM"}}
	computeTypeRule = rule{enum: []string{"BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE",
		"BUILD_GENERAL1_XLARGE", "BUILD_GENERAL1_2XLARGE", "BUILD_LAMBDA_1GB", "BUILD_LAMBDA_2GB", "BUILD_LAMBDA_4GB",
		"BUILD_LAMBDA_8GB", "BUILD_LAMBDA_10GB", "ATTRIBUTE_BASED_COMPUTE", "CUSTOM_INSTANCE_TYPE"}}
	envVarTypeRule  = rule{enum: []string{"PLAINTEXT", "PARAMETER_STORE", "SECRETS_MANAGER"}}
	tagKeyRule      = rule{min: 1, max: 127, pattern: validate.NewPattern(`^([\p{L}\p{Z}\p{N}_.:/=@+\-]*)$`)}
	tagValueRule    = rule{max: 255, pattern: validate.NewPattern(`^([\p{L}\p{Z}\p{N}_.:/=@+\-]*)$`)}
	projectSortRule = rule{enum: []string{string(sluice.SortByName), string(sluice.SortByCreated), string(sluice.SortByLastModified)}}
	sortOrderRule   = rule{enum: []string{"ASCENDING", "DESCENDING"}}
)

// Lists of a project the model bounds.
const (
	maxProjectSources = 12
	maxProjectTags    = 50
)

// readProjectDoc reads a CreateProject or UpdateProject body, keeping the input members.
func readProjectDoc(body []byte) (projectDoc, error) {
	var doc projectDoc
	if err := decode(body, &doc); err != nil {
		return nil, err
	}
	if doc == nil { // a body of null
		doc = projectDoc{}
	}
	for k := range doc {
		if !projectMembers[k] {
			delete(doc, k)
		}
	}
	return doc, nil
}

// project checks the document as CreateProject's input and returns the project it
// defines, defaults filled in (in the document too). Times, ARN and revision are the
// caller's.
func (doc projectDoc) project() (*sluice.BuildProject, error) {
	var spec projectSpec
	if err := doc.decodeInto(&spec); err != nil {
		return nil, err
	}
	if err := spec.check(); err != nil {
		return nil, err
	}
	if spec.TimeoutInMinutes == nil {
		doc["timeoutInMinutes"] = json.RawMessage(fmt.Sprint(sluice.DefaultBuildTimeout))
		spec.TimeoutInMinutes = new(sluice.DefaultBuildTimeout)
	}
	if spec.QueuedTimeoutInMinutes == nil {
		doc["queuedTimeoutInMinutes"] = json.RawMessage(fmt.Sprint(defaultQueuedTimeout))
	}
	document, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	p := &sluice.BuildProject{Name: spec.Name, Buildspec: spec.Source.Buildspec,
		TimeoutInMinutes: *spec.TimeoutInMinutes, Document: document}
	for _, v := range spec.Environment.EnvironmentVariables {
		p.Variables = append(p.Variables, sluice.EnvironmentVariable{Name: v.Name, Value: *v.Value, Type: v.Type})
	}
	return p, nil
}

// decodeInto decodes the document into v; a member of the wrong JSON type is a
// SerializationException naming it.
func (doc projectDoc) decodeInto(v any) error {
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return decode(b, v)
}

// check applies the model's constraints, all violations in one InvalidInputException.
func (s *projectSpec) check() error {
	var m members
	m.need("name", s.Name, projectNameRule)
	m.opt("description", s.Description, descriptionRule)
	if s.Source == nil {
		m.null("source")
	} else {
		m.need("source.type", s.Source.Type, sourceTypeRule)
	}
	m.atMost("secondarySources", len(s.SecondarySources), maxProjectSources)
	for i, src := range s.SecondarySources {
		m.need(fmt.Sprintf("secondarySources.%d.member.type", i+1), src.Type, sourceTypeRule)
	}
	if s.Artifacts == nil {
		m.null("artifacts")
	} else {
		m.need("artifacts.type", s.Artifacts.Type, artifactTypeRule)
	}
	m.atMost("secondaryArtifacts", len(s.SecondaryArtifacts), maxProjectSources)
	for i, a := range s.SecondaryArtifacts {
		m.need(fmt.Sprintf("secondaryArtifacts.%d.member.type", i+1), a.Type, artifactTypeRule)
	}
	s.Environment.check(&m)
	m.need("serviceRole", s.ServiceRole, nonEmptyRule)
	m.between("timeoutInMinutes", s.TimeoutInMinutes, sluice.MinBuildTimeout, sluice.MaxBuildTimeout)
	m.between("queuedTimeoutInMinutes", s.QueuedTimeoutInMinutes, minQueuedTimeout, maxQueuedTimeout)
	if s.EncryptionKey != nil {
		m.present("encryptionKey", *s.EncryptionKey, nonEmptyRule)
	}
	m.atMost("tags", len(s.Tags), maxProjectTags)
	for i, t := range s.Tags {
		m.opt(fmt.Sprintf("tags.%d.member.key", i+1), t.Key, tagKeyRule)
		m.opt(fmt.Sprintf("tags.%d.member.value", i+1), t.Value, tagValueRule)
	}
	return m.inputErr()
}

func (e *projectEnvironment) check(m *members) {
	if e == nil {
		m.null("environment")
		return
	}
	m.need("environment.type", e.Type, envTypeRule)
	m.need("environment.image", e.Image, nonEmptyRule)
	m.need("environment.computeType", e.ComputeType, computeTypeRule)
	for i, v := range e.EnvironmentVariables {
		path := fmt.Sprintf("environment.environmentVariables.%d.member.", i+1)
		m.need(path+"name", v.Name, nonEmptyRule)
		if strings.HasPrefix(v.Name, "CODEBUILD_") {
			// The build sets these itself; a project value could never take effect.
			m.fail("'"+v.Name+"'", path+"name", "Member must not start with CODEBUILD_, which is reserved")
		}
		if v.Value == nil {
			m.null(path + "value")
		}
		m.opt(path+"type", v.Type, envVarTypeRule)
	}
}

// output is the project as the API's Project shape: the document with the members the
// service sets. badgeEnabled is an input member; the Project has badge instead.
func projectOutput(p *sluice.BuildProject) (projectDoc, error) {
	var doc projectDoc
	if err := json.Unmarshal(p.Document, &doc); err != nil {
		return nil, fmt.Errorf("project %s: stored document: %w", p.Name, err)
	}
	if doc == nil {
		doc = projectDoc{}
	}
	badge := false
	if raw, ok := doc["badgeEnabled"]; ok {
		_ = json.Unmarshal(raw, &badge) // checked as a boolean when stored
		delete(doc, "badgeEnabled")
	}
	for k, v := range map[string]any{"name": p.Name, "arn": p.ARN, "created": ts(p.Created),
		"lastModified": ts(p.LastModified), "badge": map[string]bool{"badgeEnabled": badge}} {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		doc[k] = b
	}
	return doc, nil
}

// ProjectFromInput reads a build project from the JSON create-project takes (`aws codebuild
// create-project --cli-input-json`), with CreateProject's checks and defaults, as created
// at now in region and account. `sluice run --project FILE` defines its projects with it.
func ProjectFromInput(input []byte, region, account string, now time.Time) (*sluice.BuildProject, error) {
	doc, err := readProjectDoc(input)
	if err != nil {
		return nil, err
	}
	p, err := doc.project()
	if err != nil {
		return nil, err
	}
	return service.NewProject(p, sluice.ARNScope{Region: region, Account: account}, now), nil
}
