package validate

import (
	"sort"

	"sluice"
)

// checkVariableDeclarations enforces unique pipeline variable names.
func checkVariableDeclarations(c *check) *sluice.Error {
	seen := map[string]bool{}
	for _, v := range c.d.Variables {
		if seen[v.Name] {
			return invalid("Pipeline variable '%s' is declared more than once in pipeline '%s'", v.Name, c.d.Name)
		}
		seen[v.Name] = true
	}
	return nil
}

// StartVariables resolves the pipeline variables an execution of d starts with (SEMANTICS
// §5.2): each declared variable takes its override, else its default. An override for an
// undeclared variable, an override value outside 1..1000 characters, or a variable with
// neither override nor default is an EInvalid error naming the variable.
func StartVariables(d *sluice.PipelineDeclaration, overrides map[string]string) (map[string]string, error) {
	declared := map[string]bool{}
	for _, v := range d.Variables {
		declared[v.Name] = true
	}
	names := make([]string, 0, len(overrides))
	for name := range overrides {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !declared[name] {
			return nil, invalid("Variable '%s' is not declared in pipeline '%s'", name, d.Name)
		}
		if v := overrides[name]; outside(v, StringShape("PipelineVariableValue")) {
			return nil, invalid("Value for variable '%s' must be 1 to 1000 characters long", name)
		}
	}
	return resolve(d, overrides)
}

func resolve(d *sluice.PipelineDeclaration, overrides map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(d.Variables))
	for _, v := range d.Variables {
		value, ok := overrides[v.Name]
		switch {
		case ok:
		case v.DefaultValue != nil:
			value = *v.DefaultValue
		default:
			return nil, invalid("Variable '%s' of pipeline '%s' has no default value and was given none", v.Name, d.Name)
		}
		out[v.Name] = value
	}
	return out, nil
}
