package query

import (
	"encoding/base64"
	"net/url"
	"strconv"

	"sluice"
)

// snsForm reads an SNS request's members, keeping the first that is wrong. SNS names a
// wrong member in an InvalidParameter ("Invalid parameter: TopicArn"), not in IAM's
// validation sentence.
type snsForm struct {
	values url.Values
	err    error
}

func (f *snsForm) fail(member, reason string) {
	if f.err == nil {
		msg := "Invalid parameter: " + member
		if reason != "" {
			msg += " Reason: " + reason
		}
		f.err = sluice.Errorf(sluice.EInvalid, member, "%s", msg)
	}
}

// str reads a string member.
func (f *snsForm) str(name string, required bool) string {
	v, ok := f.values[name]
	if !ok || len(v) == 0 {
		if required {
			f.fail(name, "no value for required parameter")
		}
		return ""
	}
	return v[0]
}

// arn reads a member that must be an SNS ARN.
func (f *snsForm) arn(name string, required bool) string {
	s := f.str(name, required)
	if s == "" {
		return s
	}
	a, err := sluice.ParseARN(s)
	if err != nil || a.Service != "sns" || len(s) > 2048 {
		f.fail(name, "")
	}
	return s
}

// boolean reads a boolean member ("true"/"false", any case).
func (f *snsForm) boolean(name string) bool {
	v := f.str(name, false)
	switch v {
	case "", "false", "False", "FALSE":
		return false
	case "true", "True", "TRUE":
		return true
	}
	f.fail(name, "")
	return false
}

// maxEntries bounds the members of a map or list a request may give.
const maxEntries = 1000

// attributes reads a String-to-String map: Name.entry.N.key and Name.entry.N.value.
func (f *snsForm) attributes(name string) map[string]string {
	var out map[string]string
	for i := 1; i <= maxEntries; i++ {
		p := name + ".entry." + strconv.Itoa(i) + "."
		k, ok := f.values[p+"key"]
		if !ok {
			break
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k[0]] = f.values.Get(p + "value")
	}
	return out
}

// messageAttributes reads MessageAttributes.entry.N.Name and .Value.DataType,
// .Value.StringValue, .Value.BinaryValue (base64).
func (f *snsForm) messageAttributes() map[string]sluice.MessageAttribute {
	var out map[string]sluice.MessageAttribute
	for i := 1; i <= maxEntries; i++ {
		p := "MessageAttributes.entry." + strconv.Itoa(i) + "."
		name, ok := f.values[p+"Name"]
		if !ok {
			break
		}
		a := sluice.MessageAttribute{DataType: f.values.Get(p + "Value.DataType"), StringValue: f.values.Get(p + "Value.StringValue")}
		if b := f.values.Get(p + "Value.BinaryValue"); b != "" {
			v, err := base64.StdEncoding.DecodeString(b)
			if err != nil {
				f.fail("MessageAttributes", "The message attribute '"+name[0]+"' has an invalid binary value.")
			}
			a.BinaryValue = v
		}
		if a.DataType == "" && f.err == nil {
			f.err = sluice.Errorf(sluice.EInvalid, "MessageAttributes", "The message attribute '%s' must contain non-empty message attribute type.", name[0])
		}
		if out == nil {
			out = map[string]sluice.MessageAttribute{}
		}
		out[name[0]] = a
	}
	return out
}

// tags reads Tags.member.N.Key and .Value.
func (f *snsForm) tags() []sluice.Tag {
	var out []sluice.Tag
	for i := 1; i <= maxEntries; i++ {
		p := "Tags.member." + strconv.Itoa(i) + "."
		k, ok := f.values[p+"Key"]
		if !ok {
			break
		}
		out = append(out, sluice.Tag{Key: k[0], Value: f.values.Get(p + "Value")})
	}
	return out
}

// list reads Name.member.N.
func (f *snsForm) list(name string) []string {
	var out []string
	for i := 1; i <= maxEntries; i++ {
		v, ok := f.values[name+".member."+strconv.Itoa(i)]
		if !ok {
			break
		}
		out = append(out, v[0])
	}
	return out
}
