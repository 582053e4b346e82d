package ruleeval

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseAlarm(t *testing.T) {
	t.Parallel()

	t.Run("Defaults", func(t *testing.T) {
		t.Parallel()
		r, err := ParseAlarm(map[string]string{"AlarmName": "HighErrorRate"})
		require.NoError(t, err)
		require.Equal(t, Alarm{Names: []string{"HighErrorRate"}, Bad: []string{StateAlarm}}, r)
	})

	t.Run("Lists", func(t *testing.T) {
		t.Parallel()
		r, err := ParseAlarm(map[string]string{"AlarmName": "A, B,,C ", "AlarmStates": "ALARM,INSUFFICIENT_DATA", "WaitTime": "5"})
		require.NoError(t, err)
		require.Equal(t, Alarm{Names: []string{"A", "B", "C"}, Bad: []string{StateAlarm, StateInsufficientData}, WaitMinutes: 5}, r)
	})

	for name, tc := range map[string]struct {
		cfg map[string]string
		msg string
	}{
		"ErrAlarmNameRequired": {map[string]string{"AlarmName": " , "},
			"AlarmName is required: name the Prometheus alert (its alertname label) the rule watches, or a comma-separated list of them"},
		"ErrAlarmStates": {map[string]string{"AlarmName": "A", "AlarmStates": "ALARM,firing"},
			`AlarmStates "ALARM,firing": want a comma-separated list of ALARM, OK and INSUFFICIENT_DATA`},
		"ErrWaitTimeNegative": {map[string]string{"AlarmName": "A", "WaitTime": "-1"},
			`WaitTime "-1": want a whole number of minutes, 0 (one check) or more`},
		"ErrWaitTimeUnit": {map[string]string{"AlarmName": "A", "WaitTime": "5m"},
			`WaitTime "5m": want a whole number of minutes, 0 (one check) or more`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseAlarm(tc.cfg)
			require.EqualError(t, err, tc.msg)
		})
	}
}
