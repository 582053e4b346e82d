package console

import (
	"net/http"
	"sort"

	"sluice"
)

type actionTypesData struct {
	BuiltIn, Custom []sluice.ActionType
}

// actionTypesPage lists the action types, built-in and custom, with their properties.
func (c *Console) actionTypesPage(w http.ResponseWriter, r *http.Request, s *session) {
	types, err := c.Service.ListActionTypes(r.Context(), s.caller, "")
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	sort.SliceStable(types, func(i, j int) bool { return types[i].ID.String() < types[j].ID.String() })
	var d actionTypesData
	for _, t := range types {
		if t.ID.Owner == sluice.OwnerCustom {
			d.Custom = append(d.Custom, t)
		} else {
			d.BuiltIn = append(d.BuiltIn, t)
		}
	}
	c.render(w, r, s, http.StatusOK, "actiontypes", d)
}
