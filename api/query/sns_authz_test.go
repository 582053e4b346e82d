package query_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/api/apitest"
	"sluice/api/query"
	"sluice/api/sigv4"
	"sluice/engine"
	"sluice/netguard"
	"sluice/service"
	"sluice/store/sqlite"
)

// TestSNSAuthorization: every SNS operation asks for its IAM action on its resource (the
// topic's ARN, or "*" for the account-wide lists) before anything else, and a denial
// answers AuthorizationError and changes nothing.
func TestSNSAuthorization(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "sluice.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	require.NoError(t, db.PutAccessKey(t.Context(), &sluice.AccessKey{ID: keyID, Secret: secret, Principal: "arn:aws:iam::" + account + ":root"}))
	rec := &apitest.AccessRecorder{}
	eng := &engine.Engine{Store: db, Clock: clock{}, IDs: ids{}, Account: account, Region: "us-east-1"}
	core := &service.Service{Engine: eng, Store: db, IDs: ids{}, Authz: rec, Guard: netguard.Guard{Resolver: noDNS{}}}
	srv := httptest.NewServer(&query.Server{Service: core, Verifier: &sigv4.Verifier{Lookup: sigv4.KeyStoreLookup(db)},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), IDs: ids{}})
	t.Cleanup(srv.Close)

	sub := snsTopic + ":req-1"
	on := func(action, resource string) []sluice.Access {
		return []sluice.Access{{Action: action, Resource: resource}}
	}
	cases := []struct {
		form url.Values
		want []sluice.Access
	}{
		{sns("CreateTopic", "Name", "alerts"), on("sns:CreateTopic", snsTopic)},
		{sns("GetTopicAttributes", "TopicArn", snsTopic), on("sns:GetTopicAttributes", snsTopic)},
		{sns("SetTopicAttributes", "TopicArn", snsTopic, "AttributeName", "DisplayName", "AttributeValue", "A"), on("sns:SetTopicAttributes", snsTopic)},
		{sns("ListTopics"), on("sns:ListTopics", "*")},
		{sns("Subscribe", "TopicArn", snsTopic, "Protocol", "email", "Endpoint", "a@example.com", "ReturnSubscriptionArn", "true"), on("sns:Subscribe", snsTopic)},
		{sns("ListSubscriptions"), on("sns:ListSubscriptions", "*")},
		{sns("ListSubscriptionsByTopic", "TopicArn", snsTopic), on("sns:ListSubscriptionsByTopic", snsTopic)},
		{sns("GetSubscriptionAttributes", "SubscriptionArn", sub), on("sns:GetSubscriptionAttributes", snsTopic)},
		{sns("SetSubscriptionAttributes", "SubscriptionArn", sub, "AttributeName", "FilterPolicy", "AttributeValue", `{"a":["b"]}`), on("sns:SetSubscriptionAttributes", snsTopic)},
		{sns("Publish", "TopicArn", snsTopic, "Message", "m"), on("sns:Publish", snsTopic)},
		{sns("TagResource", "ResourceArn", snsTopic, "Tags.member.1.Key", "k", "Tags.member.1.Value", "v"), on("sns:TagResource", snsTopic)},
		{sns("ListTagsForResource", "ResourceArn", snsTopic), on("sns:ListTagsForResource", snsTopic)},
		{sns("UntagResource", "ResourceArn", snsTopic, "TagKeys.member.1", "k"), on("sns:UntagResource", snsTopic)},
		{sns("Unsubscribe", "SubscriptionArn", sub), on("sns:Unsubscribe", snsTopic)},
		{sns("DeleteTopic", "TopicArn", snsTopic), on("sns:DeleteTopic", snsTopic)},
	}
	for _, c := range cases {
		status, body := post(t, srv, "sns", c.form)
		require.Equal(t, http.StatusOK, status, "%s: %s", c.form.Get("Action"), body)
		require.Equal(t, c.want, rec.Take(), c.form.Get("Action"))
	}

	// Denied: the same calls on a topic with a subscription change nothing.
	_, err = core.CreateTopic(t.Context(), sluice.ServerCaller(), "alerts", nil, nil)
	require.NoError(t, err)
	_, err = core.Subscribe(t.Context(), sluice.ServerCaller(), service.SubscribeParams{TopicARN: snsTopic, Protocol: "email", Endpoint: "a@example.com"})
	require.NoError(t, err)
	rec.Deny = true
	for _, c := range cases {
		status, body := post(t, srv, "sns", c.form)
		require.Equal(t, http.StatusForbidden, status, c.form.Get("Action"))
		require.Contains(t, body, "<Code>AuthorizationError</Code><Message>User: arn:aws:iam::"+account+":root is not authorized to perform: "+c.want[0].Action)
		require.Equal(t, c.want, rec.Take(), "%s asked more after a denial", c.form.Get("Action"))
	}
	s, err := db.GetSubscription(t.Context(), sub)
	require.NoError(t, err)
	require.Empty(t, s.Attributes["FilterPolicy"])
	topic, err := db.GetTopic(t.Context(), snsTopic)
	require.NoError(t, err, "the denied DeleteTopic left the topic")
	require.Empty(t, topic.Attributes["DisplayName"])
	tags, err := db.ListTags(t.Context(), snsTopic)
	require.NoError(t, err)
	require.Empty(t, tags)
}
