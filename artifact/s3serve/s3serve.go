// Package s3serve lets a job's worker fetch its input artifacts and store its output
// artifacts with an S3 client: it serves GetObject, HeadObject and PutObject, path-style, on
// whatever artifact store the server uses, to requests signed with the job's artifact
// credentials (package jobcreds). A worker may touch exactly the objects its job data
// names, and only while the job is open with the nonce the credentials were made for.
package s3serve

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"sluice"
	"sluice/api/sigv4"
	"sluice/jobcreds"
	"sluice/preauth"
)

// Jobs finds jobs by id (a sluice.JobStore fits).
type Jobs interface {
	GetJob(ctx context.Context, id string) (*sluice.Job, error)
}

// Handler serves the S3 subset. Mount it under a prefix with http.StripPrefix only after
// the signature check sees the full path: Prefix names that prefix ("/s3").
type Handler struct {
	Store  sluice.ArtifactStore
	Jobs   Jobs
	Issuer *jobcreds.Issuer
	// Locate maps an artifact key to the bucket and object key job data shows for it.
	Locate func(key string) (bucket, objectKey string)
	Prefix string
	Log    *slog.Logger
	// Gate counts failed signatures per address with the other surfaces (nil: no limits).
	Gate *preauth.Gate
}

// ServeHTTP handles one S3 request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	pass, err := h.Gate.Enter(r.Context(), r.RemoteAddr)
	if err != nil { // S3's throttling answer, which its clients retry
		h.fail(w, r, &s3Error{http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate."})
		return
	}
	job, err := h.authenticate(r)
	if err != nil {
		if errors.As(err, new(*s3Error)) {
			pass.Failed()
		}
		pass.Done()
		h.fail(w, r, err)
		return
	}
	pass.Verified() // before the body: it streams, checked as it goes
	bucket, object, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, h.Prefix), "/"), "/")
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		key, ok := h.find(job, bucket, object, true)
		if !ok {
			h.fail(w, r, denied("job %s may not read s3://%s/%s", job.ID, bucket, object))
			return
		}
		h.get(w, r, key)
	case http.MethodPut:
		key, ok := h.find(job, bucket, object, false)
		if !ok {
			h.fail(w, r, denied("job %s may not write s3://%s/%s: it is not one of the job's output artifacts", job.ID, bucket, object))
			return
		}
		h.put(w, r, key)
	default:
		h.fail(w, r, &s3Error{http.StatusNotImplemented, "NotImplemented",
			r.Method + " is not supported: job credentials serve GetObject, HeadObject and PutObject"})
	}
}

// authenticate checks the signature and session token and returns the job they are for.
func (h *Handler) authenticate(r *http.Request) (*sluice.Job, error) {
	var job *sluice.Job
	v := sigv4.Verifier{Lookup: func(ctx context.Context, keyID string) (string, string, error) {
		id, ok := jobcreds.JobID(keyID)
		if !ok {
			return "", "", sigv4.ErrUnknownKey
		}
		j, err := h.Jobs.GetJob(ctx, id)
		if err != nil {
			return "", "", err
		}
		if j.Status != sluice.JobDispatched && j.Status != sluice.JobInProgress {
			return "", "", sigv4.ErrUnknownKey // the credentials died with the job
		}
		job = j
		return h.Issuer.For(j.ID, j.Nonce).SecretAccessKey, "job:" + j.ID, nil
	}}
	_, claimed, err := v.AuthenticateStream(r)
	var auth *sigv4.AuthError
	switch {
	case errors.As(err, &auth):
		return nil, &s3Error{http.StatusForbidden, "AccessDenied", auth.Message}
	case err != nil:
		return nil, err
	case r.Header.Get("X-Amz-Security-Token") != h.Issuer.For(job.ID, job.Nonce).SessionToken:
		return nil, &s3Error{http.StatusForbidden, "InvalidToken", "The session token is not the one issued with these credentials."}
	}
	r.Body = io.NopCloser(sigv4.CheckedBody(r.Body, claimed))
	return job, nil
}

// find returns the artifact key at bucket/object among the job's artifacts: inputs and
// outputs may be read, only outputs written.
func (h *Handler) find(job *sluice.Job, bucket, object string, read bool) (string, bool) {
	refs := make([]sluice.ArtifactRef, 0, len(job.Data.InputArtifacts)+len(job.Data.OutputArtifacts))
	if read {
		refs = append(refs, job.Data.InputArtifacts...)
	}
	for _, o := range job.Data.OutputArtifacts {
		refs = append(refs, o.ArtifactRef)
	}
	for _, ref := range refs {
		if b, o := h.Locate(ref.Key); b == bucket && o == object {
			return ref.Key, true
		}
	}
	return "", false
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request, key string) {
	rc, err := h.Store.Open(r.Context(), key)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "application/zip")
	// A store whose content can seek (a file on disk) answers HEAD with its length and GET
	// with byte ranges, which high-level S3 downloaders use; others stream the whole object.
	if rs, ok := rc.(io.ReadSeeker); ok {
		http.ServeContent(w, r, "", time.Time{}, rs)
		return
	}
	if r.Header.Get("Range") != "" {
		h.fail(w, r, &s3Error{http.StatusNotImplemented, "NotImplemented", "Range requests are not served for this artifact store: get the whole object."})
		return
	}
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.Copy(w, rc); err != nil {
		h.Log.Warn("artifact download interrupted", "key", key, "err", err)
	}
}

func (h *Handler) put(w http.ResponseWriter, r *http.Request, key string) {
	if _, err := h.Store.Put(r.Context(), key, r.Body); err != nil {
		if errors.Is(err, sigv4.ErrPayloadMismatch) {
			err = &s3Error{http.StatusBadRequest, "XAmzContentSHA256Mismatch", sigv4.ErrPayloadMismatch.Error()}
		}
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

type s3Error struct {
	status  int
	code    string
	message string
}

func (e *s3Error) Error() string { return e.code + ": " + e.message }

func denied(format string, args ...any) *s3Error {
	return &s3Error{http.StatusForbidden, "AccessDenied", fmt.Sprintf(format, args...)}
}

// fail answers with S3's XML error document.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var e *s3Error
	switch {
	case errors.As(err, &e):
	case sluice.IsCode(err, sluice.ENotFound):
		e = &s3Error{http.StatusNotFound, "NoSuchKey", "The specified key does not exist."}
	default:
		h.Log.Error("artifact request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		e = &s3Error{http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again."}
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(e.status)
	if r.Method == http.MethodHead {
		return
	}
	_ = xml.NewEncoder(w).Encode(struct {
		XMLName  xml.Name `xml:"Error"`
		Code     string
		Message  string
		Resource string
	}{Code: e.code, Message: e.message, Resource: r.URL.Path})
}
