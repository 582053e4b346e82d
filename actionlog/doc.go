// Package actionlog holds everything about the logs of action runs but their HTTP handlers:
// the files a server keeps them in (FileSink: capped, shared by every writer of a log,
// followed with Changed and read with ReadLog), the tail a runner keeps for failure
// summaries (Tail), and the URL path a log is served at (URLPath). Remote workers use it
// too (tails, paths), so it imports nothing of the server.
package actionlog
