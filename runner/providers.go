package runner

import (
	"fmt"

	"sluice"
)

// ProviderMap indexes providers by the action types they declare, for Runner.Providers. It
// fails when two providers declare one type: which one runs would depend on the order.
func ProviderMap(providers ...sluice.Provider) (map[string]sluice.Provider, error) {
	m := make(map[string]sluice.Provider)
	for _, p := range providers {
		for _, t := range p.Types() {
			key := t.ID.String()
			if _, dup := m[key]; dup {
				return nil, fmt.Errorf("two providers declare action type %s", key)
			}
			m[key] = p
		}
	}
	return m, nil
}

// actionType is the job's action type; JobData repeats it for remote workers.
func actionType(job *sluice.Job) sluice.ActionTypeID {
	if job.ActionType != (sluice.ActionTypeID{}) {
		return job.ActionType
	}
	return job.Data.ActionTypeID
}

// provider returns the job's provider and the values of the job's secret configuration
// properties, which its log must not show.
func (r *Runner) provider(job *sluice.Job) (sluice.Provider, []string) {
	id := actionType(job)
	p := r.Providers[id.String()]
	if p == nil {
		return nil, nil
	}
	var secrets []string
	for _, t := range p.Types() {
		if t.ID != id {
			continue
		}
		for _, prop := range t.ConfigurationProperties {
			if v := job.Data.Configuration[prop.Name]; prop.Secret && v != "" {
				secrets = append(secrets, v)
			}
		}
	}
	return p, secrets
}
