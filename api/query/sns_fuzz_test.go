package query_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/require"
)

// snsCodes are the error codes the SNS model lists for Sluice's operations, and the
// protocol's common ones.
var snsCodes = map[string]bool{
	"InvalidParameter": true, "ParameterValueInvalid": true, "NotFound": true, "ResourceNotFound": true,
	"AuthorizationError": true, "TagLimitExceeded": true, "TagPolicy": true, "InvalidAction": true,
	"ConcurrentAccess": true, "SubscriptionLimitExceeded": true,
}

// FuzzSNSForm sends signed SNS requests whose form body is the input: whatever it is, the
// answer is never a 500, and is the action's XML envelope or an ErrorResponse whose Code
// the model lists, with a message.
func FuzzSNSForm(f *testing.F) {
	for _, seed := range []url.Values{
		sns("CreateTopic", "Name", "alerts", "Attributes.entry.1.key", "DeliveryPolicy", "Attributes.entry.1.value",
			`{"http":{"defaultHealthyRetryPolicy":{"numRetries":5}}}`, "Tags.member.1.Key", "k", "Tags.member.1.Value", "v"),
		sns("Subscribe", "TopicArn", snsTopic, "Protocol", "https", "Endpoint", "https://93.184.216.34/x",
			"Attributes.entry.1.key", "RawMessageDelivery", "Attributes.entry.1.value", "true"),
		sns("Subscribe", "TopicArn", snsTopic, "Protocol", "email", "Endpoint", "a@example.com", "ReturnSubscriptionArn", "true"),
		sns("Publish", "TopicArn", snsTopic, "Message", `{"default":"d"}`, "MessageStructure", "json", "Subject", "s",
			"MessageAttributes.entry.1.Name", "b", "MessageAttributes.entry.1.Value.DataType", "Binary",
			"MessageAttributes.entry.1.Value.BinaryValue", "AAE="),
		sns("SetSubscriptionAttributes", "SubscriptionArn", snsTopic+":req-1", "AttributeName", "DeliveryPolicy",
			"AttributeValue", `{"healthyRetryPolicy":{"minDelayTarget":0}}`),
		sns("GetSubscriptionAttributes", "SubscriptionArn", snsTopic+":req-1"),
		sns("ConfirmSubscription", "TopicArn", snsTopic, "Token", "t"), sns("Unsubscribe", "SubscriptionArn", "x"),
		sns("TagResource", "ResourceArn", snsTopic, "Tags.member.1.Key", "aws:x"), sns("UntagResource", "ResourceArn", snsTopic, "TagKeys.member.1", ""),
		sns("ListSubscriptions", "NextToken", "zz"), sns("SetTopicAttributes", "TopicArn", snsTopic, "AttributeName", "Policy", "AttributeValue", "{"),
	} {
		f.Add(seed.Encode())
	}
	srv := setup(f)
	h := srv.Config.Handler
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		sum := sha256.Sum256([]byte(body))
		require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret},
			req, hex.EncodeToString(sum[:]), "sns", "us-east-1", time.Now()))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Less(t, rec.Code, 500, rec.Body.String())
		root := rootElement(t, rec.Body.Bytes())
		if rec.Code == http.StatusOK {
			values, err := url.ParseQuery(body)
			require.NoError(t, err)
			require.Equal(t, values.Get("Action")+"Response", root)
			return
		}
		var e struct {
			Error struct{ Code, Message string }
		}
		require.Equal(t, "ErrorResponse", root)
		require.NoError(t, xml.Unmarshal(rec.Body.Bytes(), &e))
		require.True(t, snsCodes[e.Error.Code], "code %q is not in the model", e.Error.Code)
		require.NotEmpty(t, e.Error.Message)
	})
}
