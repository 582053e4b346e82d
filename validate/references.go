package validate

import (
	"regexp"
	"sync"

	"sluice"
)

// reference matches a variable reference #{namespace.key}; the namespace part follows the
// ActionNamespace pattern, so other uses of "#{" are left alone.
var reference = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`#\{([A-Za-z0-9@\-_]+)\.([^}]+)\}`) })

// checkReferences requires every #{namespace.key} in an action's configuration, commands and
// environment variables to name a namespace guaranteed to have run: codepipeline, a declared
// pipeline variable (not in Source actions), or an action namespace of an earlier stage or a
// lower runOrder in the same stage (SEMANTICS §3.1 rule 17, §7). Whether AWS checks this at
// declaration time is unsure [U]; a reference failing here would fail every execution.
func checkReferences(c *check) *sluice.Error {
	producers := map[string]actionRef{}
	for _, r := range c.actions {
		if r.a.Namespace != "" {
			producers[r.a.Namespace] = r
		}
	}
	for _, r := range c.actions {
		for _, text := range referenceSources(r.a) {
			for _, m := range reference().FindAllStringSubmatch(text, -1) {
				if err := resolvable(c, producers, r, m[0], m[1], m[2]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// referenceSources lists the strings of an action that may hold variable references.
func referenceSources(a *sluice.ActionDeclaration) []string {
	var out []string
	for _, k := range sortedKeys(a.Configuration) {
		out = append(out, a.Configuration[k])
	}
	out = append(out, a.Commands...)
	for _, v := range a.EnvironmentVariables {
		out = append(out, v.Value)
	}
	return out
}

func resolvable(c *check, producers map[string]actionRef, r actionRef, ref, ns, key string) *sluice.Error {
	fail := func(format string, args ...any) *sluice.Error {
		return sluice.Errorf(sluice.EActionDecl, "Action", "Action '%s' in stage '%s' references '%s', but "+format,
			append([]any{r.a.Name, r.s.Name, ref}, args...)...)
	}
	switch ns {
	case nsCodePipeline:
		return nil
	case nsVariables:
		if r.a.ActionTypeID.Category == sluice.CategorySource {
			return fail("pipeline variables cannot be used in Source actions")
		}
		if !c.declaresVariable(key) {
			return fail("the pipeline declares no variable '%s'", key)
		}
		return nil
	}
	p, ok := producers[ns]
	switch {
	case !ok:
		return fail("no action declares namespace '%s'", ns)
	case !p.before(r):
		return fail("action '%s' in stage '%s', which declares namespace '%s', does not run before it", p.a.Name, p.s.Name, ns)
	}
	return nil
}

func (c *check) declaresVariable(name string) bool {
	for _, v := range c.d.Variables {
		if v.Name == name {
			return true
		}
	}
	return false
}
