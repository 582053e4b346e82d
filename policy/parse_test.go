package policy_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/policy"
)

func TestParse(t *testing.T) {
	t.Parallel()
	t.Run("StatementObjectAndStringMembers", func(t *testing.T) {
		t.Parallel()
		d, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":{"Sid":"a","Effect":"Allow","Action":"codepipeline:Get*","Resource":"*"}}`))
		require.NoError(t, err)
		require.Equal(t, policy.V2012, d.Version)
		require.Equal(t, []policy.Statement{{Sid: "a", Effect: policy.Allow, Actions: []string{"codepipeline:Get*"}, Resources: []string{"*"}}}, d.Statements)
	})
	t.Run("ArraysNotElementsAndDefaultVersion", func(t *testing.T) {
		t.Parallel()
		d, err := policy.Parse([]byte(`{"Statement":[{"Effect":"Deny","NotAction":["iam:*","sts:*"],"NotResource":["arn:aws:codepipeline:us-east-1:1:p"]}]}`))
		require.NoError(t, err)
		require.Equal(t, policy.V2008, d.Version)
		st := d.Statements[0]
		require.True(t, st.NotAction)
		require.True(t, st.NotResource)
		require.Equal(t, []string{"iam:*", "sts:*"}, st.Actions)
	})
	t.Run("Conditions", func(t *testing.T) {
		t.Parallel()
		d, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*",
			"Condition":{"NumericLessThan":{"aws:EpochTime":1900000000},"Bool":{"aws:SecureTransport":true},
			"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*","b"]},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","::1"]}}}}`))
		require.NoError(t, err)
		require.Len(t, d.Statements[0].Conditions, 4)
	})
	for name, tc := range map[string]struct{ doc, msg string }{
		"ErrNotJSON":          {`{"Version":`, "Syntax errors in policy."},
		"ErrTrailingData":     {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}} x`, "Syntax errors in policy."},
		"ErrUnknownTop":       {`{"Statement":[],"Foo":1}`, `Syntax errors in policy. Unknown element "Foo".`},
		"ErrBadVersion":       {`{"Version":"2020-01-01","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, "The policy must contain a valid version string (2012-10-17 or 2008-10-17)."},
		"ErrNoStatement":      {`{"Version":"2012-10-17"}`, "Syntax errors in policy. The policy has no Statement."},
		"ErrEmptyStatements":  {`{"Statement":[]}`, "Syntax errors in policy. Statement must be an object or a non-empty array of objects."},
		"ErrEffectCase":       {`{"Statement":{"Effect":"allow","Action":"*","Resource":"*"}}`, `Syntax errors in policy. Statement[0].Effect must be "Allow" or "Deny".`},
		"ErrNoAction":         {`{"Statement":{"Effect":"Allow","Resource":"*"}}`, "Policy statement must contain actions."},
		"ErrNoResource":       {`{"Statement":{"Effect":"Allow","Action":"*"}}`, "Policy statement must contain resources."},
		"ErrBothActions":      {`{"Statement":{"Effect":"Allow","Action":"*","NotAction":"*","Resource":"*"}}`, "Syntax errors in policy. Statement[0] has both Action and NotAction."},
		"ErrActionNumber":     {`{"Statement":{"Effect":"Allow","Action":3,"Resource":"*"}}`, "Syntax errors in policy. Statement[0].Action must be a string or a non-empty array of strings."},
		"ErrNoVendor":         {`{"Statement":{"Effect":"Allow","Action":"GetPipeline","Resource":"*"}}`, `Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. (Statement[0] action "GetPipeline")`},
		"ErrResourceNotARN":   {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"pipeline"}}`, `Resource pipeline must be in ARN format or "*".`},
		"ErrPrincipal":        {`{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`, "Policy document should not specify a principal."},
		"ErrDuplicateSid":     {`{"Statement":[{"Sid":"a","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"a","Effect":"Deny","Action":"*","Resource":"*"}]}`, "Statement IDs (SID) in a single policy must be unique."},
		"ErrUnknownOperator":  {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringSortOf":{"aws:username":"a"}}}}`, `Syntax errors in policy. Condition operator "StringSortOf" is not supported.`},
		"ErrBadQualifier":     {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForSome:StringEquals":{"aws:username":"a"}}}}`, `Syntax errors in policy. Condition operator "ForSome:StringEquals" is not supported: the only qualifiers are ForAnyValue: and ForAllValues:.`},
		"ErrNullIfExists":     {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NullIfExists":{"aws:username":"true"}}}}`, `Syntax errors in policy. Condition operator "NullIfExists" is not supported: Null has no IfExists form.`},
		"ErrConditionKey":     {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"username":"a"}}}}`, `Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. (condition key "username")`},
		"ErrBadNumber":        {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericEquals":{"aws:EpochTime":"soon"}}}}`, `Syntax errors in policy. Condition NumericEquals cannot compare "soon" (key aws:EpochTime).`},
		"ErrBadAddress":       {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/99"}}}}`, `Syntax errors in policy. Condition IpAddress cannot compare "10.0.0.0/99" (key aws:SourceIp).`},
		"ErrConditionObject":  {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":{"a":1}}}}}`, "Syntax errors in policy. Statement[0].Condition.StringEquals.aws:username must be a string, number, boolean or an array of them."},
		"ErrUnknownStatement": {`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Actions":"x"}}`, `Syntax errors in policy. Statement[0] has an unknown element "Actions".`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := policy.Parse([]byte(tc.doc))
			var me *policy.MalformedError
			require.ErrorAs(t, err, &me)
			require.Equal(t, tc.msg, me.Message)
		})
	}
}
