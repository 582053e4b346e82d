package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

const secretARNPrefix = "arn:aws:secretsmanager:us-east-1:000000000000:secret:"

func secret(name string, sec int) *sluice.Secret {
	return &sluice.Secret{ARN: secretARNPrefix + name + "-AbCdEf", Name: name, Description: "d " + name,
		KmsKeyID: "alias/aws/secretsmanager", Created: at(sec), Changed: at(sec)}
}

func secretName(s *sluice.Secret) string { return s.Name }

// testSecrets checks sluice.SecretStore.
func testSecrets(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("CreateGetByNameOrARN", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		s := secret("db/password", 1)
		require.NoError(t, f.s.CreateSecret(f.ctx, s))
		byName, err := f.s.GetSecret(f.ctx, "db/password")
		require.NoError(t, err)
		require.Equal(t, s, byName)
		byARN, err := f.s.GetSecret(f.ctx, s.ARN)
		require.NoError(t, err)
		require.Equal(t, s, byARN)
		requireCode(t, f.s.CreateSecret(f.ctx, secret("db/password", 2)), sluice.EAlreadyExists, "Secret")
		_, err = f.s.GetSecret(f.ctx, "nope")
		requireCode(t, err, sluice.ENotFound, "Secret")
	})

	t.Run("VersionsAndValues", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		s := secret("api", 1)
		require.NoError(t, f.s.CreateSecret(f.ctx, s))
		v1 := &sluice.SecretVersion{ID: "v1", String: `{"user":"u","pass":"p1"}`, Stages: []string{sluice.StageCurrent}, Created: at(2)}
		v2 := &sluice.SecretVersion{ID: "v2", Binary: []byte{0, 1, 2, 255}, IsBinary: true, Created: at(3)}
		require.NoError(t, f.s.PutSecretVersion(f.ctx, s.ARN, v1))
		require.NoError(t, f.s.PutSecretVersion(f.ctx, s.ARN, v2))
		requireCode(t, f.s.PutSecretVersion(f.ctx, s.ARN, v1), sluice.EAlreadyExists, "SecretVersion")
		requireCode(t, f.s.PutSecretVersion(f.ctx, secretARNPrefix+"none-AbCdEf", v1), sluice.ENotFound, "Secret")
		require.NoError(t, f.s.SetSecretStages(f.ctx, s.ARN, "v2", []string{sluice.StageCurrent}))
		require.NoError(t, f.s.SetSecretStages(f.ctx, s.ARN, "v1", []string{sluice.StagePrevious}))
		requireCode(t, f.s.SetSecretStages(f.ctx, s.ARN, "v9", nil), sluice.ENotFound, "SecretVersion")

		vs, err := f.s.SecretVersions(f.ctx, s.ARN)
		require.NoError(t, err)
		require.Equal(t, []*sluice.SecretVersion{
			{ID: "v2", IsBinary: true, Stages: []string{sluice.StageCurrent}, Created: at(3)},
			{ID: "v1", Stages: []string{sluice.StagePrevious}, Created: at(2)},
		}, vs, "newest first, without values")
		got, err := f.s.SecretValue(f.ctx, s.ARN, "v1")
		require.NoError(t, err)
		require.Equal(t, v1.String, got.String)
		got, err = f.s.SecretValue(f.ctx, s.ARN, "v2")
		require.NoError(t, err)
		require.Equal(t, v2.Binary, got.Binary)
		_, err = f.s.SecretValue(f.ctx, s.ARN, "v9")
		requireCode(t, err, sluice.ENotFound, "SecretVersion")
	})

	t.Run("UpdateListDelete", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		for i, name := range []string{"c", "a", "b"} {
			require.NoError(t, f.s.CreateSecret(f.ctx, secret(name, i+1)))
		}
		a := secret("a", 2)
		a.Description, a.Changed, a.Accessed, a.Deleted = "new", at(5), at(6), at(7)
		require.NoError(t, f.s.UpdateSecret(f.ctx, a))
		got, err := f.s.GetSecret(f.ctx, "a")
		require.NoError(t, err)
		require.Equal(t, a, got)
		requireCode(t, f.s.UpdateSecret(f.ctx, secret("zz", 1)), sluice.ENotFound, "Secret")

		page1, next, err := f.s.ListSecrets(f.ctx, sluice.Page{Limit: 2})
		require.NoError(t, err)
		require.Equal(t, []string{"a", "b"}, ids(page1, secretName))
		page2, next, err := f.s.ListSecrets(f.ctx, sluice.Page{Limit: 2, Token: next})
		require.NoError(t, err)
		require.Empty(t, next)
		require.Equal(t, []string{"c"}, ids(page2, secretName))

		require.NoError(t, f.s.PutSecretVersion(f.ctx, a.ARN, &sluice.SecretVersion{ID: "v1", String: "x", Created: at(8)}))
		require.NoError(t, f.s.TagResource(f.ctx, a.ARN, map[string]string{"k": "v"}))
		require.NoError(t, f.s.DeleteSecret(f.ctx, a.ARN))
		requireCode(t, f.s.DeleteSecret(f.ctx, a.ARN), sluice.ENotFound, "Secret")
		vs, err := f.s.SecretVersions(f.ctx, a.ARN)
		require.NoError(t, err)
		require.Empty(t, vs, "versions go with the secret")
		tags, err := f.s.ListTags(f.ctx, a.ARN)
		require.NoError(t, err)
		require.Empty(t, tags, "and so do its tags")
		require.NoError(t, f.s.CreateSecret(f.ctx, secret("a", 9)), "a deleted secret's name is free again")
	})
}

