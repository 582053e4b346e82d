package validate

import "sluice"

// configValueMax is the longest configuration value accepted. The model and the quotas page
// say 1000, but the real service reports (and so enforces) 50000 — see the message quoted in
// aws/aws-cdk#19767 and SEMANTICS §1.2. Sluice must not be stricter than AWS, so it accepts
// up to 50000 and quotes that limit in its message, as AWS does.
const configValueMax = 50000

// Model limits for action members.
const (
	configKeyMax       = 50
	maxCommands        = 50
	maxFiles           = 10
	maxOutputVariables = 15
	maxEnvVariables    = 10
)

var (
	categories = []string{"Source", "Build", "Deploy", "Test", "Invoke", "Approval", "Compute"}
	owners     = []string{"AWS", "ThirdParty", "Custom"}
	nameShape  = str{required: true, min: 1, max: 100, pattern: namePattern}
	region     = str{min: 4, max: 30}
	command    = str{min: 1, max: 1000}
	artifact   = str{required: true, min: 1, max: 100, pattern: artifactPattern}
)

func (s *shapeErrs) stage(path string, st *sluice.StageDeclaration) {
	s.str(path+".name", st.Name, nameShape)
	for i, b := range st.Blockers {
		bp := member(path+".blockers", i)
		s.str(bp+".name", b.Name, str{required: true, min: 1, max: 100})
		s.str(bp+".type", b.Type, str{required: true, enum: []string{"Schedule"}})
	}
	if st.Actions == nil {
		s.null(path + ".actions")
	}
	for i := range st.Actions {
		s.action(member(path+".actions", i), &st.Actions[i])
	}
	s.conditions(path, st)
}

func (s *shapeErrs) action(path string, a *sluice.ActionDeclaration) {
	s.str(path+".name", a.Name, nameShape)
	s.actionTypeID(path+".actionTypeId", a.ActionTypeID)
	s.num(path+".runOrder", a.RunOrder, 1, 999)
	s.stringMap(path+".configuration", a.Configuration, 0, configKeyMax, configValueMax)
	s.strs(path+".commands", a.Commands, maxCommands, command)
	s.outputArtifacts(path+".outputArtifacts", a.OutputArtifacts)
	s.inputArtifacts(path+".inputArtifacts", a.InputArtifacts)
	s.strs(path+".outputVariables", a.OutputVariables, maxOutputVariables, str{min: 1, max: 128})
	s.str(path+".roleArn", a.RoleArn, roleArn)
	s.str(path+".region", a.Region, region)
	s.str(path+".namespace", a.Namespace, str{min: 1, max: 100, pattern: namespacePattern})
	s.num(path+".timeoutInMinutes", a.TimeoutInMinutes, 5, 86400)
	s.environmentVariables(path+".environmentVariables", a.EnvironmentVariables)
}

func (s *shapeErrs) actionTypeID(path string, id sluice.ActionTypeID) {
	s.str(path+".category", id.Category, str{required: true, enum: categories})
	s.str(path+".owner", id.Owner, str{required: true, enum: owners})
	s.str(path+".provider", id.Provider, str{required: true, min: 1, max: 35, pattern: providerPattern})
	s.str(path+".version", id.Version, str{required: true, min: 1, max: 9, pattern: providerPattern})
}

func (s *shapeErrs) outputArtifacts(path string, out []sluice.OutputArtifact) {
	for i, o := range out {
		op := member(path, i)
		s.str(op+".name", o.Name, artifact)
		s.strs(op+".files", o.Files, maxFiles, str{min: 1, max: 128})
	}
}

func (s *shapeErrs) inputArtifacts(path string, in []sluice.InputArtifact) {
	for i, a := range in {
		s.str(member(path, i)+".name", a.Name, artifact)
	}
}

func (s *shapeErrs) environmentVariables(path string, vs []sluice.EnvironmentVariable) {
	s.size(path, len(vs), maxEnvVariables)
	for i, v := range vs {
		vp := member(path, i)
		s.str(vp+".name", v.Name, str{required: true, min: 1, max: 128, pattern: envNamePattern})
		s.str(vp+".value", v.Value, str{required: true, min: 1, max: 2000})
		s.str(vp+".type", v.Type, str{enum: []string{"PLAINTEXT", "SECRETS_MANAGER"}})
	}
}
