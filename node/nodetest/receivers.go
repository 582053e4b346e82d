package nodetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sluice/delivery/deliverytest"
)

// SNSMessage is one validated SNS message an SNSReceiver got.
type SNSMessage struct {
	Type, MessageID, TopicARN, Subject, Message, SubscriptionARN string
	Fields                                                       map[string]string // every string member of the body
}

// SNSReceiver is an http endpoint written as an SNS subscriber is: it checks each message's
// signature with the certificate at SigningCertURL (fetched with Client) and refuses a bad
// one with 400, confirms its subscription by fetching SubscribeURL, and hands every
// Notification to Notifications.
type SNSReceiver struct {
	URL           string
	Client        *http.Client // fetches certificates and SubscribeURLs
	Notifications chan SNSMessage
	Confirmations chan SNSMessage // SubscriptionConfirmations, after their SubscribeURL answered 200
	// Invalid gets the error of each message refused.
	Invalid  chan error
	verifier *deliverytest.SNSVerifier
}

// NewSNSReceiver starts an SNSReceiver on loopback.
func NewSNSReceiver(t *testing.T, client *http.Client) *SNSReceiver {
	t.Helper()
	r := &SNSReceiver{Client: client, Notifications: make(chan SNSMessage, 100), Confirmations: make(chan SNSMessage, 10),
		Invalid: make(chan error, 100), verifier: &deliverytest.SNSVerifier{Client: client}}
	srv := httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(srv.Close)
	r.URL = srv.URL + "/sns"
	return r
}

func (r *SNSReceiver) serve(w http.ResponseWriter, req *http.Request) {
	m, err := r.validate(req)
	if err != nil {
		r.Invalid <- err
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	switch m.Type {
	case "SubscriptionConfirmation":
		resp, err := r.Client.Get(m.Fields["SubscribeURL"])
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("SubscribeURL answered %s", resp.Status)
			}
		}
		if err != nil {
			r.Invalid <- err
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		r.Confirmations <- m
	case "Notification":
		r.Notifications <- m
	}
}

// validate reads one SNS request and checks it as a subscriber's validator does.
func (r *SNSReceiver) validate(req *http.Request) (SNSMessage, error) {
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return SNSMessage{}, err
	}
	f, err := deliverytest.Fields(b)
	if err != nil {
		return SNSMessage{}, err
	}
	m := SNSMessage{Type: f["Type"], MessageID: f["MessageId"], TopicARN: f["TopicArn"], Subject: f["Subject"], Message: f["Message"],
		SubscriptionARN: req.Header.Get("x-amz-sns-subscription-arn"), Fields: f}
	if req.Header.Get("x-amz-sns-message-type") != m.Type || req.Header.Get("x-amz-sns-message-id") != m.MessageID {
		return m, errors.New("headers and body disagree")
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000Z", f["Timestamp"]); err != nil {
		return m, fmt.Errorf("Timestamp %q", f["Timestamp"])
	}
	return m, r.verifier.Verify(f)
}

// SlackReceiver answers as Slack's incoming webhooks do (200 "ok" for a JSON body with a
// "text", 400 "no_text" or "invalid_payload" otherwise) and hands each accepted body to Posts.
type SlackReceiver struct {
	URL   string
	Posts chan map[string]any
}

// NewSlackReceiver starts a SlackReceiver on loopback.
func NewSlackReceiver(t *testing.T) *SlackReceiver {
	t.Helper()
	s := &SlackReceiver{Posts: make(chan map[string]any, 100)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || json.Unmarshal(b, &m) != nil {
			http.Error(w, "invalid_payload", http.StatusBadRequest)
			return
		}
		if _, ok := m["text"].(string); !ok {
			http.Error(w, "no_text", http.StatusBadRequest)
			return
		}
		s.Posts <- m
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL + "/services/T0SLUICE/B0TESTS/webhook-of-the-tests" // Slack's path shape
	return s
}
