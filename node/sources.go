package node

import (
	"sluice/ociregistry"
	"sluice/provider/imagesource"
	"sluice/provider/s3source"
	"sluice/trigger"
)

// externalSources are the providers of S3 and image sources; they also answer the change
// poller's questions.
func (n *Node) externalSources() (*s3source.Provider, *imagesource.Provider) {
	registry := &ociregistry.Client{Default: n.Config.RegistryURL(), Username: n.Config.RegistryUsername, Password: n.Config.RegistryPassword}
	return &s3source.Provider{S3: n.Config.S3Client()}, &imagesource.Provider{Registry: registry, Clock: SystemClock{}}
}

// newObjectRound is the poller of S3 and image sources; the node's one poll loop runs it with
// the connection sources' every --poll-interval, unless the interval is 0.
func (n *Node) newObjectRound(objects trigger.Objects, images trigger.Images) *trigger.ObjectRound {
	return &trigger.ObjectRound{Engine: n.Engine, Store: n.DB, Log: n.Log, Objects: objects, Images: images,
		Clock: SystemClock{}, Interval: n.Config.PollInterval}
}
