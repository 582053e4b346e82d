package service

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestEventInput(t *testing.T) {
	t.Parallel()
	event := []byte(`{"id":"e1","source":"aws.codepipeline","detail":{"pipeline":"web","state":"FAILED","version":3.0,
	 "type":{"category":"Deploy"},"arts":[{"name":"a"},{"name":"b"}]}}`)
	d := json.NewDecoder(bytes.NewReader(event))
	d.UseNumber()
	var value map[string]any
	require.NoError(t, d.Decode(&value))
	rule := &sluice.EventRule{Name: "r", ARN: "arn:aws:events:eu-west-1:111122223333:rule/r"}
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	input := func(tg sluice.EventTarget) string { return eventInput(event, value, rule, &tg, now) }
	tf := func(paths map[string]string, tpl string) sluice.EventTarget {
		return sluice.EventTarget{InputTransformer: &sluice.InputTransformer{PathsMap: paths, Template: tpl}}
	}
	for _, tc := range []struct {
		name   string
		target sluice.EventTarget
		want   string
	}{
		{"Event", sluice.EventTarget{}, string(event)},
		{"Input", sluice.EventTarget{Input: `{"a":1}`}, `{"a":1}`},
		{"InputPath", sluice.EventTarget{InputPath: "$.detail.type"}, `{"category":"Deploy"}`},
		{"InputPathBracket", sluice.EventTarget{InputPath: "$['detail']['state']"}, `"FAILED"`},
		{"InputPathIndex", sluice.EventTarget{InputPath: "$.detail.arts[1].name"}, `"b"`},
		{"InputPathMissing", sluice.EventTarget{InputPath: "$.detail.nope"}, `null`},
		{"TransformObject", tf(map[string]string{"p": "$.detail.pipeline", "v": "$.detail.version", "t": "$.detail.type", "x": "$.nope"},
			`{"msg":"<p> is at <v>","p":<p>,"t":<t>,"x":<x>,"xs":"<x>","rule":"<aws.events.rule-name>"}`),
			`{"msg":"web is at 3.0","p":"web","t":{"category":"Deploy"},"x":null,"xs":"","rule":"r"}`},
		{"TransformString", tf(map[string]string{"p": "$.detail.pipeline"}, `"Pipeline <p> failed"`), `"Pipeline web failed"`},
		{"TransformText", tf(map[string]string{"p": "$.detail.pipeline", "s": "$.detail.state"}, `Pipeline <p> is <s> <unknown>`),
			`Pipeline web is FAILED <unknown>`},
		{"TransformWildcard", tf(map[string]string{"n": "$.detail.arts[*].name"}, `{"names":<n>}`), `{"names":["a","b"]}`},
		{"TransformEscapes", tf(map[string]string{"t": "$.detail.type"}, `{"s":"<t>"}`), `{"s":"{\"category\":\"Deploy\"}"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, input(tc.target))
		})
	}
	t.Run("BadPaths", func(t *testing.T) {
		t.Parallel()
		for _, p := range []string{"detail", "$.", "$[x]", "$['a'", "$..a"} {
			_, ok := parseJSONPath(p)
			require.False(t, ok, p)
		}
	})
}
