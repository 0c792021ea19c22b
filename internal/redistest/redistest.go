// Package redistest starts a real redis-server for a test: on a free
// loopback port, with no persistence, killed when the test ends. Tests that
// need it skip loudly where redis-server is not installed, and fail instead
// when CI=true, so CI can never pass by skipping them.
package redistest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Server is one running redis-server.
type Server struct {
	Addr     string // 127.0.0.1:PORT
	Password string // requirepass, when set

	t   testing.TB
	cmd *exec.Cmd
}

// Options tune Start.
type Options struct {
	Password string // set requirepass
}

// Binary is the redis-server on PATH, or "" with the reason.
func Binary() (string, error) {
	return exec.LookPath("redis-server")
}

// Require skips the test (or fails it under CI=true) when redis-server is
// missing, naming the caller's package.
func Require(t testing.TB) string {
	t.Helper()
	bin, err := Binary()
	if err == nil {
		return bin
	}
	pkg := "this package"
	for skip := 1; skip < 5; skip++ { // the first caller outside this package
		if _, file, _, ok := runtime.Caller(skip); ok && filepath.Base(filepath.Dir(file)) != "redistest" {
			pkg = filepath.Base(filepath.Dir(file))
			break
		}
	}
	msg := fmt.Sprintf("REDIS TESTS NOT RUN in package %s: redis-server is not on PATH (install it: apt-get install -y redis-server)", pkg)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; CI=true, so this is a failure, not a skip")
	}
	t.Skip("SKIPPED: " + msg)
	return ""
}

// Start runs a fresh redis-server until the test ends.
func Start(t testing.TB, opts ...Options) *Server {
	t.Helper()
	bin := Require(t)
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ { // a free port may be taken between probe and bind
		s, err := start(t, bin, o)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("redis-server did not start: %v", lastErr)
	return nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func start(t testing.TB, bin string, o Options) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args := []string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", t.TempDir(), "--loglevel", "warning"}
	if o.Password != "" {
		args = append(args, "--requirepass", o.Password)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), Password: o.Password, t: t, cmd: cmd}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() { s.Kill(); <-exited })
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return nil, fmt.Errorf("redis-server on port %d exited at start", port)
		default:
		}
		if s.ping() == nil {
			return s, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.Kill()
	return nil, fmt.Errorf("redis-server on port %d did not answer PING", port)
}

// ping speaks just enough RESP to see the server answer.
func (s *Server) ping() error {
	c, err := net.DialTimeout("tcp", s.Addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") && !strings.HasPrefix(line, "-NOAUTH") {
		return fmt.Errorf("unexpected answer %q", line)
	}
	return nil
}

// URL is the redis:// URL of the server, with its password when it has one.
func (s *Server) URL() string {
	if s.Password != "" {
		return "redis://:" + s.Password + "@" + s.Addr + "/0"
	}
	return "redis://" + s.Addr + "/0"
}

// Kill stops the server at once (SIGKILL), as a crash would.
func (s *Server) Kill() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
	}
}
