package engine

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestOverrideRevisions(t *testing.T) {
	t.Parallel()
	s3 := sluice.ActionTypeID{Category: sluice.CategorySource, Owner: sluice.OwnerAWS, Provider: "S3", Version: "1"}
	decl := func(typ string, config map[string]string) *sluice.PipelineDeclaration {
		return &sluice.PipelineDeclaration{Name: "p", PipelineType: typ, Stages: []sluice.StageDeclaration{
			{Name: "Source", Actions: []sluice.ActionDeclaration{{Name: "Bundle", ActionTypeID: s3, Configuration: config}}}}}
	}
	key := sluice.SourceRevisionOverride{ActionName: "Bundle", RevisionType: sluice.RevisionS3ObjectKey, RevisionValue: "app/v2.zip"}
	version := sluice.SourceRevisionOverride{ActionName: "Bundle", RevisionType: sluice.RevisionS3ObjectVersion, RevisionValue: "v-7"}
	pushed := map[string]sluice.Revision{"Bundle": {RevisionID: "v-1", Summary: "from the event"}}

	got, err := overrideRevisions(decl("V2", map[string]string{"AllowOverrideForS3ObjectKey": "true"}), []sluice.SourceRevisionOverride{key, version}, pushed)
	require.NoError(t, err)
	require.Equal(t, map[string]sluice.Revision{"Bundle": {RevisionID: "v-7", ChangeIdentifier: "v-7",
		Variables: map[string]string{"ObjectKey": "app/v2.zip"}}}, got, "key and version combine and replace what the event pinned")
	require.Equal(t, "v-1", pushed["Bundle"].RevisionID, "the caller's map is not changed")

	_, err = overrideRevisions(decl("V2", nil), []sluice.SourceRevisionOverride{key}, nil)
	require.ErrorContains(t, err, "AllowOverrideForS3ObjectKey")
	_, err = overrideRevisions(decl("V1", nil), []sluice.SourceRevisionOverride{version}, nil)
	require.ErrorContains(t, err, "V2 pipeline")
	_, err = overrideRevisions(decl("V2", nil), []sluice.SourceRevisionOverride{version, version}, nil)
	require.ErrorContains(t, err, "given twice")
	got, err = overrideRevisions(decl("V1", nil), nil, pushed)
	require.NoError(t, err)
	require.Equal(t, pushed, got)
}
