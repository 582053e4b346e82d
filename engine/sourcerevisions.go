package engine

import (
	"maps"

	"sluice"
)

// revisionTypes says which source providers take which override (SEMANTICS §5.2).
var revisionTypes = map[string][]string{
	sluice.RevisionCommitID:        {"CodeCommit", "CodeStarSourceConnection", "GitHub", "Bitbucket"},
	sluice.RevisionImageDigest:     {"ECR"},
	sluice.RevisionS3ObjectVersion: {"S3"},
	sluice.RevisionS3ObjectKey:     {"S3"},
}

// overrideRevisions merges StartPipelineExecution's sourceRevisions into the revisions an
// execution pins, after checking each names a source action that takes its type.
func overrideRevisions(decl *sluice.PipelineDeclaration, overrides []sluice.SourceRevisionOverride, pinned map[string]sluice.Revision) (map[string]sluice.Revision, error) {
	if len(overrides) == 0 {
		return pinned, nil
	}
	if decl.Type() != "V2" {
		return nil, sluice.Errorf(sluice.EInvalid, "", "sourceRevisions can only be given for a V2 pipeline; %s is %s.", decl.Name, decl.Type())
	}
	out := maps.Clone(pinned)
	if out == nil {
		out = map[string]sluice.Revision{}
	}
	seen, touched := map[[2]string]bool{}, map[string]bool{}
	for _, o := range overrides {
		a := sourceAction(decl, o.ActionName)
		if a == nil {
			return nil, sluice.Errorf(sluice.EInvalid, "", "sourceRevisions: %s is not a source action of pipeline %s.", o.ActionName, decl.Name)
		}
		if !takes(a.ActionTypeID.Provider, o.RevisionType) {
			return nil, sluice.Errorf(sluice.EInvalid, "", "sourceRevisions: action %s (%s) does not take a %s revision.", o.ActionName, a.ActionTypeID.Provider, o.RevisionType)
		}
		if o.RevisionType == sluice.RevisionS3ObjectKey && a.Configuration["AllowOverrideForS3ObjectKey"] != "true" {
			return nil, sluice.Errorf(sluice.EInvalid, "", "sourceRevisions: action %s does not allow S3_OBJECT_KEY overrides: set AllowOverrideForS3ObjectKey to true in its configuration.", o.ActionName)
		}
		key := [2]string{o.ActionName, o.RevisionType}
		if seen[key] {
			return nil, sluice.Errorf(sluice.EInvalid, "", "sourceRevisions: %s is given twice for action %s.", o.RevisionType, o.ActionName)
		}
		var rev sluice.Revision // an override replaces whatever a trigger pinned, whole
		if touched[o.ActionName] {
			rev = out[o.ActionName] // S3_OBJECT_KEY and S3_OBJECT_VERSION_ID combine
		}
		seen[key], touched[o.ActionName] = true, true
		if o.RevisionType == sluice.RevisionS3ObjectKey {
			rev.Variables = map[string]string{"ObjectKey": o.RevisionValue}
		} else {
			rev.RevisionID, rev.ChangeIdentifier = o.RevisionValue, o.RevisionValue
		}
		out[o.ActionName] = rev
	}
	return out, nil
}

func sourceAction(decl *sluice.PipelineDeclaration, name string) *sluice.ActionDeclaration {
	for i := range decl.Stages {
		for j := range decl.Stages[i].Actions {
			a := &decl.Stages[i].Actions[j]
			if a.Name == name && a.ActionTypeID.Category == sluice.CategorySource {
				return a
			}
		}
	}
	return nil
}

func takes(provider, revisionType string) bool {
	for _, p := range revisionTypes[revisionType] {
		if p == provider {
			return true
		}
	}
	return false
}
