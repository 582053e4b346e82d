package console

import (
	"io"
	"mime"
	"net/http"
)

// artifactDownload streams an artifact an execution's actions made, as the zip the artifact
// store keeps. The core says which artifact the name is and whether the caller may read it.
func (c *Console) artifactDownload(w http.ResponseWriter, r *http.Request, s *session) {
	if c.Artifacts == nil {
		c.errorPage(w, r, s, http.StatusNotFound, "This server's console does not serve artifacts.")
		return
	}
	name, id, artifact := r.PathValue("name"), r.PathValue("id"), r.PathValue("artifact")
	ref, err := c.Service.ExecutionArtifact(r.Context(), s.caller, name, id, artifact)
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	f, err := c.Artifacts.Open(r.Context(), ref.Key)
	if err != nil {
		c.failed(w, r, s, err)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": artifact + ".zip"}))
	if _, err := io.Copy(w, f); err != nil && r.Context().Err() == nil {
		c.Log.Error("console: send an artifact", "pipeline", name, "execution", id, "artifact", artifact, "err", err)
	}
}
