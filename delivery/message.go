package delivery

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"sluice"
)

// Message is SNS's JSON body of an http(s) or email-json delivery (§3.4), its keys in
// SNS's order; absent keys are left out, never null.
type Message struct {
	Type              string               `json:"Type"`
	MessageID         string               `json:"MessageId"`
	Token             string               `json:"Token,omitempty"`
	TopicArn          string               `json:"TopicArn"`
	Subject           string               `json:"Subject,omitempty"`
	Message           string               `json:"Message"`
	SubscribeURL      string               `json:"SubscribeURL,omitempty"`
	Timestamp         string               `json:"Timestamp"`
	SignatureVersion  string               `json:"SignatureVersion"`
	Signature         string               `json:"Signature"`
	SigningCertURL    string               `json:"SigningCertURL"`
	UnsubscribeURL    string               `json:"UnsubscribeURL,omitempty"`
	MessageAttributes map[string]attribute `json:"MessageAttributes,omitempty"`
}

type attribute struct {
	Type  string `json:"Type"`
	Value string `json:"Value"`
}

// URLs builds the links a message carries from the server's public base URL.
type URLs struct {
	Base func() string // the server's public URL, without a trailing slash
}

func (u URLs) base() string { return strings.TrimSuffix(u.Base(), "/") }

// Subscribe is the SubscribeURL of a confirmation token (§3.7).
func (u URLs) Subscribe(topicARN, token string) string {
	return u.base() + "/?Action=ConfirmSubscription&TopicArn=" + url.QueryEscape(topicARN) + "&Token=" + url.QueryEscape(token)
}

// Unsubscribe is the UnsubscribeURL of a subscription.
func (u URLs) Unsubscribe(subARN string) string {
	return u.base() + "/?Action=Unsubscribe&SubscriptionArn=" + url.QueryEscape(subARN)
}

// ConfirmationPage is the page an email confirmation links to: it confirms on GET.
func (u URLs) ConfirmationPage(topicARN, token, endpoint string) string {
	return u.base() + "/confirmation.html?TopicArn=" + url.QueryEscape(topicARN) + "&Token=" + url.QueryEscape(token) +
		"&Endpoint=" + url.QueryEscape(endpoint)
}

// UnsubscribePage is the page an email's unsubscribe link opens.
func (u URLs) UnsubscribePage(subARN, endpoint string) string {
	return u.base() + "/unsubscribe.html?SubscriptionArn=" + url.QueryEscape(subARN) + "&Endpoint=" + url.QueryEscape(endpoint)
}

// Timestamp is SNS's: UTC, exactly three fractional digits, Z.
func Timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// ConfirmationText is the Message of a confirmation delivery, in SNS's words.
func ConfirmationText(d *sluice.Delivery) string {
	if d.Type == TypeUnsubscribeConfirmation {
		return "You have chosen to deactivate subscription " + d.Target +
			".\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message."
	}
	return "You have chosen to subscribe to the topic " + d.TopicARN +
		".\nTo confirm the subscription, visit the SubscribeURL included in this message."
}

// Envelope builds and signs d's SNS JSON body.
func Envelope(d *sluice.Delivery, s *Signer, urls URLs) (*Message, error) {
	m := &Message{Type: d.Type, MessageID: d.ID, TopicArn: d.TopicARN, Message: d.Message, Timestamp: Timestamp(d.Created),
		SignatureVersion: signatureVersion(d), SigningCertURL: urls.base() + s.CertPath()}
	if m.Type == "" {
		m.Type = TypeNotification
	}
	if m.Type == TypeNotification {
		m.Subject, m.UnsubscribeURL = d.Subject, urls.Unsubscribe(d.Target)
		m.MessageAttributes = attributes(d.Attributes)
	} else {
		m.Token, m.SubscribeURL = d.Token, urls.Subscribe(d.TopicARN, d.Token)
		if m.Message == "" {
			m.Message = ConfirmationText(d)
		}
	}
	sig, err := s.Sign(m.SignatureVersion, m.StringToSign())
	m.Signature = sig
	return m, err
}

func signatureVersion(d *sluice.Delivery) string {
	if d.SignatureVersion == "2" {
		return "2"
	}
	return "1"
}

func attributes(as map[string]sluice.MessageAttribute) map[string]attribute {
	if len(as) == 0 {
		return nil
	}
	out := make(map[string]attribute, len(as))
	for k, a := range as {
		v := a.StringValue
		if a.DataType == "Binary" {
			v = base64.StdEncoding.EncodeToString(a.BinaryValue)
		}
		out[k] = attribute{Type: a.DataType, Value: v}
	}
	return out
}

// StringToSign is the text SNS signs (§3.5): "Key\nValue\n" for each signed key present,
// in byte order of the keys.
func (m *Message) StringToSign() []byte {
	var b bytes.Buffer
	add := func(k, v string) {
		b.WriteString(k + "\n" + v + "\n")
	}
	add("Message", m.Message)
	add("MessageId", m.MessageID)
	if m.Type == TypeNotification {
		if m.Subject != "" {
			add("Subject", m.Subject)
		}
	} else {
		add("SubscribeURL", m.SubscribeURL)
	}
	add("Timestamp", m.Timestamp)
	if m.Type != TypeNotification {
		add("Token", m.Token)
	}
	add("TopicArn", m.TopicArn)
	add("Type", m.Type)
	return b.Bytes()
}

// JSON is the body as SNS writes it (no HTML escaping).
func (m *Message) JSON() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(m) // strings and a map of strings always encode
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// SNS message types (Delivery.Type, x-amz-sns-message-type).
const (
	TypeNotification             = "Notification"
	TypeSubscriptionConfirmation = "SubscriptionConfirmation"
	TypeUnsubscribeConfirmation  = "UnsubscribeConfirmation"
)
