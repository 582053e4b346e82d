package imagesource

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"sluice/ociregistry"
)

// imageDetail is imageDetail.json as CodePipeline's ECR source writes it, field for field
// and in that order (numbers and dates as strings, the date as date(1) prints it).
// RegistryId is the registry's host, which is what identifies a registry outside ECR (an
// account id there).
type imageDetail struct {
	ImageSizeInBytes string   `json:"ImageSizeInBytes"`
	ImageDigest      string   `json:"ImageDigest"`
	Version          string   `json:"Version"`
	ImagePushedAt    string   `json:"ImagePushedAt"`
	RegistryID       string   `json:"RegistryId"`
	RepositoryName   string   `json:"RepositoryName"`
	ImageURI         string   `json:"ImageURI"`
	ImageTags        []string `json:"ImageTags"`
}

func newDetail(repo ociregistry.Repository, tag string, img image) imageDetail {
	return imageDetail{ImageSizeInBytes: strconv.FormatInt(img.size, 10), ImageDigest: img.digest, Version: "1.0",
		ImagePushedAt: img.pushedAt.UTC().Format(time.UnixDate), RegistryID: repo.Host(), RepositoryName: repo.Name,
		ImageURI: repo.String() + "@" + img.digest, ImageTags: []string{tag}}
}

// image is what the registry says of one image.
type image struct {
	digest   string
	size     int64     // ECR's imageSizeInBytes: the layers' (compressed) sizes
	pushedAt time.Time // its config's creation time; zero when it records none
}

// maxIndexEntries bounds how many manifests of an index are read for its size and date.
const maxIndexEntries = 32

// maxConfig bounds an image config read.
const maxConfig = 1 << 20

// describe reads the manifest reference names. An index (a multi-platform image) is as big
// as its biggest image, as ECR counts it, and as new as its newest.
func (p *Provider) describe(ctx context.Context, repo ociregistry.Repository, reference string) (image, error) {
	desc, body, err := p.Registry.Manifest(ctx, repo, reference)
	if err != nil {
		return image{}, err
	}
	var m ociregistry.Manifest
	if err := json.Unmarshal(body, &m); err != nil {
		return image{}, fmt.Errorf("%w: manifest %s@%s: %v", ociregistry.ErrInvalid, repo, desc.Digest, err)
	}
	if !m.IsIndex() {
		img, err := p.single(ctx, repo, &m)
		img.digest = desc.Digest
		return img, err
	}
	img := image{digest: desc.Digest}
	for _, child := range m.Manifests[:min(len(m.Manifests), maxIndexEntries)] {
		_, cbody, err := p.Registry.Manifest(ctx, repo, child.Digest)
		if err != nil {
			return image{}, err
		}
		var cm ociregistry.Manifest
		if err := json.Unmarshal(cbody, &cm); err != nil || cm.IsIndex() {
			continue // not an image: nested indexes are not followed
		}
		c, err := p.single(ctx, repo, &cm)
		if err != nil {
			return image{}, err
		}
		img.size = max(img.size, c.size)
		if c.pushedAt.After(img.pushedAt) {
			img.pushedAt = c.pushedAt
		}
	}
	return img, nil
}

// single sums an image's layers and reads its config's creation time.
func (p *Provider) single(ctx context.Context, repo ociregistry.Repository, m *ociregistry.Manifest) (image, error) {
	var img image
	for _, l := range m.Layers {
		img.size += l.Size
	}
	if m.Config.Digest == "" {
		return img, nil
	}
	data, err := p.Registry.Blob(ctx, repo, m.Config.Digest, maxConfig)
	if err != nil {
		return image{}, err
	}
	var cfg struct {
		Created time.Time `json:"created"`
	}
	if json.Unmarshal(data, &cfg) == nil {
		img.pushedAt = cfg.Created
	}
	return img, nil
}
