package validate

import (
	"strings"

	"sluice"
)

// checkCompute enforces that commands, output artifact files, outputVariables and
// environmentVariables appear only on Compute actions, and that Compute actions have
// single-line commands.
func checkCompute(c *check) *sluice.Error {
	for _, r := range c.actions {
		var err *sluice.Error
		if r.a.ActionTypeID.Category == sluice.CategoryCompute {
			err = computeAction(r)
		} else {
			err = nonComputeAction(r)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func computeAction(r actionRef) *sluice.Error {
	if len(r.a.Commands) == 0 {
		return sluice.Errorf(sluice.EActionDecl, "Action",
			"Action %s must have a non-empty commands field", r.a.Name)
	}
	for i, cmd := range r.a.Commands {
		if strings.ContainsAny(cmd, "\r\n") {
			return sluice.Errorf(sluice.EActionDecl, "Action",
				"Action %s in stage '%s' has a multi-line command at '%s.commands.%d.member'; commands must be single-line",
				r.a.Name, r.s.Name, r.path(), i+1)
		}
	}
	return nil
}

// nonComputeAction words its errors as AWS does for commands. AWS uses the same (misleading)
// commands sentence when output artifact files appear on a non-compute action
// (aws/aws-cdk#38843); Sluice keeps that sentence for compatibility and adds what is wrong.
func nonComputeAction(r actionRef) *sluice.Error {
	if len(r.a.Commands) > 0 {
		return notCompute(r.a.Name, "commands", "")
	}
	for _, o := range r.a.OutputArtifacts {
		if len(o.Files) > 0 {
			return notCompute(r.a.Name, "commands",
				" Output artifact '"+o.Name+"' of action '"+r.a.Name+"' in stage '"+r.s.Name+
					"' declares files, which only compute actions may declare.")
		}
	}
	if len(r.a.OutputVariables) > 0 {
		return notCompute(r.a.Name, "outputVariables", "")
	}
	if len(r.a.EnvironmentVariables) > 0 {
		return notCompute(r.a.Name, "environmentVariables", "")
	}
	return nil
}

func notCompute(action, field, detail string) *sluice.Error {
	return sluice.Errorf(sluice.EActionDecl, "Action",
		"The following action cannot contain a %s field: %s. To use the %s field, use a compute action.%s",
		field, action, field, detail)
}
