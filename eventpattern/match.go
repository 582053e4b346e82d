package eventpattern

// Match reports whether event (a decoded JSON object: maps, slices, strings, json.Number,
// booleans and nil) matches the pattern.
func (p *Pattern) Match(event map[string]any) bool { return p.root.match(event) }

// match tests o against v. An array matches when one of its elements does, so that two
// fields of one pattern object match inside the same element (array-consistent matching).
func (o *object) match(v any) bool {
	if arr, ok := v.([]any); ok {
		for _, e := range arr {
			if o.match(e) {
				return true
			}
		}
		return len(arr) == 0 && o.match(nil)
	}
	m, _ := v.(map[string]any) // a missing or non-object value: every field is absent
	for _, f := range o.fields {
		if !f.match(m) {
			return false
		}
	}
	for _, group := range o.ors {
		if !anyMatch(group, v) {
			return false
		}
	}
	return true
}

func anyMatch(group []*object, v any) bool {
	for _, o := range group {
		if o.match(v) {
			return true
		}
	}
	return false
}

func (f *field) match(m map[string]any) bool {
	v, present := m[f.name]
	if f.obj != nil {
		return f.obj.match(v)
	}
	leaves := leafValues(v, present)
	for _, mt := range f.leaf {
		if e, ok := mt.(exists); ok {
			if bool(e) == (len(leaves) > 0) {
				return true
			}
			continue
		}
		for _, l := range leaves {
			if mt.match(l) {
				return true
			}
		}
	}
	return false
}

// leafValues are the scalar values at a leaf: the value, or the scalar elements of an array
// (nested arrays flattened); objects count as absent.
func leafValues(v any, present bool) []any {
	if !present {
		return nil
	}
	switch v := v.(type) {
	case map[string]any:
		return nil
	case []any:
		var out []any
		for _, e := range v {
			out = append(out, leafValues(e, true)...)
		}
		return out
	default:
		return []any{v}
	}
}
