package validate_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/validate"
)

func TestVariableDeclarations(t *testing.T) {
	t.Parallel()

	runCases(t, []ruleCase{
		{name: "ErrDuplicateVariable", base: v2Pipeline, mutate: func(d *sluice.PipelineDeclaration) { d.Variables = append(d.Variables, d.Variables[0]) },
			code: sluice.EInvalid, texts: []string{"Pipeline variable 'env' is declared more than once in pipeline 'demo'"}},
	})
}

func TestStartVariables(t *testing.T) {
	t.Parallel()

	setup := func() *sluice.PipelineDeclaration {
		d := v2Pipeline()
		d.Variables = append(d.Variables, sluice.PipelineVariableDeclaration{Name: "release"})
		return d
	}

	t.Run("OKDefaultsAndOverrides", func(t *testing.T) {
		t.Parallel()
		got, err := validate.StartVariables(setup(), map[string]string{"release": "1.2"})
		require.NoError(t, err)
		require.Equal(t, map[string]string{"env": "prod", "release": "1.2"}, got)
	})

	t.Run("OKOverrideReplacesDefault", func(t *testing.T) {
		t.Parallel()
		got, err := validate.StartVariables(setup(), map[string]string{"env": "dev", "release": "1"})
		require.NoError(t, err)
		require.Equal(t, "dev", got["env"])
	})

	t.Run("OKNoVariables", func(t *testing.T) {
		t.Parallel()
		got, err := validate.StartVariables(v1Pipeline(), nil)
		require.NoError(t, err)
		require.Empty(t, got)
	})

	t.Run("ErrUnknownOverride", func(t *testing.T) {
		t.Parallel()
		_, err := validate.StartVariables(setup(), map[string]string{"release": "1", "nope": "x"})
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err))
		require.Contains(t, err.Error(), "Variable 'nope' is not declared in pipeline 'demo'")
	})

	t.Run("ErrMissingValue", func(t *testing.T) {
		t.Parallel()
		_, err := validate.StartVariables(setup(), nil)
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err))
		require.Contains(t, err.Error(), "Variable 'release' of pipeline 'demo' has no default value")
	})

	t.Run("ErrValueTooLong", func(t *testing.T) {
		t.Parallel()
		_, err := validate.StartVariables(setup(), map[string]string{"release": strings.Repeat("v", 1001)})
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err))
		require.Contains(t, err.Error(), "Value for variable 'release'")
	})

	t.Run("ErrEmptyValue", func(t *testing.T) {
		t.Parallel()
		_, err := validate.StartVariables(setup(), map[string]string{"release": ""})
		require.Equal(t, sluice.EInvalid, sluice.ErrorCode(err))
	})
}
