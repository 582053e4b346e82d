package codebuild

// Bounds of the log tail quoted in a failure summary (which may hold 2048 characters,
// part of it taken by the headline).
const (
	tailBytes = 1400
	tailLines = 15
)
