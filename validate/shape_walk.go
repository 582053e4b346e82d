package validate

import (
	"reflect"
	"slices"
	"sort"
	"strings"

	"sluice"
)

// shape checks every model constraint of the declaration and reports them all at once. It
// walks the Go value beside the model's PipelineDeclaration, member by member (a field's
// JSON name is its member's name), so every constraint comes from the model. Go cannot tell
// an absent member from a zero one once decoded, so "" and 0 stand for absent, and so do a
// nil pointer, list or map; a pointer to "" is a present empty string.
func shape(d *sluice.PipelineDeclaration) *sluice.Error {
	var s Violations
	s.structure("pipeline", reflect.ValueOf(d).Elem(), "PipelineDeclaration")
	return s.Err()
}

// memberOrder is the order of the members of structures whose violations Sluice has always
// listed in another order than the model's.
var memberOrder = map[string][]string{
	"StageDeclaration": {"name", "blockers", "actions", "beforeEntry", "onSuccess", "onFailure"},
}

func (s *Violations) structure(path string, v reflect.Value, name string) {
	sh := shapeOf(name)
	for _, f := range fields(v.Type(), memberOrder[name]) {
		if m, ok := sh.Members[f.name]; ok {
			s.value(path+"."+f.name, v.Field(f.index), m.Shape, sh.required(f.name))
		}
	}
}

// value checks one member of the shape name; required says whether its structure requires it.
func (s *Violations) value(path string, v reflect.Value, name string, required bool) {
	sh := shapeOf(name)
	if v.Kind() == reflect.Pointer || ((sh.Type == "list" || sh.Type == "map") && v.IsNil()) {
		if v.IsNil() {
			if required {
				s.Null(path)
			}
			return
		}
		v = v.Elem()
		if sh.Type == "string" {
			s.Check(path, v.String(), StringShape(name))
			return
		}
	}
	switch sh.Type {
	case "string":
		s.str(path, v.String(), str{required: required, Constraint: StringShape(name)})
	case "integer":
		s.num(path, int(v.Int()), bound(sh.Min), bound(sh.Max))
	case "structure":
		s.structure(path, v, name)
	case "list":
		s.elements(path, v, sh)
	case "map":
		s.mapping(path, v, sh)
	}
}

// elements checks a list's length and every element, with 1-based "N.member" paths. An element
// is always present, even when it is "".
func (s *Violations) elements(path string, v reflect.Value, sh *modelShape) {
	s.size(path, v.Len(), bound(sh.Min), bound(sh.Max))
	elem := sh.Member.Shape
	for i := range v.Len() {
		if shapeOf(elem).Type == "string" {
			s.Check(member(path, i), v.Index(i).String(), StringShape(elem))
			continue
		}
		s.value(member(path, i), v.Index(i), elem, false)
	}
}

// mapping checks a map: of strings as a whole (stringMap), of structures key by key in key
// order, so messages are stable, with paths "<map>.<key>".
func (s *Violations) mapping(path string, v reflect.Value, sh *modelShape) {
	key := StringShape(sh.Key.Shape)
	if shapeOf(sh.Value.Shape).Type == "string" {
		m := make(map[string]string, v.Len())
		for it := v.MapRange(); it.Next(); {
			m[it.Key().String()] = it.Value().String()
		}
		s.stringMap(path, m, bound(sh.Max), key, StringShape(sh.Value.Shape))
		return
	}
	keys := make([]string, 0, v.Len())
	for _, k := range v.MapKeys() {
		keys = append(keys, k.String())
	}
	sort.Strings(keys)
	for _, k := range keys {
		if outside(k, key) {
			s.Fail("", path, "Map keys must satisfy constraint: "+bounds(key))
			break
		}
	}
	for _, k := range keys {
		s.value(path+"."+k, v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())), sh.Value.Shape, false)
	}
}

// field is a struct field and the member name its JSON tag gives it.
type field struct {
	name  string
	index int
}

// fields lists t's tagged fields in declaration order, or in order where order names them.
func fields(t reflect.Type, order []string) []field {
	var fs []field
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			fs = append(fs, field{name: name, index: i})
		}
	}
	if order != nil {
		slices.SortStableFunc(fs, func(a, b field) int {
			return slices.Index(order, a.name) - slices.Index(order, b.name)
		})
	}
	return fs
}
