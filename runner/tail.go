package runner

// Bounds of the log tail kept for failure summaries, which may hold 2048 characters.
const (
	tailSize  = 1536
	tailLines = 20
)
