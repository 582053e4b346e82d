package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"

	"sluice"
)

// SNS's bounds of a publish (§3.9).
const (
	maxMessageBytes      = 262144 // Message and attributes, in UTF-8 bytes
	maxSubjectChars      = 99     // "less than 100 characters"
	maxMessageAttributes = 10
)

// snsInvalid is SNS's InvalidParameter naming what is wrong (ParameterValueInvalid for
// resource "MessageAttributes"; see api/query's SNS errors).
func snsInvalid(resource, format string, args ...any) error {
	return sluice.Errorf(sluice.EInvalid, resource, format, args...)
}

// Publish sends a message to every confirmed subscription of the topic: one delivery each,
// committed before Publish returns, sent by the deliverer. It returns the message id,
// which every delivery of the message carries. With a DedupeKey the id is derived from the
// topic and key, and a publish whose key was published before adds no delivery (each
// delivery's Key is DedupeKey + "/" + subscription ARN). ServerCaller may publish to any
// topic, and its subjects are shortened to 99 characters rather than refused.
func (s *Service) Publish(ctx context.Context, c sluice.Caller, in sluice.PublishInput) (string, error) {
	if in.TopicARN == "" {
		return "", snsInvalid("TopicArn", "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter")
	}
	if c.IsServer() {
		in.Subject = fitSubject(in.Subject)
	}
	messages, err := checkPublish(in)
	if err != nil {
		return "", err
	}
	if err := s.allow(ctx, c, actPublish, in.TopicARN); err != nil {
		return "", err
	}
	topic, err := s.Store.GetTopic(ctx, in.TopicARN)
	if err != nil {
		return "", err
	}
	subs, err := s.Store.ConfirmedSubscriptions(ctx, in.TopicARN)
	if err != nil {
		return "", err
	}
	id := s.messageID(in)
	now := s.Now()
	ds := make([]*sluice.Delivery, 0, len(subs))
	for _, sub := range subs {
		if !accepts(sub, in.Attributes, messages.forProtocol(sub.Protocol)) {
			continue
		}
		d := &sluice.Delivery{ID: id, Target: sub.ARN, TopicARN: topic.ARN, Protocol: sub.Protocol, Endpoint: sub.Endpoint,
			Type: sluice.MessageNotification, Subject: in.Subject, Message: messages.forProtocol(sub.Protocol),
			Attributes: in.Attributes, Raw: sub.Attributes[attrRawMessageDelivery] == "true",
			SignatureVersion: signatureVersion(topic), Created: now, Policy: deliveryRetry(topic, sub)}
		if in.DedupeKey != "" {
			d.Key = in.DedupeKey + "/" + sub.ARN
		}
		ds = append(ds, d)
	}
	if len(ds) == 0 {
		return id, nil
	}
	return id, s.Store.EnqueueDeliveries(ctx, ds...)
}

// messageID is a new id, or for a deduplicated publish one derived from the topic and key
// (a UUID in form), so that publishing it again answers the same id.
func (s *Service) messageID(in sluice.PublishInput) string {
	if in.DedupeKey == "" {
		return s.IDs.NewID()
	}
	h := sha256.Sum256([]byte(in.TopicARN + "\x00" + in.DedupeKey))
	h[6] = h[6]&0x0f | 0x50 // a name-based UUID's version and variant bits
	h[8] = h[8]&0x3f | 0x80
	x := hex.EncodeToString(h[:16])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}

func signatureVersion(t *sluice.Topic) string {
	if v := t.Attributes[attrSignatureVersion]; v != "" {
		return v
	}
	return "1"
}

// messages is a published message: one text for all, or per protocol (MessageStructure json).
type messages struct {
	text        string
	perProtocol map[string]string // with "default"; nil for a plain message
}

func (m messages) forProtocol(protocol string) string {
	if m.perProtocol == nil {
		return m.text
	}
	if v, ok := m.perProtocol[protocol]; ok {
		return v
	}
	return m.perProtocol["default"]
}

// checkPublish applies SNS's checks of a publish: message, size, subject, structure and
// attributes.
func checkPublish(in sluice.PublishInput) (messages, error) {
	if in.Message == "" {
		return messages{}, snsInvalid("Message", "Invalid parameter: Empty message")
	}
	if err := checkSubject(in.Subject); err != nil {
		return messages{}, err
	}
	size, err := checkAttributes(in.Attributes)
	if err != nil {
		return messages{}, err
	}
	if size+len(in.Message) > maxMessageBytes {
		return messages{}, snsInvalid("Message", "Invalid parameter: Message too long")
	}
	switch in.MessageStructure {
	case "":
		return messages{text: in.Message}, nil
	case "json":
		per, err := parseStructure(in.Message)
		return messages{perProtocol: per}, err
	}
	return messages{}, snsInvalid("MessageStructure", "Invalid parameter: MessageStructure")
}

