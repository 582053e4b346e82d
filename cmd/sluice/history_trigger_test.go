package main

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// The history's trigger column names what started a run briefly: a push by its branch, a
// user by name.
func TestHistoryTrigger(t *testing.T) {
	t.Parallel()
	for detail, want := range map[string]string{
		"arn:aws:codecommit:us-east-1:000000000000:app (refs/heads/main)": "CloudWatchEvent (main)",
		"arn:aws:iam::000000000000:user/ann":                              "CloudWatchEvent (ann)",
		"":                                                                "CloudWatchEvent",
	} {
		got := trigger(&types.ExecutionTrigger{TriggerType: types.TriggerTypeCloudWatchEvent, TriggerDetail: aws.String(detail)})
		require.Equal(t, want, got, detail)
	}
}
