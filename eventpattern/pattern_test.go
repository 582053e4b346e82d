package eventpattern

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func decode(t testing.TB, s string) map[string]any {
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	var v map[string]any
	require.NoError(t, d.Decode(&v))
	return v
}

const failedDeploy = `{"version":"0","id":"x","detail-type":"CodePipeline Action Execution State Change",
 "source":"aws.codepipeline","account":"111122223333","region":"eu-west-1","resources":["arn:aws:codepipeline:eu-west-1:111122223333:web"],
 "detail":{"pipeline":"web","state":"FAILED","type":{"category":"Deploy","provider":"CodeDeploy"},"version":3.0,
  "ip":"10.0.0.7","tags":["a","b"],"empty":"","nothing":null,"flag":true,
  "items":[{"name":"Ann","age":30},{"name":"Bob","age":40}],"path":"src/lib/x.go"}}`

func TestMatch(t *testing.T) {
	t.Parallel()
	ev := decode(t, failedDeploy)
	for _, tc := range []struct {
		name, pattern string
		want          bool
	}{
		{"CodePipelineExample", `{"source":["aws.codepipeline"],"detail-type":["CodePipeline Action Execution State Change"],"detail":{"state":["FAILED"],"type":{"category":["Deploy","Build"]}}}`, true},
		{"OtherState", `{"detail":{"state":["SUCCEEDED"]}}`, false},
		{"CaseSensitive", `{"detail":{"state":["failed"]}}`, false},
		{"MissingField", `{"detail":{"stage":["Build"]}}`, false},
		{"EmptyString", `{"detail":{"empty":[""]}}`, true},
		{"Null", `{"detail":{"nothing":[null]}}`, true},
		{"NullIsNotAbsent", `{"detail":{"stage":[null]}}`, false},
		{"Bool", `{"detail":{"flag":[true]}}`, true},
		{"NumberNumeric", `{"detail":{"version":[3]}}`, true},
		{"StringNotNumber", `{"detail":{"version":["3"]}}`, false},
		{"ArrayIntersection", `{"detail":{"tags":["z","b"]}}`, true},
		{"ResourceArray", `{"resources":[{"prefix":"arn:aws:codepipeline:"}]}`, true},
		{"Prefix", `{"region":[{"prefix":"eu-"}]}`, true},
		{"PrefixIgnoreCase", `{"region":[{"prefix":{"equals-ignore-case":"EU-"}}]}`, true},
		{"Suffix", `{"detail":{"path":[{"suffix":".go"}]}}`, true},
		{"SuffixIgnoreCase", `{"detail":{"path":[{"suffix":{"equals-ignore-case":".GO"}}]}}`, true},
		{"EqualsIgnoreCase", `{"detail":{"state":[{"equals-ignore-case":"failed"}]}}`, true},
		{"Wildcard", `{"detail":{"path":[{"wildcard":"*/lib/*"}]}}`, true},
		{"WildcardMiss", `{"detail":{"path":[{"wildcard":"*/bin/*"}]}}`, false},
		{"WildcardEscapedStar", `{"detail":{"path":[{"wildcard":"src\\*"}]}}`, false},
		{"AnythingBut", `{"detail":{"state":[{"anything-but":"SUCCEEDED"}]}}`, true},
		{"AnythingButHit", `{"detail":{"state":[{"anything-but":["FAILED","CANCELED"]}]}}`, false},
		{"AnythingButMissing", `{"detail":{"stage":[{"anything-but":"x"}]}}`, false},
		{"AnythingButPrefix", `{"detail":{"state":[{"anything-but":{"prefix":"FAIL"}}]}}`, false},
		{"AnythingButSuffix", `{"detail":{"path":[{"anything-but":{"suffix":".png"}}]}}`, true},
		{"AnythingButFold", `{"detail":{"state":[{"anything-but":{"equals-ignore-case":["failed","x"]}}]}}`, false},
		{"AnythingButWildcard", `{"detail":{"path":[{"anything-but":{"wildcard":"*/lib/*"}}]}}`, false},
		{"AnythingButNumbers", `{"detail":{"version":[{"anything-but":[1,2]}]}}`, true},
		{"Numeric", `{"detail":{"version":[{"numeric":[">",0,"<=",5]}]}}`, true},
		{"NumericMiss", `{"detail":{"version":[{"numeric":[">",3]}]}}`, false},
		{"NumericEquals", `{"detail":{"version":[{"numeric":["=",3]}]}}`, true},
		{"NumericNotString", `{"detail":{"state":[{"numeric":[">",0]}]}}`, false},
		{"CIDR", `{"detail":{"ip":[{"cidr":"10.0.0.0/24"}]}}`, true},
		{"CIDRMiss", `{"detail":{"ip":[{"cidr":"10.0.1.0/24"}]}}`, false},
		{"Exists", `{"detail":{"state":[{"exists":true}]}}`, true},
		{"ExistsFalse", `{"detail":{"stage":[{"exists":false}]}}`, true},
		{"ExistsFalsePresent", `{"detail":{"state":[{"exists":false}]}}`, false},
		{"ExistsObjectIsAbsent", `{"detail":{"type":[{"exists":false}]}}`, true},
		{"Mixed", `{"detail":{"state":["x",{"prefix":"FA"}]}}`, true},
		{"ArrayOfObjects", `{"detail":{"items":{"name":["Ann"]}}}`, true},
		{"ArrayConsistent", `{"detail":{"items":{"name":["Ann"],"age":[40]}}}`, false},
		{"ArrayConsistentHit", `{"detail":{"items":{"name":["Bob"],"age":[40]}}}`, true},
		{"Or", `{"detail":{"$or":[{"state":["SUCCEEDED"]},{"pipeline":["web"]}]}}`, true},
		{"OrMiss", `{"$or":[{"source":["x"]},{"detail":{"$or":[{"state":["a"]},{"state":["b"]}]}}]}`, false},
		{"OrTopNested", `{"$or":[{"source":["x"]},{"detail":{"$or":[{"state":["a"]},{"state":["FAILED"]}]}}]}`, true},
		{"DuplicateKeyLastWins", `{"source":["x"],"source":["aws.codepipeline"]}`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := Compile(tc.pattern)
			require.NoError(t, err)
			require.Equal(t, tc.want, p.Match(ev))
		})
	}
}

func TestCompileErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, pattern string }{
		{"NotJSON", `{"source":`},
		{"NotObject", `["a"]`},
		{"Empty", `{}`},
		{"EmptyNested", `{"detail":{}}`},
		{"LeafNotArray", `{"source":"aws.codepipeline"}`},
		{"EmptyArray", `{"source":[]}`},
		{"UnknownOperator", `{"source":[{"regex":"a"}]}`},
		{"TwoOperators", `{"source":[{"prefix":"a","suffix":"b"}]}`},
		{"PrefixNumber", `{"source":[{"prefix":5}]}`},
		{"AnythingButMixed", `{"source":[{"anything-but":["a",1]}]}`},
		{"AnythingButBool", `{"source":[{"anything-but":true}]}`},
		{"WildcardDoubleStar", `{"source":[{"wildcard":"a**"}]}`},
		{"WildcardBadEscape", `{"source":[{"wildcard":"a\\b"}]}`},
		{"BadCIDR", `{"source":[{"cidr":"10.0.0.0/99"}]}`},
		{"NumericTwoLower", `{"n":[{"numeric":[">",1,">=",2]}]}`},
		{"NumericTwoUpper", `{"n":[{"numeric":["<",1,"<=",2]}]}`},
		{"NumericTooBig", `{"n":[{"numeric":[">",6e9]}]}`},
		{"NumericQuoted", `{"n":[{"numeric":[">","1"]}]}`},
		{"NumericBadOp", `{"n":[{"numeric":["!=",1]}]}`},
		{"ExistsString", `{"n":[{"exists":"yes"}]}`},
		{"NestedArray", `{"n":[["a"]]}`},
		{"TooLong", `{"n":["` + string(bytes.Repeat([]byte("a"), MaxLength)) + `"]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Compile(tc.pattern)
			var pe *Error
			require.ErrorAs(t, err, &pe)
			require.Contains(t, err.Error(), "Event pattern is not valid. Reason: ")
		})
	}
	t.Run("OrWrongShapeIsAField", func(t *testing.T) {
		t.Parallel()
		p, err := Compile(`{"$or":["a"]}`)
		require.NoError(t, err)
		require.True(t, p.Match(map[string]any{"$or": "a"}))
	})
}

func FuzzCompileMatch(f *testing.F) {
	for _, s := range []string{`{"source":["a"]}`, `{"detail":{"state":[{"anything-but":{"prefix":"F"}}]}}`,
		`{"$or":[{"a":[1]},{"b":[{"numeric":[">",0]}]}]}`, `{"a":[{"wildcard":"*x\\**"}]}`, `{"a":[{"cidr":"::1/128"}]}`} {
		f.Add(s)
	}
	ev := decode(f, failedDeploy)
	f.Fuzz(func(t *testing.T, pattern string) {
		p, err := Compile(pattern)
		if err != nil {
			var pe *Error
			require.ErrorAs(t, err, &pe)
			return
		}
		p.Match(ev)
		p.Match(map[string]any{})
	})
}
