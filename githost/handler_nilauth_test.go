package githost_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice/githost"
)

func TestHandlerWithoutAuthRefusesEveryone(t *testing.T) {
	t.Parallel()
	h, err := githost.New(t.TempDir())
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	h.Handler(nil, nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/app/info/refs?service=git-upload-pack", nil))
	require.Equal(t, http.StatusUnauthorized, rec.Code)
}
