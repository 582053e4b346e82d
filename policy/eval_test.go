package policy_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/policy"
)

const pipe = "arn:aws:codepipeline:us-east-1:123456789012:MyPipe"

func mustParse(t *testing.T, doc string) *policy.Document {
	t.Helper()
	d, err := policy.Parse([]byte(doc))
	require.NoError(t, err)
	return d
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	user := policy.Context{}
	user.Set("aws:username", "alice")
	user.Set("aws:SourceIp", "10.1.2.3")
	user.Set("aws:TagKeys", "team", "cost")
	user.Set("aws:EpochTime", "1800000000")
	user.Set("aws:CurrentTime", "2027-01-15T08:00:00Z")
	user.Set("aws:SecureTransport", "false")
	user.Set("aws:PrincipalArn", "arn:aws:iam::123456789012:user/dev/alice")
	root := policy.Context{}
	root.Set("aws:SourceIp", "10.1.2.3")
	allow := func(action, resource, cond string) string {
		if cond != "" {
			cond = `,"Condition":` + cond
		}
		return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"` + action + `","Resource":"` + resource + `"` + cond + `}}`
	}
	for name, tc := range map[string]struct {
		docs     []string
		action   string
		resource string
		ctx      policy.Context
		want     policy.Decision
	}{
		"NoPolicyDeniesByDefault":  {nil, "codepipeline:GetPipeline", pipe, user, policy.ImplicitDeny},
		"WildcardAction":           {[]string{allow("codepipeline:Get*", "*", "")}, "codepipeline:GetPipelineState", pipe, user, policy.Allowed},
		"ActionCaseInsensitive":    {[]string{allow("CodePipeline:getpipeline", "*", "")}, "codepipeline:GetPipeline", pipe, user, policy.Allowed},
		"QuestionMark":             {[]string{allow("iam:?etUser", "*", "")}, "iam:GetUser", "*", user, policy.Allowed},
		"OtherActionNotAllowed":    {[]string{allow("codepipeline:Get*", "*", "")}, "codepipeline:StartPipelineExecution", pipe, user, policy.ImplicitDeny},
		"ResourceCaseSensitive":    {[]string{allow("*", "arn:aws:codepipeline:us-east-1:123456789012:mypipe", "")}, "codepipeline:GetPipeline", pipe, user, policy.ImplicitDeny},
		"ResourceStarCrossesSlash": {[]string{allow("*", pipe+"/*", "")}, "codepipeline:PutApprovalResult", pipe + "/Stage/Approve", user, policy.Allowed},
		"ShortResourcePattern":     {[]string{allow("*", "arn:aws:codepipeline:*", "")}, "codepipeline:GetPipeline", pipe, user, policy.Allowed},
		"StarOnlyActionNeedsStar":  {[]string{allow("s3:*", "arn:aws:s3:::*", "")}, "s3:ListAllMyBuckets", "*", user, policy.ImplicitDeny},
		"ExplicitDenyWins": {[]string{allow("*", "*", ""),
			`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"codepipeline:*","Resource":"` + pipe + `"}}`}, "codepipeline:StartPipelineExecution", pipe, user, policy.ExplicitDeny},
		"DenyOnOtherResource": {[]string{allow("*", "*", ""),
			`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"codepipeline:*","Resource":"` + pipe + `"}}`}, "codepipeline:StartPipelineExecution", pipe + "2", user, policy.Allowed},
		"NotActionAllowsTheRest":  {[]string{`{"Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}`}, "codepipeline:StartPipelineExecution", pipe, user, policy.Allowed},
		"NotActionExcludes":       {[]string{`{"Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}`}, "iam:CreateUser", "*", user, policy.ImplicitDeny},
		"DenyNotResource":         {[]string{allow("*", "*", ""), `{"Statement":{"Effect":"Deny","Action":"*","NotResource":"` + pipe + `"}}`}, "codepipeline:GetPipeline", pipe + "2", user, policy.ExplicitDeny},
		"DenyNotResourceSpares":   {[]string{allow("*", "*", ""), `{"Statement":{"Effect":"Deny","Action":"*","NotResource":"` + pipe + `"}}`}, "codepipeline:GetPipeline", pipe, user, policy.Allowed},
		"UsernameVariable":        {[]string{allow("iam:*AccessKey*", "arn:aws:iam::123456789012:user/dev/${aws:username}", "")}, "iam:CreateAccessKey", "arn:aws:iam::123456789012:user/dev/alice", user, policy.Allowed},
		"UsernameVariableOther":   {[]string{allow("iam:*AccessKey*", "arn:aws:iam::123456789012:user/dev/${aws:username}", "")}, "iam:CreateAccessKey", "arn:aws:iam::123456789012:user/dev/bob", user, policy.ImplicitDeny},
		"VariableAbsentForRoot":   {[]string{allow("*", "arn:aws:iam::123456789012:user/${aws:username}", "")}, "iam:GetUser", "arn:aws:iam::123456789012:user/", root, policy.ImplicitDeny},
		"VariableDefault":         {[]string{allow("*", "arn:aws:iam::1:user/${aws:username, 'nobody'}", "")}, "iam:GetUser", "arn:aws:iam::1:user/nobody", root, policy.Allowed},
		"VariableIsLiteral2008":   {[]string{`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:iam::1:user/${aws:username}"}}`}, "iam:GetUser", "arn:aws:iam::1:user/${aws:username}", user, policy.Allowed},
		"StarVariableIsLiteral":   {[]string{allow("*", "arn:aws:iam::1:user/a${*}", "")}, "iam:GetUser", "arn:aws:iam::1:user/abc", user, policy.ImplicitDeny},
		"StringEquals":            {[]string{allow("*", "*", `{"StringEquals":{"aws:username":["bob","alice"]}}`)}, "iam:GetUser", "*", user, policy.Allowed},
		"KeyNamesIgnoreCase":      {[]string{allow("*", "*", `{"StringEquals":{"AWS:UserName":"alice"}}`)}, "iam:GetUser", "*", user, policy.Allowed},
		"StringEqualsCase":        {[]string{allow("*", "*", `{"StringEquals":{"aws:username":"Alice"}}`)}, "iam:GetUser", "*", user, policy.ImplicitDeny},
		"StringEqualsIgnoreCase":  {[]string{allow("*", "*", `{"StringEqualsIgnoreCase":{"aws:username":"ALICE"}}`)}, "iam:GetUser", "*", user, policy.Allowed},
		"StringNotEqualsNone":     {[]string{allow("*", "*", `{"StringNotEquals":{"aws:username":["bob","carol"]}}`)}, "iam:GetUser", "*", user, policy.Allowed},
		"StringNotEqualsOne":      {[]string{allow("*", "*", `{"StringNotEquals":{"aws:username":["bob","alice"]}}`)}, "iam:GetUser", "*", user, policy.ImplicitDeny},
		"MissingKeyPositiveFails": {[]string{allow("*", "*", `{"StringEquals":{"aws:username":"alice"}}`)}, "iam:GetUser", "*", root, policy.ImplicitDeny},
		"MissingKeyNegatedHolds":  {[]string{allow("*", "*", `{"StringNotEquals":{"aws:username":"alice"}}`)}, "iam:GetUser", "*", root, policy.Allowed},
		"IfExistsMissing":         {[]string{allow("*", "*", `{"StringEqualsIfExists":{"aws:username":"bob"}}`)}, "iam:GetUser", "*", root, policy.Allowed},
		"IfExistsPresent":         {[]string{allow("*", "*", `{"StringEqualsIfExists":{"aws:username":"bob"}}`)}, "iam:GetUser", "*", user, policy.ImplicitDeny},
		"StringLike":              {[]string{allow("*", "*", `{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/dev/*"}}`)}, "iam:GetUser", "*", user, policy.Allowed},
		"ConditionVariable":       {[]string{allow("*", "*", `{"StringLike":{"aws:PrincipalArn":"*/${aws:username}"}}`)}, "iam:GetUser", "*", user, policy.Allowed},
		"NullTrueForAbsent":       {[]string{allow("*", "*", `{"Null":{"aws:username":"true"}}`)}, "iam:GetUser", "*", root, policy.Allowed},
		"NullFalseForPresent":     {[]string{allow("*", "*", `{"Null":{"aws:username":"false"}}`)}, "iam:GetUser", "*", root, policy.ImplicitDeny},
		"NumericLessThan":         {[]string{allow("*", "*", `{"NumericLessThan":{"aws:EpochTime":1900000000}}`)}, "iam:GetUser", "*", user, policy.Allowed},
		"NumericGreaterThan":      {[]string{allow("*", "*", `{"NumericGreaterThan":{"aws:EpochTime":"1900000000"}}`)}, "iam:GetUser", "*", user, policy.ImplicitDeny},
		"DateLessThanDateOnly":    {[]string{allow("*", "*", `{"DateLessThan":{"aws:CurrentTime":"2027-02-01"}}`)}, "iam:GetUser", "*", user, policy.Allowed},
		"DateGreaterThanEpoch":    {[]string{allow("*", "*", `{"DateGreaterThan":{"aws:CurrentTime":"1900000000"}}`)}, "iam:GetUser", "*", user, policy.ImplicitDeny},
		"Bool":                    {[]string{allow("*", "*", `{"Bool":{"aws:SecureTransport":false}}`)}, "iam:GetUser", "*", user, policy.Allowed},
		"IpAddressCIDR":           {[]string{allow("*", "*", `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`)}, "iam:GetUser", "*", user, policy.Allowed},
		"NotIpAddress":            {[]string{allow("*", "*", `{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.1"]}}`)}, "iam:GetUser", "*", user, policy.ImplicitDeny},
		"ArnLikePerPart":          {[]string{allow("*", "*", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/*"}}`)}, "iam:GetUser", "*", user, policy.Allowed},
		"ArnLikeStarStaysInPart":  {[]string{allow("*", "*", `{"ArnLike":{"aws:PrincipalArn":"arn:*:user/dev/alice"}}`)}, "iam:GetUser", "*", user, policy.ImplicitDeny},
		"ForAnyValueMatch":        {[]string{allow("*", "*", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["cost","x"]}}`)}, "iam:GetUser", "*", user, policy.Allowed},
		"ForAnyValueAbsent":       {[]string{allow("*", "*", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["cost"]}}`)}, "iam:GetUser", "*", root, policy.ImplicitDeny},
		"ForAllValuesOneOutside":  {[]string{allow("*", "*", `{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}`)}, "iam:GetUser", "*", user, policy.ImplicitDeny},
		"ForAllValuesAll":         {[]string{allow("*", "*", `{"ForAllValues:StringEquals":{"aws:TagKeys":["team","cost","x"]}}`)}, "iam:GetUser", "*", user, policy.Allowed},
		"ForAllValuesAbsentHolds": {[]string{allow("*", "*", `{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}`)}, "iam:GetUser", "*", root, policy.Allowed},
		"ConditionsAreANDed":      {[]string{allow("*", "*", `{"StringEquals":{"aws:username":"alice"},"Bool":{"aws:SecureTransport":"true"}}`)}, "iam:GetUser", "*", user, policy.ImplicitDeny},
		"ConditionedDeny":         {[]string{allow("*", "*", ""), `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"192.168.0.0/16"}}}}`}, "iam:GetUser", "*", user, policy.ExplicitDeny},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var docs []*policy.Document
			for _, d := range tc.docs {
				docs = append(docs, mustParse(t, d))
			}
			got := policy.Evaluate(policy.Request{Action: tc.action, Resource: tc.resource, Context: tc.ctx}, docs...)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true}, {"*", "anything/at:all", true}, {"a?c", "abc", true}, {"a?c", "ac", false},
		{"a*b*c", "aXbYbZc", true}, {"a*b*c", "aXbYbZ", false}, {`a\*`, "a*", true}, {`a\*`, "ab", false},
		{"", "", true}, {"", "a", false}, {"**a", "bba", true},
		{"a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
	} {
		require.Equal(t, tc.want, policy.Match(tc.pattern, tc.s), "%q ~ %q", tc.pattern, tc.s)
	}
}
