package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"sluice"
	"sluice/service"
)

// epoch is a timestamp on the wire: seconds since the epoch with a fractional part.
type epoch time.Time

func (t epoch) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)), nil
}

// maxEpoch bounds a timestamp in seconds, so that its milliseconds fit an int64.
const maxEpoch = 9e15

// UnmarshalJSON takes seconds, as a number or a string of one. Anything else is a type error
// that decode reports with the member's path.
func (t *epoch) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	f, err := strconv.ParseFloat(string(bytes.Trim(b, `"`)), 64)
	if err != nil || math.Abs(f) > maxEpoch {
		return &json.UnmarshalTypeError{Value: jsonValueKind(b), Type: reflect.TypeFor[epoch]()}
	}
	*t = epoch(time.UnixMilli(int64(f * 1000)).UTC())
	return nil
}

// jsonValueKind describes a JSON value as encoding/json's type errors do.
func jsonValueKind(b []byte) string {
	switch b[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	}
	return "number " + string(b)
}

// ts returns a wire timestamp, nil for the zero time so the member is omitted.
func ts(t time.Time) *epoch {
	if t.IsZero() {
		return nil
	}
	e := epoch(t)
	return &e
}

// decode reads a request body into in; unknown members (such as "__type") are ignored as AWS
// services ignore them. A body that is not JSON, or whose members have the wrong JSON types,
// is a SerializationException naming the member.
func decode(body []byte, in any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	err := json.Unmarshal(body, in)
	if err == nil {
		return nil
	}
	var (
		te  *json.UnmarshalTypeError
		se  *json.SyntaxError
		msg string
	)
	switch {
	case errors.As(err, &te) && te.Field == "":
		msg = fmt.Sprintf("The request body must be a JSON object, not %s.", te.Value)
	case errors.As(err, &te):
		msg = fmt.Sprintf("Value at '%s' must be %s, not %s.", te.Field, jsonKind(te.Type), te.Value)
	case errors.As(err, &se):
		msg = fmt.Sprintf("The request body is not valid JSON: %s (at byte %d).", strings.TrimPrefix(se.Error(), "json: "), se.Offset)
	default:
		msg = "The request body could not be read: " + strings.TrimPrefix(err.Error(), "json: ")
	}
	return &protocolError{Name: "SerializationException", Message: msg}
}

// jsonKind names the JSON type a Go type decodes from, as the model names shapes.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[epoch]() {
		return "a timestamp (seconds since the epoch)"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "an object"
}

type tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// coreTags is the core's tags of the wire's list.
func coreTags(tags []tag) []sluice.Tag {
	if tags == nil {
		return nil
	}
	out := make([]sluice.Tag, 0, len(tags))
	for _, t := range tags {
		out = append(out, sluice.Tag(t))
	}
	return out
}

// tagList is tags as the wire lists them, sorted by key.
func tagList(tags map[string]string) []tag {
	return wireTags(service.TagList(tags))
}

// wireTags is the wire's list of the core's tags.
func wireTags(tags []sluice.Tag) []tag {
	all := []tag{}
	for _, t := range tags {
		all = append(all, tag(t))
	}
	return all
}
