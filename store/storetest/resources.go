package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
)

func repository(name string) *sluice.Repository {
	return &sluice.Repository{ID: "id-" + name, Name: name, Description: "the " + name + " repo",
		ARN: factoryScope.ARN(sluice.RepositoryARN, name), DefaultBranch: "main",
		Created: at(1), Updated: at(2)}
}

// testRepositories checks sluice.RepoStore.
func testRepositories(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("CreateGetListDelete", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		b, a := repository("b"), repository("a")
		require.NoError(t, f.s.CreateRepository(f.ctx, b))
		require.NoError(t, f.s.CreateRepository(f.ctx, a))
		got, err := f.s.GetRepository(f.ctx, "b")
		require.NoError(t, err)
		require.Equal(t, b, got)
		all, err := f.s.ListRepositories(f.ctx)
		require.NoError(t, err)
		require.Equal(t, []*sluice.Repository{a, b}, all)

		require.NoError(t, f.s.DeleteRepository(f.ctx, "b"))
		_, err = f.s.GetRepository(f.ctx, "b")
		requireCode(t, err, sluice.ENotFound, "Repository")
	})

	t.Run("Errs", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		require.NoError(t, f.s.CreateRepository(f.ctx, repository("a")))
		requireCode(t, f.s.CreateRepository(f.ctx, repository("a")), sluice.EAlreadyExists, "Repository")
		requireCode(t, f.s.DeleteRepository(f.ctx, "nope"), sluice.ENotFound, "Repository")
		_, err := f.s.GetRepository(f.ctx, "nope")
		requireCode(t, err, sluice.ENotFound, "Repository")
	})
}

// testTagsAndKeys checks sluice.TagStore and sluice.KeyStore.
func testTagsAndKeys(t *testing.T, open func(*testing.T) sluice.Store) {
	t.Run("Tags", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		arn := factoryScope.ARN(sluice.PipelineARN, "app")
		tags, err := f.s.ListTags(f.ctx, arn)
		require.NoError(t, err)
		require.Empty(t, tags)

		require.NoError(t, f.s.TagResource(f.ctx, arn, map[string]string{"a": "1", "b": "2"}))
		require.NoError(t, f.s.TagResource(f.ctx, arn, map[string]string{"b": "3", "c": "4"}))
		require.NoError(t, f.s.TagResource(f.ctx, arn+"-other", map[string]string{"z": "9"}))
		require.NoError(t, f.s.UntagResource(f.ctx, arn, []string{"a", "missing"}))
		tags, err = f.s.ListTags(f.ctx, arn)
		require.NoError(t, err)
		require.Equal(t, map[string]string{"b": "3", "c": "4"}, tags)
	})

	t.Run("AccessKeys", func(t *testing.T) {
		t.Parallel()
		f := setup(t, open)
		_, err := f.s.GetAccessKey(f.ctx, "AKIA1")
		requireCode(t, err, sluice.ENotFound, "AccessKey")
		k := &sluice.AccessKey{ID: "AKIA1", Secret: "s1", Principal: "arn:aws:iam::123456789012:user/a", Created: at(1)}
		require.NoError(t, f.s.PutAccessKey(f.ctx, k))
		got, err := f.s.GetAccessKey(f.ctx, "AKIA1")
		require.NoError(t, err)
		require.Equal(t, k, got)
		k2 := &sluice.AccessKey{ID: "AKIA1", Secret: "s2", Principal: "arn:aws:iam::123456789012:user/b", Created: at(2)}
		require.NoError(t, f.s.PutAccessKey(f.ctx, k2))
		got, err = f.s.GetAccessKey(f.ctx, "AKIA1")
		require.NoError(t, err)
		require.Equal(t, k2, got)
	})
}
