package ruleeval

import (
	"strings"

	"sluice"
)

// VariableCheck operators.
const (
	OpEQ       = "EQ"
	OpNE       = "NE"
	OpContains = "CONTAINS"
	OpMatches  = "MATCHES"
)

// Check applies a VariableCheck rule: operator EQ | NE | CONTAINS | MATCHES (MATCHES: the value
// matches the regular expression expected, Java-regex syntax mapped onto Go's regexp where they agree;
// refuse constructs Go cannot run with a clear error). MATCHES is Java's String.matches: the
// whole value must match, so a pattern that looks for a part writes .*part.*.
func Check(value, operator, expected string) (bool, error) {
	switch operator {
	case OpEQ:
		return value == expected, nil
	case OpNE:
		return value != expected, nil
	case OpContains:
		return strings.Contains(value, expected), nil
	case OpMatches:
		re, err := compileJava(expected)
		if err != nil {
			return false, err
		}
		return re.MatchString(value), nil
	}
	return false, badOperator(operator)
}

// ValidateCheck checks Operator (and a MATCHES pattern) as CreatePipeline must. A pattern that
// refers to variables (#{...}) is whole only at run time, so Check is the one to judge it.
func ValidateCheck(operator, expected string) error {
	switch operator {
	case OpEQ, OpNE, OpContains:
		return nil
	case OpMatches:
		if strings.Contains(expected, "#{") {
			return nil
		}
		_, err := compileJava(expected)
		return err
	}
	return badOperator(operator)
}

func badOperator(operator string) error {
	return sluice.Errorf(sluice.EInvalid, "", "Operator '%s' is not a VariableCheck operator; use EQ, NE, CONTAINS or MATCHES", operator)
}
