package api

import "sluice/validate"

// modelOperation reports whether the CodePipeline API model names op, so an operation Sluice
// does not offer yet is answered as such rather than as unknown.
func modelOperation(op string) bool { return validate.IsOperation(op) }
