package validate

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestStringShape(t *testing.T) {
	t.Parallel()
	t.Run("FromModel", func(t *testing.T) {
		t.Parallel()
		c := StringShape("PipelineName")
		require.Equal(t, 1, c.Min)
		require.Equal(t, 100, c.Max)
		require.Equal(t, `[A-Za-z0-9.@\-_]+`, c.Pattern.String())
		require.Equal(t, []string{"V1", "V2"}, StringShape("PipelineType").Enum)
	})
	t.Run("Deviations", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, 50000, StringShape("ActionConfigurationValue").Max)
		require.Nil(t, StringShape("RoleArn").Pattern)
		require.Equal(t, 1024, StringShape("RoleArn").Max)
		require.Nil(t, StringShape("PipelineVariableValue").Pattern, "a .* pattern constrains nothing")
	})
	t.Run("Operations", func(t *testing.T) {
		t.Parallel()
		require.True(t, IsOperation("GetPipeline"))
		require.False(t, IsOperation("GetPipelines"))
		require.Len(t, Operations(), 44)
		require.Equal(t, []string{"pipelineName", "stageName", "pipelineExecutionId", "retryMode"}, InputRequired("RetryStageExecution"))
		require.Nil(t, InputRequired("GetPipelines"))
	})
	t.Run("ErrUnknownShape", func(t *testing.T) {
		t.Parallel()
		require.Panics(t, func() { StringShape("NoSuchShape") })
	})
}

// TestShapeCoversModel keeps the Go declaration and the model in step: every member of every
// structure the walk reaches has a field of its name, so no constraint is skipped unseen.
func TestShapeCoversModel(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	var visit func(reflect.Type, string)
	visit = func(typ reflect.Type, name string) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		sh := shapeOf(name)
		switch sh.Type {
		case "list":
			visit(typ, sh.Member.Shape)
			return
		case "map":
			visit(typ, sh.Value.Shape)
			return
		case "structure":
		default:
			return
		}
		if seen[name] {
			return
		}
		seen[name] = true
		byName := map[string]reflect.StructField{}
		for _, f := range fields(typ, nil) {
			byName[f.name] = typ.Field(f.index)
		}
		for member, m := range sh.Members {
			f, ok := byName[member]
			require.True(t, ok, "%s.%s (model shape %s) has no field in %s", name, member, name, typ)
			visit(f.Type, m.Shape)
		}
	}
	visit(reflect.TypeOf(sluice.PipelineDeclaration{}), "PipelineDeclaration")
	require.Contains(t, seen, "RuleDeclaration")
	require.Contains(t, seen, "GitPullRequestFilter")
}

// TestPatternsCompile compiles every pattern of the model, which NewPattern leaves to the
// first match.
func TestPatternsCompile(t *testing.T) {
	t.Parallel()
	for name, sh := range model().Shapes {
		if p := StringShape(name).Pattern; sh.Type == "string" && p != nil {
			require.NotPanics(t, func() { p.Match("") }, name)
		}
	}
}