// fitSubject shortens a subject the server made (an approval's names, an event's) to SNS's
// limit, rather than lose the message over it.
func fitSubject(subject string) string {
	if r := []rune(subject); len(r) > maxSubjectChars {
		return string(r[:maxSubjectChars-3]) + "..."
	}
	return subject
}

func checkSubject(subject string) error {
	if subject == "" {
		return nil
	}
	if !utf8.ValidString(subject) || utf8.RuneCountInString(subject) > maxSubjectChars {
		return snsInvalid("Subject", "Invalid parameter: Subject")
	}
	for _, r := range subject {
		if unicode.IsControl(r) {
			return snsInvalid("Subject", "Invalid parameter: Subject")
		}
	}
	first, _ := utf8.DecodeRuneInString(subject)
	if !unicode.IsLetter(first) && !unicode.IsNumber(first) && !unicode.IsPunct(first) && !unicode.IsSymbol(first) {
		return snsInvalid("Subject", "Invalid parameter: Subject")
	}
	return nil
}

// checkAttributes checks message attributes and returns the bytes they count in the size.
func checkAttributes(attrs map[string]sluice.MessageAttribute) (int, error) {
	if len(attrs) > maxMessageAttributes {
		return 0, snsInvalid("MessageAttributes", "Number of message attributes [%d] exceeds the allowed maximum [%d].", len(attrs), maxMessageAttributes)
	}
	size := 0
	for name, a := range attrs {
		if err := checkAttributeName(name); err != nil {
			return 0, err
		}
		base, _, _ := strings.Cut(a.DataType, ".")
		if a.DataType == "String.Array" {
			base = "String.Array"
		}
		switch {
		case base != "String" && base != "Number" && base != "Binary" && base != "String.Array":
			return 0, snsInvalid("MessageAttributes", "The message attribute '%s' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.", name)
		case base == "Binary" && len(a.BinaryValue) == 0:
			return 0, snsInvalid("MessageAttributes", "The message attribute '%s' with type 'Binary' must use field 'Binary'.", name)
		case base != "Binary" && a.StringValue == "":
			return 0, snsInvalid("MessageAttributes", "The message attribute '%s' must contain non-empty message attribute value for message attribute type '%s'.", name, base)
		case base == "Number" && !isNumber(a.StringValue):
			return 0, snsInvalid("MessageAttributes", "The message attribute '%s' with type 'Number' must contain a valid numerical value.", name)
		case base == "String.Array" && !json.Valid([]byte(a.StringValue)):
			return 0, snsInvalid("MessageAttributes", "The message attribute '%s' with type 'String.Array' must be a JSON array.", name)
		}
		size += len(name) + len(a.DataType) + len(a.StringValue) + len(a.BinaryValue)
	}
	return size, nil
}

func checkAttributeName(name string) error {
	bad := name == "" || len(name) > 256 || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") ||
		strings.Contains(name, "..")
	lower := strings.ToLower(name)
	bad = bad || strings.HasPrefix(lower, "aws.") || strings.HasPrefix(lower, "amazon.")
	for _, r := range name {
		if !(r < utf8.RuneSelf && (r == '-' || r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r))) {
			bad = true
		}
	}
	if bad {
		return snsInvalid("MessageAttributes", "The message attribute name '%s' is invalid.", name)
	}
	return nil
}

func isNumber(s string) bool {
	var f json.Number
	return json.Unmarshal([]byte(s), &f) == nil
}

// parseStructure reads a MessageStructure=json message: a JSON object with a string
// "default"; string members by protocol override it, other members are ignored, a key
// given twice fails.
func parseStructure(message string) (map[string]string, error) {
	failed := snsInvalid("Message", "Invalid parameter: Message Structure - JSON message body failed to parse")
	d := json.NewDecoder(bytes.NewReader([]byte(message)))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		return nil, failed
	}
	out := map[string]string{}
	seen := map[string]bool{}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return nil, failed
		}
		key, _ := tok.(string)
		if seen[key] {
			return nil, snsInvalid("Message", "Invalid parameter: Message Structure - Duplicate key %q in JSON message body", key)
		}
		seen[key] = true
		var v any
		if err := d.Decode(&v); err != nil {
			return nil, failed
		}
		if str, ok := v.(string); ok {
			out[key] = str
		}
	}
	if _, err := d.Token(); err != nil {
		return nil, failed
	}
	if _, err := d.Token(); err == nil {
		return nil, failed // something after the object
	}
	if _, ok := out["default"]; !ok {
		return nil, snsInvalid("Message", "Invalid parameter: Message Structure - No default entry in JSON message body")
	}
	return out, nil
}
