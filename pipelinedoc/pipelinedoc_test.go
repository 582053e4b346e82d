package pipelinedoc_test

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/pipelinedoc"
)

type action struct {
	Name          string            `json:"name"`
	RunOrder      int               `json:"runOrder"`
	Configuration map[string]string `json:"configuration"`
}

func TestFromYAML(t *testing.T) {
	t.Parallel()
	target := func(map[string]any) reflect.Type { return reflect.TypeFor[action]() }
	t.Run("StringsWhereDeclared", func(t *testing.T) {
		t.Parallel()
		js, object, err := pipelinedoc.FromYAML([]byte("name: 1\nrunOrder: 2\nconfiguration:\n  PollForSourceChanges: false\n"), target)
		require.NoError(t, err)
		require.True(t, object)
		var a action
		require.NoError(t, pipelinedoc.Strict(js, &a))
		require.Equal(t, action{Name: "1", RunOrder: 2, Configuration: map[string]string{"PollForSourceChanges": "false"}}, a)
	})
	t.Run("NotAnObject", func(t *testing.T) {
		t.Parallel()
		js, object, err := pipelinedoc.FromYAML([]byte("- a\n- b\n"), target)
		require.NoError(t, err)
		require.False(t, object)
		require.JSONEq(t, `["a","b"]`, string(js))
	})
	t.Run("ErrSyntax", func(t *testing.T) {
		t.Parallel()
		_, _, err := pipelinedoc.FromYAML([]byte("name: [\n"), target)
		require.ErrorContains(t, err, "line")
	})
	t.Run("ErrUnknownField", func(t *testing.T) {
		t.Parallel()
		var a action
		require.ErrorContains(t, pipelinedoc.Strict([]byte(`{"nmae":"x"}`), &a), `unknown field "nmae"`)
		require.ErrorContains(t, pipelinedoc.Strict([]byte(`{"name":"x"} {}`), &a), "unexpected content")
	})
}
