package validate_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/validate"
)

func TestPipeline(t *testing.T) {
	t.Parallel()

	t.Run("OKV1", func(t *testing.T) {
		t.Parallel()
		require.NoError(t, validate.Pipeline(v1Pipeline(), customLookup()))
	})

	t.Run("OKV2", func(t *testing.T) {
		t.Parallel()
		require.NoError(t, validate.Pipeline(v2Pipeline(), customLookup()))
	})

	t.Run("NilLookupUsesBuiltInCatalog", func(t *testing.T) {
		t.Parallel()
		require.NoError(t, validate.Pipeline(v1Pipeline(), nil))
	})

	t.Run("ErrNilDeclaration", func(t *testing.T) {
		t.Parallel()
		err := validate.Pipeline(nil, nil)
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err))
		require.Contains(t, err.Error(), "Value null at 'pipeline'")
	})

	t.Run("ErrorIsSluiceError", func(t *testing.T) {
		t.Parallel()
		d := v1Pipeline()
		d.Stages = d.Stages[:1]
		err := validate.Pipeline(d, nil)
		var e *sluice.Error
		require.ErrorAs(t, err, &e)
		require.Equal(t, sluice.EStructure, e.Code)
		require.Equal(t, "Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline", e.Message)
	})

	t.Run("ShapeBeforeSemantics", func(t *testing.T) {
		t.Parallel()
		d := v1Pipeline()
		d.Stages = d.Stages[:1]
		d.Name = "bad name"
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(validate.Pipeline(d, nil)))
	})

	t.Run("RegionNamedInUnknownTypeMessage", func(t *testing.T) {
		t.Parallel()
		d := v1Pipeline()
		d.ArtifactStore = nil
		d.ArtifactStores = map[string]sluice.ArtifactStoreDecl{"eu-west-1": {Type: "S3", Location: "eu-bucket"}}
		action(d, 1, 0).ActionTypeID.Provider = "Nope"
		err := validate.Options{Region: "eu-west-1"}.Pipeline(d, nil)
		require.Contains(t, err.Error(), "in action 'Compile' is not available in region 'EU_WEST_1'")
	})
}
