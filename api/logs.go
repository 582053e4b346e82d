package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"sluice"
	"sluice/actionlog"
)

// LogPath is where the log endpoint is mounted (see LogHandler).
const LogPath = actionlog.URLPathPrefix

// maxAppend bounds the body of one append; the log client sends far smaller batches.
const maxAppend = 1 << 20

// ActionLogs stores the logs of action runs for the log endpoint (actionlog.FileSink is one).
// Its methods are safe for concurrent use.
type ActionLogs interface {
	// ReadLog reads id's log from offset into p (at least 64 bytes) and returns how many
	// bytes it put there and the offset to read next; none means nothing more yet. Offsets
	// count the bytes as written; where some were dropped to cap the log, p starts with a
	// marker line "[... N bytes dropped ...]" standing for them. EInvalid for a bad id.
	ReadLog(ctx context.Context, id string, offset int64, p []byte) (n int, next int64, err error)
	// Changed returns a channel closed at the next change of id's log: a write, or the
	// Notify the server sends when the action run ends.
	Changed(id string) <-chan struct{}
	// Append adds p to id's log.
	Append(ctx context.Context, id string, p []byte) error
}

// LogURL is the link to the log of an action execution on the server at base.
func LogURL(base, pipeline, actionExecutionID string) string {
	return base + actionlog.URLPath(pipeline, actionExecutionID)
}

// LogHandler serves the logs of action executions as plain text, to clients signing with a
// Sluice access key (logs can hold sensitive output):
//
//	GET  /v1/logs/{pipeline}/{actionExecutionId}[?offset=N][&follow=true]
//	POST /v1/logs/{pipeline}/{actionExecutionId}    (body appended; InProgress runs only)
//
// GET returns the log from byte offset N (default 0). With follow=true the response stays
// open, flushed as bytes arrive, until the action execution has ended and its log is sent.
// Its trailers say where to resume (X-Sluice-Log-Offset) and the action execution's
// status when the response ended (X-Sluice-Action-Status). Logs must be set, and the
// handler mounted at LogPath without http.StripPrefix: the signature covers the path.
func (s *Server) LogHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+LogPath+"{pipeline}/{id}", s.getLog)
	mux.HandleFunc("POST "+LogPath+"{pipeline}/{id}", s.appendLog)
	return mux
}

// Trailers of a GET of the log endpoint.
const (
	trailerOffset = "X-Sluice-Log-Offset"
	trailerStatus = "X-Sluice-Action-Status"
)

func (s *Server) getLog(w http.ResponseWriter, r *http.Request) {
	start, reqID := time.Now(), s.IDs.NewID()
	w.Header().Set("x-amzn-RequestId", reqID)
	var (
		offset int64
		follow bool
	)
	c, _, err := s.checkLogCall(w, r, 0, false)
	if err == nil {
		offset, follow, err = logQuery(r.URL.Query())
	}
	if err != nil {
		s.logCall("GetActionLog", r, c, reqID, start, err)
		writeTextError(w, s.Log, reqID, s.account(), err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Trailer", trailerOffset+", "+trailerStatus)
	w.WriteHeader(http.StatusOK)
	end, status, err := s.streamLog(r.Context(), w, c, offset, follow)
	if err != nil { // the status is sent: the response ends without trailers, cut short
		s.Log.Error("internal error", "request_id", reqID, "err", err)
	} else {
		h.Set(trailerOffset, strconv.FormatInt(end, 10))
		h.Set(trailerStatus, string(status))
	}
	s.logCall("GetActionLog", r, c, reqID, start, err)
}

// logQuery reads offset (a byte offset, default 0) and follow (a boolean, default false).
func logQuery(q url.Values) (offset int64, follow bool, err error) {
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.ParseInt(v, 10, 64); err != nil || offset < 0 {
			return 0, false, sluice.Errorf(sluice.EInvalid, "", "offset %q is not a byte offset (an integer >= 0)", v)
		}
	}
	if v := q.Get("follow"); v != "" {
		if follow, err = strconv.ParseBool(v); err != nil {
			return 0, false, sluice.Errorf(sluice.EInvalid, "", "follow %q is not true or false", v)
		}
	}
	return offset, follow, nil
}

func (s *Server) appendLog(w http.ResponseWriter, r *http.Request) {
	start, reqID := time.Now(), s.IDs.NewID()
	w.Header().Set("x-amzn-RequestId", reqID)
	c, err := s.appendBody(w, r)
	s.logCall("AppendActionLog", r, c, reqID, start, err)
	if err != nil {
		writeTextError(w, s.Log, reqID, s.account(), err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// appendBody checks an append and adds its body to the log.
func (s *Server) appendBody(w http.ResponseWriter, r *http.Request) (*logCall, error) {
	c, body, err := s.checkLogCall(w, r, maxAppend, true)
	if err != nil {
		return c, err
	}
	if c.run.Status != sluice.ActionInProgress {
		return c, sluice.Errorf(sluice.EConflict, "ActionExecution",
			"action execution '%s' of pipeline '%s' is %s; only an InProgress action execution takes log output",
			c.run.ID, c.pipeline, c.run.Status)
	}
	return c, s.Logs.Append(r.Context(), c.run.ID, body)
}

// logCall is an authenticated request for the log of an existing action execution.
type logCall struct {
	caller   sluice.Caller
	pipeline string
	run      *sluice.ActionRun
}

// checkLogCall verifies the signature before anything else, so that an unsigned request
// learns nothing, not even whether a pipeline exists, and reads the body (at most max bytes)
// only once the signature's headers pass; then the core asks whether the caller may read (or
// write) the pipeline's logs and finds the action execution, which must belong to the
// pipeline the path names.
func (s *Server) checkLogCall(w http.ResponseWriter, r *http.Request, max int64, write bool) (*logCall, []byte, error) {
	body, id, err := s.readVerified(w, r, max, sluice.ELimit)
	if err != nil {
		return nil, nil, err
	}
	c := &logCall{caller: callerOf(r, id), pipeline: r.PathValue("pipeline")}
	c.run, err = s.Service.LogRun(r.Context(), c.caller, c.pipeline, r.PathValue("id"), write)
	return c, body, err
}

// logCall records a request of the log endpoint as ServeHTTP records API calls: who read or
// wrote which log.
func (s *Server) logCall(op string, r *http.Request, c *logCall, reqID string, start time.Time, err error) {
	var principal string
	if c != nil {
		principal = c.caller.Principal
	}
	s.Log.Info("api call", "request_id", reqID, "op", op, "principal", principal, "path", r.URL.Path,
		"remote", r.RemoteAddr, "outcome", outcome(err), "duration", time.Since(start))
}

// logLink is the externalExecutionUrl of an action run: the URL its worker or provider
// gave, else the link to the log Sluice keeps for runs of its type, else none.
func (s *Server) logLink(pipeline string, run *sluice.ActionRun, t sluice.ActionTypeID) string {
	if run.ExternalExecutionURL != "" || s.LogURL == nil || s.HasLog == nil || !s.HasLog(t) {
		return run.ExternalExecutionURL
	}
	return s.LogURL(pipeline, run.ID)
}
