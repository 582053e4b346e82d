package validate

import (
	"sort"

	"sluice"
)

// Model limits for the pipeline-level members.
const (
	maxVariables        = 50
	maxTriggers         = 50
	maxRoleArnLength    = 1024
	maxEncryptionKeyLen = 400
)

// roleArn is the model's RoleArn without its pattern
// (arn:aws(-[\w]+)*:iam::[0-9]{12}:role/.*). The pattern is not enforced: AWS's own
// get-pipeline samples carry placeholders such as "ARN" and "arn:aws:iam::80398EXAMPLE::role/…"
// (corpus docs-cross-region-artifactstores.json, docs-s3-codedeploy-sample-with-metadata-tags.json)
// and Sluice resolves roles itself, so only the length is checked.
var roleArn = str{max: maxRoleArnLength}

// shape checks every model constraint of the declaration and reports them all at once.
func shape(d *sluice.PipelineDeclaration) *sluice.Error {
	var s shapeErrs
	s.str("pipeline.name", d.Name, str{required: true, min: 1, max: 100, pattern: namePattern})
	req := roleArn
	req.required = true
	s.str("pipeline.roleArn", d.RoleArn, req)
	if d.ArtifactStore != nil {
		s.artifactStore("pipeline.artifactStore", d.ArtifactStore)
	}
	s.artifactStores(d.ArtifactStores)
	if d.Stages == nil {
		s.null("pipeline.stages")
	}
	for i := range d.Stages {
		s.stage(member("pipeline.stages", i), &d.Stages[i])
	}
	s.num("pipeline.version", d.Version, 1, 0)
	s.str("pipeline.executionMode", string(d.ExecutionMode), str{enum: []string{"QUEUED", "SUPERSEDED", "PARALLEL"}})
	s.str("pipeline.pipelineType", d.PipelineType, str{enum: []string{"V1", "V2"}})
	s.variables(d.Variables)
	s.size("pipeline.triggers", len(d.Triggers), maxTriggers)
	for i := range d.Triggers {
		s.trigger(member("pipeline.triggers", i), &d.Triggers[i])
	}
	return s.err()
}

func (s *shapeErrs) artifactStore(path string, a *sluice.ArtifactStoreDecl) {
	s.str(path+".type", a.Type, str{required: true, enum: []string{"S3"}})
	s.str(path+".location", a.Location, str{required: true, min: 3, max: 63, pattern: locationPattern})
	if k := a.EncryptionKey; k != nil {
		s.str(path+".encryptionKey.id", k.ID, str{required: true, min: 1, max: maxEncryptionKeyLen})
		s.str(path+".encryptionKey.type", k.Type, str{required: true, enum: []string{"KMS"}})
	}
}

// artifactStores checks the region map in key order, so messages are stable.
func (s *shapeErrs) artifactStores(m map[string]sluice.ArtifactStoreDecl) {
	regions := make([]string, 0, len(m))
	for r := range m {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	for _, r := range regions {
		if outside(r, 4, 30) {
			s.fail("", "pipeline.artifactStores", "Map keys must satisfy constraint: [Member must have length less than or equal to 30, Member must have length greater than or equal to 4]")
			break
		}
	}
	for _, r := range regions {
		a := m[r]
		s.artifactStore("pipeline.artifactStores."+r, &a)
	}
}

func (s *shapeErrs) variables(vs []sluice.PipelineVariableDeclaration) {
	s.size("pipeline.variables", len(vs), maxVariables)
	for i, v := range vs {
		path := member("pipeline.variables", i)
		s.str(path+".name", v.Name, str{required: true, min: 1, max: 128, pattern: namespacePattern})
		if v.DefaultValue != nil {
			s.present(path+".defaultValue", *v.DefaultValue, str{min: 1, max: 1000})
		}
		s.str(path+".description", v.Description, str{max: 200})
	}
}
