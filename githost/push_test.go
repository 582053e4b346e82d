package githost

import (
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func TestPush(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		work := b.create(t, "app")
		first := b.commit(t, work, "first", map[string]string{"README.md": "hello\n"})
		b.git(t, work, "push", "--quiet", "origin", "main")
		require.Equal(t, push{"app", []sluice.RefUpdate{{Ref: "refs/heads/main", Old: zero(), New: first}}}, <-b.pushes)

		second := b.commit(t, work, "second", map[string]string{"README.md": "hello again\n"})
		b.git(t, work, "push", "--quiet", "origin", "main")
		require.Equal(t, push{"app", []sluice.RefUpdate{{Ref: "refs/heads/main", Old: first, New: second}}}, <-b.pushes)

		sha, err := b.host.ResolveRef(context.Background(), "app", "main")
		require.NoError(t, err)
		require.Equal(t, second, sha)
	})

	t.Run("OKSeveralRefsAndDelete", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		work := b.create(t, "app")
		sha := b.commit(t, work, "first", map[string]string{"a.txt": "a\n"})
		b.git(t, work, "tag", "v1")
		b.git(t, work, "push", "--quiet", "origin", "main", "main:feature", "v1")
		require.Equal(t, push{"app", []sluice.RefUpdate{
			{Ref: "refs/heads/feature", Old: zero(), New: sha},
			{Ref: "refs/heads/main", Old: zero(), New: sha},
			{Ref: "refs/tags/v1", Old: zero(), New: sha},
		}}, <-b.pushes)

		b.git(t, work, "push", "--quiet", "origin", "--delete", "feature")
		require.Equal(t, push{"app", []sluice.RefUpdate{{Ref: "refs/heads/feature", Old: sha, New: zero()}}}, <-b.pushes)
	})

	t.Run("OKChunkedBody", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		work := b.create(t, "app")
		// Incompressible content over git's smallest post buffer makes it send a chunked body.
		sha := b.commit(t, work, "big", map[string]string{"blob.bin": string(randomBytes(t, 256<<10))})
		b.git(t, work, "-c", "http.postBuffer=65536", "push", "--quiet", "origin", "main")
		require.Equal(t, push{"app", []sluice.RefUpdate{{Ref: "refs/heads/main", Old: zero(), New: sha}}}, <-b.pushes)
	})

	t.Run("OKConcurrentRepos", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		want := map[string]string{}
		done := make(chan error, 2)
		for _, repo := range []string{"one", "two"} {
			work := b.create(t, repo)
			want[repo] = b.commit(t, work, repo, map[string]string{repo + ".txt": repo})
			go func() {
				_, err := b.gitErr(work, "push", "--quiet", "origin", "main")
				done <- err
			}()
		}
		for range 2 {
			require.NoError(t, <-done)
		}
		for range 2 {
			p := <-b.pushes
			require.Equal(t, []sluice.RefUpdate{{Ref: "refs/heads/main", Old: zero(), New: want[p.repo]}}, p.updates)
			delete(want, p.repo)
		}
		require.Empty(t, want)
	})

	t.Run("ErrPushDenied", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		work := b.create(t, "app")
		sha := b.commit(t, work, "first", map[string]string{"a.txt": "a\n"})
		b.git(t, work, "push", "--quiet", "origin", "main")
		<-b.pushes
		b.commit(t, work, "second", map[string]string{"a.txt": "b\n"})
		out, err := b.gitErr(work, "push", b.url("app", testReader, testPassword), "main")
		require.Error(t, err)
		require.Contains(t, out, "403")

		clone := filepath.Join(b.dir, "clone") // the reader may still fetch
		b.git(t, b.dir, "clone", "--quiet", b.url("app", testReader, testPassword), clone)
		b.srv.Close()
		b.host.Wait()
		require.Empty(t, b.pushes)
		head, err := b.host.ResolveRef(context.Background(), "app", "main")
		require.NoError(t, err)
		require.Equal(t, sha, head)
	})

	t.Run("ErrWrongPassword", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		work := b.create(t, "app")
		b.commit(t, work, "first", map[string]string{"a.txt": "a\n"})
		out, err := b.gitErr(work, "push", b.url("app", testUser, "wrong"), "main")
		require.Error(t, err)
		require.Contains(t, out, "Authentication failed")

		b.srv.Close() // every handler has returned, so any notification is queued
		b.host.Wait()
		require.Empty(t, b.pushes)
		_, err = b.host.ResolveRef(context.Background(), "app", "main")
		require.Error(t, err)
	})
}

func TestHandler(t *testing.T) {
	t.Parallel()

	get := func(t *testing.T, b *testBundle, path string, auth bool) *http.Response {
		t.Helper()
		req, err := http.NewRequest("GET", b.srv.URL+path, nil)
		require.NoError(t, err)
		if auth {
			req.SetBasicAuth(testUser, testPassword)
		}
		resp, err := b.srv.Client().Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}

	t.Run("OKInfoRefs", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		require.NoError(t, b.host.Create(context.Background(), "app"))
		for _, name := range []string{"app", "app.git"} {
			resp := get(t, b, PathPrefix+name+"/info/refs?service=git-upload-pack", true)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.Equal(t, "application/x-git-upload-pack-advertisement", resp.Header.Get("Content-Type"))
		}
	})

	t.Run("ErrUnauthorized", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		require.NoError(t, b.host.Create(context.Background(), "app"))
		resp := get(t, b, PathPrefix+"app/info/refs?service=git-receive-pack", false)
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		require.Equal(t, `Basic realm="sluice"`, resp.Header.Get("WWW-Authenticate"))
	})

	t.Run("ErrForbiddenBeforeLookup", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		require.NoError(t, b.host.Create(context.Background(), "app"))
		for _, repo := range []string{"app", "missing"} { // the same answer whether it exists or not
			req, err := http.NewRequest("GET", b.srv.URL+PathPrefix+repo+"/info/refs?service=git-receive-pack", nil)
			require.NoError(t, err)
			req.SetBasicAuth(testReader, testPassword)
			resp, err := b.srv.Client().Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			require.Equal(t, http.StatusForbidden, resp.StatusCode, repo)
			require.Equal(t, "User: reader is not authorized to perform: codecommit:GitPush on resource: "+repo+
				" because no identity-based policy allows the codecommit:GitPush action\n", string(body))
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		require.NoError(t, b.host.Create(context.Background(), "app"))
		for _, path := range []string{
			"missing/info/refs?service=git-upload-pack", // no such repository
			"app/info/refs", // the dumb protocol
			"app/HEAD",      // the dumb protocol
			"app/objects/info/packs",
			"app",
			"bad name/info/refs?service=git-upload-pack",
		} {
			resp := get(t, b, PathPrefix+path, true)
			require.Equal(t, http.StatusNotFound, resp.StatusCode, path)
		}
	})

	t.Run("OKCloneDotGit", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		work := b.create(t, "app")
		sha := b.commit(t, work, "first", map[string]string{"a.txt": "a\n"})
		b.git(t, work, "push", "--quiet", "origin", "main")
		<-b.pushes
		clone := filepath.Join(b.dir, "clone")
		b.git(t, b.dir, "clone", "--quiet", b.url("app.git", testUser, testPassword), clone)
		require.Equal(t, sha, b.git(t, clone, "rev-parse", "HEAD"))
	})
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	p := make([]byte, n)
	_, err := rand.Read(p)
	require.NoError(t, err)
	return p
}
