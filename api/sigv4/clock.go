package sigv4

import (
	"fmt"
	"net/http"
	"time"
)

// checkTime reads the signing time (X-Amz-Date, else Date), checks that the credential scope
// is for that day and that it lies within MaxSkew of now, so a captured request cannot be
// replayed later.
func (v *Verifier) checkTime(h http.Header, sc scope) (time.Time, error) {
	signedAt, err := requestTime(h)
	if err != nil {
		return time.Time{}, err
	}
	if day := signedAt.Format("20060102"); day != sc.date {
		return time.Time{}, errInvalidSignature(fmt.Sprintf("Date in Credential scope does not match "+
			"YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			sc.date, day, signedAt.Format(amzDate)))
	}
	return signedAt, v.checkSkew(signedAt)
}

func requestTime(h http.Header) (time.Time, error) {
	if s := h.Get("X-Amz-Date"); s != "" {
		t, err := time.Parse(amzDate, s)
		if err != nil {
			return time.Time{}, errIncomplete("X-Amz-Date must be of the form YYYYMMDD'T'HHMMSS'Z'.")
		}
		return t, nil
	}
	if s := h.Get("Date"); s != "" {
		t, err := http.ParseTime(s)
		if err != nil {
			return time.Time{}, errIncomplete("Date must be an HTTP date.")
		}
		return t.UTC(), nil
	}
	return time.Time{}, errIncomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
}

// checkSkew words its errors as AWS does; the SDKs then correct their clock from the
// response's Date header and retry.
func (v *Verifier) checkSkew(signedAt time.Time) error {
	now, skew := v.now(), v.maxSkew()
	if earliest := now.Add(-skew); signedAt.Before(earliest) {
		return errInvalidSignature(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s.)",
			signedAt.Format(amzDate), earliest.Format(amzDate), now.Format(amzDate), skewText(skew)))
	}
	if latest := now.Add(skew); signedAt.After(latest) {
		return errInvalidSignature(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s.)",
			signedAt.Format(amzDate), latest.Format(amzDate), now.Format(amzDate), skewText(skew)))
	}
	return nil
}

func skewText(skew time.Duration) string {
	if skew%time.Minute == 0 {
		return fmt.Sprintf("%d min", int(skew/time.Minute))
	}
	return skew.String()
}

func (v *Verifier) now() time.Time {
	if v.Clock == nil {
		return time.Now().UTC()
	}
	return v.Clock().UTC()
}

func (v *Verifier) maxSkew() time.Duration {
	if v.MaxSkew <= 0 {
		return DefaultMaxSkew
	}
	return v.MaxSkew
}