func param(name, typ, value string) *sluice.Parameter {
	return &sluice.Parameter{Name: name, Type: typ, Value: value, DataType: "text", Tier: "Standard", Modified: at(1),
		ModifiedBy: "arn:aws:iam::000000000000:root"}
}

func paramName(p *sluice.Parameter) string { return p.Name }

// testParameters checks sluice.ParameterStore.
func testParameters(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("VersionsAndOverwrite", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		p := param("/app/token", sluice.ParamSecureString, "s3cr3t-1")
		require.NoError(t, f.s.PutParameter(f.ctx, p, false, 100))
		require.Equal(t, int64(1), p.Version)
		requireCode(t, f.s.PutParameter(f.ctx, param("/app/token", sluice.ParamString, "x"), false, 100), sluice.EAlreadyExists, "Parameter")
		p2 := param("/app/token", sluice.ParamSecureString, "s3cr3t-2")
		require.NoError(t, f.s.PutParameter(f.ctx, p2, true, 100))
		require.Equal(t, int64(2), p2.Version)

		latest, err := f.s.GetParameter(f.ctx, "/app/token", 0)
		require.NoError(t, err)
		require.Equal(t, p2, latest)
		first, err := f.s.GetParameter(f.ctx, "/app/token", 1)
		require.NoError(t, err)
		require.Equal(t, "s3cr3t-1", first.Value)
		_, err = f.s.GetParameter(f.ctx, "/app/token", 7)
		requireCode(t, err, sluice.ENotFound, "ParameterVersion")
		_, err = f.s.GetParameter(f.ctx, "/app/none", 0)
		requireCode(t, err, sluice.ENotFound, "Parameter")
		_, err = f.s.GetParameter(f.ctx, "/app/none", 3)
		requireCode(t, err, sluice.ENotFound, "Parameter")
	})

	t.Run("OldestVersionDroppedPastMax", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		for i := 0; i < 3; i++ {
			require.NoError(t, f.s.PutParameter(f.ctx, param("n", sluice.ParamString, "v"), true, 2))
		}
		_, err := f.s.GetParameter(f.ctx, "n", 1)
		requireCode(t, err, sluice.ENotFound, "ParameterVersion")
		p, err := f.s.GetParameter(f.ctx, "n", 2)
		require.NoError(t, err)
		require.Equal(t, int64(2), p.Version)
	})

	t.Run("ByPath", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		for _, name := range []string{"/a/x", "/a/b/y", "/a/b/c/z", "/a_other/w", "/ab", "/a/w"} {
			require.NoError(t, f.s.PutParameter(f.ctx, param(name, sluice.ParamString, "v-"+name), false, 100))
		}
		require.NoError(t, f.s.PutParameter(f.ctx, param("/a/x", sluice.ParamSecureString, "sealed"), true, 100))
		direct, next, err := f.s.ParametersByPath(f.ctx, "/a/", false, sluice.Page{})
		require.NoError(t, err)
		require.Empty(t, next)
		require.Equal(t, []string{"/a/w", "/a/x"}, ids(direct, paramName))
		require.Equal(t, "sealed", direct[1].Value, "the latest version, opened")
		require.Equal(t, int64(2), direct[1].Version)

		var all []string
		page := sluice.Page{Limit: 2}
		for {
			ps, next, err := f.s.ParametersByPath(f.ctx, "/a/", true, page)
			require.NoError(t, err)
			all = append(all, ids(ps, paramName)...)
			if next == "" {
				break
			}
			page.Token = next
			require.Less(t, len(all), 10, "paging does not end")
		}
		require.Equal(t, []string{"/a/b/c/z", "/a/b/y", "/a/w", "/a/x"}, all)
	})

	t.Run("Delete", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.PutParameter(f.ctx, param("n", sluice.ParamString, "v"), false, 100))
		require.NoError(t, f.s.PutParameter(f.ctx, param("n", sluice.ParamString, "v2"), true, 100))
		require.NoError(t, f.s.DeleteParameter(f.ctx, "n"))
		requireCode(t, f.s.DeleteParameter(f.ctx, "n"), sluice.ENotFound, "Parameter")
		p := param("n", sluice.ParamString, "again")
		require.NoError(t, f.s.PutParameter(f.ctx, p, false, 100))
		require.Equal(t, int64(1), p.Version, "a deleted parameter starts over")
	})
}

// testPipelineAuthors checks SecretStore.PipelineAuthor: each version keeps who saved it.
func testPipelineAuthors(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("EachVersionKeepsItsAuthor", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		p := &sluice.Pipeline{Declaration: declaration("p"), ARN: "arn:aws:codepipeline:us-east-1:000000000000:p",
			Created: at(1), Updated: at(1), Author: "arn:aws:iam::000000000000:user/alice"}
		f.update("p", func(tx sluice.Tx) error { return tx.CreatePipeline(f.ctx, p, nil) })
		next := *p
		next.Declaration.Version, next.Updated, next.Author = 2, at(2), "arn:aws:iam::000000000000:user/bob"
		f.update("p", func(tx sluice.Tx) error { return tx.SavePipeline(f.ctx, &next) })

		for v, want := range map[int]string{1: p.Author, 2: next.Author} {
			got, err := f.s.PipelineAuthor(f.ctx, "p", v)
			require.NoError(t, err)
			require.Equal(t, want, got, "version %d", v)
		}
		_, err := f.s.PipelineAuthor(f.ctx, "p", 3)
		requireCode(t, err, sluice.ENotFound, "Pipeline")
		got, err := f.s.GetPipeline(f.ctx, "p", 0)
		require.NoError(t, err)
		require.Empty(t, got.Author, "pipeline reads leave Author empty, as its doc says")
	})
}
