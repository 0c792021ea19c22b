// Package jsonrpc reads the few fields of an incoming JSON-RPC message that
// the transports decide on before mcp-go sees it: the id and whether its type
// is allowed, the method, the request a cancellation names, and the protocol
// version a message states in _meta. It is the one place for those rules, so
// stdio and HTTP judge a message alike.
package jsonrpc

import (
	"bytes"
	"encoding/json"

	"github.com/mark3labs/mcp-go/mcp"
)

// MethodCancelled is the notification that asks to cancel a request.
const MethodCancelled = string(mcp.MethodNotificationCancelled)

// Message is the head of one JSON-RPC message.
type Message struct {
	// ID is the raw id, nil when the message has none (a notification).
	ID     json.RawMessage
	Method string
	// CancelID is the requestId a notifications/cancelled names.
	CancelID json.RawMessage
	// ProtocolVersion is the version the message states in its _meta
	// (protocol 2026-07-28 and later), "" when none.
	ProtocolVersion string
	// answer: the message carries a result or an error (mcp-go then serves
	// it as an answer to a request of its own, whatever its method).
	answer bool
}

// Peek reads the head of msg; ok is false when msg is not a JSON object
// (mcp-go then answers the parse error itself).
func Peek(msg []byte) (m Message, ok bool) {
	var head struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
		Params json.RawMessage `json:"params"`
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if json.Unmarshal(msg, &head) != nil {
		return Message{}, false
	}
	m = Message{ID: head.ID, Method: head.Method, answer: head.Result != nil || head.Error != nil}
	if isNull(m.ID) {
		m.ID = nil
	}
	var params map[string]json.RawMessage
	if json.Unmarshal(head.Params, &params) == nil {
		if m.Method == MethodCancelled {
			m.CancelID = params["requestId"]
		}
		var meta map[string]json.RawMessage
		if json.Unmarshal(params["_meta"], &meta) == nil {
			_ = json.Unmarshal(meta[mcp.MetaKeyProtocolVersion], &m.ProtocolVersion)
		}
	}
	return m, true
}

// IsRequest reports a request: a method and an id (which wants an answer).
func (m Message) IsRequest() bool { return m.Method != "" && m.ID != nil && !m.answer }

// IsCancel reports a notifications/cancelled, whether or not its requestId
// could be read: a transport lets one through only when it can tell whose
// call it names.
func (m Message) IsCancel() bool { return m.Method == MethodCancelled && m.ID == nil }

// BadID reports an id JSON-RPC does not allow: only strings, numbers (and
// null) may identify a request, so an object, array or boolean is refused
// before it can be served or echoed.
func (m Message) BadID() bool { return m.ID != nil && !validID(m.ID) }

func validID(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return false
	}
	switch c := raw[0]; {
	case c == '"', c == '-', c >= '0' && c <= '9':
		return true
	}
	return false
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// Modern reports whether a protocol version is 2026-07-28 or later, the
// revision without sessions.
func Modern(version string) bool { return mcp.IsModernProtocol(version) }

// Key makes one id one map key, the way mcp-go sees it: mcp-go decodes ids
// into Go values and writes them back from those, so 7 and 7.0 are one id,
// and an answer's id has the key of its request's.
func Key(raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return string(raw)
	}
	return string(b)
}

// ErrInvalidID is the answer to a message whose id has a type JSON-RPC does
// not allow. Its id is null: the request's own cannot be echoed.
var ErrInvalidID = []byte(`{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request: the id must be a string or a number"}}`)

// Error is a JSON-RPC error answer for id (raw, as the request sent it).
func Error(id json.RawMessage, code int, message string) []byte {
	b, _ := json.Marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}{JSONRPC: "2.0", ID: orNull(id), Error: struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}{code, message}})
	return b
}

func orNull(id json.RawMessage) json.RawMessage {
	if id == nil || !validID(id) {
		return json.RawMessage("null")
	}
	return id
}

// AnswerID returns the id of a JSON-RPC answer (a result or an error), and
// false for anything else (a request or notification of the server's).
// mcp-go writes jsonrpc and id first, so the result itself is rarely read.
func AnswerID(msg []byte) (json.RawMessage, bool) {
	dec := json.NewDecoder(bytes.NewReader(msg))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	var id json.RawMessage
	answer := false
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, false
		}
		switch key {
		case "method":
			return nil, false
		case "result", "error":
			answer = true
			if id != nil {
				return id, true
			}
		case "id":
			if dec.Decode(&id) != nil {
				return nil, false
			}
			if answer {
				return id, true
			}
			continue
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return nil, false
		}
	}
	return nil, false
}
