package query_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"sluice"
	"sluice/api/query"
)

func sns(action string, kv ...string) url.Values {
	v := url.Values{"Action": {action}, "Version": {"2010-03-31"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

const snsTopic = "arn:aws:sns:us-east-1:" + account + ":alerts"

func TestSNSProtocol(t *testing.T) {
	t.Parallel()

	t.Run("CreateTopic", func(t *testing.T) {
		t.Parallel()
		srv := setup(t)
		status, body := post(t, srv, "sns", sns("CreateTopic", "Name", "alerts", "Attributes.entry.1.key", "DisplayName",
			"Attributes.entry.1.value", "Alerts"))
		require.Equal(t, http.StatusOK, status, body)
		require.Equal(t, `<CreateTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><CreateTopicResult>`+
			`<TopicArn>`+snsTopic+`</TopicArn></CreateTopicResult>`+
			`<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateTopicResponse>`, body)
		_, body = post(t, srv, "sns", sns("GetTopicAttributes", "TopicArn", snsTopic))
		require.Contains(t, body, "<entry><key>DisplayName</key><value>Alerts</value></entry>")
		_, body = post(t, srv, "sns", sns("ListTopics"))
		require.Contains(t, body, "<ListTopicsResult><Topics><member><TopicArn>"+snsTopic+"</TopicArn></member></Topics></ListTopicsResult>")
		_, body = post(t, srv, "sns", sns("DeleteTopic", "TopicArn", snsTopic))
		require.Equal(t, `<DeleteTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">`+
			`<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DeleteTopicResponse>`, body)
	})

	t.Run("Errors", func(t *testing.T) {
		t.Parallel()
		srv := setup(t)
		status, body := post(t, srv, "sns", sns("Publish", "TopicArn", snsTopic, "Message", "m"))
		require.Equal(t, http.StatusNotFound, status)
		require.Equal(t, `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>`+
			`<Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`, body)
		status, body = post(t, srv, "sns", sns("Publish", "TopicArn", snsTopic))
		require.Equal(t, http.StatusBadRequest, status)
		require.Contains(t, body, "<Code>InvalidParameter</Code><Message>Invalid parameter: Message Reason: no value for required parameter</Message>")
		status, body = post(t, srv, "sns", sns("Publish", "TopicArn", "not-an-arn", "Message", "m"))
		require.Equal(t, http.StatusBadRequest, status)
		require.Contains(t, body, "<Message>Invalid parameter: TopicArn</Message>")
		status, body = post(t, srv, "sns", sns("Publish", "TopicArn", snsTopic, "Message", "m",
			"MessageAttributes.entry.1.Name", "n", "MessageAttributes.entry.1.Value.DataType", "Number",
			"MessageAttributes.entry.1.Value.StringValue", "x"))
		require.Equal(t, http.StatusBadRequest, status)
		require.Contains(t, body, "<Code>ParameterValueInvalid</Code>")
		status, body = post(t, srv, "sns", sns("CreateTopic", "Name", "bad name"))
		require.Equal(t, http.StatusBadRequest, status)
		require.Contains(t, body, "<Code>InvalidParameter</Code>")
		status, body = post(t, srv, "sns", sns("ListTagsForResource", "ResourceArn", snsTopic))
		require.Equal(t, http.StatusNotFound, status)
		require.Contains(t, body, "<Code>ResourceNotFound</Code>")
		status, body = post(t, srv, "sns", sns("CreateSMSSandboxPhoneNumber", "PhoneNumber", "+15555550100"))
		require.Equal(t, http.StatusBadRequest, status)
		require.Contains(t, body, "<Code>InvalidAction</Code>")
	})

	t.Run("UnsignedIsRefusedButLinks", func(t *testing.T) {
		t.Parallel()
		srv := setup(t)
		status, body := get(t, srv.URL+"/?Action=Publish&TopicArn="+url.QueryEscape(snsTopic)+"&Message=m")
		require.Equal(t, http.StatusForbidden, status)
		require.Contains(t, body, "<Code>MissingAuthenticationToken</Code>")
		status, body = get(t, srv.URL+"/?Action=ConfirmSubscription&TopicArn="+url.QueryEscape(snsTopic)+"&Token=abc")
		require.Equal(t, http.StatusNotFound, status, "a link needs no credentials: the topic is looked up")
		require.Contains(t, body, `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">`)
		status, _ = get(t, srv.URL+"/?Action=Unsubscribe&SubscriptionArn="+url.QueryEscape(snsTopic+":x"))
		require.Equal(t, http.StatusNotFound, status)
	})

	t.Run("LinksAndPages", func(t *testing.T) {
		t.Parallel()
		api, db := setupStore(t)
		qs := api.Config.Handler.(*query.Server)
		mux := http.NewServeMux()
		mux.Handle("GET "+query.ConfirmationPagePath, qs.ConfirmationPage())
		mux.Handle("GET "+query.UnsubscribePagePath, qs.UnsubscribePage())
		mux.Handle("/", qs)
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		status, body := post(t, srv, "sns", sns("CreateTopic", "Name", "alerts"))
		require.Equal(t, http.StatusOK, status, body)
		status, body = post(t, srv, "sns", sns("Subscribe", "TopicArn", snsTopic, "Protocol", "email", "Endpoint", "ops@example.com",
			"ReturnSubscriptionArn", "true"))
		require.Equal(t, http.StatusOK, status, body)
		subARN := snsTopic + ":req-1"
		require.Contains(t, body, "<SubscriptionArn>"+subARN+"</SubscriptionArn>")
		sub, err := db.GetSubscription(t.Context(), subARN)
		require.NoError(t, err)

		status, body = post(t, srv, "sns", sns("ListSubscriptionsByTopic", "TopicArn", snsTopic))
		require.Equal(t, http.StatusOK, status, body)
		require.Contains(t, body, "<member><SubscriptionArn>PendingConfirmation</SubscriptionArn><Owner>"+account+
			"</Owner><Protocol>email</Protocol><Endpoint>ops@example.com</Endpoint><TopicArn>"+snsTopic+"</TopicArn></member>")

		q := url.Values{"TopicArn": {snsTopic}, "Token": {"wrong"}, "Endpoint": {"ops@example.com"}}
		status, body = get(t, srv.URL+"/confirmation.html?"+q.Encode())
		require.Equal(t, http.StatusBadRequest, status)
		require.Contains(t, body, "Subscription not confirmed")
		q.Set("Token", sub.Token)
		status, body = get(t, srv.URL+"/confirmation.html?"+q.Encode())
		require.Equal(t, http.StatusOK, status, body)
		require.Contains(t, body, "Subscription confirmed!")
		require.Contains(t, body, subARN)
		require.Contains(t, body, `href="unsubscribe.html?SubscriptionArn=`+url.QueryEscape(subARN))

		status, body = get(t, srv.URL+"/?Action=ConfirmSubscription&TopicArn="+url.QueryEscape(snsTopic)+"&Token="+sub.Token)
		require.Equal(t, http.StatusOK, status, body)
		require.Contains(t, body, "<ConfirmSubscriptionResult><SubscriptionArn>"+subARN+"</SubscriptionArn></ConfirmSubscriptionResult>")

		status, body = get(t, srv.URL+"/unsubscribe.html?SubscriptionArn="+url.QueryEscape(subARN)+"&Endpoint=ops%40example.com")
		require.Equal(t, http.StatusOK, status, body)
		require.Contains(t, body, "Subscription removed!")
		_, err = db.GetSubscription(t.Context(), subARN)
		require.Equal(t, sluice.ENotFound, sluice.ErrorCode(err))
		status, body = get(t, srv.URL+"/unsubscribe.html?SubscriptionArn="+url.QueryEscape(subARN))
		require.Equal(t, http.StatusNotFound, status)
		require.True(t, strings.Contains(body, "Subscription not removed"), body)
	})
}
