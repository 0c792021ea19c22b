package jsonrpc

import (
	"encoding/json"
	"testing"
)

func TestPeek(t *testing.T) {
	for _, tc := range []struct {
		name, msg                 string
		parsed, request, cancel   bool
		badID                     bool
		cancelID, version, method string
	}{
		{name: "a request", msg: `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x"}}`, parsed: true, request: true, method: "tools/call"},
		{name: "a string id", msg: `{"jsonrpc":"2.0","id":"a-1","method":"ping"}`, parsed: true, request: true, method: "ping"},
		{name: "a negative id", msg: `{"jsonrpc":"2.0","id":-3,"method":"ping"}`, parsed: true, request: true, method: "ping"},
		{name: "an object id", msg: `{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}`, parsed: true, request: true, badID: true, method: "ping"},
		{name: "an array id", msg: `{"jsonrpc":"2.0","id":[1],"method":"ping"}`, parsed: true, request: true, badID: true, method: "ping"},
		{name: "a true id", msg: `{"jsonrpc":"2.0","id":true,"method":"ping"}`, parsed: true, request: true, badID: true, method: "ping"},
		{name: "a false id", msg: `{"jsonrpc":"2.0","id":false,"method":"ping"}`, parsed: true, request: true, badID: true, method: "ping"},
		{name: "a null id is a notification", msg: `{"jsonrpc":"2.0","id":null,"method":"notifications/initialized"}`, parsed: true, method: "notifications/initialized"},
		{name: "an answer is no request", msg: `{"jsonrpc":"2.0","id":3,"method":"x","result":{}}`, parsed: true, method: "x"},
		{name: "a cancel", msg: `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}}`, parsed: true, cancel: true, cancelID: "7", method: MethodCancelled},
		{name: "a cancel with unreadable params is still a cancel", msg: `{"jsonrpc":"2.0","method":"notifications/cancelled","params":[7]}`, parsed: true, cancel: true, method: MethodCancelled},
		{name: "a modern request", msg: `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}`, parsed: true, request: true, version: "2026-07-28", method: "ping"},
		{name: "not an object", msg: `[1,2]`},
		{name: "not JSON", msg: `{"id":`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ok := Peek([]byte(tc.msg))
			if ok != tc.parsed || m.IsRequest() != tc.request || m.IsCancel() != tc.cancel || m.BadID() != tc.badID ||
				string(m.CancelID) != tc.cancelID || m.ProtocolVersion != tc.version || m.Method != tc.method {
				t.Fatalf("Peek = %+v, %v; request %v cancel %v badID %v", m, ok, m.IsRequest(), m.IsCancel(), m.BadID())
			}
		})
	}
}

func TestKeyMatchesAnIDAsMcpGoEchoesIt(t *testing.T) {
	for raw, want := range map[string]string{`7`: `7`, `7.0`: `7`, ` 7 `: `7`, `"7"`: `"7"`, `"a\u0062"`: `"ab"`, `1e2`: `100`} {
		if got := Key(json.RawMessage(raw)); got != want {
			t.Errorf("Key(%s) = %s, want %s", raw, got, want)
		}
	}
}

func TestAnswerID(t *testing.T) {
	for msg, want := range map[string]string{
		`{"jsonrpc":"2.0","id":7,"result":{"content":[]}}`:                      `7`,
		`{"jsonrpc":"2.0","result":{"x":1},"id":"a"}`:                           `"a"`,
		`{"jsonrpc":"2.0","id":8,"error":{"code":-32600,"message":"x"}}`:        `8`,
		`{"jsonrpc":"2.0","method":"notifications/progress","params":{"id":1}}`: ``,
		`{"jsonrpc":"2.0","id":9,"method":"ping"}`:                              ``,
		`not json`: ``,
	} {
		id, ok := AnswerID([]byte(msg))
		if string(id) != want || ok != (want != "") {
			t.Errorf("AnswerID(%s) = %s, %v; want %s", msg, id, ok, want)
		}
	}
}

func TestErrorNeverEchoesABadID(t *testing.T) {
	if got := string(Error(json.RawMessage(`{"a":1}`), -32600, "x")); got != `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"x"}}` {
		t.Fatal(got)
	}
	if got := string(Error(json.RawMessage(`5`), -32600, "x")); got != `{"jsonrpc":"2.0","id":5,"error":{"code":-32600,"message":"x"}}` {
		t.Fatal(got)
	}
	var e struct{ Error struct{ Code int } }
	if json.Unmarshal(ErrInvalidID, &e) != nil || e.Error.Code != -32600 {
		t.Fatalf("ErrInvalidID: %s", ErrInvalidID)
	}
}
