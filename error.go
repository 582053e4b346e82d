package sluice

import (
	"errors"
	"fmt"
)

// Code is one of the closed set of error kinds the core returns. api/errors.go is the only
// place a Code (with its Resource) becomes a CodePipeline exception name and HTTP status.
type Code string

const (
	EInvalid          Code = "invalid"           // ValidationException, or Invalid<Resource>Exception when Resource is set
	EStructure        Code = "structure"         // InvalidStructureException
	EStageDecl        Code = "stage_declaration" // InvalidStageDeclarationException
	EActionDecl       Code = "action_declaration"
	EBlockerDecl      Code = "blocker_declaration"
	ENotFound         Code = "not_found"      // <Resource>NotFoundException
	EAlreadyExists    Code = "already_exists" // PipelineNameInUseException for pipelines
	EConflict         Code = "conflict"       // ConflictException / ConcurrentModificationException
	ELimit            Code = "limit"          // LimitExceededException or a named limit via Resource
	ENotStoppable     Code = "not_stoppable"  // PipelineExecutionNotStoppableException
	EDuplicateStop    Code = "duplicate_stop" // DuplicatedStopRequestException
	ENotRetryable     Code = "not_retryable"  // StageNotRetryableException
	ENotLatest        Code = "not_latest"     // NotLatestPipelineExecutionException
	EInvalidToken     Code = "invalid_token"  // InvalidApprovalTokenException
	EAlreadyCompleted Code = "already_completed"
	EInvalidNonce     Code = "invalid_nonce"
	EInvalidJobState  Code = "invalid_job_state"
	ENotOverridable   Code = "not_overridable"    // ConditionNotOverridableException
	ENoRollback       Code = "unable_to_rollback" // UnableToRollbackStageException
	EOutdated         Code = "execution_outdated" // PipelineExecutionOutdatedException
	EUnsupported      Code = "unsupported"        // an operation Sluice does not offer yet
	EAccessDenied     Code = "access_denied"      // AccessDeniedException (HTTP 403 for git, logs and artifacts)
	EInternal         Code = "internal"
)

// Error is the core's error: a Code, the kind of resource it concerns (Pipeline, Stage,
// Action, PipelineExecution, Job, ActionType, ...) and a message a user can act on.
type Error struct {
	Code     Code
	Resource string
	Message  string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, resource, format string, args ...any) *Error {
	return &Error{Code: code, Resource: resource, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the Code of err, EInternal for errors that are not an *Error, "" for nil.
func ErrorCode(err error) Code {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EInternal
	}
}

// IsCode reports whether err is an *Error with the given code.
func IsCode(err error, code Code) bool { return ErrorCode(err) == code }
