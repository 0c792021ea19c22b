package sandbox

import (
	"encoding/json"
	"net/http"
)

// Replies: the {data,message,status} envelope every answer uses.

// reply is a finished response: status plus JSON body (and rarely a header).
type reply struct {
	status int
	body   []byte
	header http.Header
}

type envelope struct {
	Data    any    `json:"data,omitempty"`
	Message string `json:"message"`
	Status  int    `json:"status"`
}

type listData[T any] struct {
	Items   []T  `json:"items"`
	HasMore bool `json:"has_more"`
}

func jsonReply(status int, v any) reply {
	b, err := json.Marshal(v)
	if err != nil { // only our own wire structs get here
		b = []byte(`{"message":"Internal Server Error","status":500}`)
		status = http.StatusInternalServerError
	}
	return reply{status: status, body: b}
}

func success(data any, msg string) reply {
	return jsonReply(http.StatusOK, envelope{Data: data, Message: msg, Status: http.StatusOK})
}

// okNoData is the archive/delete answer: message and status only.
func okNoData(msg string) reply {
	return jsonReply(http.StatusOK, envelope{Message: msg, Status: http.StatusOK})
}

func fail(status int, msg string) reply {
	return jsonReply(status, envelope{Message: msg, Status: status})
}

func listReply[T any](items []T, hasMore bool) reply {
	if items == nil {
		items = []T{}
	}
	return success(listData[T]{Items: items, HasMore: hasMore}, "Page returned successfully")
}

// apiError is a failed validation or lookup on its way to becoming a reply.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) reply() reply { return fail(e.status, e.msg) }

func badRequest(msg string) *apiError { return &apiError{http.StatusBadRequest, msg} }

func notFound(what string) reply { return fail(http.StatusNotFound, what+" not found") }
